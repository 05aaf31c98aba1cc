"""Snippets mark Burmese words where they are words, never half of a longer word."""

from __future__ import annotations

import random

import pytest
from conftest import shared_path

from reslib.analysis import normalize_text
from reslib.analysis.segment import tokens
from reslib.search import highlight
from reslib.search.highlight import find_marks, snippet
from reslib.search.parse import Unit, parse, units_of


def units(q: str) -> list[Unit]:
    return [u for c in parse(q).clauses for u in units_of(c)]


def test_a_word_standing_alone_is_marked_whole() -> None:
    text = normalize_text("နယ်စပ်ရှိ ကရင် ဒုက္ခသည်များ")
    assert snippet(text, units("ကရင်")) == "နယ်စပ်ရှိ <mark>ကရင်</mark> ဒုက္ခသည်များ"


def test_a_word_followed_by_another_dictionary_word_is_marked() -> None:
    # ICU reads ကရင် | အမျိုးသမီး: the edge between them is a word edge.
    text = normalize_text("ကရင်အမျိုးသမီးအစည်းအရုံး ထုတ်ပြန်ချက်")
    assert snippet(text, units("ကရင်")).startswith("<mark>ကရင်</mark>အမျိုးသမီး")


def test_the_syllables_inside_a_longer_word_are_not_marked() -> None:
    text = normalize_text("ကရင်နီပြည်နယ်ရှိ စခန်းများ")
    assert find_marks(text, units("ကရင်")) == []
    assert snippet(text, units("ကရင်")) == text  # neither half of ကရင်နီ nor all of it


def test_the_passage_with_the_word_is_chosen_over_one_with_the_longer_word() -> None:
    filler = "စစ်ဘေးရှောင်များ အကူအညီ လိုအပ်နေသည်။ " * 12
    text = normalize_text("ကရင်နီပြည်နယ်ရှိ စခန်းများ။ " + filler + "ကရင် ဒုက္ခသည်များ ရောက်ရှိလာသည်။")
    shown = snippet(text, units("ကရင်"))
    assert "<mark>ကရင်</mark> ဒုက္ခသည်" in shown
    assert shown.count("<mark>") == 1


def test_a_record_holding_only_the_longer_word_shows_where_it_is() -> None:
    filler = "စစ်ဘေးရှောင်များ အကူအညီ လိုအပ်နေသည်။ " * 12
    text = normalize_text(filler + "ကရင်နီပြည်နယ်ရှိ စခန်းများ။")
    shown = snippet(text, units("ကရင်"))
    assert "ကရင်နီ" in shown and "<mark>" not in shown


def test_a_long_phrase_is_marked_wherever_it_matches() -> None:
    # A pasted passage may start or end inside a word: longer phrases are not word-checked.
    text = normalize_text("ကရင်နီပြည်နယ်ရှိ စခန်းများ")
    assert snippet(text, units("ရင်နီပြည်နယ်")) == "က<mark>ရင်နီပြည်နယ်</mark>ရှိ စခန်းများ"


def test_english_words_are_marked_as_before() -> None:
    text = "Karen families fled; Karenni families stayed."
    assert (
        snippet(text, units("Karen"))
        == "<mark>Karen</mark> families fled; Karenni families stayed."
    )


def test_a_phrase_spaced_or_punctuated_in_the_text_is_still_marked() -> None:
    # The syllables of a phrase typed without spaces may stand apart in the text: the probe
    # that picks the sentences to tokenize must not skip them.
    for written in ("ဒုက္ခသည် စခန်း", "ဒုက္ခသည်၊ စခန်း", "ဒုက္ခသည် - စခန်း"):
        text = normalize_text(f"ရွာသားများ {written}သို့ ရောက်ရှိလာသည်။")
        marks = find_marks(text, units("ဒုက္ခသည်စခန်း"))
        found = [(text[s:e], n) for s, e, n in marks]
        assert found and found[0][0].startswith("ဒုက္ခသည်") and found[0][0].endswith("စခန်း")


def test_a_sentence_holding_the_syllables_apart_is_not_marked() -> None:
    text = normalize_text("စခန်းများ ပိတ်သည်။ ဒုက္ခသည်များ ရောက်ရှိလာသည်။")
    assert find_marks(text, units("ဒုက္ခသည်စခန်း")) == []


def test_probing_sentences_finds_every_match_tokenizing_them_all_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = [
        normalize_text(line.split("\t", 1)[1])
        for line in shared_path("corpora", "talpco", "data_myn.txt").read_text("utf-8").splitlines()
        if "\t" in line
    ]
    rng = random.Random(8)
    cases = []
    for n in range(80):
        # Sentences run together, spaced, or broken by punctuation and Latin words; every
        # other phrase runs across two of them, over what joins them.
        glue = rng.choice(["", " ", "၊ ", " - ", " (x) ", "။\n"])
        sample = rng.sample(lines, 12)
        text = glue.join(sample)
        toks = list(tokens(text))
        if n % 2:
            at = len(list(tokens(glue.join(sample[:6])))) - 1
            size = 2 + n % 3 // 2
        else:
            at, size = rng.randrange(len(toks) - 3), rng.randint(1, 3)
        cases.append((text, units("".join(t.text for t in toks[at : at + size]))))
    probed = [highlight.all_matches(text, us) for text, us in cases]
    monkeypatch.setattr(highlight, "_unit_probe", lambda unit: lambda sentence: True)
    everything = [highlight.all_matches(text, us) for text, us in cases]
    assert probed == everything
    assert sum(map(len, everything)) > 50
