"""``IndexUpdater``: the catalogue listener that keeps the live index in step with the library.

Updates run inside the catalogue's lock, so they never interleave with the catch-up and
swap of a rebuild (``reslib.index.build``). Its commits merge only small segments
(``reslib.index.merge``), so an edit never waits for a large merge; when too many large
segments have gathered it starts a rebuild in the background (``reslib.index.repack``).

A large batch (an import group of ``BULK_RECORDS`` or more) is indexed the way a rebuild
indexes: its records are analysed in worker processes (``RESLIB_IMPORT_WORKERS``) into new
segments, and one commit deletes their old versions and adds the segments. Analysis is most of
an import's time, and a commit that merged a group's thousands of documents into the small
segments would hold the lock for long. The workers start on a group's records as soon as a
stage of them is durable (``records_durable``, told by ``importers.staging``), while the next
stage is written (``bulk.BackgroundSegments``); a record saved again after its stage, or
removed, is left out of the workers' segments and indexed at the end like any other change.
If the workers fail, the batch is indexed at its end as if they had never started.

``caught_up()`` tells the catalogue whether the index holds every change the updater was
told of: only then does the catalogue clear its index journal.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from .. import settings
from ..config import Home
from ..errors import ReslibError
from ..models import Record
from .build import RebuildBusy, build_segments, checked_segments, rebuild
from .bulk import BackgroundSegments, Built
from .codec import commit_segments
from .consistency import live_segments
from .layout import IndexUnavailable, check_versions, index_codec, live_dir, storage
from .lexicon import add_to_lexicon, read_lexicon, write_lexicon
from .merge import foreground_merge, needs_repacking
from .repack import start_repack
from .schema import document

#: Records saved in one batch from which it is indexed in worker processes.
BULK_RECORDS = 400
#: Records in a stage a group commit made durable from which the group is indexed by
#: workers as it is written (``records_durable``): fewer than ``BULK_RECORDS``, since their
#: segment writer costs a fifth of Whoosh's per posting, and a group of saved pages (200
#: records) was indexed in the command's process.
BACKGROUND_RECORDS = 100


def workers() -> int:
    """Worker processes for a large batch (``RESLIB_IMPORT_WORKERS``; 0: one per core)."""
    return int(settings.get("import_workers")) or os.cpu_count() or 1


class IndexUpdater:
    """A catalogue listener that keeps the live index in step with every save and removal.

    With no index yet, the first change builds one from the whole library (which already
    holds the change); if a rebuild is running already, that one takes the change in. An
    index built by an older analysis is left alone: searches report it and ask for a
    reindex, and mixing documents of two analyses would be worse.

    Inside ``Catalogue.batch()`` (every command is one) changes are collected and committed
    once at the end: a Whoosh commit writes a segment, and a thousand one-record segments
    are slow.
    """

    def __init__(self, home: Home) -> None:
        self.home = home
        #: Record id -> record to index, or None to delete; None outside a batch.
        self._pending: dict[str, Record | None] | None = None
        self._caught_up = True
        #: The batch's records being indexed by workers as it is written (None: none yet),
        #: and the ids saved or removed since they were sent there.
        self._background: BackgroundSegments | None = None
        self._stale: set[str] = set()
        #: False once this batch cannot use workers (no usable index, a rebuild running).
        self._may_start = True

    def caught_up(self) -> bool:
        """True when the index holds every change this updater was told of, or there is no
        usable index to hold them (an outdated one: the reindex it needs reads everything)."""
        return self._caught_up and self._pending is None

    def batch_begin(self) -> None:
        self._pending = {}
        self._background, self._stale, self._may_start = None, set(), True

    def batch_end(self) -> None:
        pending, self._pending = self._pending, None
        background, self._background = self._background, None
        stale, self._stale = self._stale, set()
        if background is not None:
            self._finish_background(pending or {}, background, stale)
        elif pending:
            self._apply(pending)

    def record_saved(self, record: Record) -> None:
        if self._pending is not None:
            self._pending[record.id] = record
            if self._background is not None and record.id in self._background.sent:
                self._stale.add(record.id)
        else:
            self._apply({record.id: record})

    def record_removed(self, record_id: str) -> None:
        if self._pending is not None:
            self._pending[record_id] = None
            if self._background is not None and record_id in self._background.sent:
                self._stale.add(record_id)
        else:
            self._apply({record_id: None})

    def records_durable(self, files: dict[str, bytes]) -> None:
        """These record files (id -> the bytes written) are durable: inside a batch, hand
        them to the workers that index the batch as it is written (see the module
        docstring), from a stage of ``BACKGROUND_RECORDS`` on."""
        if self._pending is None or not files:
            return
        if self._background is None:
            if not self._may_start or len(files) < BACKGROUND_RECORDS or workers() < 2:
                return
            indexed = live_dir(self.home) is None  # this stage goes into the first index
            self._background = self._start_background()
            if self._background is None or indexed:
                return
        self._background.add(files)
        self._stale.difference_update(files)

    def _start_background(self) -> BackgroundSegments | None:
        self._may_start = False
        path = live_dir(self.home)
        if path is None:
            # The first index is built from the library as it is now, this stage included;
            # the workers then index the stages after it.
            if not self._first_index():
                return None
            assert self._pending is not None
            self._pending.clear()  # every change so far is on disk, so in the new index
            path = live_dir(self.home)
            if path is None:
                return None
        try:
            check_versions(path)
        except IndexUnavailable:
            return None
        return BackgroundSegments(path, workers())

    def _first_index(self) -> bool:
        """Build the library's first index (the lock is held); False when a rebuild already
        running will take the changes in with its catch-up."""
        try:
            rebuild(self.home, locked=True, wait=False, procs=workers())
        except RebuildBusy:
            return False
        return True

    def _finish_background(
        self,
        changes: dict[str, Record | None],
        background: BackgroundSegments,
        stale: set[str],
    ) -> None:
        """End a batch whose records workers indexed as it was written: commit their
        segments, or if they failed, index the batch as any other."""
        self._caught_up = False
        try:
            built, words = background.finish()
        except ReslibError:
            built, words = [], Counter()  # the workers failed: the batch is indexed here
        if built and background.path == live_dir(self.home):
            kept = _keep_latest(built, background, changes, stale)
            self._commit_with(changes, built, kept, words)
        elif changes:
            self._apply(changes)
        else:
            self._caught_up = True

    def _apply(self, changes: dict[str, Record | None]) -> None:
        self._caught_up = False
        path = live_dir(self.home)
        if path is None:
            self._caught_up = self._first_index()
            return
        try:
            check_versions(path)
        except IndexUnavailable:
            self._caught_up = True
            return
        saved = [r for r in changes.values() if r is not None]
        procs = workers()
        # Built before the writer takes the index lock: the workers read the records back
        # from their files, which the catalogue wrote before the batch ended.
        segments = (
            checked_segments(build_segments(self.home, path, [r.id for r in saved], procs))
            if procs > 1 and len(saved) >= BULK_RECORDS
            else None
        )
        ix = storage(path, mmap=True).open_index()
        writer = ix.writer(timeout=30.0, codec=index_codec(path))
        try:
            # One searcher for every delete, then plain adds: ``update_document`` opens a
            # reader of the whole index per document (7 ms each at 40 segments).
            with writer.searcher() as searcher:
                for record_id in changes:
                    writer.delete_by_term("id", record_id, searcher=searcher)
            if segments is not None:
                commit_segments(writer, segments)
            else:
                for record in saved:
                    writer.add_document(**document(record))
                writer.commit(mergetype=foreground_merge)
        except BaseException:
            writer.cancel()
            raise
        add_to_lexicon(path, saved)
        self._caught_up = True
        if needs_repacking(len(live_segments(path))):
            start_repack(self.home)

    def _commit_with(
        self,
        changes: dict[str, Record | None],
        built: list[Built],
        kept: set[str],
        words: Counter[str],
    ) -> None:
        """Commit the workers' segments (``kept``: the records they hold the last version
        of) with the deletion of every changed record's old version; then index the
        changes they do not hold, as any batch's."""
        path = live_dir(self.home)
        assert path is not None
        ix = storage(path, mmap=True).open_index()
        writer = ix.writer(timeout=30.0, codec=index_codec(path))
        try:
            with writer.searcher() as searcher:
                for record_id in changes:
                    writer.delete_by_term("id", record_id, searcher=searcher)
            segments = [b.segment for b in built if b.segment.doc_count()]
            commit_segments(writer, segments)
        except BaseException:
            writer.cancel()
            raise
        if all(len(b.ids) == b.segment.doc_count() for b in built):
            _add_words(path, words)  # every document the workers indexed was kept
        else:
            add_to_lexicon(path, [r for i in kept if (r := changes[i]) is not None])
        rest = {i: r for i, r in changes.items() if i not in kept}
        if any(r is not None for r in rest.values()):
            self._apply(rest)  # deletes what it must again: nothing left to find
            return
        self._caught_up = True
        if needs_repacking(len(live_segments(path))):
            start_repack(self.home)


def _keep_latest(
    built: list[Built],
    background: BackgroundSegments,
    changes: dict[str, Record | None],
    stale: set[str] | frozenset[str],
) -> set[str]:
    """Mark deleted, in the workers' segments, every document that is not the last version
    of its record (sent again later, saved or removed since it was sent); the ids kept."""
    kept: set[str] = set()
    for b in built:
        for docnum, (record_id, stage) in enumerate(b.ids):
            if (
                stage == background.sent.get(record_id)
                and record_id not in stale
                and changes.get(record_id) is not None
            ):
                kept.add(record_id)
            else:
                b.segment.delete_document(docnum)
    return kept


def _add_words(path: Path, added: Counter[str]) -> None:
    """``add_to_lexicon`` for words counted already."""
    if not added:
        return
    counts = read_lexicon(path)
    if all(w in counts for w in added):
        return
    counts.update(added)
    write_lexicon(path, counts)


__all__ = ["IndexUpdater"]
