"""Zawgyi decided line by line: a short Zawgyi line inside Unicode text is converted, Unicode
lines around it never are, and a paragraph of Zawgyi carries its undecided lines along."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from import_fixtures.library import make_catalogue

from reslib.analysis import burmese_rules, normalize, normalize_text, unicode_to_zawgyi
from reslib.analysis.zawgyi import (
    CONVERT_THRESHOLD,
    Verdict,
    line_verdict,
    well_formed_unicode,
    zawgyi_probability,
)
from reslib.importers import import_paths
from reslib.index import rebuild
from reslib.search import SearchRequest, search

#: A dated first line as a real Zawgyi page has it: nothing in it is impossible for the old
#: sequence rules, yet ဧ never carries a medial in Unicode (the Unicode spelling is ဧပြီ).
DATELINE = "(မိုးမခ) ဧျပီ ၂၂၊ ၂၀၁၆"
DATELINE_UNICODE = "(မိုးမခ) ဧပြီ ၂၂၊ ၂၀၁၆"
UNICODE_LINES = [
    "မြန်မာနိုင်ငံသည် ကမ္ဘာ့ကုလသမဂ္ဂအဖွဲ့ဝင်ဖြစ်သည်။",
    "လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခာဖြင့် လည်းကောင်း၊",
]
ZAWGYI_LINES = [
    "ေနျပည္ေတာ္ ဇူလုိင္ ၂၆",
    "လူတိုင္းသည္ တူညီ လြတ္လပ္ေသာ ဂုဏ္သိကၡာျဖင့္ လည္းေကာင္း၊",
]
#: Well-formed Unicode that the detector alone takes for Zawgyi (TALPCo).
CONFIDENT_MISTAKE = "မိုးရွာမလိုပဲ။"
#: Unicode the detector leans to read as Unicode (TALPCo; probability about 0.14).
LEANS_UNICODE = "ဘာအစားအစာ ကြိုက်သလဲ။"
#: Zawgyi whose every syllable is also well-formed Unicode, the detector unsure (UDHR).
EITHER_WAY = "အေထြေထြညီလာခံ က"


def test_the_dateline_alone_is_converted() -> None:
    assert zawgyi_probability(DATELINE) > CONVERT_THRESHOLD
    result = normalize(DATELINE)
    assert result.text == DATELINE_UNICODE
    assert result.converted_from_zawgyi


def test_a_short_zawgyi_line_among_unicode_lines_is_converted_alone() -> None:
    paragraph = "\n".join([UNICODE_LINES[0], DATELINE, UNICODE_LINES[1]])

    result = normalize(paragraph)

    assert result.text.split("\n") == [UNICODE_LINES[0], DATELINE_UNICODE, UNICODE_LINES[1]]
    assert result.converted_from_zawgyi
    assert result.original == paragraph


def test_each_line_of_a_mixed_paragraph_is_read_in_its_own_encoding() -> None:
    paragraph = "\n".join([ZAWGYI_LINES[0], UNICODE_LINES[0], ZAWGYI_LINES[1], UNICODE_LINES[1]])

    lines = normalize_text(paragraph).split("\n")

    assert lines == [
        "နေပြည်တော် ဇူလိုင် ၂၆",
        UNICODE_LINES[0],
        burmese_rules(UNICODE_LINES[1]),  # the Zawgyi twin of the next line
        UNICODE_LINES[1],
    ]


def test_unicode_the_detector_takes_for_zawgyi_is_never_converted() -> None:
    assert zawgyi_probability(CONFIDENT_MISTAKE) > CONVERT_THRESHOLD
    assert normalize_text(CONFIDENT_MISTAKE) == CONFIDENT_MISTAKE
    paragraph = f"{UNICODE_LINES[0]}\n{CONFIDENT_MISTAKE}\n{DATELINE}"
    assert normalize_text(paragraph).split("\n")[:2] == [UNICODE_LINES[0], CONFIDENT_MISTAKE]


def test_a_unicode_line_between_zawgyi_lines_keeps_its_text() -> None:
    paragraph = f"{ZAWGYI_LINES[0]}\n{LEANS_UNICODE}\n{ZAWGYI_LINES[1]}"

    lines = normalize_text(paragraph).split("\n")

    assert lines[1] == LEANS_UNICODE
    assert lines[0] == "နေပြည်တော် ဇူလိုင် ၂၆"


def test_a_line_zawgyi_or_unicode_alike_follows_its_zawgyi_paragraph() -> None:
    alone = normalize_text(EITHER_WAY)
    assert alone == burmese_rules(EITHER_WAY)  # alone it could be either: left as typed

    lines = normalize_text(f"{ZAWGYI_LINES[0]}\n{EITHER_WAY}\n{ZAWGYI_LINES[1]}").split("\n")

    assert lines[1] == "အထွေထွေညီလာခံ က"


def test_a_line_with_unicode_words_among_zawgyi_ones_is_left_as_typed() -> None:
    # Zawgyi words, then the Unicode word ယဉ်ကျေးမှု ("culture"), which the converter would turn
    # into ယဉျကြေးမှု: the round trip (back to Zawgyi and again to Unicode) gives another text.
    line = "အကူအညီႏွင့္ ျဖစ္ေစ၊ ယဉ်ကျေးမှု"
    assert zawgyi_probability(line) > CONVERT_THRESHOLD

    verdict, _, converted = line_verdict(line, burmese_rules)

    assert converted.endswith("ယဉျကြေးမှု")
    assert verdict is Verdict.UNICODE
    assert normalize_text(line).endswith("ယဉ်ကျေးမှု")


@pytest.mark.parametrize(
    "text",
    [
        "ဧပြီ",
        "ကမ္ဘာ",  # a stacked consonant
        "အင်္ဂလိပ်",  # kinzi
        "ယောက်ျား",  # asat before medial ya (UTN #11)
        "ကျွန်ုပ်",  # asat before vowel u
        "သည့်",  # dot below, then asat
        "သည့်",  # asat, then dot below: both are typed
        "ဦး ဥက္ကဋ္ဌ ဤ ဪ",
        "၂၀၂၃ ခုနှစ်၊ ၎င်း",
    ],
)
def test_unicode_spellings_are_well_formed(text: str) -> None:
    assert well_formed_unicode(text)


@pytest.mark.parametrize(
    "text",
    [
        "ဧျပီ",  # a medial on an independent vowel
        "ေန",  # vowel e before its consonant
        "ျမန္မာ",  # medial ra before its consonant
        "ကေဲ",  # e and ai on one consonant
        "ကျြ",  # ya and ra medials together
    ],
)
def test_zawgyi_order_is_not_well_formed_unicode(text: str) -> None:
    assert not well_formed_unicode(text)


LINES = [*UNICODE_LINES, *ZAWGYI_LINES, DATELINE, CONFIDENT_MISTAKE, LEANS_UNICODE, EITHER_WAY]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*LINES, "", "Yangon, 22 April", "ျမန္မာ"]), max_size=6))
def test_normalizing_mixed_paragraphs_is_idempotent(lines: list[str]) -> None:
    once = normalize_text("\n".join(lines))
    assert normalize_text(once) == once


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*UNICODE_LINES, CONFIDENT_MISTAKE, LEANS_UNICODE]), min_size=1))
def test_a_paragraph_of_unicode_lines_is_never_converted(lines: list[str]) -> None:
    paragraph = "\n".join(lines)
    assert normalize_text(paragraph) == burmese_rules(paragraph)


def test_zawgyi_rendered_by_the_converter_converts_back_line_by_line() -> None:
    paragraph = "\n".join(unicode_to_zawgyi(line) for line in UNICODE_LINES)
    assert normalize_text(paragraph) == "\n".join(UNICODE_LINES)


def test_a_unicode_query_finds_the_dateline_imported_in_zawgyi(tmp_path) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    body = "\n".join([UNICODE_LINES[0], DATELINE, UNICODE_LINES[1]])
    rows = [
        {"title": "Moemaka news", "date": "2016-04-22", "type": "news", "body": body},
        {"title": "Another record", "date": "2016-04-23", "type": "news", "body": UNICODE_LINES[1]},
    ]
    manifest = tmp_path / "in" / "news.json"
    manifest.parent.mkdir()
    manifest.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")

    summary = import_paths(catalogue, [manifest])
    rebuild(catalogue.home)

    assert summary.skipped == []
    record = next(r for r in catalogue.records() if r.title == "Moemaka news")
    assert record.body.split("\n") == [UNICODE_LINES[0], DATELINE_UNICODE, UNICODE_LINES[1]]
    assert DATELINE in record.original["body"]  # the text as typed is kept
    for query in ("ဧပြီ ၂၂", '"ဧပြီ ၂၂"', DATELINE):
        response = search(catalogue.home, SearchRequest(q=query))
        assert [r["title"] for r in response.to_dict()["results"]] == ["Moemaka news"], query
