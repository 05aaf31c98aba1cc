"""The unstemmed reading of English query words is asked only of an index that holds a
record indexed unstemmed (a language other than English and Burmese): an English-only
library does not pay its look-ups, and a French record is still found by its own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater, snapshot
from reslib.models import Record
from reslib.search import SearchRequest, engine, search
from reslib.search.facets import tables
from reslib.search.parse import Any_, parse


def library(root: Path, *languages: str) -> Home:
    home = Home(root)
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    catalogue.init()
    bodies = {"en": "Villages burned in Sagaing.", "fr": "Les villages brûlés du pays."}
    for n, language in enumerate(languages):
        catalogue.add(
            Record(
                id=f"r{n}",
                type="report",
                title=f"Report {n}",
                language=language,
                date="2024-01-01",
                body=bodies[language],
            )
        )
    return home


def test_an_english_word_has_both_readings_only_when_asked() -> None:
    assert isinstance(parse("villages").clauses[0], Any_)
    assert not isinstance(parse("villages", unstemmed=False).clauses[0], Any_)


def test_an_english_only_index_is_searched_without_the_unstemmed_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = library(tmp_path / "en", "en")
    assert not engine.holds_unstemmed(tables(snapshot(home)))
    asked: list[bool] = []
    real = engine.parse

    def spy(q: str, *, unstemmed: bool = True):  # type: ignore[no-untyped-def]
        asked.append(unstemmed)
        return real(q, unstemmed=unstemmed)

    monkeypatch.setattr(engine, "parse", spy)
    assert [r.id for r in search(home, SearchRequest(q="village")).results] == ["r0"]
    assert asked == [False]


def test_an_index_with_a_french_record_keeps_the_unstemmed_reading(tmp_path: Path) -> None:
    home = library(tmp_path / "fr", "en", "fr")
    assert engine.holds_unstemmed(tables(snapshot(home)))
    assert [r.id for r in search(home, SearchRequest(q="pays")).results] == ["r1"]
    found = {r.id for r in search(home, SearchRequest(q="villages")).results}
    assert found == {"r0", "r1"}
