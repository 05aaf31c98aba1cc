"""The index journal: ``library/.unindexed``, present while records may be missing from the index.

A writing session (one hold of the library lock) writes the journal before its first record
or tombstone, with fsync, and the catalogue removes it once the index has committed every
change of the session (``Catalogue.batch``). A process killed in between (SIGKILL, a
timeout, the OOM killer, a power cut) leaves the journal behind, and the next writer that
takes the lock, ``reslib check`` and ``reslib search`` replay it (``recovery``).

The journal holds when its window starts, not which records changed: listing each record
would cost an fsync per record, and the record files already say when they were written.
The window starts ``MARGIN_NS`` before the journal's own clock reading, because a file's time
comes from a coarser clock (a kernel tick; whole seconds on some file systems). A journal
already present is never replaced by a newer one: its older start covers both sessions.

Each journal names the session that wrote it, so a session clears only its own: one that
another process replayed and replaced is left for its writer.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from ..storage import fsync_dir, write_json

JOURNAL = ".unindexed"
#: How long before the journal was written its window starts.
MARGIN_NS = 2_000_000_000


@dataclass(frozen=True)
class JournalEntry:
    """When the window of unindexed changes starts (file times in ns), and whose it is."""

    since_ns: int
    session: str


class IndexJournal:
    """The journal file of one ``library/`` folder."""

    def __init__(self, library: Path) -> None:
        self.path = library / JOURNAL

    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> JournalEntry | None:
        """The journal, or None when there is none. One that cannot be read (edited by hand)
        counts as a window from the beginning: everything is replayed."""
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except ValueError:
            return JournalEntry(0, "")
        if not isinstance(data, dict) or not isinstance(data.get("since_ns"), int):
            return JournalEntry(0, "")
        return JournalEntry(data["since_ns"], str(data.get("session", "")))

    def open(self) -> JournalEntry | None:
        """Write a journal unless one is there; returns the new one, or None.

        The caller holds the library lock. Durable when this returns (``write_json``
        fsyncs the file, and the folder is fsynced here even inside ``synced_together``,
        which defers the folder's fsync), so it is on disk before the record it announces.
        """
        if self.path.exists():
            return None
        started = time.time_ns()
        entry = JournalEntry(started - MARGIN_NS, secrets.token_hex(8))
        write_json(
            self.path,
            {
                "since_ns": entry.since_ns,
                "since": time.strftime(
                    "%Y-%m-%dT%H:%M:%SZ", time.gmtime(entry.since_ns / 1_000_000_000)
                ),
                "session": entry.session,
                "pid": os.getpid(),
            },
        )
        fsync_dir(self.path.parent)
        return entry

    def clear(self, session: str | None = None) -> bool:
        """Remove the journal (only if it is ``session``'s, when given); True if removed.

        Not fsynced: a removal lost in a power cut brings the journal back, which costs one
        needless replay and loses nothing.
        """
        if session is not None:
            current = self.read()
            if current is None or current.session != session:
                return False
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


__all__ = ["JOURNAL", "MARGIN_NS", "IndexJournal", "JournalEntry"]
