"""Incremental commits merge small segments only, by bytes; large ones wait for a rebuild
(issue 11, item 8: a one-topic edit after three huge records took 119 s)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh.writing import MERGE_SMALL

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import live_dir, rebuild, updater
from reslib.index import merge as merge_policy
from reslib.index.consistency import indexed_ids, live_segments
from reslib.index.layout import storage
from reslib.index.merge import (
    FOREGROUND_MERGE_BYTES,
    MERGE_FACTOR,
    SegmentSize,
    plan,
    segment_bytes,
)
from reslib.index.repack import repack
from reslib.library import open_library
from reslib.models import Record
from reslib.search import SearchRequest, search

BIG_WORDS = 2500  # about 0.9 MB of segment each: a merge of three costs seconds


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path)
    Catalogue(h).init()
    return h


def small(n: int, **changes: object) -> Record:
    base = Record(
        id=f"small-{n:02d}",
        type="report",
        title=f"Report marker{n:02d}",
        language="en",
        date="2023-11",
        body="Villages were burned.",
    )
    return base.with_changes(**changes)


def big(n: int, rng: random.Random) -> Record:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(BIG_WORDS)
    ]
    return Record(
        id=f"big-{n}",
        type="report",
        title=f"Huge report bigword{n}",
        language="en",
        date="2023",
        body=" ".join(words),
    )


def segments(home: Home) -> list[Any]:
    path = live_dir(home)
    assert path is not None
    return live_segments(path)


def found(home: Home, q: str) -> list[str]:
    return [r.id for r in search(home, SearchRequest(q=q, limit=50)).results]


class RecordingWriter:
    """Enough of a Whoosh writer for a merge policy to say what it would merge."""

    def __init__(self, path: Path, schema: Any) -> None:
        self.storage = storage(path)
        self.schema = schema
        self.merged: set[str] = set()

    def add_reader(self, reader: Any) -> None:
        self.merged.add(reader.segment().segid)


def test_the_plan_merges_a_full_tier_of_small_segments_and_drops_empty_ones() -> None:
    tiny = [SegmentSize(f"t{n}", 5_000, 1) for n in range(MERGE_FACTOR)]
    huge = [SegmentSize(f"h{n}", 50 * 2**20, 1) for n in range(MERGE_FACTOR)]
    emptied = SegmentSize("gone", 80 * 2**20, 0)
    chosen = plan([*tiny, *huge, emptied])
    assert sorted(chosen.merge) == sorted(s.key for s in tiny)
    assert chosen.drop == ["gone"]  # no live document: dropped without being read


def test_the_plan_never_merges_more_bytes_than_the_foreground_budget() -> None:
    ceiling = FOREGROUND_MERGE_BYTES // MERGE_FACTOR
    at_ceiling = [SegmentSize(n, ceiling, 1) for n in range(3 * MERGE_FACTOR)]
    chosen = plan(at_ceiling)
    assert sum(s.size for s in at_ceiling if s.key in chosen.merge) <= FOREGROUND_MERGE_BYTES
    assert plan([SegmentSize(n, ceiling + 1, 1) for n in range(40)]).merge == []


def test_edits_after_huge_records_never_merge_them_and_segments_stay_bounded(
    home: Home,
) -> None:
    rng = random.Random(7)
    library = open_library(home)
    library.add(small(0))
    for n in range(3):
        library.add(big(n, rng))
    path = live_dir(home)
    assert path is not None
    ix_storage = storage(path)
    large = {s.segid for s in segments(home) if segment_bytes(ix_storage, s) > 512 * 1024}
    assert len(large) == 3
    # Whoosh's default policy counts documents: the three huge segments hold one each, so
    # it would merge them into the next small commit (the 119 s edit).
    library.add(small(1))
    library.add(small(2))
    writer = RecordingWriter(path, storage(path).open_index().schema)
    MERGE_SMALL(writer, segments(home))
    assert large <= writer.merged, "the old policy merges the huge segments into an edit"

    counts = []
    for n in range(3, 33):
        if n % 2:
            library.add(small(n))
        else:
            library.update(small(n - 1).id, [f"topics+=topic{n}"])
        now = segments(home)
        assert large <= {s.segid for s in now}, f"a huge segment was merged at step {n}"
        counts.append(len(now))
    # Thirty commits, yet the small segments were merged as they gathered.
    assert max(counts) <= 3 + 2 * MERGE_FACTOR
    assert counts[-1] < 3 + 30
    assert indexed_ids(path) == set(Catalogue(home).ids())
    for n in [0, 1, 2, *range(3, 33, 2)]:
        assert found(home, f"marker{n:02d}") == [small(n).id]
    assert found(home, "topic32") == [small(31).id]
    assert found(home, "bigword1") == ["big-1"]


def test_too_many_segments_start_a_rebuild_in_the_background(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Home] = []
    monkeypatch.setattr(updater, "start_repack", lambda h: started.append(h) or True)
    monkeypatch.setattr(merge_policy, "SEGMENT_LIMIT", 3)
    monkeypatch.setattr(merge_policy, "SMALL_INDEX_BYTES", 0)  # tiers even for tiny indexes
    library = open_library(home)
    for n in range(3):
        library.add(small(n))
    assert started == []
    library.add(small(3))  # four one-record segments: more than the limit
    assert started == [home]
    # The background step itself: a rebuild, which writes one segment for a library this
    # small, and only when still needed.
    report = repack(home)
    assert report is not None and report.records == 4
    assert len(segments(home)) == 1
    assert repack(home) is None
    assert found(home, "marker03") == ["small-03"]


def test_repack_does_nothing_while_another_rebuild_runs(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reslib.index.build import REINDEX_LOCK
    from reslib.storage import file_lock

    monkeypatch.setattr(merge_policy, "SEGMENT_LIMIT", 0)
    open_library(home).add(small(0))
    rebuild(home)
    with file_lock(home.indexes / REINDEX_LOCK):
        assert repack(home) is None
