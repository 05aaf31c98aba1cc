"""Replaying the index journal: the part of ``Catalogue`` that brings the index back in step
after a session was cut short (see ``journal`` for the file, ``recovery`` for what changed).

A mixin of ``Catalogue``: it uses the catalogue's ``files``, ``bus``, ``journal``, ``get``,
``batch``, ``locked``, ``_commit``, ``_commit_removal`` and ``_sync_links``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import ReslibError
from ..models import next_stamp
from . import recovery
from .recovery import Recovery


class JournalReplay:
    """``recover``, ``announce`` and their steps (mixed into ``Catalogue``)."""

    recovered: Recovery | None
    _journal_session: str | None
    _recovering: bool
    files: Any
    bus: Any
    journal: Any

    def recover(self) -> Recovery | None:
        """Replay the index journal a session left (see ``recovery``); None without one.

        The caller holds the lock (``locked`` calls this when it takes it). Removals cut
        short are completed and one-way links made two-way (both written as saves), then
        every record written and every id removed since the journal's start is announced
        again, so the index listener applies them; the batch's end clears the journal.
        Reading the link fields of every record costs about a second per 50,000 records,
        paid only after a session was cut short.
        """
        entry = self.journal.read()
        if entry is None or self._recovering:
            return None
        self._recovering = True
        self._journal_session = entry.session
        try:
            with self.batch():
                report = self._replay(entry.since_ns)
        finally:
            self._recovering = False
        self.recovered = report
        return report

    def _replay(self, since_ns: int) -> Recovery:
        window = recovery.changed_since(self.files, since_ns)
        report = Recovery(since_ns)
        for record_id in window.unfinished:
            try:
                record = self.get(record_id)
                self._sync_links(record.with_changes(translations=[], related=[]), record)
            except ReslibError:
                report.unreadable.append(record_id)
                continue
            self._commit_removal(record_id)
            report.finished_removals.append(record_id)
        removed = [*window.removed, *report.finished_removals]
        fixes = recovery.one_way_links(
            recovery.read_links(self.files), self.files.mtimes(), window.saved, removed
        )
        report.relinked = self._fix_links(fixes)
        for record_id in window.saved:
            if record_id in report.relinked:
                continue  # written again just now, and announced with it
            try:
                self.bus.saved(self.get(record_id))
            except ReslibError:
                report.unreadable.append(record_id)
                continue
        for record_id in window.removed:
            self.bus.removed(record_id)
        report.reindexed = [i for i in window.saved if i not in report.unreadable]
        report.removed = removed
        return report

    def _fix_links(self, fixes: recovery.Fixes) -> list[str]:
        changed = []
        for record_id, by_field in sorted(fixes.items()):
            try:
                record = self.get(record_id)
            except ReslibError:
                continue
            for name, fix in by_field.items():
                values = [v for v in getattr(record, name) if v not in fix.drop]
                values += [v for v in fix.add if v not in values]
                setattr(record, name, values)
            record.updated = next_stamp(record.updated)
            self._commit(record)
            changed.append(record_id)
        return changed

    def announce(self, saved: Iterable[str] = (), removed: Iterable[str] = ()) -> list[str]:
        """Tell the listeners again about records on disk (``saved``) and ids gone
        (``removed``), under the lock, in one batch; returns the saved ids that could not
        be read. ``reslib check`` uses it to put the index right."""
        unreadable = []
        with self.locked(), self.batch():
            for record_id in saved:
                try:
                    self.bus.saved(self.get(record_id))
                except ReslibError:
                    unreadable.append(record_id)
            for record_id in removed:
                self.bus.removed(record_id)
        return unreadable
