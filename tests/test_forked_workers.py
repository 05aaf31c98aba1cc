"""Worker processes die with the command: a killed import or reindex leaves no worker
waiting for ever on a pipe it holds both ends of."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

# A command that forks a pool with the given initializer, reports a worker's pid, then
# waits to be killed.
SCRIPT = textwrap.dedent(
    """
    import multiprocessing, os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    {setup}
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), {init})
    print(pool.submit(os.getpid).result(), flush=True)
    time.sleep(600)
    """
)

INITIALIZERS = {
    "reading": ("from reslib.importers.reading import _init_worker", "initializer=_init_worker"),
    "prepare": (
        "from reslib.importers.prepare import _ignore_interrupt",
        "initializer=_ignore_interrupt",
    ),
    "reindex": (
        "from reslib.index.build import _init_worker\n"
        "done = multiprocessing.get_context('fork').Value('q', 0)",
        "initializer=_init_worker, initargs=(done,)",
    ),
    "ocr": ("from reslib.forked import exit_with_parent", "initializer=exit_with_parent"),
}


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie no one reaped has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def worker_after_parent_killed(setup: str, init: str, tmp_path: Path, wait: float) -> int:
    return worker_after_command_killed(SCRIPT.format(setup=setup, init=init), tmp_path, wait)


def worker_after_command_killed(source: str, tmp_path: Path, wait: float) -> int:
    """Run ``source`` (which prints a worker's pid, then waits), SIGKILL it, and wait up to
    ``wait`` seconds for the worker to end; the worker's pid."""
    script = tmp_path / "command.py"
    script.write_text(source)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "index")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert parent.stdout is not None
    with parent.stdout:
        worker = int(parent.stdout.readline())
        assert running(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + wait
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    return worker


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize("pool", sorted(INITIALIZERS))
def test_a_worker_ends_when_its_command_is_killed(pool: str, tmp_path: Path) -> None:
    worker = worker_after_parent_killed(*INITIALIZERS[pool], tmp_path, wait=10)
    assert not running(worker)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_without_the_watch_a_worker_outlives_its_killed_command(tmp_path: Path) -> None:
    # What the initializers guard against: a plain pool's worker waits on.
    worker = worker_after_parent_killed("", "", tmp_path, wait=3)
    try:
        assert running(worker)
    finally:
        os.kill(worker, signal.SIGKILL)


# A command whose import-group index worker (``index.bulk``) is stuck reading a stage half
# sent (a pipe it holds both ends of), reports the worker's pid, then waits to be killed.
BULK_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from whoosh.filedb.filestore import FileStorage
    from reslib.index import build_schema, bulk
    path = Path(sys.argv[1])
    path.mkdir()
    FileStorage(str(path)).create_index(build_schema())
    r, w = os.pipe()
    def stuck(inbox, parent):
        print(os.getpid(), flush=True)
        os.read(r, 1)
    bulk._next = stuck
    workers = bulk.BackgroundSegments(path, 1)
    time.sleep(600)
    """
)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_an_import_group_index_worker_stuck_on_a_half_sent_stage_ends_with_its_command(
    tmp_path: Path,
) -> None:
    worker = worker_after_command_killed(BULK_SCRIPT, tmp_path, wait=10)
    alive = running(worker)
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert not alive
