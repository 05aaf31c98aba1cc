"""Analysis against the real text in ../shared/corpora (read in place, never copied)."""

from __future__ import annotations

import math

from conftest import shared_path

from reslib.analysis import (
    burmese_rules,
    normalize,
    normalize_text,
    segments,
    syllable_analyzer,
    zawgyi_probability,
)
from reslib.analysis.segment import SYLLABLE_RE

MT = ("corpora", "myanmar-tools")


def _read(*parts: str) -> str:
    return shared_path(*parts).read_text(encoding="utf-8")


def _mismatched_lines(zawgyi: str, unicode: str) -> set[int]:
    converted = normalize(zawgyi).text.splitlines()
    expected = burmese_rules(unicode).splitlines()
    assert len(converted) == len(expected)
    return {i + 1 for i, (a, b) in enumerate(zip(converted, expected, strict=True)) if a != b}


def test_udhr_zawgyi_converts_to_the_unicode_source() -> None:
    zawgyi = _read(*MT, "udhr_mya_zawgyi_out.txt")
    unicode = _read(*MT, "udhr_mya_unicode_src.txt")
    # Line 204's Zawgyi types the ya-yit of ဖြ before the ha-hto of မှ (U+103B before U+103D
    # after မ): the source itself is mistyped, and no converter can know which consonant the
    # medial belongs to. Every other line must match exactly.
    assert _mismatched_lines(zawgyi, unicode) == {204}


def test_government_zawgyi_text_converts_to_its_unicode_version() -> None:
    zawgyi = _read(*MT, "mmgov_zawgyi_src.txt")
    unicode = _read(*MT, "mmgov_unicode_out.txt")
    assert _mismatched_lines(zawgyi, unicode) == set()


def test_unicode_side_is_never_converted_by_detection() -> None:
    for name in ("udhr_mya_unicode_src.txt", "mmgov_unicode_out.txt"):
        text = _read(*MT, name)
        result = normalize(text)
        assert result.converted_from_zawgyi is False
        assert result.text == burmese_rules(text)


def test_detector_probabilities_match_myanmar_tools_compatibility_table() -> None:
    rows = [line.split("\t", 1) for line in _read(*MT, "compatibility.tsv").splitlines() if line]
    assert len(rows) > 40
    for expected, text in rows:
        got = zawgyi_probability(text)
        if expected == "-Infinity":
            assert got is None, text
        else:
            assert got is not None and math.isclose(got, float(expected), abs_tol=1e-9), text


def _talpco_burmese() -> list[str]:
    lines = _read("corpora", "talpco", "data_myn.txt").splitlines()
    return [line.split("\t", 1)[1] for line in lines if "\t" in line]


def test_talpco_lines_normalize_idempotently_and_segment_losslessly() -> None:
    lines = _talpco_burmese()
    assert len(lines) > 1000
    for line in lines:
        norm = normalize_text(line)
        assert normalize_text(norm) == norm
        assert "".join(s.text for s in segments(norm)) == norm


def test_talpco_burmese_is_read_as_unicode() -> None:
    converted = [line for line in _talpco_burmese() if normalize(line).converted_from_zawgyi]
    assert converted == []


def test_syllables_agree_with_the_transliteration_dictionary() -> None:
    """The dictionary's Burmese side is hand-split into syllables: we must agree nearly always."""
    analyzer = syllable_analyzer()
    lines = _read("corpora", "en-my-translit", "alt.all.dict.ver1.0.uniq.txt").splitlines()
    total = agree = 0
    for line in lines:
        if "\t" not in line:
            continue
        burmese = line.split("\t", 1)[1]
        expected = [normalize_text(s) for s in burmese.split()]
        # Entries with digits or punctuation test the number and punctuation rules, not
        # syllables (and the dictionary keeps punctuation the index drops).
        if not expected or not all(SYLLABLE_RE.fullmatch(s) for s in expected):
            continue
        got = [t.text for t in analyzer("".join(burmese.split()))]
        total += 1
        agree += got == expected
    assert total > 10_000
    assert agree / total > 0.95, f"{agree}/{total}"
