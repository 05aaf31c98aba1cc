"""Normalization: the issue's test vectors, invisibles, digits, and idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reslib.analysis import burmese_rules, normalize, normalize_text


def cps(text: str) -> str:
    return " ".join(f"{ord(c):04X}" for c in text)


def from_cps(hexes: str) -> str:
    return "".join(chr(int(h, 16)) for h in hexes.split())


@pytest.mark.parametrize(
    ("given_cps", "expected_cps"),
    [
        ("1025 102E", "1026"),
        ("1014 103A 1037", "1014 1037 103A"),
        ("1044 1004 103A 1038", "104E 1004 103A 1038"),
        ("1021 1040 1010 103A", "1021 101D 1010 103A"),
        ("1019 103E 103D", "1019 103D 103E"),
        ("1000 102F 102D", "1000 102D 102F"),
        ("1025 103A", "1009 103A"),
        # ညဥ့် ("night"): U+1025 for U+1009 before dot below and asat too.
        ("100A 1025 1037 103A", "100A 1009 1037 103A"),
        # A mark repeated side by side is one mark drawn twice.
        ("1000 102D 102D", "1000 102D"),
        ("1000 102D 102F 102D", "1000 102D 102F"),
        # ယောက်ျား ("man") as Unicode Technical Note #11 spells it: asat before medial ya.
        ("101A 1031 102C 1000 103A 103B 102C 1038", "101A 1031 102C 1000 103A 103B 102C 1038"),
        # ... and its everyday typing, medial ya before asat, becomes that spelling.
        ("101A 1031 102C 1000 103B 103A 102C 1038", "101A 1031 102C 1000 103A 103B 102C 1038"),
    ],
)
def test_burmese_rule_vectors(given_cps: str, expected_cps: str) -> None:
    assert cps(normalize_text(from_cps(given_cps))) == expected_cps


def test_both_typings_of_yauk_kya_are_one_syllable_and_one_term() -> None:
    from reslib.analysis import syllables

    utn = from_cps("101A 1031 102C 1000 103A 103B 102C 1038")
    everyday = from_cps("101A 1031 102C 1000 103B 103A 102C 1038")
    assert syllables(normalize_text(utn)) == [utn]
    assert syllables(normalize_text(everyday)) == [utn]


def test_a_different_mark_in_between_is_not_a_repetition() -> None:
    # ကိုယ် needs both marks; ကီ and ကိ are different vowels, never merged.
    assert cps(normalize_text(from_cps("1000 102D 102F 101A 103A"))) == "1000 102D 102F 101A 103A"
    assert cps(normalize_text(from_cps("1000 102E 102D"))) == "1000 102E 102D"


def test_wa_inside_a_number_becomes_zero() -> None:
    assert normalize_text("၂ဝဝ၂") == "၂၀၀၂"


def test_real_zero_stays_a_zero() -> None:
    assert normalize_text("၁၀") == "၁၀"
    assert normalize_text("၁၀ ရက်") == "၁၀ ရက်"


def test_zero_carrying_a_vowel_is_the_letter_wa() -> None:
    assert normalize_text("\u1040\u102b") == "\u101d\u102b"


def test_lone_locative_four_in_a_heading_becomes_digit_four() -> None:
    assert normalize_text("အပိုဒ် ၎") == "အပိုဒ် ၄"


def test_asat_before_vowel_u_in_kyanoke_is_kept() -> None:
    assert normalize_text("ကျွန်ုပ်") == "ကျွန်ုပ်"


def test_zero_width_space_becomes_a_word_boundary() -> None:
    assert normalize_text("မြန်မာ\u200bနိုင်ငံ") == "မြန်မာ နိုင်ငံ"
    assert normalize_text("\u200bမြန်မာ\u200b") == "မြန်မာ"


def test_zwj_zwnj_and_bom_are_removed() -> None:
    assert normalize_text("\ufeffa\u200db\u200cc") == "abc"


def test_display_text_keeps_burmese_digits() -> None:
    assert normalize_text("၂၀၂၃ ခုနှစ်") == "၂၀၂၃ ခုနှစ်"


def test_english_text_passes_through_unchanged() -> None:
    text = "Open Letter to G20 Member Nations — “Myanmar” café\n\nSecond paragraph."
    result = normalize(text)
    assert result.text == text
    assert result.zawgyi_probability is None
    assert result.converted_from_zawgyi is False


def test_zawgyi_paragraph_is_converted_and_original_kept() -> None:
    zawgyi = "ေနျပည္ေတာ္ ဇူလုိင္ ၂၆"
    result = normalize(zawgyi)
    assert result.text == "နေပြည်တော် ဇူလိုင် ၂၆"
    assert result.converted_from_zawgyi is True
    assert result.original == zawgyi
    assert result.zawgyi_probability is not None and result.zawgyi_probability > 0.95


def test_detection_is_per_paragraph() -> None:
    unicode_par = "မြန်မာနိုင်ငံသည် ကမ္ဘာ့ကုလသမဂ္ဂအဖွဲ့ဝင်ဖြစ်သည်။"
    zawgyi_par = "ေနျပည္ေတာ္ ဇူလုိင္ ၂၆"
    result = normalize(f"{unicode_par}\n\n{zawgyi_par}")
    assert result.text == f"{unicode_par}\n\nနေပြည်တော် ဇူလိုင် ၂၆"


def test_unicode_text_is_never_converted() -> None:
    text = "လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခာဖြင့် လည်းကောင်း၊"
    result = normalize(text)
    assert result.converted_from_zawgyi is False
    assert result.text == text


myanmar_chars = st.characters(min_codepoint=0x1000, max_codepoint=0x109F)
mixed_chars = st.one_of(
    myanmar_chars,
    st.sampled_from(list(" \n\u200b\u200c\u200d\ufeffabcZ09.,'’\"")),
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=myanmar_chars, max_size=40))
def test_normalize_is_idempotent_on_myanmar_block_strings(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=mixed_chars, max_size=60))
def test_normalize_is_idempotent_on_mixed_strings(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=myanmar_chars, max_size=40))
def test_burmese_rules_are_idempotent(text: str) -> None:
    once = burmese_rules(text)
    assert burmese_rules(once) == once


def test_a_run_of_locatives_before_a_digit_becomes_digits_in_one_pass() -> None:
    # Found by hypothesis: converting only the last one left a locative before a digit.
    assert burmese_rules("\u104e\u104e\u1044") == "\u1044\u1044\u1044"
    assert burmese_rules("\u104e\u104e\u1004\u103a") == "\u104e\u104e\u1004\u103a"
