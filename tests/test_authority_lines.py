"""Author lines read by their grammar (issue 13, item 6): one test per rule of
``reslib.authorline``, through ``Organizations.read_author_line`` and ``split_authors``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reslib.authority import Organizations

AJAR = "Asia Justice and Rights"
FORUM_ASIA = "Asian Forum for Human Rights and Development"
BACS = "Burma Affairs and Conflict Study"


@pytest.fixture
def known() -> Organizations:
    """A small authority file: names with "and" in them, acronyms, a one-word acronym."""
    orgs = Organizations(Path("/nonexistent/organizations.json"))
    orgs.add(AJAR, acronyms=["AJAR"])
    orgs.add(FORUM_ASIA, acronyms=["FORUM-ASIA"])
    orgs.add(BACS, acronyms=["BACS"])
    orgs.add("India for Myanmar")
    orgs.add("Progressive Voice")
    orgs.add("Ta’ang Women’s Organization", acronyms=["TWO"])
    orgs.add("Karen Human Rights Group", acronyms=["KHRG"], name_my="ကရင်လူ့အခွင့်အရေးအဖွဲ့")
    return orgs


@pytest.fixture
def unknown() -> Organizations:
    return Organizations(Path("/nonexistent/organizations.json"))


def test_a_list_splits_on_its_commas_and_its_final_and_only(unknown: Organizations) -> None:
    line = "By ALTSEAN-Burma, Asia Justice and Rights, KontraS and YAPPIKA"
    assert unknown.read_author_line(line).names == [
        "ALTSEAN-Burma",
        AJAR,
        "KontraS",
        "YAPPIKA",
    ]


def test_the_last_item_of_a_list_keeps_its_inner_ands(unknown: Organizations) -> None:
    # The list's "and" is the last one: "B and C" before it is one name.
    assert unknown.split_authors("A Group, Peace and Justice Network and C Group") == [
        "A Group",
        "Peace and Justice Network",
        "C Group",
    ]


def test_an_oxford_comma_takes_the_lists_and(unknown: Organizations) -> None:
    assert unknown.split_authors("KontraS, YAPPIKA, and Asia Justice and Rights") == [
        "KontraS",
        "YAPPIKA",
        AJAR,
    ]


def test_semicolons_and_ampersands_separate_like_commas_and_ands(unknown: Organizations) -> None:
    assert unknown.split_authors("Alpha Network; Beta Forum & Gamma Group") == [
        "Alpha Network",
        "Beta Forum",
        "Gamma Group",
    ]


def test_a_known_name_is_never_cut(known: Organizations) -> None:
    line = "By Progressive Voice, FORUM-ASIA and Asia Justice and Rights"
    assert known.split_authors(line) == ["Progressive Voice", FORUM_ASIA, AJAR]
    assert known.split_authors(f"By {FORUM_ASIA}") == [FORUM_ASIA]
    assert known.split_authors(f"{BACS} and Progressive Voice") == [BACS, "Progressive Voice"]


def test_known_names_come_back_in_their_preferred_form(known: Organizations) -> None:
    assert known.split_authors("KHRG and AJAR") == ["Karen Human Rights Group", AJAR]
    assert known.split_authors("ကရင်လူ့အခွင့်အရေးအဖွဲ့") == ["Karen Human Rights Group"]


def test_several_ands_without_a_comma_split_only_between_known_names(
    known: Organizations,
) -> None:
    line = known.read_author_line("By Burma Affairs and Conflict Study and India for Myanmar")
    assert (line.names, line.to_check) == ([BACS, "India for Myanmar"], [])


def test_several_ands_without_a_comma_are_kept_whole_and_reported(
    known: Organizations, unknown: Organizations
) -> None:
    line = "By Burma Affairs and Conflict Study and India for Myanmar"
    read = unknown.read_author_line(line)
    assert read.names == [f"{BACS} and India for Myanmar"]
    assert read.to_check == read.names
    # Beside a known name the line is cut; the unknown rest stays whole and is reported.
    read = known.read_author_line("Progressive Voice and Women and Girls First and Peace Now")
    assert read.names == ["Progressive Voice", "Women and Girls First and Peace Now"]
    assert read.to_check == ["Women and Girls First and Peace Now"]


def test_one_and_without_a_comma_is_a_pair(unknown: Organizations) -> None:
    read = unknown.read_author_line("By Fortify Rights and Human Rights Watch")
    assert (read.names, read.to_check) == (["Fortify Rights", "Human Rights Watch"], [])


def test_collective_authors_stay_whole(unknown: Organizations) -> None:
    assert unknown.split_authors("By 661 Civil Society Organizations") == [
        "661 Civil Society Organizations"
    ]
    assert unknown.split_authors("44 Regional and National Organizations") == [
        "44 Regional and National Organizations"
    ]
    assert unknown.split_authors(
        "Progressive Voice and 44 Regional and National Organizations"
    ) == [
        "Progressive Voice",
        "44 Regional and National Organizations",
    ]


def test_a_collective_author_does_not_swallow_the_next_number(unknown: Organizations) -> None:
    assert unknown.split_authors("661 CSOs and 20 individuals") == ["661 CSOs", "20 individuals"]


def test_a_one_word_acronym_counts_only_as_spelled_or_in_capitals(known: Organizations) -> None:
    assert known.known_name("TWO") == "Ta’ang Women’s Organization"
    assert known.known_name("Two") is None
    assert known.known_name("two") is None
    assert known.known_name("Karen Human Rights Group".lower()) == "Karen Human Rights Group"
    # Burmese has no capitals: a Burmese name the file resolves counts as written.
    assert known.known_name("ကရင်လူ့အခွင့်အရေးအဖွဲ့.") == "Karen Human Rights Group"


def test_commas_inside_parentheses_do_not_separate(unknown: Organizations) -> None:
    line = "By Committee for ASEAN Civil Society (ACSC, APF) and Progressive Voice"
    assert unknown.split_authors(line) == [
        "Committee for ASEAN Civil Society (ACSC, APF)",
        "Progressive Voice",
    ]


def test_a_name_listed_twice_is_kept_once(unknown: Organizations) -> None:
    assert unknown.split_authors("Progressive Voice, KontraS and Progressive Voice") == [
        "Progressive Voice",
        "KontraS",
    ]


def test_an_empty_line_names_nobody(unknown: Organizations) -> None:
    assert unknown.split_authors("By ") == []
    assert unknown.split_authors("") == []


def test_by_is_dropped_only_as_a_word(unknown: Organizations) -> None:
    assert unknown.split_authors("By: Bylaw Watch") == ["Bylaw Watch"]
    assert unknown.split_authors("Bylaw Watch") == ["Bylaw Watch"]


def test_a_line_of_hundreds_of_names_is_read_quickly(known: Organizations) -> None:
    # Known names span a few parts: looking up every run of parts would take minutes here.
    names = [f"Group Number {i} and Friends" for i in range(600)]
    line = ", ".join(names[:-1]) + " and Last Group"
    started = time.perf_counter()
    assert known.split_authors(line) == [*names[:-1], "Last Group"]
    assert time.perf_counter() - started < 5
