"""The Whoosh analyzers, asserted as token lists, and their picklability."""

from __future__ import annotations

import pickle

from reslib.analysis import (
    english_analyzer,
    syllable_analyzer,
    unicode_to_zawgyi,
    word_analyzer,
)


def terms(analyzer, text: str, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.text for t in analyzer(text, **kw)]


def test_syllable_field_holds_burmese_syllables_and_folded_numbers() -> None:
    assert terms(syllable_analyzer(), "၂၀၂၃ ခုနှစ် Myanmar မိန့်ခွန်း") == [
        "2023",
        "ခု",
        "နှစ်",
        "မိန့်",
        "ခွန်း",
    ]


def test_burmese_and_ascii_digits_are_one_term() -> None:
    assert terms(syllable_analyzer(), "၂၀၂၃") == terms(english_analyzer(), "2023") == ["2023"]


def test_english_field_lowercases_folds_accents_and_stems() -> None:
    assert terms(english_analyzer(), "Café RUNNING junta’s") == ["cafe", "run", "junta"]


def test_stemming_conflates_munitions_with_munition_and_running_with_run() -> None:
    a = english_analyzer()
    assert terms(a, "munitions") == terms(a, "munition")
    assert terms(a, "running") == terms(a, "run")


def test_stop_words_are_kept_at_index_time() -> None:
    assert terms(english_analyzer(), "Voice of America") == ["voic", "of", "america"]


def test_stop_words_are_dropped_from_bare_query_words_only() -> None:
    a = english_analyzer()
    assert terms(a, "the junta", mode="query") == ["junta"]
    assert terms(a, "voice of america", mode="query", phrase=True) == ["voic", "of", "america"]


def test_positions_leave_a_gap_where_another_script_intervenes() -> None:
    toks = [(t.text, t.pos) for t in syllable_analyzer()("ကြည့် ABC ရှု", positions=True)]
    assert toks == [("ကြည့်", 0), ("ရှု", 2)]


def test_character_offsets_allow_highlighting_whole_syllables() -> None:
    text = "Statement: မြန်မာနိုင်ငံ"
    spans = [text[t.startchar : t.endchar] for t in syllable_analyzer()(text, chars=True)]
    assert spans == ["မြန်", "မာ", "နိုင်", "ငံ"]


def test_zawgyi_query_and_unicode_query_give_the_same_terms() -> None:
    unicode_query = "ကုလသမဂ္ဂ လူ့အခွင့်အရေး ကြေညာစာတမ်း"
    zawgyi_query = unicode_to_zawgyi(unicode_query)
    assert zawgyi_query != unicode_query
    for make in (syllable_analyzer, word_analyzer, english_analyzer):
        assert terms(make(), zawgyi_query, mode="query") == terms(
            make(), unicode_query, mode="query"
        )


def test_wa_typed_as_zero_gives_the_same_terms() -> None:
    assert terms(syllable_analyzer(), "အ၀တ်အစား") == terms(syllable_analyzer(), "အဝတ်အစား")


def test_word_field_holds_icu_dictionary_words() -> None:
    assert terms(word_analyzer(), "မြန်မာနိုင်ငံသည်")[0] == "မြန်မာနိုင်ငံ"


def test_analyzers_survive_pickling_as_whoosh_does_with_schemas() -> None:
    for make in (syllable_analyzer, word_analyzer, english_analyzer):
        a = make()
        b = pickle.loads(pickle.dumps(a))
        assert terms(b, "မြန်မာ Myanmar") == terms(a, "မြန်မာ Myanmar")
