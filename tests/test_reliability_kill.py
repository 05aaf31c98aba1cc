"""An import killed at any moment loses nothing from search (issue 11, item 1).

Each round starts ``reslib import`` of a JSON Lines manifest of 200 records (half of them
translations of the other half, some related to a record made before) in a subprocess, kills
it with SIGKILL at a random moment, and runs the next command: ``reslib search`` on even
rounds, ``reslib check`` on odd ones. Then every record file on disk must be in the index, no
link may point one way, and ``reslib check`` must exit 0 with nothing left to put right.

The library lives on tmpfs when there is one: the rounds are about process death, which a
page cache survives, and without fsync costs a round takes half the time.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from reslib.catalogue import Catalogue
from reslib.catalogue.journal import IndexJournal
from reslib.catalogue.links import SYMMETRIC
from reslib.cli import cli
from reslib.config import Home
from reslib.index import live_dir
from reslib.index.consistency import indexed_ids
from reslib.library import open_library
from reslib.models import Record

ROUNDS = 20
ROWS = 200


@pytest.fixture
def home() -> Iterator[Home]:
    shm = Path("/dev/shm")
    parent = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    root = Path(tempfile.mkdtemp(prefix="reslib-kill-", dir=parent))
    try:
        yield Home(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def manifest(folder: Path, round_: int) -> Path:
    rows = []
    for n in range(ROWS):
        row: dict[str, object] = {
            "id": f"k{round_:02d}-{n:03d}",
            "title": f"Statement {n} of round {round_} on displacement in Sagaing",
            "date": "2023-10-01",
            "type": "statement",
            "language": "en" if n % 2 == 0 else "my",
            "body": f"Villagers fled the fighting near Sagaing, report {round_}-{n}. " * 3,
        }
        if n % 2:
            row["translations"] = [f"k{round_:02d}-{n - 1:03d}"]
        if n % 25 == 3:
            row["related"] = ["base"]
        rows.append(row)
    path = folder / f"round-{round_:02d}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def import_command(home: Home, path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "reslib",
        "--home",
        str(home.root),
        "import",
        "--quiet",
        str(path),
    ]


def one_way_links(home: Home) -> list[str]:
    records = {r.id: r for r in Catalogue(home).records()}
    return [
        f"{r.id} {name} {ref}"
        for r in records.values()
        for name in SYMMETRIC
        for ref in getattr(r, name)
        if ref not in records or r.id not in getattr(records[ref], name)
    ]


def run(home: Home, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home.root), *args])
    return result.exit_code, result.output


@pytest.mark.slow
def test_an_import_killed_at_random_moments_leaves_every_record_searchable(home: Home) -> None:
    rng = random.Random(11)
    Catalogue(home).init()
    open_library(home).add(
        Record(id="base", type="report", title="Base report", language="en", date="2023")
    )
    work = home.root / "manifests"
    work.mkdir()
    # A whole import, timed, so that the kills fall anywhere from start-up to the commit.
    started = time.monotonic()
    subprocess.run(import_command(home, manifest(work, 0)), check=True, capture_output=True)
    whole = time.monotonic() - started
    replayed = 0
    for round_ in range(1, ROUNDS + 1):
        proc = subprocess.Popen(
            import_command(home, manifest(work, round_)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.1) * whole)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        journal_left = IndexJournal(home.library).exists()
        recovery = "search" if round_ % 2 == 0 else "check"
        if recovery == "search":
            code, output = run(home, "search", "Sagaing")
        else:
            code, output = run(home, "check")
        assert code == 0, output
        replayed += journal_left
        on_disk = set(Catalogue(home).ids())
        path = live_dir(home)
        assert path is not None
        assert indexed_ids(path) == on_disk, f"round {round_}"
        assert one_way_links(home) == [], f"round {round_}"
        assert not IndexJournal(home.library).exists()
        if recovery == "search":
            code, output = run(home, "check")
            assert code == 0, output
            assert "index" not in output, output  # the search left nothing to repair

    # The kills must have landed between records and their index commit, or this proves
    # nothing.
    assert replayed >= ROUNDS // 4, f"only {replayed} of {ROUNDS} kills left a journal"
    proc = subprocess.run(
        [sys.executable, "-m", "reslib", "--home", str(home.root), "check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
