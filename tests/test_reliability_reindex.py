"""One rebuild at a time: a second ``reslib reindex`` waits for the first, and no rebuild
removes a folder another is writing (issue 11, item 7: the second crashed, 8 times of 8)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reslib.catalogue import Catalogue
from reslib.catalogue.journal import IndexJournal
from reslib.config import Home
from reslib.index import build, live_dir, rebuild
from reslib.index.build import REINDEX_LOCK, RebuildBusy
from reslib.index.consistency import indexed_ids
from reslib.library import open_library
from reslib.models import Record
from reslib.storage import file_lock

RECORDS = 200


def record(n: int) -> Record:
    return Record(
        id=f"r{n:04d}",
        type="report",
        title=f"Report {n} on Sagaing",
        language="en",
        date="2023-11",
        body=f"Villages in Sagaing were burned, report {n}. " * 10,
    )


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path)
    catalogue = Catalogue(h)
    catalogue.init()
    for n in range(RECORDS):
        catalogue.files.write(record(n))
    return h


def test_a_rebuild_waits_for_the_one_running_and_never_removes_its_folder(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside, go_on = threading.Event(), threading.Event()
    real_build = build._build_segments

    def paused_build(*args: object, **kwargs: object) -> object:
        if threading.current_thread().name == "first":
            inside.set()
            assert go_on.wait(30)
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "_build_segments", paused_build)
    reports: dict[str, Path] = {}
    waited: list[str] = []

    def run(name: str) -> None:
        reports[name] = rebuild(home, waiting=lambda: waited.append(name)).path

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert inside.wait(30)  # the first is building, its folder half written
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    second.join(1.0)
    assert second.is_alive() and waited == ["second"]  # waiting, not cleaning up
    go_on.set()
    first.join(60)
    second.join(60)
    assert set(reports) == {"first", "second"}
    assert reports["first"].exists() and reports["second"].exists()  # previous kept
    assert live_dir(home) == reports["second"]
    assert indexed_ids(reports["second"]) == set(Catalogue(home).ids())


def test_two_reindex_commands_at_once_both_finish_with_a_complete_index(home: Home) -> None:
    command = [sys.executable, "-m", "reslib", "--home", str(home.root), "reindex"]
    waited = 0
    for _ in range(3):
        procs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in procs]
        for proc, (out, err) in zip(procs, outputs, strict=True):
            assert proc.returncode == 0, err
            assert out.startswith(f"Indexed {RECORDS} records"), out
            assert "Traceback" not in err
        waited += sum("Waiting for another 'reslib reindex'" in err for _, err in outputs)
        path = live_dir(home)
        assert path is not None
        assert indexed_ids(path) == set(Catalogue(home).ids())
        assert len([p for p in home.indexes.iterdir() if p.name.startswith("ix-")]) == 2
    assert waited >= 1, "the two commands never overlapped: the test proved nothing"


def test_a_change_while_the_first_index_is_being_built_is_left_to_that_build(
    home: Home,
) -> None:
    with file_lock(home.indexes / REINDEX_LOCK):  # a reindex is running
        with pytest.raises(RebuildBusy):
            rebuild(home, wait=False)
        open_library(home).add(record(9999))  # no index yet, and the build is not ours
        assert live_dir(home) is None
        assert IndexJournal(home.library).exists()  # left for the running build
    report = rebuild(home)
    assert report.records == RECORDS + 1
    assert not IndexJournal(home.library).exists()
