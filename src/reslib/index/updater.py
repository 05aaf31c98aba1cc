"""``IndexUpdater``: the catalogue listener that keeps the live index in step with the library.

Updates run inside the catalogue's lock, so they never interleave with the catch-up and
swap of a rebuild (``reslib.index.build``).
"""

from __future__ import annotations

from ..config import Home
from ..models import Record
from .build import rebuild
from .codec import FastLengthsCodec
from .layout import IndexUnavailable, check_versions, live_dir, storage
from .lexicon import add_to_lexicon
from .schema import document


class IndexUpdater:
    """A catalogue listener that keeps the live index in step with every save and removal.

    With no index yet, the first change builds one from the whole library (which already
    holds the change). An index built by an older analysis is left alone: searches report
    it and ask for a reindex, and mixing documents of two analyses would be worse.

    Inside ``Catalogue.batch()`` (an import) changes are collected and committed once at the
    end: a Whoosh commit writes a segment, and a thousand one-record segments are slow.
    """

    def __init__(self, home: Home) -> None:
        self.home = home
        #: Record id -> record to index, or None to delete; None outside a batch.
        self._pending: dict[str, Record | None] | None = None

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
        path = live_dir(self.home)
        if path is None:
            rebuild(self.home, locked=True)
            return
        try:
            check_versions(path)
        except IndexUnavailable:
            return
        ix = storage(path, mmap=True).open_index()
        writer = ix.writer(timeout=30.0, codec=FastLengthsCodec())
        try:
            for record_id, record in changes.items():
                if record is None:
                    writer.delete_by_term("id", record_id)
                else:
                    writer.update_document(**document(record))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        add_to_lexicon(path, [r for r in changes.values() if r is not None])


__all__ = ["IndexUpdater"]
