"""Segmentation: syllables, script runs, numbers, punctuation, losslessness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reslib.analysis import icu_words, normalize_text, segments, syllables, tokens


@pytest.mark.parametrize(
    "word",
    ["မိန့်", "ကြည့်", "နှင့်", "ကမ္ဘာ", "သင်္ချိုင်း", "၎င်း", "ကျွန်ုပ်"],
)
def test_hard_cases_are_one_syllable(word: str) -> None:
    assert syllables(normalize_text(word)) == [word]


def test_unspaced_phrase_splits_into_syllables() -> None:
    assert syllables("မြန်မာနိုင်ငံ") == ["မြန်", "မာ", "နိုင်", "ငံ"]
    assert syllables("ကျွန်ုပ်တို့၏") == ["ကျွန်ုပ်", "တို့", "၏"]


def test_mixed_text_splits_by_script_run() -> None:
    got = [(t.kind, t.text) for t in tokens("G20 ထိပ်သီးအစည်းအဝေး in 2023")]
    assert got == [
        ("word", "G20"),
        ("my", "ထိပ်"),
        ("my", "သီး"),
        ("my", "အ"),
        ("my", "စည်း"),
        ("my", "အ"),
        ("my", "ဝေး"),
        ("word", "in"),
        ("num", "2023"),
    ]


def test_digit_runs_stay_whole_in_both_scripts() -> None:
    got = [(t.kind, t.text) for t in tokens("၂၀၂၃ ခုနှစ် 149 airstrikes")]
    assert got[0] == ("num", "၂၀၂၃")
    assert ("num", "149") in got


def test_quotes_and_punctuation_never_glue_to_a_token() -> None:
    got = [t.text for t in tokens("“Ka-Pa-Sa”, (ASEAN). ‘review’ «မြန်မာ»။")]
    assert got == ["Ka", "Pa", "Sa", "ASEAN", "review", "မြန်", "မာ"]


def test_apostrophe_inside_a_word_is_kept_for_the_possessive_filter() -> None:
    assert [t.text for t in tokens("junta’s people's")] == ["junta’s", "people's"]


def test_token_offsets_point_into_the_text() -> None:
    text = "Karenni ကရင်နီ 2023"
    for tok in tokens(text):
        assert text[tok.start : tok.end] == tok.text


def test_icu_words_cover_the_run_in_order() -> None:
    run = "မြန်မာနိုင်ငံသည်"
    words = icu_words(run)
    assert "".join(w for _, w in words) == run
    assert words[0] == (0, "မြန်မာနိုင်ငံ")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x1000, max_codepoint=0x109F), max_size=50))
def test_segmentation_is_lossless_on_myanmar_block_strings(text: str) -> None:
    norm = normalize_text(text)
    assert "".join(s.text for s in segments(norm)) == norm


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_segmentation_is_lossless_on_any_string(text: str) -> None:
    assert "".join(s.text for s in segments(text)) == text
