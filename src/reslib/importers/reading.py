"""Files of a folder read and parsed in worker processes, handed back in their order.

Reading a saved page (HTML extraction, language detection, normalization) costs more than
writing its record, and a folder's pages do not depend on each other: ``ordered_reads``
gives each small file to a pool of forked workers (``RESLIB_IMPORT_WORKERS``), a few files
ahead of the one the run takes next, and yields the outcomes in the files' order. A large
file (a manifest, which prepares its items in workers of its own, or a PDF, which OCRs its
pages in workers of its own) is read in the command's process when its turn comes (a
manifest a chunk at a time there: ``manifest``).

The workers are forked with the run's state as it is then (the authority file above all,
which decides what a byline names). ``restart()`` drops what was read ahead and forks them
again: the run calls it after writing a group that changed the authority file, so each file
is parsed against the authority file as the groups before it left it, as when files were
read one by one. Otherwise the workers go on reading ahead while the group is written. A
worker ignores Ctrl-C: the run decides what stops.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Generic, TypeVar

from .. import settings
from ..forked import exit_with_parent

T = TypeVar("T")

#: A run reads its files in workers from this many files on ...
PARALLEL_FILES = 8
#: ... the files smaller than this (see the module docstring).
PARALLEL_FILE_BYTES = 2 * 2**20
#: Files given to the workers ahead of the one taken next, per worker.
AHEAD_PER_WORKER = 16

#: What the forked workers call (set in the parent before each fork).
_read_in_worker: Callable[[Path], object] | None = None


def _init_worker() -> None:
    exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # what the worker inherited: never garbage its collections must walk
    # A file read here prepares its items here: no pool of workers inside a worker.
    os.environ[settings.SETTINGS["import_workers"].env] = "1"


def _work(path: Path) -> object:
    assert _read_in_worker is not None
    return _read_in_worker(path)


def _small(path: Path) -> bool:
    if path.suffix.lower() == ".pdf":
        return False
    try:
        return path.stat().st_size < PARALLEL_FILE_BYTES
    except OSError:
        return False  # read in the command's process, which reports why it cannot be read


class OrderedReads(Generic[T]):
    """``read(path)`` for each of ``files``, in order, most of them in workers; a file whose
    worker dies (a parser crashed, the OOM killer) when read alone gives ``crashed(path,
    error)``, and the workers are forked again for the rest."""

    def __init__(
        self,
        files: list[Path],
        read: Callable[[Path], T],
        procs: int,
        crashed: Callable[[Path, BaseException], T],
        warm_up: Callable[[], None] = lambda: None,
        read_here: Callable[[Path], T] | None = None,
    ) -> None:
        self.files = files
        self.read = read
        self.read_here = read_here or read
        self.procs = procs
        self.crashed = crashed
        self.warm_up = warm_up
        self._next = 0  # the index of the file to hand out next
        self._ahead: deque[tuple[int, Future[T] | None]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        # The first file is read here, before any fork: what parsing loads on first use
        # (a format's libraries, the language model) the workers then share.
        self._warmed = False

    def __iter__(self) -> Iterator[tuple[Path, T]]:
        try:
            while self._next < len(self.files) or self._ahead:
                self._fill()
                index, future = self._ahead.popleft()
                path = self.files[index]
                if future is None:
                    result = self.read_here(path)
                    self._warmed = True
                    yield path, result
                    continue
                try:
                    result = future.result()
                except BrokenProcessPool:
                    result = self._alone(path)
                yield path, result
        finally:
            self._stop()

    def _alone(self, path: Path) -> T:
        """``path`` read again in fresh workers with nothing else: a dead worker breaks
        every read under way, and only the file that kills a worker on its own is blamed."""
        self.restart()
        try:
            return self._workers().submit(_work, path).result()
        except BrokenProcessPool as exc:
            self.restart()
            return self.crashed(path, exc)

    def restart(self) -> None:
        """Drop what was read ahead and fork the workers again (see the module docstring)."""
        if self._ahead:
            self._next = self._ahead[0][0]
        self._ahead.clear()
        self._stop()

    def _fill(self) -> None:
        if not self._warmed:
            if not self._ahead:
                self._ahead.append((self._next, None))
                self._next += 1
            return
        while self._next < len(self.files) and len(self._ahead) < self.procs * AHEAD_PER_WORKER:
            path = self.files[self._next]
            future = self._workers().submit(_work, path) if _small(path) else None
            self._ahead.append((self._next, future))
            self._next += 1

    def _workers(self) -> ProcessPoolExecutor:
        global _read_in_worker
        if self._pool is None:
            self.warm_up()
            _read_in_worker = self.read
            self._pool = ProcessPoolExecutor(
                max_workers=self.procs,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_init_worker,
            )
        return self._pool

    def _stop(self) -> None:
        global _read_in_worker
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        _read_in_worker = None


def ordered_reads(
    files: list[Path],
    read: Callable[[Path], T],
    procs: int,
    crashed: Callable[[Path, BaseException], T],
    warm_up: Callable[[], None] = lambda: None,
    read_here: Callable[[Path], T] | None = None,
) -> OrderedReads[T]:
    """The reads of ``files`` (see ``OrderedReads``); in workers only when worth it.
    ``warm_up()`` is called before the workers are forked: what it loads, they share.
    ``read_here``: how a file is read in the command's process, if not as in a worker
    (its result need not cross to another process: a manifest read a chunk at a time)."""
    if procs > 1 and len(files) >= PARALLEL_FILES:
        return OrderedReads(files, read, procs, crashed, warm_up, read_here)
    return _Sequential(files, read_here or read, crashed)


class _Sequential(OrderedReads[T]):
    """Every file read in the command's process, one by one."""

    def __init__(
        self,
        files: list[Path],
        read: Callable[[Path], T],
        crashed: Callable[[Path, BaseException], T],
    ) -> None:
        super().__init__(files, read, 1, crashed)

    def _fill(self) -> None:
        if not self._ahead and self._next < len(self.files):
            self._ahead.append((self._next, None))
            self._next += 1


__all__ = ["OrderedReads", "ordered_reads"]
