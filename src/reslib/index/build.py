"""Full rebuilds: ``library/`` alone into a new index directory, then an atomic swap.

``rebuild`` splits the records into segments, builds them (in worker processes when asked),
commits them in one table of contents, writes the lexicon and the meta file, catches up with
records saved while it ran (under the library lock), and only then rewrites ``CURRENT``
(``reslib.index.layout``). A searcher open on the old directory keeps answering; the next
search sees the new pointer and opens the new index.

One rebuild runs at a time: each holds ``indexes/.reindex.lock`` from its first folder to
its cleanup, so the cleanup of old folders never meets a folder another rebuild is writing
(two ``reslib reindex`` at once: the second waits for the first, then rebuilds). Under the
library lock, before the swap, a rebuild replays what the index journal says a cut-short
session left in the catalogue (removals, one-way links; ``Catalogue.recover``); its catch-up
then indexes those records, and once ``CURRENT`` names the new index the journal is cleared.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from ..catalogue import Catalogue
from ..catalogue.journal import IndexJournal
from ..config import Home
from ..errors import Conflict, InvalidInput, NotFound, ReslibError
from ..forked import exit_with_parent
from ..models import Record
from ..storage import LockBusy, file_lock, library_lock
from .bulk import close_inherited_files
from .codec import BulkSegmentWriter, FastLengthsCodec, commit_segments
from .layout import index_codec, make_live, new_index_dir, remove_old, storage, write_meta
from .lexicon import add_to_lexicon, lexicon_words, write_lexicon
from .merge import foreground_merge
from .schema import build_schema, document

#: Records per segment in a rebuild (at most). A segment's postings are held in memory until
#: it is written (~70 MB per 1,000 records); a rebuild's segments are never merged.
SEGMENT_RECORDS = 6000
#: Records between two progress reports of a segment build.
PROGRESS_EVERY = 100
#: Held by the one rebuild running, in ``indexes/``.
REINDEX_LOCK = ".reindex.lock"


class RebuildBusy(Conflict):
    """Another rebuild is running (raised only when asked not to wait for it)."""


@dataclass
class BuildReport:
    """What a rebuild did."""

    path: Path
    records: int
    caught_up: int
    seconds: float
    skipped: list[str]

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": str(self.path),
            "records": self.records,
            "caught_up": self.caught_up,
            "seconds": round(self.seconds, 3),
            "records_per_second": round(self.rate, 1),
            "skipped": self.skipped,
        }


@dataclass
class SegmentBuilt:
    """What ``build_segment`` hands back: the Whoosh segment (None without records), the
    number of records in it, their lexicon words and the files it could not read."""

    segment: Any
    records: int
    lexicon: Counter[str]
    skipped: list[str]


def rebuild(
    home: Home,
    *,
    procs: int = 1,
    segment_records: int = SEGMENT_RECORDS,
    progress: Callable[[int, int], None] | None = None,
    locked: bool = False,
    wait: bool = True,
    waiting: Callable[[], None] | None = None,
) -> BuildReport:
    """Build a new index from ``library/`` and make it the live one atomically.

    The records are split into segments of at most ``segment_records`` (a multiple of
    ``procs`` of them, equal in size); ``procs`` > 1 builds them in that many worker
    processes, each reading its own records. ``locked`` says the caller holds the library
    lock already (the index updater building the first index).

    While another rebuild runs, this one waits for it (calling ``waiting()`` once), or with
    ``wait=False`` raises ``RebuildBusy``: the running one's catch-up takes in every change
    made until its swap.
    """
    try:
        with file_lock(home.indexes / REINDEX_LOCK, wait=wait, waiting=waiting):
            return _rebuild(home, procs, segment_records, progress, locked)
    except LockBusy:  # only taking the lock raises it
        raise RebuildBusy(
            "another 'reslib reindex' is running; it takes in every change made until it finishes"
        ) from None


def _rebuild(
    home: Home,
    procs: int,
    segment_records: int,
    progress: Callable[[int, int], None] | None,
    locked: bool,
) -> BuildReport:
    start = time.perf_counter()
    path = new_index_dir(home)
    name = path.name
    try:
        ix = storage(path, mmap=True).create_index(build_schema())
        # Stat before reading: a record saved after the stat has a newer mtime, so the
        # catch-up below cannot miss it.
        seen = _record_mtimes(home)
        ids = sorted(seen)
        built = _build_segments(home, path, ids, procs, segment_records, progress)
        count = sum(b.records for b in built)
        lexicon: Counter[str] = Counter()
        for b in built:
            lexicon.update(b.lexicon)
        write_lexicon(path, lexicon)
        write_meta(path, count)
        lock = (
            contextlib.nullcontext()
            if locked or not home.library.is_dir()
            else library_lock(home.library)
        )
        with lock:
            if not locked and home.library.is_dir():
                # A session cut short: finish its removals and links before the catch-up,
                # which then indexes the records this rewrites. (A locked caller is a
                # catalogue session, which replayed the journal when it took the lock.)
                Catalogue(home).recover()
            caught_up = _catch_up(home, ix, Catalogue(home), seen)
            previous = make_live(home, path)
            IndexJournal(home.library).clear()
        # Under the reindex lock: no other rebuild is writing a folder this could remove.
        remove_old(home, keep={name, previous.name if previous else name})
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    if progress:
        progress(count, len(ids))
    skipped = [message for b in built for message in b.skipped]
    return BuildReport(path, count, caught_up, time.perf_counter() - start, skipped)


def _build_segments(
    home: Home,
    path: Path,
    ids: list[str],
    procs: int,
    segment_records: int,
    progress: Callable[[int, int], None] | None,
) -> list[SegmentBuilt]:
    """Index ``ids`` into segments of the new index at ``path`` and commit them.

    One writer holds the index lock and commits the table of contents naming every
    segment, as Whoosh's own multiprocessing writer does with ``multisegment=True``.
    """
    built = build_segments(home, path, ids, procs, segment_records, progress)
    ix = storage(path, mmap=True).open_index()
    writer = ix.writer(codec=index_codec(path))
    try:
        commit_segments(writer, checked_segments(built))
    except BaseException:
        writer.cancel()
        raise
    return built


def build_segments(
    home: Home,
    path: Path,
    ids: list[str],
    procs: int,
    segment_records: int = SEGMENT_RECORDS,
    progress: Callable[[int, int], None] | None = None,
) -> list[SegmentBuilt]:
    """Index the records ``ids`` into new, uncommitted segments of the index at ``path``,
    in ``procs`` worker processes when there are enough records to share (a rebuild; the
    updater's bulk path for a large import group). The caller commits them
    (``commit_segments``); no index lock is held while the workers are forked."""
    # Equal chunks, as many as a multiple of ``procs``: no worker is left alone at the end.
    procs = max(1, min(procs, -(-len(ids) // 100) if ids else 1))
    tasks = procs * max(1, -(-len(ids) // (procs * segment_records)))
    size = -(-len(ids) // tasks) if ids else 0
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)] if ids else []
    if procs > 1:
        return _build_in_workers(home, path, chunks, procs, progress, len(ids))
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(ids))

    return [build_segment(home, path, chunk, tick) for chunk in chunks]


def checked_segments(built: list[SegmentBuilt]) -> list[Any]:
    """The segments of ``built``, once it is sure none lost a record it read."""
    segments = [b.segment for b in built if b.segment is not None]
    indexed = sum(s.doc_count_all() for s in segments)
    count = sum(b.records for b in built)
    if indexed != count:  # never commit an index that lost records
        raise ReslibError(f"indexing failed: {indexed} of {count} records were indexed")
    return segments


def build_segment(
    home: Home, path: Path, ids: list[str], tick: Callable[[int], None] | None = None
) -> SegmentBuilt:
    """Index the records ``ids`` into one new, uncommitted segment of the index at ``path``.

    Runs in a worker process of a parallel rebuild: it reads the records itself (no
    documents pickled between processes) and counts their lexicon words. ``tick(n)`` is
    told every ``PROGRESS_EVERY`` records.
    """
    ix = storage(path, mmap=True).open_index()
    writer = BulkSegmentWriter(ix, codec=index_codec(path))
    lexicon: Counter[str] = Counter()
    skipped: list[str] = []
    count = 0
    for _, record in _read_records(Catalogue(home), ids, skipped):
        writer.add_document(**document(record))
        lexicon.update(lexicon_words(record))
        count += 1
        if tick and count % PROGRESS_EVERY == 0:
            tick(PROGRESS_EVERY)
    if tick and count % PROGRESS_EVERY:
        tick(count % PROGRESS_EVERY)
    return SegmentBuilt(writer.finish(), count, lexicon, skipped)


#: A worker's count of indexed records, shared with the parent (set by ``_init_worker``).
_worker_done: Any = None


def _init_worker(done: Any) -> None:
    global _worker_done
    exit_with_parent()
    _worker_done = done
    gc.freeze()  # what the worker inherited: never garbage its collections must walk
    close_inherited_files()  # the library lock, when the updater builds the first index


def _worker_tick(n: int) -> None:
    with _worker_done.get_lock():
        _worker_done.value += n


def _build_worker(home: Home, path: Path, ids: list[str]) -> SegmentBuilt:
    return build_segment(home, path, ids, _worker_tick)


def _build_in_workers(
    home: Home,
    path: Path,
    chunks: list[list[str]],
    procs: int,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> list[SegmentBuilt]:
    """``build_segment`` for each chunk in ``procs`` forked processes, results in order."""
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    with ProcessPoolExecutor(
        max_workers=procs, mp_context=context, initializer=_init_worker, initargs=(done,)
    ) as pool:
        futures = [pool.submit(_build_worker, home, path, chunk) for chunk in chunks]
        pending = set(futures)
        try:
            while pending:
                finished, pending = wait(pending, timeout=0.5, return_when=FIRST_EXCEPTION)
                for future in finished:
                    future.result()  # the worker's exception, if it raised one
                if progress:
                    progress(done.value, total)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
        return [f.result() for f in futures]


def _record_mtimes(home: Home) -> dict[str, int]:
    out: dict[str, int] = {}
    if not home.records.is_dir():
        return out
    with os.scandir(home.records) as it:
        for entry in it:
            if entry.name.endswith(".json") and not entry.name.startswith("."):
                with contextlib.suppress(FileNotFoundError):
                    out[entry.name[:-5]] = entry.stat().st_mtime_ns
    return out


def _read_records(
    catalogue: Catalogue, ids: list[str], skipped: list[str]
) -> Iterator[tuple[str, Record]]:
    for record_id in ids:
        try:
            yield record_id, catalogue.get(record_id)
        except NotFound:
            continue  # removed since listed: the catch-up deletes it
        except InvalidInput as exc:
            # One unreadable file must not leave the library without search: 'reslib check'
            # reports it in full.
            skipped.append(exc.message)


def _catch_up(
    home: Home, ix: whoosh_index.Index, catalogue: Catalogue, seen: dict[str, int]
) -> int:
    """Apply what changed in ``library/`` while the build ran (called under the lock)."""
    now_ = _record_mtimes(home)
    changed = [i for i, m in now_.items() if seen.get(i) != m]
    removed = [i for i in seen if i not in now_]
    if not changed and not removed:
        return 0
    # The new index, of this code's schema (its meta is written before the catch-up).
    writer = ix.writer(codec=FastLengthsCodec())
    try:
        with writer.searcher() as searcher:  # one searcher for every delete (see updater)
            for record_id in [*removed, *changed]:
                writer.delete_by_term("id", record_id, searcher=searcher)
        records = [record for _, record in _read_records(catalogue, changed, [])]
        for record in records:
            writer.add_document(**document(record))
        writer.commit(mergetype=foreground_merge)
    except BaseException:
        writer.cancel()
        raise
    add_to_lexicon(Path(ix.storage.folder), records)
    return len(changed) + len(removed)


__all__ = [
    "PROGRESS_EVERY",
    "REINDEX_LOCK",
    "SEGMENT_RECORDS",
    "BuildReport",
    "RebuildBusy",
    "SegmentBuilt",
    "build_segment",
    "build_segments",
    "checked_segments",
    "rebuild",
]
