"""``open_library``: the one way the CLI, the web layer and library users open a library."""

from __future__ import annotations

from pathlib import Path

import pytest

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater, live_dir
from reslib.library import open_library
from reslib.models import Record
from reslib.search import SearchRequest, search


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path)
    Catalogue(h).init()
    return h


def record(record_id: str, title: str) -> Record:
    return Record(id=record_id, type="report", title=title, language="en", date="2023-11")


def found(home: Home, q: str) -> list[str]:
    return [r.id for r in search(home, SearchRequest(q=q)).results]


def test_records_changed_through_open_library_are_searchable_without_a_reindex(
    home: Home,
) -> None:
    library = open_library(home)
    library.add(record("sagaing", "Burning of villages in Sagaing"))
    assert live_dir(home) is not None  # the first change built the index
    assert found(home, "Sagaing") == ["sagaing"]
    library.add(record("magway", "Airstrikes in Magway"))  # an index exists: updated in place
    assert found(home, "Magway") == ["magway"]
    library.update("sagaing", ["title=Displacement in Kayah"])
    assert found(home, "Sagaing") == []
    assert found(home, "Kayah") == ["sagaing"]
    library.remove("magway")
    assert found(home, "Magway") == []


def test_a_plain_catalogue_is_for_readers_and_leaves_the_index_alone(home: Home) -> None:
    Catalogue(home).add(record("sagaing", "Burning of villages in Sagaing"))
    assert live_dir(home) is None


def test_open_library_takes_a_path_and_puts_the_index_updater_first(tmp_path: Path) -> None:
    class Recorder:
        def __init__(self) -> None:
            self.saved: list[str] = []

        def record_saved(self, record: Record) -> None:
            self.saved.append(record.id)

        def record_removed(self, record_id: str) -> None:
            pass

    recorder = Recorder()
    library = open_library(str(tmp_path), listeners=[recorder])
    assert library.home == Home(tmp_path.resolve())
    assert [type(listener) for listener in library.listeners] == [IndexUpdater, Recorder]
    library.init()
    library.add(record("sagaing", "Burning of villages in Sagaing"))
    assert recorder.saved == ["sagaing"]


def test_the_web_layer_opens_the_library_with_open_library(home: Home) -> None:
    pytest.importorskip("flask")
    from reslib.web import create_app
    from reslib.web.deps import catalogue

    with create_app(home).app_context():
        opened = catalogue()
    assert opened.home == home
    assert any(isinstance(listener, IndexUpdater) for listener in opened.listeners)
