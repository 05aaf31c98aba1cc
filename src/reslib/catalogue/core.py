"""The ``Catalogue`` object: every change a librarian makes, locked, prepared and announced.

It composes the package's parts: ``records`` (files, ids, tombstones, attachments),
``prepare`` (normalization policy), ``links`` (symmetric links), ``checks`` (``reslib check``),
``bus`` (listeners), ``journal``, ``recovery`` and ``replay`` (the index journal and its
replay), ``names`` (organization and glossary changes). Every
write takes the library lock, refreshes the authority file and glossary it is about to change
(read under the lock that writes them), and goes through ``_commit``/``_commit_removal``, the
one place where a record file is written or deleted and listeners hear of it.

Every write is one batch (``batch``): the index commits once per command, after the record
and the records it links to are written. Before a session's first record or tombstone the
index journal is written (``journal``); when the outermost batch ends without error and
every index listener is caught up, the journal is cleared. A catalogue that keeps an index
replays a journal left by another session as soon as it takes the lock (``recover``).

A record's ``updated`` stamp is its version. A write may state the version it read
(``expected_updated``); the version on disk is compared under the lock, and a save over a
newer one is refused with ``Conflict`` instead of silently undoing someone else's change.
Every save moves the stamp forward (``models.next_stamp``), so each save is a new version.

``Catalogue(home)`` has no listeners: it is for readers (the search engine reads records
through it). Writers open the library with ``reslib.library.open_library``, which attaches
the index updater so the index follows every change.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..authority import Organizations
from ..config import Home
from ..errors import Conflict
from ..filecopy import FileCopy
from ..glossary import Glossary
from ..models import Record, next_stamp, now
from ..storage import library_lock, lock_held
from . import checks, links
from .bus import Listener, ListenerBus
from .edits import apply_assignment
from .journal import IndexJournal
from .names import NameOperations
from .prepare import prepare
from .records import RecordFiles
from .recovery import Recovery
from .replay import JournalReplay


@dataclass
class SaveReport:
    """What a save did beyond the record itself."""

    record: Record
    new_organizations: list[str] = field(default_factory=list)
    touched: list[str] = field(default_factory=list)


class Catalogue(JournalReplay, NameOperations):
    """Records, organizations and glossary of one library root."""

    def __init__(self, home: Home, listeners: Iterable[Listener] = ()) -> None:
        self.home = home
        self.files = RecordFiles(home)
        self.bus = ListenerBus(listeners)
        self.journal = IndexJournal(home.library)
        #: The last replay of the journal this catalogue made (``reslib check`` reports it).
        self.recovered: Recovery | None = None
        # The session of the journal this catalogue wrote or replayed, which it may clear.
        self._journal_session: str | None = None
        self._recovering = False
        self._orgs: Organizations | None = None
        self._glossary: Glossary | None = None

    @property
    def listeners(self) -> list[Listener]:
        return self.bus.listeners

    # -- layout (see RecordFiles) --------------------------------------------------------
    @property
    def records_dir(self) -> Path:
        return self.files.records_dir

    @property
    def tombstones_dir(self) -> Path:
        return self.files.tombstones_dir

    @property
    def files_dir(self) -> Path:
        return self.files.files_dir

    def record_path(self, record_id: str) -> Path:
        return self.files.record_path(record_id)

    # -- authority files -----------------------------------------------------------------
    @property
    def organizations(self) -> Organizations:
        if self._orgs is None:
            self._orgs = Organizations.load(self.home.library / "organizations.json")
        return self._orgs

    @property
    def glossary(self) -> Glossary:
        if self._glossary is None:
            self._glossary = Glossary.load(self.home.library / "glossary.json")
        return self._glossary

    def _loaded_copies(self) -> list[FileCopy]:
        return [c for c in (self._orgs, self._glossary) if c is not None]

    @contextlib.contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the library lock with the authority file and glossary as they are on disk.

        Copies read before the lock are refreshed once it is held. If the block fails, what
        it changed in those copies without saving is dropped, so a failed command leaves
        nothing behind for the next save to write. When this process takes the lock (not
        when it holds it already) and an index listener is attached, an index journal left
        by another session is replayed first (``recover``). ``timeout``: seconds to wait
        (default: the ``RESLIB_LOCK_TIMEOUT`` setting).
        """
        taking = not lock_held(self.home.library)
        with library_lock(self.home.library, timeout):
            for copy in self._loaded_copies():
                copy.refresh()
            if taking and self.bus.keeps_index():
                entry = self.journal.read()
                if entry is not None and entry.session != self._journal_session:
                    self.recover()
            dirty_before = {id(c) for c in self._loaded_copies() if c.dirty}
            try:
                yield
            except BaseException:
                for copy in self._loaded_copies():
                    if copy.dirty and id(copy) not in dirty_before:
                        copy.reload()
                raise

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many changes: listeners that support it apply them together at the end.

        When the outermost batch ends without error and every index listener is caught up,
        the index journal this catalogue wrote is cleared. After an error it stays, and the
        next taking of the lock replays it.
        """
        outermost = self.bus.depth == 0
        try:
            with self.bus.batch():
                yield
        except BaseException:
            if outermost:
                self._journal_session = None  # not ours to clear now: replayed next time
            raise
        if outermost:
            self._settle()

    def _settle(self) -> None:
        """Clear this catalogue's journal once the index holds every change it announced.

        Otherwise (no index listener, or one not caught up) the journal stays and is no
        longer this catalogue's: the next taking of the lock replays it.
        """
        session, self._journal_session = self._journal_session, None
        if session is None or not self.bus.caught_up():
            return
        if lock_held(self.home.library):
            self.journal.clear(session)
            return
        # A batch whose writes took the lock one by one ends outside it: clear under the
        # lock if it is free now; otherwise the next writer replays the journal.
        with contextlib.suppress(Conflict), library_lock(self.home.library, timeout=0):
            self.journal.clear(session)

    # -- reading -------------------------------------------------------------------------
    def init(self) -> None:
        """Create an empty library (idempotent)."""
        self.files.make_dirs()
        self.home.indexes.mkdir(parents=True, exist_ok=True)
        with self.locked():
            if not self.organizations.path.exists():
                self.organizations.save()
            if not self.glossary.path.exists():
                self.glossary.save()

    def ids(self) -> list[str]:
        return self.files.ids()

    def exists(self, record_id: str) -> bool:
        return self.files.exists(record_id)

    def is_retired(self, record_id: str) -> bool:
        return self.files.is_retired(record_id)

    def get(self, record_id: str) -> Record:
        return self.files.get(record_id)

    def text(self, record_id: str) -> str:
        """A record's summary and body, read fast and unchecked ("" if unreadable)."""
        return self.files.text(record_id)

    def records(self) -> Iterator[Record]:
        """Every record, by id. Raises on the first unreadable one (``check`` lists them all)."""
        return self.files.records()

    def new_id(self, date: str, title: str) -> str:
        """A readable id from date and title, never one in use or retired."""
        return self.files.new_id(date, title)

    # -- records -------------------------------------------------------------------------
    def prepare(self, record: Record, *, normalize_text: bool = True) -> list[str]:
        """Normalize text fields and map organizations through the authority file.

        Returns the organization names that were new to the authority file (added to it in
        memory; the file is written with the record). The authority file is refreshed first,
        so a caller holding the lock maps names against what is on disk now.
        """
        self.organizations.refresh()
        return prepare(record, self.organizations, normalize_text=normalize_text)

    def add(
        self, record: Record, *, attach: Path | None = None, prepared: bool = False
    ) -> SaveReport:
        """Add a new record. Its id must be new (and never used before).

        ``prepared=True``: the caller ran ``prepare`` already (text is normalized).
        """
        record.validate()
        with self.locked(), self.batch():
            if self.exists(record.id):
                raise Conflict(f"record {record.id} exists already: use 'reslib edit'")
            if self.is_retired(record.id):
                raise Conflict(f"record id {record.id} was used by a removed record: pick another")
            stamp = now()
            record.added = record.added or stamp
            record.updated = stamp
            return self._save(record, attach=attach, prepared=prepared)

    def save(
        self,
        record: Record,
        *,
        attach: Path | None = None,
        prepared: bool = False,
        expected_updated: str | None = None,
    ) -> SaveReport:
        """Write an existing record (after an edit); the ``added`` stamp is kept.

        ``expected_updated``: the ``updated`` stamp of the version the caller read and
        edited; if the record was saved since, nothing is written and ``Conflict`` says so.
        """
        record.validate()
        with self.locked(), self.batch():
            old = self.get(record.id)
            self._require_version(old, expected_updated)
            record.added = old.added
            record.updated = next_stamp(old.updated)
            return self._save(record, attach=attach, previous=old, prepared=prepared)

    def update(
        self, record_id: str, assignments: list[str], *, expected_updated: str | None = None
    ) -> SaveReport:
        """Apply ``field=value``, ``field+=value`` and ``field-=value`` assignments.

        Read and written under one lock hold, so no other save can come in between;
        ``expected_updated`` is for callers that showed the record before (see ``save``).
        """
        with self.locked(), self.batch():
            record = self.get(record_id)
            self._require_version(record, expected_updated)
            for assignment in assignments:
                apply_assignment(record, assignment)
            return self.save(record, expected_updated=record.updated)

    def remove(self, record_id: str, *, expected_updated: str | None = None) -> Record:
        """Remove a record, keep a tombstone, and drop links to it from other records.

        ``expected_updated``: as in ``save``, for a caller that confirmed a version it read.
        """
        with self.locked(), self.batch():
            record = self.get(record_id)
            self._require_version(record, expected_updated)
            self._journal_write()
            self.files.retire(record)
            emptied = record.with_changes(translations=[], related=[])
            self._sync_links(emptied, record)
            self._commit_removal(record.id)
            return record

    @staticmethod
    def _require_version(current: Record, expected_updated: str | None) -> None:
        """Refuse a write based on a version older than ``current`` (the one on disk)."""
        if expected_updated is None or current.updated == expected_updated:
            return
        raise Conflict(
            f"record {current.id} was saved by someone else (version {current.updated}) "
            f"after you read it (version {expected_updated}): nothing saved; "
            f"read it again ('reslib show {current.id}') and redo your change"
        )

    def _save(
        self,
        record: Record,
        *,
        attach: Path | None = None,
        previous: Record | None = None,
        prepared: bool = False,
    ) -> SaveReport:
        # Everything that can refuse the record runs before the first write (the attachment,
        # the authority file, the record), so a refused command leaves no trace on disk.
        links.require_targets(record, self.exists)
        new_orgs = self.prepare(record, normalize_text=not prepared)
        if attach is not None:
            record.source_file = self.files.attachment_name(record.id, attach)
        elif previous is None or record.source_file != previous.source_file:
            self.files.check_source_file(record.id, record.source_file)
        record.validate()
        if attach is not None:
            self.files.attach(record.id, attach)
        if self.organizations.dirty:
            self.organizations.save()
        self._commit(record)
        touched = self._sync_links(record, previous)
        return SaveReport(record, new_orgs, touched)

    def _sync_links(self, record: Record, previous: Record | None) -> list[str]:
        """Make translations/related symmetric; returns the ids of other records rewritten."""
        versions: dict[str, str] = {}

        def read(ref: str) -> Record | None:
            if not self.exists(ref):
                return None
            other = self.get(ref)
            versions[ref] = other.updated
            return other

        others = links.reverse_links(record, previous, read)
        for other in others:
            # A link written back is a save of the other record too: a new version.
            other.updated = next_stamp(versions[other.id])
            self._commit(other)
        return [other.id for other in others]

    def _commit(self, record: Record) -> None:
        """Write one record file and tell the listeners: every record write ends here."""
        self._journal_write()
        self.files.write(record)
        self.bus.saved(record)

    def _commit_removal(self, record_id: str) -> None:
        self._journal_write()
        self.files.delete(record_id)
        self.bus.removed(record_id)

    def _journal_write(self) -> None:
        """The index journal, on disk before the session's first change (see ``journal``)."""
        entry = self.journal.open()
        if entry is not None:
            self._journal_session = entry.session

    # -- checking ------------------------------------------------------------------------
    def check(self, rules: Sequence[checks.Rule] = checks.RULES) -> list[checks.Problem]:
        """Validate every record file and the links and names between them."""
        return checks.run_checks(self.files, self.organizations, rules)
