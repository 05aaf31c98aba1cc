"""Record files: where records, tombstones and attachments live, ids, reads and raw writes.

One JSON file per record in ``library/records/ID.json``; a removed id keeps a tombstone in
``library/tombstones/ID.json`` so it is never minted again; original documents sit in
``library/files/ID/``. This module knows the layout and nothing of policy: it neither
normalizes nor links nor takes the lock (``Catalogue`` does, around every write it makes here).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..analysis import normalize_text
from ..config import Home
from ..errors import InvalidInput, NotFound
from ..models import ID_RE, Record, now
from ..storage import parse_json, write_json


def slugify_title(title: str, limit: int = 60) -> str:
    """An ASCII slug of a title in any script (Burmese is romanized by ICU)."""
    from ..analysis.zawgyi import transliterator

    ascii_title = transliterator("Any-Latin; Latin-ASCII; Lower").transliterate(title)
    s = re.sub(r"[^a-z0-9]+", "-", str(ascii_title).lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s or "item"


# Bidi controls (embeddings, overrides, isolates, marks) make a name display as something it
# is not ("invoice\u202efdp.exe"); control characters (C0, DEL, C1) break lines and terminals.
_UNSAFE_IN_NAMES = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _readable(text: str) -> str:
    """``text`` with surrogate escapes (bytes that were not UTF-8) turned into U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def safe_file_name(name: str) -> str:
    """``name`` as an attachment is stored: no control or bidi characters, no path parts.

    Bytes that were not UTF-8 (surrogate escapes from the file system) become U+FFFD, so the
    name can be written into the record file.
    """
    name = _readable(name)
    name = unicodedata.normalize("NFC", _UNSAFE_IN_NAMES.sub("", name))
    name = name.replace("/", "_").replace("\\", "_").strip()
    return name if name.strip(".") else "file"


def _mtimes(directory: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        entries = os.scandir(directory)
    except FileNotFoundError:
        return out
    with entries as it:
        for entry in it:
            if entry.name.endswith(".json") and not entry.name.startswith("."):
                with contextlib.suppress(FileNotFoundError):
                    out[entry.name[:-5]] = entry.stat().st_mtime_ns
    return out


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

    def mtimes(self) -> dict[str, int]:
        """Every record id with its file's modification time (ns): one ``scandir``, no reads
        (0.1 s for 50,000 records)."""
        return _mtimes(self.records_dir)

    def tombstone_mtimes(self) -> dict[str, int]:
        """Every retired id with the time its tombstone was written (ns)."""
        return _mtimes(self.tombstones_dir)

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
        data = parse_json(path.read_bytes(), where, "fix the file")
        record = Record.from_dict(data, where)
        if record.id != path.stem:
            raise InvalidInput(f"{where}: field 'id' is {record.id!r} but the file is {path.name}")
        return record

    def text(self, record_id: str) -> str:
        """A record's summary and body as stored, read without checking the rest of the
        record ("" when it is missing or unreadable): the text search cuts snippets from
        and reads its best candidates in, which must not pay for a full validation each."""
        if not ID_RE.match(record_id):
            return ""
        try:
            data = json.loads(self.record_path(record_id).read_bytes())
        except (OSError, ValueError):
            return ""
        if not isinstance(data, dict):
            return ""
        parts = (data.get("summary"), data.get("body"))
        return "\n\n".join(p for p in parts if isinstance(p, str) and p)

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

    # -- attachments ---------------------------------------------------------------------
    def attachment_name(self, record_id: str, source: Path) -> str:
        """Where ``attach`` will keep ``source``: its path relative to library/ (nothing is
        copied yet, so a record that fails validation leaves no file behind)."""
        if not source.is_file():
            raise InvalidInput(
                f"{_readable(str(source))}: no such file to keep with record {record_id}"
            )
        return f"files/{record_id}/{safe_file_name(source.name)}"

    def attach(self, record_id: str, source: Path) -> str:
        """Copy ``source`` into the record's folder; returns its path relative to library/."""
        name = self.attachment_name(record_id, source)
        target = self.home.library / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.resolve() != target.resolve():
            tmp = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        return name

    def check_source_file(self, record_id: str, source_file: str) -> None:
        """Refuse a ``source_file`` that is not a file kept in ``library/files/ID/``.

        The site serves this file and the index reads it, so a path out of the record's
        folder (absolute, ``..``, or a symbolic link leading out) would publish any file the
        librarian's account can read.
        """
        if not source_file:
            return
        where = f"record {record_id}: field 'source_file' {source_file!r}"
        folder = f"files/{record_id}/"
        parts = PurePosixPath(source_file).parts
        if PurePosixPath(source_file).is_absolute() or ".." in parts or "\\" in source_file:
            raise InvalidInput(
                f"{where} must be a path relative to library/ inside {folder}, like {folder}NAME"
            )
        inside = (self.files_dir / record_id).resolve()
        target = (self.home.library / source_file).resolve()
        if not target.is_relative_to(inside) or target == inside:
            raise InvalidInput(f"{where} is not a file inside library/{folder}")
        if not target.is_file():
            raise InvalidInput(
                f"{where}: no such file: put it in library/{folder} first, or leave the field empty"
            )
