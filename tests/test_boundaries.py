"""Word edges between Burmese syllables and the whole-word spans the index keeps."""

from __future__ import annotations

import pickle

import pytest

from reslib.analysis import normalize_text
from reslib.analysis.boundaries import (
    COMPOUND_EDGE,
    ICU_EDGE,
    INSIDE,
    MAX_SPAN,
    MIN_SPAN_WEIGHT,
    RUN_EDGE,
    SPAN_JOIN,
    UNKNOWN_EDGE,
    WORD_EDGE,
    edge_strengths,
    span_analyzer,
    spans_of,
    token_edges,
    word_spans,
)
from reslib.analysis.segment import tokens
from reslib.index import build_schema


def strengths(text: str) -> list[tuple[str, float]]:
    """(syllable, strength of the edge before it) for each token, then ("", edge after)."""
    text = normalize_text(text)
    values = edge_strengths(text)
    return [(t.text, v) for t, v in zip(tokens(text), values, strict=False)] + [("", values[-1])]


def test_spaces_punctuation_and_other_scripts_are_sure_edges() -> None:
    got = strengths("ကရင် အမျိုးသမီး၊ KWO")
    assert got[0] == ("က", RUN_EDGE)
    assert got[2] == ("အ", RUN_EDGE)  # after a space
    assert got[6] == ("KWO", RUN_EDGE)  # after punctuation, in another script
    assert got[-1] == ("", RUN_EDGE)


def test_an_icu_word_edge_is_an_edge_and_its_inside_is_not() -> None:
    # ICU reads ကရင်နီ | ပြည်နယ်: Karenni State.
    got = dict(enumerate(strengths("ကရင်နီပြည်နယ်")))
    assert got[3] == ("ပြည်", ICU_EDGE)
    assert got[1][1] == INSIDE  # က|ရင် inside ကရင်နီ: ရင်နီ is no word
    assert got[2] == ("နီ", COMPOUND_EDGE)  # ကရင် + နီ, two dictionary words


def test_edges_icu_guessed_in_a_run_of_one_syllable_words_are_weaker() -> None:
    # A transliterated name ICU does not know comes out as its syllables.
    got = [v for _, v in strengths("မစ္စတာတာနာခါဟာ")]
    assert UNKNOWN_EDGE in got
    assert max(v for v in got[1:-1]) < RUN_EDGE


def test_a_word_standing_alone_is_a_heavy_span_and_inside_a_longer_word_a_light_one() -> None:
    alone = word_spans(normalize_text("ကရင် အမျိုးသမီးများ"))
    inside = word_spans(normalize_text("ကရင်နီ အမျိုးသမီးများ"))
    assert alone["က ရင်"] == (1, RUN_EDGE * RUN_EDGE)
    assert inside["က ရင်"][1] <= COMPOUND_EDGE
    assert "က ရင် နီ" in inside and inside["က ရင် နီ"][1] >= ICU_EDGE


def test_weak_evidence_counts_once_however_often_it_occurs() -> None:
    once = word_spans(normalize_text("ကရင်နီ ။"))
    often = word_spans(normalize_text("ကရင်နီ ။ " * 8))
    assert often["က ရင်"][1] == once["က ရင်"][1]
    assert often["က ရင်"][0] == 8
    words = word_spans(normalize_text("ကရင် ။ " * 8))
    assert words["က ရင်"] == (8, pytest.approx(8 * RUN_EDGE))


def test_spans_without_weak_evidence_keep_only_spans_with_word_edges() -> None:
    spans = word_spans(normalize_text("ကရင်နီ ကရင် ။"), False)
    assert spans["က ရင်"] == (1, 1.0)
    assert "ရင်" not in spans  # inside both words


def test_spans_are_at_most_max_span_syllables_of_burmese() -> None:
    spans = word_spans(normalize_text("ကရင်အမျိုးသမီးအစည်းအရုံး 2023 ထုတ်ပြန်"))
    assert all(1 <= len(s.split(" ")) <= MAX_SPAN for s in spans)
    assert not any("2023" in s for s in spans)


def test_span_fields_index_the_weights_their_analyzer_gives() -> None:
    text = "ကရင်နီပြည်နယ် ကရင် အမျိုးသမီးများ ထုတ်ပြန်ချက်။ ကရင်နီ ဒုက္ခသည် Karen 2023"
    schema = build_schema()
    for name in ("spans", "title_spans"):
        field = schema[name]
        expected: dict[str, list[float]] = {}
        for t in field.analyzer(text):
            expected.setdefault(t.text, []).append(t.boost)
        got = {w.decode("utf-8"): (n, weight) for w, n, weight, _ in field.index(text)}
        assert set(got) == set(expected), name
        for term, boosts in expected.items():
            assert got[term][0] == len(boosts)
            assert got[term][1] == pytest.approx(sum(boosts))


def test_span_analyzers_survive_pickling_as_whoosh_does_with_schemas() -> None:
    for weak in (True, False):
        analyzer = span_analyzer(weak)
        assert pickle.loads(pickle.dumps(analyzer)) == analyzer
    assert span_analyzer(True) != span_analyzer(False)


def test_the_edge_at_an_offset_is_the_edge_the_whole_text_gives() -> None:
    # Highlighting asks about the edges of a match from its run alone; indexing computes
    # every edge of the text: they must agree.
    from conftest import shared_path

    from reslib.analysis.boundaries import edge_at

    lines = shared_path("corpora", "talpco", "data_myn.txt").read_text("utf-8").splitlines()
    text = normalize_text(" ".join(line.split("\t", 1)[-1] for line in lines[:300]))
    toks = list(tokens(text))
    values = edge_strengths(text, toks)
    assert [edge_at(text, t.start) for t in toks] == values[:-1]
    assert edge_at(text, toks[-1].end) == values[-1]
    assert edge_at(text, toks[3].start + 1) in (INSIDE, RUN_EDGE)  # not a token edge


def _reference_edges(text: str) -> tuple[list[str], list[str], list[float]]:
    toks = list(tokens(text))
    return [t.text for t in toks], [t.kind for t in toks], edge_strengths(text, toks)


def _reference_spans(
    terms: list[str], kinds: list[str], strengths: list[float], weak: bool
) -> dict[str, tuple[int, float]]:
    """``spans_of`` as first written (slices joined per span, default dictionaries)."""
    from collections import defaultdict

    counts: dict[str, int] = defaultdict(int)
    weights: dict[str, float] = defaultdict(float)
    best: dict[str, float] = defaultdict(float)
    n = len(terms)
    for i in range(n):
        left = strengths[i]
        if left * RUN_EDGE < MIN_SPAN_WEIGHT:
            continue
        for size in range(1, MAX_SPAN + 1):
            last = i + size - 1
            if last >= n or kinds[last] != "my":
                break
            weight = left * strengths[last + 1]
            if weight >= MIN_SPAN_WEIGHT:
                key = SPAN_JOIN.join(terms[i : last + 1])
                counts[key] += 1
                if weight >= WORD_EDGE * WORD_EDGE:
                    weights[key] += weight
                elif weak:
                    best[key] = max(best[key], weight)
                else:
                    counts[key] -= 1
    return {k: (c, weights[k] + best[k]) for k, c in counts.items() if c}


def test_token_edges_and_spans_match_the_segment_by_segment_reading_over_the_corpora() -> None:
    # The indexing fast path (no segment objects) against the segment-by-segment reading,
    # on real text of every kind: Burmese, Zawgyi-converted government text, English.
    from conftest import shared_path

    files = [
        ("talpco", "data_myn.txt"),
        ("talpco", "data_eng.txt"),
        ("myanmar-tools", "udhr_mya_unicode_src.txt"),
        ("myanmar-tools", "mmgov_unicode_out.txt"),
    ]
    lines = [
        normalize_text(line)
        for parts in files
        for line in shared_path("corpora", *parts).read_text("utf-8").splitlines()[:1500]
    ]
    mixed = [" ".join(lines[i : i + 3]) for i in range(0, len(lines) - 3, 97)]
    checked = 0
    for text in [*lines, *mixed, "", "၁၂၃ ကရင်2024", "KWO။ကရင်နီ-ရှမ်း"]:
        assert token_edges(text) == _reference_edges(text), text
        for weak in (True, False):
            got = spans_of(*token_edges(text), weak)
            expected = _reference_spans(*_reference_edges(text), weak)
            # Same spans, counts and weights to the bit, in the same order.
            assert list(got.items()) == list(expected.items()), text
        checked += 1
    assert checked > 3000  # the corpora were read (a missing file raises)
