"""Index segments built in worker processes while an import group is still being written.

An import group's record files are made durable a stage at a time (``importers.staging``).
Each stage's files, as written, are handed to ``BackgroundSegments``, which passes them to
worker processes (``RESLIB_IMPORT_WORKERS``) that analyse them into new, uncommitted segments
of the live index while the command's process writes the next stage: analysis, most of an
import's time, no longer waits for the last record. Each worker keeps one segment open
across the stages it is given, up to ``SEGMENT_RECORDS`` records, so a group of 20,000
records makes a few large segments, as a rebuild does, not one per stage.

Nothing is committed here: when the group ends the updater (``IndexUpdater``) takes the
segments (``finish``) and commits them with the deletion of the records' old versions, in
one commit, as before. So the index still hears of a group only after its last record is
durable, and a process killed meanwhile leaves segment files no table of contents names
(Whoosh removes them at the next commit) and the index journal, which the next writer
replays.

A record sent twice (written again in a later stage: a link written back) is in two
segments; ``Built.ids`` says which record each document is, and the stage it came from, so
the updater keeps only the last version it was told of.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ReslibError
from ..forked import exit_with_parent
from ..models import Record
from ..storage import parse_json
from .codec import BulkSegmentWriter
from .layout import index_codec, storage
from .lexicon import lexicon_words
from .schema import document

#: Records in one segment a worker builds (at most): its postings are held in memory until
#: it is written (a worker of 5,000 records peaked at 375 MB).
SEGMENT_RECORDS = 5000
#: Seconds between two looks at the workers while waiting for their segments.
POLL_SECONDS = 0.5


@dataclass
class Built:
    """One segment a worker wrote (not committed), and for each of its documents, in order,
    the record id and the stage that sent it."""

    segment: Any
    ids: list[tuple[str, int]]


def _parse(record_id: str, data: bytes) -> Record:
    where = f"record {record_id}"
    return Record.from_dict(parse_json(data, where), where)


def close_inherited_files() -> None:
    """Close, in a forked worker, the regular files it inherited (but standard input and
    output): it uses none of them, and one may hold a lock, the library's above all, taken
    by the command before the fork. A flock belongs to every process holding the file open,
    so a worker outliving a killed command would keep the library locked, and the journal
    the next command must replay, unreplayed."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: the descriptors a process commonly has
        fds = list(range(3, 256))
    for fd in fds:
        if fd <= 2:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            continue  # closed already (the listing's own descriptor)


def _next(inbox: Any, parent: int) -> Any:
    """The next stage (None: finish); the worker exits if the command's process is gone (a
    process killed mid-group would otherwise leave its workers waiting for ever)."""
    while True:
        try:
            return inbox.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)


def _serve(
    path: Path, inbox: Any, outbox: Any, number: int, segment_records: int, parent: int
) -> None:
    """A worker: analyse each stage's records into segments until told to finish (None)."""
    # A stage is sent through a pipe this worker holds both ends of: if the command dies
    # while sending one, the read never ends, and ``_next``'s look at the parent never
    # comes (an import killed by the kill test left such workers asleep for hours).
    exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the command decides what stops
    close_inherited_files()
    # The command's objects, inherited: never garbage here, so collections need not walk
    # them (a walk of 300 MB of records per collection, and a copy of every page it writes).
    gc.freeze()
    try:
        ix = storage(path, mmap=True).open_index()
        built: list[Built] = []
        lexicon: Counter[str] = Counter()
        writer: BulkSegmentWriter | None = None
        ids: list[tuple[str, int]] = []
        while (message := _next(inbox, parent)) is not None:
            stage, files = message
            for record_id, data in files:
                record = _parse(record_id, data)
                if writer is None:
                    writer, ids = BulkSegmentWriter(ix, codec=index_codec(path)), []
                writer.add_document(**document(record))
                ids.append((record_id, stage))
                lexicon.update(lexicon_words(record))
                if len(ids) >= segment_records:
                    built.append(Built(writer.finish(), ids))
                    writer = None
        if writer is not None:
            built.append(Built(writer.finish(), ids))
        outbox.put((number, built, lexicon, None))
    except BaseException as exc:  # told to the command, which indexes the group itself
        outbox.put((number, None, None, f"{type(exc).__name__}: {exc}"))


class BackgroundSegments:
    """Worker processes building segments of the index at ``path`` from the record files
    they are given (see the module docstring)."""

    def __init__(self, path: Path, procs: int, segment_records: int | None = None) -> None:
        self.path = path
        segment_records = segment_records or SEGMENT_RECORDS
        context = multiprocessing.get_context("fork")
        self._outbox = context.Queue()
        self._inboxes = [context.Queue() for _ in range(procs)]
        self._procs = [
            context.Process(
                target=_serve,
                args=(path, inbox, self._outbox, n, segment_records, os.getpid()),
                daemon=True,
            )
            for n, inbox in enumerate(self._inboxes)
        ]
        for proc in self._procs:
            proc.start()
        #: Record id -> the last stage that sent it.
        self.sent: dict[str, int] = {}
        self._stages = 0

    def add(self, files: dict[str, bytes]) -> None:
        """Index these record files (id -> the bytes on disk), as one stage."""
        stage = self._stages
        self._stages += 1
        # Stages go round the workers: they are of equal size but for the last.
        self._inboxes[stage % len(self._inboxes)].put((stage, list(files.items())))
        for record_id in files:
            self.sent[record_id] = stage

    def finish(self) -> tuple[list[Built], Counter[str]]:
        """Wait for the workers' segments (in worker order) and the lexicon words of every
        record they indexed. Raises ``ReslibError`` if a worker failed or died."""
        for inbox in self._inboxes:
            inbox.put(None)
        results: dict[int, tuple[list[Built], Counter[str]]] = {}
        try:
            while len(results) < len(self._procs):
                try:
                    number, built, lexicon, error = self._outbox.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    dead = [p for p in self._procs if p.exitcode not in (None, 0)]
                    if dead:
                        raise ReslibError(
                            f"indexing failed: a worker process died (exit {dead[0].exitcode})"
                        ) from None
                    continue
                if error is not None:
                    raise ReslibError(f"indexing failed in a worker process: {error}")
                results[number] = (built, lexicon)
        except BaseException:
            self.cancel()
            raise
        for proc in self._procs:
            proc.join()
        segments = [b for n in sorted(results) for b in results[n][0]]
        words: Counter[str] = Counter()
        for _, lexicon in results.values():
            words.update(lexicon)
        for b in segments:
            if b.segment is None or b.segment.doc_count_all() != len(b.ids):
                raise ReslibError("indexing failed: a worker's segment lost records")
        return segments, words

    def cancel(self) -> None:
        """Stop the workers (what they wrote is left for Whoosh to remove)."""
        for proc in self._procs:
            if proc.is_alive():
                proc.kill()
        for proc in self._procs:
            proc.join()
        for inbox in self._inboxes:
            # Stages a dead worker never read must not keep this process from exiting
            # (a queue's feeder thread waits to write them otherwise).
            inbox.cancel_join_thread()
            inbox.close()


__all__ = ["SEGMENT_RECORDS", "BackgroundSegments", "Built", "close_inherited_files"]
