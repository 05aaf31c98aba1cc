"""The index journal: written before a session's first change, cleared after its index commit,
replayed by the next writer, ``reslib check`` and ``reslib search`` (issue 11, item 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reslib.catalogue import Catalogue
from reslib.catalogue.journal import IndexJournal
from reslib.catalogue.links import SYMMETRIC
from reslib.catalogue.recovery import one_way_links
from reslib.cli import cli
from reslib.config import Home
from reslib.index import IndexUpdater, index_status, live_dir, open_live, rebuild
from reslib.index.codec import FastLengthsCodec
from reslib.index.consistency import indexed_ids
from reslib.index.layout import storage
from reslib.library import check_library, open_library, replay_journal
from reslib.models import Record, now
from reslib.search import SearchRequest, search


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path)
    Catalogue(h).init()
    return h


def record(record_id: str, **changes: object) -> Record:
    base = Record(
        id=record_id,
        type="report",
        title=f"Report {record_id} on Sagaing",
        language="en",
        date="2023-11",
        body="Villages in Sagaing were burned.",
    )
    return base.with_changes(**changes)


def index_ids(home: Home) -> set[str]:
    path = live_dir(home)
    assert path is not None
    return indexed_ids(path)


def disk_ids(home: Home) -> set[str]:
    return set(Catalogue(home).ids())


def one_way(home: Home) -> list[tuple[str, str, str]]:
    records = {r.id: r for r in Catalogue(home).records()}
    return [
        (r.id, name, ref)
        for r in records.values()
        for name in SYMMETRIC
        for ref in getattr(r, name)
        if ref not in records or r.id not in getattr(records[ref], name)
    ]


class Exploding:
    """A listener that raises on its ``after``-th save."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.seen = 0

    def record_saved(self, record: Record) -> None:
        self.seen += 1
        if self.seen == self.after:
            raise RuntimeError("listener failed")

    def record_removed(self, record_id: str) -> None:
        pass


def test_a_command_leaves_no_journal_once_the_index_has_its_changes(home: Home) -> None:
    library = open_library(home)
    library.add(record("a"))
    library.add(record("b", translations=["a"]))
    library.update("a", ["title=Report on Magway"])
    library.remove("b")
    assert not IndexJournal(home.library).exists()
    assert index_ids(home) == disk_ids(home) == {"a"}


def test_the_journal_is_on_disk_before_the_first_record_and_written_once_per_session(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_library(home).add(record("first"))  # the index exists from here on
    journal = IndexJournal(home.library)
    opened: list[bool] = []
    real_open = IndexJournal.open

    def counting_open(self: IndexJournal) -> object:
        entry = real_open(self)
        opened.append(entry is not None)
        return entry

    monkeypatch.setattr(IndexJournal, "open", counting_open)
    present_at_each_write: list[bool] = []

    class Watcher:
        def record_saved(self, record: Record) -> None:
            present_at_each_write.append(journal.exists())

        def record_removed(self, record_id: str) -> None:
            present_at_each_write.append(journal.exists())

    library = open_library(home, listeners=[Watcher()])
    with library.locked(), library.batch():  # one session, as an import group is
        for n in range(30):
            library.add(record(f"r{n:02d}", related=[f"r{n - 1:02d}"] if n else []))
    assert present_at_each_write and all(present_at_each_write)
    assert opened.count(True) == 1  # one journal (one fsync) for 30 records and 29 links
    assert not journal.exists()
    assert index_ids(home) == disk_ids(home)


def test_a_listener_that_raises_mid_batch_leaves_the_journal_and_the_next_lock_replays_it(
    home: Home,
) -> None:
    open_library(home).add(record("first"))
    library = Catalogue(home, listeners=[Exploding(after=3), IndexUpdater(home)])
    with pytest.raises(RuntimeError), library.locked(), library.batch():
        for n in range(6):
            library.add(record(f"r{n}"))
    on_disk = disk_ids(home)
    assert on_disk == {"first", "r0", "r1", "r2"}
    # The bus told the updater of the third record although the listener before it raised.
    assert index_ids(home) == on_disk
    assert IndexJournal(home.library).exists()  # the batch failed: replayed, not trusted
    library = open_library(home)
    with library.locked():
        pass
    assert library.recovered is not None
    assert not IndexJournal(home.library).exists()
    assert index_ids(home) == disk_ids(home)


def test_a_failed_index_commit_is_replayed_by_the_same_catalogue_next_time(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = open_library(home)
    library.add(record("first"))
    real_apply = IndexUpdater._apply
    calls = {"n": 0}

    def failing_once(self: IndexUpdater, changes: dict[str, Record | None]) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk full")
        real_apply(self, changes)

    monkeypatch.setattr(IndexUpdater, "_apply", failing_once)
    with pytest.raises(OSError, match="disk full"):
        library.add(record("lost"))
    assert "lost" in disk_ids(home) and "lost" not in index_ids(home)
    assert IndexJournal(home.library).exists()
    library.add(record("next"))  # a long-running process (the web server) writes again
    assert index_ids(home) == disk_ids(home) == {"first", "lost", "next"}
    assert not IndexJournal(home.library).exists()


def test_records_a_plain_catalogue_wrote_are_indexed_by_the_next_writer(home: Home) -> None:
    open_library(home).add(record("first"))
    Catalogue(home).add(record("unindexed"))  # no index listener: the journal stays
    assert IndexJournal(home.library).exists()
    assert "unindexed" not in index_ids(home)
    open_library(home).add(record("later"))
    assert index_ids(home) == {"first", "unindexed", "later"}
    assert not IndexJournal(home.library).exists()


def cut_short(home: Home) -> IndexJournal:
    """The journal as a session killed before its index commit leaves it."""
    journal = IndexJournal(home.library)
    journal.open()
    return journal


def set_mtime(path: Path, ns: int) -> None:
    os.utime(path, ns=(ns, ns))


def test_a_link_written_one_way_by_a_killed_save_is_written_back(home: Home) -> None:
    library = open_library(home)
    library.add(record("en"))
    cut_short(home)
    # Killed after writing the new record, before writing the link back into "en".
    Catalogue(home).files.write(record("my", language="my", translations=["en"], updated=now()))
    files = Catalogue(home).files
    set_mtime(files.record_path("en"), 1_000_000_000_000_000_000)
    set_mtime(files.record_path("my"), 2_000_000_000_000_000_000)
    open_library(home).add(record("other"))
    assert Catalogue(home).get("en").translations == ["my"]
    assert one_way(home) == []
    assert index_ids(home) == disk_ids(home)


def test_a_link_a_killed_save_dropped_on_one_side_is_dropped_on_the_other(home: Home) -> None:
    library = open_library(home)
    library.add(record("a"))
    library.add(record("b", related=["a"]))
    assert Catalogue(home).get("a").related == ["b"]
    journal = cut_short(home)
    # Killed after writing "b" without its link, before dropping the link from "a".
    files = Catalogue(home).files
    files.write(Catalogue(home).get("b").with_changes(related=[], updated=now()))
    set_mtime(files.record_path("a"), journal.read().since_ns - 10**9)  # before the session
    set_mtime(files.record_path("b"), journal.read().since_ns + 10**9)
    assert replay_journal(home)
    assert Catalogue(home).get("a").related == []
    assert one_way(home) == []


def test_a_removal_killed_after_its_tombstone_is_completed(home: Home) -> None:
    library = open_library(home)
    library.add(record("a"))
    library.add(record("b", translations=["a"]))
    cut_short(home)
    Catalogue(home).files.retire(Catalogue(home).get("b"))  # killed right after this
    open_library(home).add(record("c"))
    assert disk_ids(home) == {"a", "c"}
    assert Catalogue(home).get("a").translations == []
    assert index_ids(home) == {"a", "c"}
    assert one_way(home) == []


def test_a_removal_killed_before_its_index_commit_leaves_the_index(home: Home) -> None:
    library = open_library(home)
    library.add(record("a"))
    library.add(record("b"))
    cut_short(home)
    plain = Catalogue(home)
    plain.remove("b")  # record and tombstone handled, the index not told
    assert "b" in index_ids(home)
    assert replay_journal(home)
    assert index_ids(home) == {"a"}


def test_one_way_links_the_later_file_decides_and_a_tie_keeps_the_link() -> None:
    empty = {name: [] for name in SYMMETRIC}
    links = {
        "new": {**empty, "translations": ["old"]},  # written later, lists "old"
        "old": dict(empty),
        "kept": {**empty, "related": ["dropper"]},  # lists one that dropped it later
        "dropper": dict(empty),
        "tie-a": {**empty, "related": ["tie-b"]},
        "tie-b": dict(empty),
        "outside": {**empty, "related": ["gone"]},  # links to an id removed meanwhile
        "untouched": {**empty, "related": ["other"]},  # not in the window: left alone
        "other": dict(empty),
    }
    mtimes = {"new": 9, "old": 1, "kept": 1, "dropper": 9, "tie-a": 5, "tie-b": 5}
    fixes = one_way_links(links, mtimes, ["new", "dropper", "tie-a"], ["gone"])
    assert fixes["old"]["translations"].add == ["new"]
    assert fixes["kept"]["related"].drop == ["dropper"]
    assert fixes["tie-b"]["related"].add == ["tie-a"]
    assert fixes["outside"]["related"].drop == ["gone"]
    assert "untouched" not in fixes and "other" not in fixes


def test_search_replays_the_journal_when_the_lock_is_free_but_not_while_a_writer_holds_it(
    home: Home,
) -> None:
    open_library(home).add(record("first"))
    Catalogue(home).add(record("second", title="Report on Magway"))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n",
            str(home.library / ".lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        result = CliRunner().invoke(cli, ["--home", str(home.root), "search", "Magway"])
        assert result.exit_code == 0, result.output
        assert "No results" in result.output  # the writer's session is under way
        assert IndexJournal(home.library).exists()
    finally:
        holder.communicate("")
    result = CliRunner().invoke(cli, ["--home", str(home.root), "search", "Magway"])
    assert result.exit_code == 0, result.output
    assert "second" in result.output
    assert not IndexJournal(home.library).exists()


def test_check_compares_the_index_with_library_and_puts_it_right(home: Home) -> None:
    library = open_library(home)
    for name in ("a", "b", "c"):
        library.add(record(name))
    path = live_dir(home)
    assert path is not None
    ix = storage(path, mmap=True).open_index()
    writer = ix.writer(codec=FastLengthsCodec())
    writer.delete_by_term("id", "a")  # lost from the index
    writer.commit()
    plain = Catalogue(home)
    (home.records / "c.json").unlink()  # removed by hand
    edited = plain.get("b").with_changes(title="Report on Kayah")
    plain.files.write(edited)  # edited by hand after the last commit
    assert IndexJournal(home.library).exists() is False
    problems = check_library(open_library(home))
    index_notes = [p for p in problems if p.where == "index"]
    assert len(index_notes) == 1 and index_notes[0].severity == "warning"
    assert "1 record(s) missing (a)" in index_notes[0].message
    assert "1 removed id(s) still found (c)" in index_notes[0].message
    assert "changed after the last index commit (b)" in index_notes[0].message
    assert index_ids(home) == {"a", "b"}
    assert [r.id for r in search(home, SearchRequest(q="Kayah")).results] == ["b"]
    result = CliRunner().invoke(cli, ["--home", str(home.root), "check"])
    assert result.exit_code == 0, result.output
    assert "index" not in result.output  # nothing left to put right


def test_check_replays_a_journal_and_reports_it(home: Home) -> None:
    open_library(home).add(record("first"))
    Catalogue(home).add(record("second"))
    result = CliRunner().invoke(cli, ["--home", str(home.root), "check"])
    assert result.exit_code == 0, result.output
    assert "warning: index: -: a session that ended before indexing was replayed" in result.output
    assert index_ids(home) == {"first", "second"}
    again = CliRunner().invoke(cli, ["--home", str(home.root), "check"])
    assert "index" not in again.output


def test_check_says_what_to_run_when_there_is_no_index(home: Home) -> None:
    Catalogue(home).add(record("a"))
    IndexJournal(home.library).clear()  # a library/ copied from elsewhere: no journal
    result = CliRunner().invoke(cli, ["--home", str(home.root), "check"])
    assert result.exit_code == 0, result.output
    assert "there is no search index: run 'reslib reindex'" in result.output


def test_a_rebuild_repairs_what_the_journal_names_and_clears_it(home: Home) -> None:
    library = open_library(home)
    library.add(record("en"))
    cut_short(home)
    Catalogue(home).files.write(record("my", language="my", translations=["en"], updated=now()))
    rebuild(home)
    assert Catalogue(home).get("en").translations == ["my"]
    assert not IndexJournal(home.library).exists()
    _, ix = open_live(home)
    assert index_ids(home) == {"en", "my"}
    assert ix.doc_count() == 2


def test_reindex_status_shows_segments_and_a_journal_waiting(home: Home) -> None:
    open_library(home).add(record("a"))
    status = index_status(home)
    assert status["segments"] == 1 and "unindexed_since" not in status
    Catalogue(home).add(record("b"))
    assert index_status(home)["unindexed_since"].endswith("Z")
