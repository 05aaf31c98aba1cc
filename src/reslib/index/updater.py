"""``IndexUpdater``: the catalogue listener that keeps the live index in step with the library.

Updates run inside the catalogue's lock, so they never interleave with the catch-up and
swap of a rebuild (``reslib.index.build``). Its commits merge only small segments
(``reslib.index.merge``), so an edit never waits for a large merge; when too many large
segments have gathered it starts a rebuild in the background (``reslib.index.repack``).

A large batch (an import group of ``BULK_RECORDS`` or more) is indexed the way a rebuild
indexes: its records are read back and analysed in worker processes (``RESLIB_IMPORT_WORKERS``)
into new segments, and one commit deletes their old versions and adds the segments. Analysis
is most of an import's time, and a commit that merged a group's thousands of documents into
the small segments would hold the lock for long.

``caught_up()`` tells the catalogue whether the index holds every change the updater was
told of: only then does the catalogue clear its index journal.
"""

from __future__ import annotations

import os

from .. import settings
from ..config import Home
from ..models import Record
from .build import RebuildBusy, build_segments, checked_segments, rebuild
from .codec import FastLengthsCodec, commit_segments
from .consistency import live_segments
from .layout import IndexUnavailable, check_versions, live_dir, storage
from .lexicon import add_to_lexicon
from .merge import foreground_merge, needs_repacking
from .repack import start_repack
from .schema import document

#: Records saved in one batch from which it is indexed in worker processes.
BULK_RECORDS = 400


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

    def caught_up(self) -> bool:
        """True when the index holds every change this updater was told of, or there is no
        usable index to hold them (an outdated one: the reindex it needs reads everything)."""
        return self._caught_up and self._pending is None

    def batch_begin(self) -> None:
        self._pending = {}

    def batch_end(self) -> None:
        pending, self._pending = self._pending, None
        if pending:
            self._apply(pending)

    def record_saved(self, record: Record) -> None:
        if self._pending is not None:
            self._pending[record.id] = record
        else:
            self._apply({record.id: record})

    def record_removed(self, record_id: str) -> None:
        if self._pending is not None:
            self._pending[record_id] = None
        else:
            self._apply({record_id: None})

    def _apply(self, changes: dict[str, Record | None]) -> None:
        self._caught_up = False
        path = live_dir(self.home)
        if path is None:
            try:
                rebuild(self.home, locked=True, wait=False, procs=workers())
            except RebuildBusy:
                return  # the running rebuild's catch-up takes these changes in
            self._caught_up = True
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
        writer = ix.writer(timeout=30.0, codec=FastLengthsCodec())
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


__all__ = ["IndexUpdater"]
