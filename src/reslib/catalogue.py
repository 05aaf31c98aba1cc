"""The catalogue: records in ``library/records/`` and the operations librarians perform on them.

``library/`` is the source of truth. Each record is one JSON file (``records/ID.json``), written
atomically under the library lock; original documents live in ``files/ID/``; removed ids keep a
tombstone in ``tombstones/ID.json`` so they are never reused. Text fields are stored normalized,
with the pre-conversion text kept in ``original`` when Zawgyi was converted.

Links are symmetric: saving a record that lists a translation or a related item writes the
reverse link into that item too. Listeners (the index, once built) hear about every saved or
removed record, so the librarian never has to remember to reindex.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .analysis import normalize, normalize_text
from .authority import Organizations
from .config import Home
from .errors import Conflict, InvalidInput, NotFound
from .glossary import Glossary
from .models import EDITABLE_FIELDS, ID_RE, LIST_FIELDS, TEXT_FIELDS, Record, now
from .storage import clean_stale_temporaries, library_lock, write_json

_SYMMETRIC = ("translations", "related")


class Listener(Protocol):
    """Hears about every change. A listener may also define ``batch_begin()`` and
    ``batch_end()``: ``Catalogue.batch()`` calls them so that, say, an index commits once per
    import instead of once per record."""

    def record_saved(self, record: Record) -> None: ...
    def record_removed(self, record_id: str) -> None: ...


@dataclass
class Problem:
    """One finding of ``check``: the record (or file), the field and what is wrong."""

    where: str
    field: str
    message: str
    severity: str = "error"

    def to_dict(self) -> dict[str, str]:
        return {
            "where": self.where,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class SaveReport:
    """What a save did beyond the record itself."""

    record: Record
    new_organizations: list[str] = field(default_factory=list)
    touched: list[str] = field(default_factory=list)


def slugify_title(title: str, limit: int = 60) -> str:
    """An ASCII slug of a title in any script (Burmese is romanized by ICU)."""
    from .analysis.zawgyi import transliterator

    ascii_title = transliterator("Any-Latin; Latin-ASCII; Lower").transliterate(title)
    s = re.sub(r"[^a-z0-9]+", "-", str(ascii_title).lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s or "item"


class Catalogue:
    """Records, organizations and glossary of one library root."""

    def __init__(self, home: Home, listeners: Iterable[Listener] = ()) -> None:
        self.home = home
        self.listeners: list[Listener] = list(listeners)
        self._orgs: Organizations | None = None
        self._glossary: Glossary | None = None
        self._batch_depth = 0

    # -- paths ---------------------------------------------------------------------------
    @property
    def records_dir(self) -> Path:
        return self.home.records

    @property
    def tombstones_dir(self) -> Path:
        return self.home.library / "tombstones"

    @property
    def files_dir(self) -> Path:
        return self.home.files

    def record_path(self, record_id: str) -> Path:
        return self.records_dir / f"{record_id}.json"

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

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many changes: listeners that support it apply them together at the end."""
        self._batch_depth += 1
        if self._batch_depth == 1:
            for listener in self.listeners:
                begin = getattr(listener, "batch_begin", None)
                if begin:
                    begin()
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                for listener in self.listeners:
                    end = getattr(listener, "batch_end", None)
                    if end:
                        end()

    # -- reading -------------------------------------------------------------------------
    def init(self) -> None:
        """Create an empty library (idempotent)."""
        for d in (self.records_dir, self.tombstones_dir, self.files_dir, self.home.indexes):
            d.mkdir(parents=True, exist_ok=True)
        with library_lock(self.home.library):
            if not self.organizations.path.exists():
                self.organizations.save()
            if not self.glossary.path.exists():
                self.glossary.save()

    def ids(self) -> list[str]:
        if not self.records_dir.is_dir():
            return []
        return sorted(p.stem for p in self.records_dir.glob("*.json"))

    def exists(self, record_id: str) -> bool:
        return self.record_path(record_id).exists()

    def is_retired(self, record_id: str) -> bool:
        return (self.tombstones_dir / f"{record_id}.json").exists()

    def get(self, record_id: str) -> Record:
        path = self.record_path(record_id)
        if not ID_RE.match(record_id) or not path.exists():
            if ID_RE.match(record_id) and self.is_retired(record_id):
                raise NotFound(f"record {record_id} was removed")
            raise NotFound(f"no record {record_id!r}: see 'reslib list'")
        return self._read(path)

    def _read(self, path: Path) -> Record:
        where = f"record {path.stem} ({path})"
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{where}: not UTF-8 (byte {exc.start}): fix the file") from None
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f"{where}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            ) from None
        record = Record.from_dict(data, where)
        if record.id != path.stem:
            raise InvalidInput(f"{where}: field 'id' is {record.id!r} but the file is {path.name}")
        return record

    def records(self) -> Iterator[Record]:
        """Every record, by id. Raises on the first unreadable one (``check`` lists them all)."""
        for record_id in self.ids():
            yield self._read(self.record_path(record_id))

    # -- writing -------------------------------------------------------------------------
    def new_id(self, date: str, title: str) -> str:
        """A readable id from date and title, never one in use or retired."""
        base = f"{date}-{slugify_title(normalize_text(title))}"[:100].strip("-")
        candidate, n = base, 2
        while self.exists(candidate) or self.is_retired(candidate):
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def prepare(self, record: Record, *, normalize_text: bool = True) -> list[str]:
        """Normalize text fields and map organizations through the authority file.

        Returns the organization names that were new to the authority file (added to it; the
        file is written with the record). ``normalize_text=False`` skips the text fields, for
        callers that prepared the record already.
        """
        for name in TEXT_FIELDS if normalize_text else ():
            value = getattr(record, name)
            result = normalize(value, report_probability=False)
            if result.converted_from_zawgyi:
                record.original.setdefault(name, value)
            setattr(record, name, result.text)
        new_orgs = []
        names = []
        for raw in record.organizations:
            raw = raw.strip()
            if not raw:
                continue
            if not self.organizations.resolve(raw):
                self.organizations.add(raw)
                new_orgs.append(raw)
            names.append(self.organizations.canonical(raw))
        record.organizations = list(dict.fromkeys(names))
        for name in ("places", "topics"):
            setattr(record, name, list(dict.fromkeys(v.strip() for v in getattr(record, name))))
        return new_orgs

    def add(
        self, record: Record, *, attach: Path | None = None, prepared: bool = False
    ) -> SaveReport:
        """Add a new record. Its id must be new (and never used before).

        ``prepared=True``: the caller ran ``prepare`` already (text is normalized).
        """
        record.validate()
        with library_lock(self.home.library):
            if self.exists(record.id):
                raise Conflict(f"record {record.id} exists already: use 'reslib edit'")
            if self.is_retired(record.id):
                raise Conflict(f"record id {record.id} was used by a removed record: pick another")
            stamp = now()
            record.added = record.added or stamp
            record.updated = stamp
            return self._save(record, attach=attach, prepared=prepared)

    def save(
        self, record: Record, *, attach: Path | None = None, prepared: bool = False
    ) -> SaveReport:
        """Write an existing record (after an edit); the ``added`` stamp is kept."""
        record.validate()
        with library_lock(self.home.library):
            old = self.get(record.id)
            record.added = old.added
            record.updated = now()
            return self._save(record, attach=attach, previous=old, prepared=prepared)

    def update(self, record_id: str, assignments: list[str]) -> SaveReport:
        """Apply ``field=value``, ``field+=value`` and ``field-=value`` assignments."""
        with library_lock(self.home.library):
            record = self.get(record_id)
            for assignment in assignments:
                apply_assignment(record, assignment)
            return self.save(record)

    def _save(
        self,
        record: Record,
        *,
        attach: Path | None = None,
        previous: Record | None = None,
        prepared: bool = False,
    ) -> SaveReport:
        for name in _SYMMETRIC:
            for ref in getattr(record, name):
                if not self.exists(ref):
                    raise InvalidInput(f"record {record.id}: field {name!r}: no record {ref!r}")
        new_orgs = self.prepare(record, normalize_text=not prepared)
        if attach is not None:
            record.source_file = self._attach(record.id, attach)
        record.validate()
        if self.organizations.dirty:
            self.organizations.save()
        write_json(self.record_path(record.id), record.to_dict())
        for listener in self.listeners:
            listener.record_saved(record)
        touched = self._sync_links(record, previous)
        return SaveReport(record, new_orgs, touched)

    def _attach(self, record_id: str, source: Path) -> str:
        if not source.is_file():
            raise InvalidInput(f"{source}: no such file to keep with record {record_id}")
        target_dir = self.files_dir / record_id
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / source.name
        if source.resolve() != target.resolve():
            tmp = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        return str(target.relative_to(self.home.library))

    def _sync_links(self, record: Record, previous: Record | None) -> list[str]:
        """Make translations/related symmetric; returns the ids of other records rewritten."""
        touched: list[str] = []
        for name in _SYMMETRIC:
            now_refs = set(getattr(record, name))
            old_refs = set(getattr(previous, name)) if previous else set()
            for ref in sorted(now_refs | old_refs):
                other = self.get(ref) if self.exists(ref) else None
                if other is None:
                    continue
                links = getattr(other, name)
                if ref in now_refs and record.id not in links:
                    links.append(record.id)
                elif ref not in now_refs and record.id in links:
                    links.remove(record.id)
                else:
                    continue
                other.updated = now()
                write_json(self.record_path(other.id), other.to_dict())
                touched.append(other.id)
                for listener in self.listeners:
                    listener.record_saved(other)
        return touched

    def remove(self, record_id: str) -> Record:
        """Remove a record, keep a tombstone, and drop links to it from other records."""
        with library_lock(self.home.library):
            record = self.get(record_id)
            tomb = {"id": record.id, "title": record.title, "removed": now()}
            write_json(self.tombstones_dir / f"{record.id}.json", tomb)
            emptied = record.with_changes(translations=[], related=[])
            self._sync_links(emptied, record)
            self.record_path(record.id).unlink()
            for listener in self.listeners:
                listener.record_removed(record.id)
            return record

    def merge_organizations(self, source: str, target: str) -> list[str]:
        """Merge two organizations and rename the source in every record; returns ids changed."""
        with library_lock(self.home.library):
            src, tgt = self.organizations.merge(source, target)
            changed = []
            for record in list(self.records()):
                if src.name in record.organizations:
                    record.organizations = list(
                        dict.fromkeys(
                            tgt.name if o == src.name else o for o in record.organizations
                        )
                    )
                    record.updated = now()
                    write_json(self.record_path(record.id), record.to_dict())
                    changed.append(record.id)
                    for listener in self.listeners:
                        listener.record_saved(record)
            self.organizations.save()
            return changed

    # -- checking ------------------------------------------------------------------------
    def check(self) -> list[Problem]:
        """Validate every record file and the links and names between them."""
        problems: list[Problem] = []
        removed = clean_stale_temporaries(self.records_dir)
        if removed:
            problems.append(
                Problem("records/", "-", f"removed {removed} temporary file(s)", "warning")
            )
        records: dict[str, Record] = {}
        for record_id in self.ids():
            try:
                records[record_id] = self._read(self.record_path(record_id))
            except InvalidInput as exc:
                problems.append(Problem(record_id, _field_of(exc.message), exc.message))
        titles: dict[str, str] = {}
        for record in records.values():
            for name in _SYMMETRIC:
                for ref in getattr(record, name):
                    if ref not in records:
                        problems.append(
                            Problem(record.id, name, f"links to missing record {ref!r}")
                        )
                    elif record.id not in getattr(records[ref], name):
                        problems.append(
                            Problem(record.id, name, f"{ref} does not link back", "warning")
                        )
            for org in record.organizations:
                known = self.organizations.resolve(org)
                if known is None:
                    problems.append(
                        Problem(record.id, "organizations", f"{org!r} is not in the authority file")
                    )
                elif known.name != org:
                    problems.append(
                        Problem(
                            record.id,
                            "organizations",
                            f"{org!r} should be written {known.name!r}",
                        )
                    )
            key = record.language + ":" + re.sub(r"\W+", " ", record.title).strip().casefold()
            if key in titles:
                problems.append(
                    Problem(record.id, "title", f"same title as {titles[key]}", "warning")
                )
            else:
                titles[key] = record.id
            if record.source_file and not (self.home.library / record.source_file).exists():
                problems.append(
                    Problem(record.id, "source_file", f"{record.source_file} does not exist")
                )
        return problems


@dataclass
class RecordFilter:
    """The filters of ``list`` and ``export``: all given conditions must hold."""

    types: list[str] = field(default_factory=list)
    language: str | None = None
    organization: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def matches(self, record: Record, orgs: Organizations) -> bool:
        if self.types and record.type not in self.types:
            return False
        # A bilingual item matches either language.
        if self.language and self.language not in record.language.split("+"):
            return False
        if self.organization:
            wanted = orgs.canonical(self.organization)
            if wanted not in record.organizations:
                return False
        # Partial dates compare by prefix: 2023-09 is within 2023-01..2023-12.
        if self.date_from and record.date[: len(self.date_from)] < self.date_from:
            return False
        return not (self.date_to and record.date[: len(self.date_to)] > self.date_to)


def select(catalogue: Catalogue, flt: RecordFilter) -> list[Record]:
    return [r for r in catalogue.records() if flt.matches(r, catalogue.organizations)]


def _field_of(message: str) -> str:
    m = re.search(r"field '([a-z_]+)'", message)
    return m.group(1) if m else "-"


def apply_assignment(record: Record, assignment: str) -> None:
    """``field=value`` sets, ``field+=value`` appends (lists), ``field-=value`` removes."""
    m = re.match(r"^\s*([a-z_]+)\s*([+-]?=)(.*)$", assignment, re.DOTALL)
    if not m:
        raise InvalidInput(f"record {record.id}: cannot read {assignment!r}: use field=value")
    name, op, value = m.group(1), m.group(2), m.group(3).strip()
    if name not in EDITABLE_FIELDS:
        raise InvalidInput(
            f"record {record.id}: field {name!r} cannot be set: use one of "
            + ", ".join(EDITABLE_FIELDS)
        )
    if name in LIST_FIELDS:
        values = [v.strip() for v in value.split(";") if v.strip()]
        current: list[str] = getattr(record, name)
        if op == "=":
            setattr(record, name, values)
        elif op == "+=":
            setattr(record, name, current + [v for v in values if v not in current])
        else:
            setattr(record, name, [v for v in current if v not in values])
        return
    if op != "=":
        raise InvalidInput(f"record {record.id}: field {name!r} is not a list: use {name}=value")
    setattr(record, name, value)
