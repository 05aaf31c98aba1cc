"""Record files: where records, tombstones and attachments live, ids, reads and raw writes.

One JSON file per record in ``library/records/ID.json``; a removed id keeps a tombstone in
``library/tombstones/ID.json`` so it is never minted again; original documents sit in
``library/files/ID/``. This module knows the layout and nothing of policy: it neither
normalizes nor links nor takes the lock (``Catalogue`` does, around every write it makes here).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from ..analysis import normalize_text
from ..config import Home
from ..errors import InvalidInput, NotFound
from ..models import ID_RE, Record, now
from ..storage import write_json


def slugify_title(title: str, limit: int = 60) -> str:
    """An ASCII slug of a title in any script (Burmese is romanized by ICU)."""
    from ..analysis.zawgyi import transliterator

    ascii_title = transliterator("Any-Latin; Latin-ASCII; Lower").transliterate(title)
    s = re.sub(r"[^a-z0-9]+", "-", str(ascii_title).lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s or "item"


class RecordFiles:
    """The record, tombstone and attachment files of one library root."""

    def __init__(self, home: Home) -> None:
        self.home = home

    # -- layout --------------------------------------------------------------------------
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

    def tombstone_path(self, record_id: str) -> Path:
        return self.tombstones_dir / f"{record_id}.json"

    def make_dirs(self) -> None:
        for d in (self.records_dir, self.tombstones_dir, self.files_dir):
            d.mkdir(parents=True, exist_ok=True)

    # -- ids -----------------------------------------------------------------------------
    def ids(self) -> list[str]:
        if not self.records_dir.is_dir():
            return []
        return sorted(p.stem for p in self.records_dir.glob("*.json"))

    def exists(self, record_id: str) -> bool:
        return self.record_path(record_id).exists()

    def is_retired(self, record_id: str) -> bool:
        return self.tombstone_path(record_id).exists()

    def new_id(self, date: str, title: str) -> str:
        """A readable id from date and title, never one in use or retired."""
        base = f"{date}-{slugify_title(normalize_text(title))}"[:100].strip("-")
        candidate, n = base, 2
        while self.exists(candidate) or self.is_retired(candidate):
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    # -- reads ---------------------------------------------------------------------------
    def get(self, record_id: str) -> Record:
        path = self.record_path(record_id)
        if not ID_RE.match(record_id) or not path.exists():
            if ID_RE.match(record_id) and self.is_retired(record_id):
                raise NotFound(f"record {record_id} was removed")
            raise NotFound(f"no record {record_id!r}: see 'reslib list'")
        return self.read(path)

    def read(self, path: Path) -> Record:
        """The record in ``path``; a broken file is an InvalidInput naming record and place."""
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
            yield self.read(self.record_path(record_id))

    # -- raw writes (the caller holds the lock) ------------------------------------------
    def write(self, record: Record) -> None:
        write_json(self.record_path(record.id), record.to_dict())

    def retire(self, record: Record) -> None:
        """Write the tombstone that keeps ``record``'s id from being minted again."""
        tomb = {"id": record.id, "title": record.title, "removed": now()}
        write_json(self.tombstone_path(record.id), tomb)

    def delete(self, record_id: str) -> None:
        self.record_path(record_id).unlink()

    def attach(self, record_id: str, source: Path) -> str:
        """Copy ``source`` into the record's folder; returns its path relative to library/."""
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
