"""One generation of the index and what is kept for it: built once, shared, dropped together."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater, reader
from reslib.models import Record
from reslib.search import SearchRequest, facets, leafcache, search
from reslib.search.combine import hits
from reslib.search.leafcache import LeafCache, leaf_cache


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty generation registry for the test, the process's own restored after."""
    monkeypatch.setattr(reader, "_generations", type(reader._generations)())
    monkeypatch.setattr(reader, "_drop_hooks", [])


def test_a_value_is_built_once_per_generation_by_one_of_many_threads(fresh: None) -> None:
    gen = reader.generation(("/ix-a", 1))
    built: list[int] = []

    def build() -> str:
        built.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive meanwhile
        return "tables"

    got: list[str] = []
    threads = [
        threading.Thread(target=lambda: got.append(gen.cached("t", build))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["tables"] * 8
    assert built == [1]
    assert gen.has("t") and not gen.has("other")


def test_a_new_version_of_the_source_builds_the_value_again(fresh: None) -> None:
    gen = reader.generation(("/ix-a", 1))
    assert gen.cached("lexicon", lambda: "v1", version=(1, 10)) == "v1"
    assert gen.cached("lexicon", lambda: "again", version=(1, 10)) == "v1"
    assert gen.cached("lexicon", lambda: "v2", version=(2, 12)) == "v2"


def test_the_oldest_generation_goes_with_everything_kept_for_it(fresh: None) -> None:
    cache = LeafCache(max_postings=1000)
    reader.on_drop(cache.drop)
    dropped: list[reader.GenerationKey] = []
    reader.on_drop(dropped.append)
    first = reader.generation(("/ix-a", 1))
    first.cached("t", lambda: "kept")
    cache.put((first.key, "sagaing"), hits([1, 2], [1.0, 2.0]))
    for n in range(2, reader.KEEP + 1):
        reader.generation(("/ix-a", n))
    assert reader.generation(("/ix-a", 1)) is first  # still one of the latest KEEP
    assert dropped == []
    reader.generation(("/ix-a", reader.KEEP + 1))
    assert dropped == [("/ix-a", 1)]
    assert cache.get((("/ix-a", 1), "sagaing")) is None
    assert cache.size_of((("/ix-a", 1), "sagaing")) is None
    again = reader.generation(("/ix-a", 1))  # asked again: a new, empty generation
    assert again is not first and not again.has("t")


def test_threads_share_the_generation_and_keep_their_own_searchers(tmp_path: Path) -> None:
    home = Home(tmp_path)
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    catalogue.init()
    catalogue.add(
        Record(id="one", type="report", title="Sagaing", language="en", date="2023", body="x")
    )
    snaps = []
    thread = threading.Thread(target=lambda: snaps.append(reader.snapshot(home)))
    thread.start()
    thread.join()
    mine = reader.snapshot(home)
    assert mine.generation is snaps[0].generation
    assert mine.searcher is not snaps[0].searcher
    search(home, SearchRequest(q="sagaing"))
    assert mine.generation.has(facets.TABLES)
    catalogue.add(
        Record(id="two", type="report", title="Magway", language="en", date="2023", body="y")
    )
    assert reader.snapshot(home).generation is not mine.generation


def test_the_leaf_cache_takes_its_size_from_the_settings_when_first_used(
    monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    monkeypatch.setattr(leafcache, "_cache", None)
    monkeypatch.setenv("RESLIB_CACHE_POSTINGS", "1234")
    cache = leaf_cache()
    assert cache.max_postings == 1234
    assert leaf_cache() is cache
    assert reader._drop_hooks == [cache.drop]
