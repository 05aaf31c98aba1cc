"""Group commit of an import (issue 15, item 1): record files staged and made durable together,
items prepared and groups indexed in worker processes, with whole records after a kill."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from import_fixtures.wordpress import wordpress_page

from reslib.catalogue import Catalogue
from reslib.catalogue.journal import IndexJournal
from reslib.config import Home
from reslib.importers import import_paths, prepare, staging
from reslib.importers.staging import StagedRecordFiles
from reslib.index import bulk, live_dir, updater
from reslib.index.consistency import indexed_ids
from reslib.index.layout import storage
from reslib.library import open_library
from reslib.models import Record
from reslib.search import SearchRequest, search

SRC = Path(__file__).resolve().parents[1] / "src"


def manifest(path: Path, rows: int, word: str = "Sagaing", start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for n in range(start, start + rows):
            burmese = n % 2 == 1
            fh.write(
                json.dumps(
                    {
                        "title": f"{'အစီရင်ခံစာ' if burmese else 'Situation report'} {n}",
                        "date": "2023-10-02",
                        "type": "report",
                        "organizations": ["Progressive Voice"],
                        "source_url": f"https://example.org/reports/{n}",
                        "summary": (
                            f"{word} ဒေသရှိ ကျေးရွာများကို စစ်ကောင်စီ၏ လေကြောင်းတိုက်ခိုက်မှုကြောင့် "
                            f"ပြည်သူများ ထွက်ပြေးရသည်။ ({n})"
                            if burmese
                            else f"Villages in {word} were burned (report {n})."
                        ),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return path


def new_home(tmp_path: Path) -> Home:
    home = Home(tmp_path / "lib")
    Catalogue(home).init()
    return home


def index_ids(home: Home) -> set[str]:
    path = live_dir(home)
    assert path is not None
    return indexed_ids(path)


def every_record_file_parses(home: Home) -> set[str]:
    records = list(Catalogue(home).records())  # raises on a half-written file
    return {r.id for r in records}


def record(record_id: str) -> Record:
    return Record(
        id=record_id, type="report", title=f"Report {record_id}", language="en", date="2023-11"
    )


# -- the staged record files ------------------------------------------------------------------


def test_a_staged_record_is_read_back_before_it_is_renamed_into_place(tmp_path: Path) -> None:
    home = new_home(tmp_path)
    files = StagedRecordFiles(Catalogue(home).files)
    files.write(record("a"))
    assert files.exists("a") and files.get("a").title == "Report a" and "a" in files.ids()
    assert not files.record_path("a").exists()
    assert "a" in files.mtimes()
    files.write(record("a").with_changes(title="Second"))  # written twice: one temporary
    assert len(list(files.records_dir.glob(".*.tmp"))) == 1
    files.flush()
    assert Catalogue(home).get("a").title == "Second"
    assert not list(files.records_dir.glob(".*.tmp"))


def test_a_large_manifest_is_flushed_in_stages_and_every_record_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staging, "SYNC_RECORDS", 7)
    home = new_home(tmp_path)
    summary = import_paths(open_library(home), [manifest(tmp_path / "rows.jsonl", 30)])
    assert summary.counts()["created"] == 30
    assert every_record_file_parses(home) == index_ids(home)
    assert len(index_ids(home)) == 30
    assert not list(home.records.glob(".*.tmp"))
    assert not IndexJournal(home.library).exists()


def test_a_flush_that_fails_midway_leaves_whole_records_and_the_index_agrees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = new_home(tmp_path)
    import_paths(open_library(home), [manifest(tmp_path / "first.jsonl", 3)])
    real_replace = os.replace
    renames = {"n": 0}

    def failing_replace(src: str, dst: Path) -> None:
        if Path(dst).parent == home.records:
            renames["n"] += 1
            if renames["n"] == 5:
                raise OSError("disk failed")
        real_replace(src, dst)

    monkeypatch.setattr("reslib.storage.os.replace", failing_replace)
    with pytest.raises(OSError, match="disk failed"):
        import_paths(open_library(home), [manifest(tmp_path / "rows.jsonl", 12, start=3)])
    monkeypatch.setattr("reslib.storage.os.replace", real_replace)
    on_disk = every_record_file_parses(home)
    assert len(on_disk) == 3 + 4  # four renamed before the failure, the rest never written
    assert not list(home.records.glob(".*.tmp"))
    # The index was told only of what is on disk; the journal stays for the next writer.
    assert index_ids(home) == on_disk
    assert IndexJournal(home.library).exists()
    with open_library(home).locked():
        pass
    assert not IndexJournal(home.library).exists()
    assert index_ids(home) == every_record_file_parses(home)


KILLED_IMPORT = """
import os, signal, sys
sys.path.insert(0, {src!r})
import reslib.storage as storage
from reslib.config import Home
from reslib.importers import import_paths, staging
from reslib.library import open_library

staging.SYNC_RECORDS = 10
real_replace, renames = os.replace, [0]

def replace(src, dst):
    real_replace(src, dst)
    if os.path.basename(os.path.dirname(dst)) == "records":
        renames[0] += 1
        if renames[0] == {kill_after}:
            os.kill(os.getpid(), signal.SIGKILL)

storage.os.replace = replace
import_paths(open_library(Home({lib!r})), [{source!r}])
"""


def test_an_import_killed_between_the_renames_of_a_stage_leaves_whole_records(
    tmp_path: Path,
) -> None:
    home = new_home(tmp_path)
    source = manifest(tmp_path / "rows.jsonl", 25, word="Magway")
    script = KILLED_IMPORT.format(
        src=str(SRC), kill_after=14, lib=str(home.root), source=str(source)
    )
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], check=False)
    assert done.returncode == -signal.SIGKILL
    on_disk = every_record_file_parses(home)
    assert len(on_disk) == 14  # the first stage of ten, and four of the second
    assert list(home.records.glob(".*.tmp"))  # the stage's other temporaries, not renamed
    assert IndexJournal(home.library).exists()
    library = open_library(home)
    with library.locked():  # the next writer replays the journal
        pass
    assert live_dir(home) is not None and index_ids(home) == on_disk
    assert not IndexJournal(home.library).exists()
    # The same import again writes the rest, and the index holds them all.
    summary = import_paths(library, [source])
    assert summary.counts()["created"] == 25 - 14
    assert index_ids(home) == every_record_file_parses(home)
    assert len(index_ids(home)) == 25


# -- worker processes -------------------------------------------------------------------------


def imported(tmp_path: Path, name: str, workers: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setenv("RESLIB_IMPORT_WORKERS", workers)
    home = Home(tmp_path / name)
    Catalogue(home).init()
    import_paths(Catalogue(home), [manifest(tmp_path / "rows.jsonl", 20)])
    out = {}
    for r in Catalogue(home).records():
        data = r.to_dict()
        data.pop("added"), data.pop("updated")
        out[r.id] = data
    return out


def test_items_prepared_in_worker_processes_make_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prepare, "PARALLEL_ITEMS", 4)
    alone = imported(tmp_path, "alone", "1", monkeypatch)
    shared = imported(tmp_path, "shared", "2", monkeypatch)
    assert len(alone) == 20 and shared == alone
    languages = {r["language"] for r in shared.values()}
    assert languages == {"en", "my"}


def test_a_large_group_indexed_in_workers_replaces_the_old_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESLIB_IMPORT_WORKERS", "2")
    monkeypatch.setattr(updater, "BULK_RECORDS", 4)
    home = new_home(tmp_path)
    open_library(home).add(record("by-hand"))  # an index exists: the updater's bulk path
    source = manifest(tmp_path / "rows.jsonl", 12)
    assert import_paths(open_library(home), [source]).counts()["created"] == 12
    manifest(source, 12, word="Kachin")  # every summary changed
    assert import_paths(open_library(home), [source]).counts()["updated"] == 12
    assert index_ids(home) == every_record_file_parses(home)
    response = search(home, SearchRequest(q="Kachin", limit=50))
    assert response.total == 12
    assert search(home, SearchRequest(q="Sagaing", limit=50)).total == 0


# -- files read in workers --------------------------------------------------------------------


def pages(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        page = wordpress_page(
            f"Weekly update {n}",
            [f"Airstrikes on villages in Sagaing this week ({n})."],
            url=f"https://progressivevoicemyanmar.org/2023/09/{n + 1:02d}/update-{n}/",
        )
        (folder / f"page-{n:02d}.html").write_text(page, encoding="utf-8")
    (folder / "page-05.html").write_bytes(b"\x00\x01 not a page")
    return folder


def folder_import(tmp_path: Path, name: str, workers: str, mp: pytest.MonkeyPatch) -> tuple:
    mp.setenv("RESLIB_IMPORT_WORKERS", workers)
    home = new_home(tmp_path / name)
    summary = import_paths(open_library(home), [pages(tmp_path / "in", 12)])
    records = {}
    for r in Catalogue(home).records():
        data = r.to_dict()
        data.pop("added"), data.pop("updated")
        records[r.id] = data
    return records, summary.skipped, summary.notes, summary.files, index_ids(home)


def test_a_folder_read_in_worker_processes_gives_what_reading_one_by_one_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reslib.importers.run.WRITE_GROUP_ITEMS", 4)  # groups and restarts
    alone = folder_import(tmp_path, "alone", "1", monkeypatch)
    shared = folder_import(tmp_path, "shared", "2", monkeypatch)
    assert shared == alone
    records, skipped, _, files, indexed = shared
    assert len(records) == 11 and files == 12 and set(records) == indexed
    assert [s["path"].rsplit("/", 1)[1] for s in skipped] == ["page-05.html"]


def test_a_file_that_kills_its_reader_process_is_skipped_and_the_rest_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reslib.importers import detect

    parse_html = detect.FORMATS["html"]

    def crashing(path: Path, data: bytes, options: object) -> object:
        if path.name == "page-07.html":
            os._exit(1)  # a parser that brings its process down
        return parse_html(path, data, options)

    monkeypatch.setitem(detect.FORMATS, "html", crashing)
    monkeypatch.setenv("RESLIB_IMPORT_WORKERS", "2")
    home = new_home(tmp_path)
    summary = import_paths(open_library(home), [pages(tmp_path / "in", 12)])
    reasons = {s["path"].rsplit("/", 1)[1]: s["reason"] for s in summary.skipped}
    assert set(reasons) == {"page-05.html", "page-07.html"}
    assert "reader process died" in reasons["page-07.html"]
    assert summary.counts()["created"] == 10
    assert index_ids(home) == every_record_file_parses(home)


# -- a group indexed by workers while it is written -------------------------------------------


def live_documents(home: Home) -> dict[str, list[dict]]:
    """Stored fields of every live document of the index, by record id."""
    path = live_dir(home)
    assert path is not None
    out: dict[str, list[dict]] = {}
    with storage(path).open_index().reader() as reader:
        for fields in reader.all_stored_fields():
            out.setdefault(fields["id"], []).append(fields)
    return out


def one_document_each(home: Home) -> dict[str, dict]:
    documents = live_documents(home)
    assert set(documents) == every_record_file_parses(home)
    assert all(len(docs) == 1 for docs in documents.values())
    return {i: docs[0] for i, docs in documents.items()}


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Stages of 7 records, indexed by two workers from the first one, in segments of at
    most 6: the sizes of the stages given to the workers."""
    monkeypatch.setenv("RESLIB_IMPORT_WORKERS", "2")
    monkeypatch.setattr(staging, "SYNC_RECORDS", 7)
    monkeypatch.setattr(updater, "BACKGROUND_RECORDS", 5)
    monkeypatch.setattr(bulk, "SEGMENT_RECORDS", 6)
    sizes: list[int] = []
    real_add = bulk.BackgroundSegments.add

    def add(self: bulk.BackgroundSegments, files: dict[str, bytes]) -> None:
        sizes.append(len(files))
        real_add(self, files)

    monkeypatch.setattr(bulk.BackgroundSegments, "add", add)
    return sizes


def test_a_group_is_indexed_by_workers_a_stage_at_a_time_while_it_is_written(
    tmp_path: Path, stages: list[int]
) -> None:
    home = new_home(tmp_path)
    open_library(home).add(record("by-hand"))  # an index exists
    source = manifest(tmp_path / "rows.jsonl", 40)
    assert import_paths(open_library(home), [source]).counts()["created"] == 40
    assert stages == [7, 7, 7, 7, 7, 5]
    assert len(one_document_each(home)) == 41
    assert search(home, SearchRequest(q="Sagaing", limit=50)).total == 40
    assert not IndexJournal(home.library).exists()
    # Again with every summary changed: the old versions are gone from the index.
    manifest(source, 40, word="Kachin")
    assert import_paths(open_library(home), [source]).counts()["updated"] == 40
    assert len(one_document_each(home)) == 41
    assert search(home, SearchRequest(q="Kachin", limit=50)).total == 40
    assert search(home, SearchRequest(q="Sagaing", limit=50)).total == 0


def test_the_first_index_of_a_library_is_built_from_the_first_stage_and_workers_do_the_rest(
    tmp_path: Path, stages: list[int]
) -> None:
    home = new_home(tmp_path)  # no index yet
    assert (
        import_paths(open_library(home), [manifest(tmp_path / "r.jsonl", 30)]).counts()["created"]
        == 30
    )
    assert stages == [7, 7, 7, 2]  # the first stage is in the index the updater built
    assert len(one_document_each(home)) == 30
    assert search(home, SearchRequest(q="Sagaing", limit=50)).total == 30


def test_a_record_written_again_in_a_later_stage_is_indexed_once_as_last_written(
    tmp_path: Path, stages: list[int]
) -> None:
    home = new_home(tmp_path)
    open_library(home).add(record("by-hand"))
    source = manifest(tmp_path / "rows.jsonl", 30)
    rows = [json.loads(line) for line in source.read_text("utf-8").splitlines()]
    rows[21]["translations"] = ["Situation report 0"]  # row 0 gets the link back, later
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    assert import_paths(open_library(home), [source]).counts()["created"] == 30
    documents = one_document_each(home)
    first = next(i for i, d in documents.items() if d["title"] == "Situation report 0")
    translated = next(i for i, d in documents.items() if d["title"] == "အစီရင်ခံစာ 21")
    assert documents[first]["translations"] == [translated]
    assert Catalogue(home).get(first).translations == [translated]


def test_workers_that_fail_leave_the_group_to_be_indexed_at_its_end(
    tmp_path: Path, stages: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(record: Record) -> dict:
        raise RuntimeError("analysis failed")

    monkeypatch.setattr(bulk, "document", broken)  # in the workers only: they are forked
    home = new_home(tmp_path)
    open_library(home).add(record("by-hand"))
    assert (
        import_paths(open_library(home), [manifest(tmp_path / "r.jsonl", 20)]).counts()["created"]
        == 20
    )
    assert stages  # the workers were given the stages
    assert len(one_document_each(home)) == 21
    assert not IndexJournal(home.library).exists()


def test_a_worker_that_dies_leaves_the_group_to_be_indexed_at_its_end(
    tmp_path: Path, stages: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def dying(record_id: str, data: bytes) -> Record:
        os._exit(1)  # the OOM killer, say

    monkeypatch.setattr(bulk, "_parse", dying)
    home = new_home(tmp_path)
    open_library(home).add(record("by-hand"))
    assert (
        import_paths(open_library(home), [manifest(tmp_path / "r.jsonl", 20)]).counts()["created"]
        == 20
    )
    assert len(one_document_each(home)) == 21


KILLED_WHILE_INDEXING = """
import os, signal, sys, time
sys.path.insert(0, {src!r})
import reslib.storage as storage
from reslib.config import Home
from reslib.importers import import_paths, staging
from reslib.index import updater
from reslib.library import open_library

staging.SYNC_RECORDS = 10
updater.BACKGROUND_RECORDS = 5
os.environ["RESLIB_IMPORT_WORKERS"] = "2"
real_replace, renames = os.replace, [0]

def replace(src, dst):
    real_replace(src, dst)
    if os.path.basename(os.path.dirname(dst)) == "records":
        renames[0] += 1
        if renames[0] == {kill_after}:
            time.sleep(0.5)  # the workers are analysing the first stages
            os.kill(os.getpid(), signal.SIGKILL)

storage.os.replace = replace
import_paths(open_library(Home({lib!r})), [{source!r}])
"""


def test_an_import_killed_while_workers_index_it_leaves_whole_records_and_no_worker(
    tmp_path: Path,
) -> None:
    home = new_home(tmp_path)
    open_library(home).add(record("by-hand"))
    source = manifest(tmp_path / "rows.jsonl", 45, word="Magway")
    script = KILLED_WHILE_INDEXING.format(
        src=str(SRC), kill_after=34, lib=str(home.root), source=str(source)
    )
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], check=False)
    assert done.returncode == -signal.SIGKILL
    assert IndexJournal(home.library).exists()
    assert index_ids(home) == {"by-hand"}  # nothing of the group was committed
    # The workers, still alive, do not hold the library lock they inherited: the next
    # writer takes it at once and replays the journal.
    library = open_library(home)
    with library.locked(timeout=0):
        pass
    on_disk = every_record_file_parses(home)
    assert len(on_disk) == 1 + 34
    assert index_ids(home) == on_disk and len(one_document_each(home)) == 35
    assert not IndexJournal(home.library).exists()
    # The workers noticed their command was gone and exited.
    for _ in range(40):
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)
        if str(home.root) not in ps.stdout:
            break
        time.sleep(0.25)
    assert str(home.root) not in ps.stdout
    summary = import_paths(library, [source])
    assert summary.counts()["created"] == 45 - 34
    assert len(one_document_each(home)) == 46


def test_a_run_lets_go_of_the_objects_it_froze_for_the_garbage_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = new_home(tmp_path)
    assert gc.get_freeze_count() == 0
    import_paths(open_library(home), [manifest(tmp_path / "rows.jsonl", 12)])
    assert gc.get_freeze_count() == 0  # nothing kept from collection after the run

    def failing_replace(src: str, dst: Path) -> None:
        raise OSError("disk failed")

    monkeypatch.setattr("reslib.storage.os.replace", failing_replace)
    with pytest.raises(OSError, match="disk failed"):
        import_paths(open_library(home), [manifest(tmp_path / "more.jsonl", 5, start=12)])
    assert gc.get_freeze_count() == 0


DEAD_WORKERS = """
import json, os, sys
sys.path.insert(0, {src!r})
from reslib.config import Home
from reslib.importers import import_paths, staging
from reslib.index import bulk, updater
from reslib.library import open_library

staging.SYNC_RECORDS = 20
updater.BACKGROUND_RECORDS = 5
os.environ["RESLIB_IMPORT_WORKERS"] = "2"

def dying(record_id, data):
    os._exit(1)

bulk._parse = dying
summary = import_paths(open_library(Home({lib!r})), [{source!r}])
print(json.dumps(summary.counts()))
"""


def test_stages_left_unread_by_dead_workers_do_not_keep_the_command_from_exiting(
    tmp_path: Path,
) -> None:
    home = new_home(tmp_path)
    open_library(home).add(record("by-hand"))
    source = tmp_path / "rows.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for n in range(100):  # stages of 20 rows of 5 kB: more than a pipe holds
            row = {"title": f"Report {n}", "date": "2023-10-02", "summary": "Sagaing " * 640}
            fh.write(json.dumps(row) + "\n")
    script = DEAD_WORKERS.format(src=str(SRC), lib=str(home.root), source=str(source))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1])["created"] == 100
    assert len(one_document_each(home)) == 101
