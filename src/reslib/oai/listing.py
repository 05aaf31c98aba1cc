"""Every item a harvester can see, with its datestamp and what its sets are made of.

An item is a record (datestamp: its ``updated`` stamp) or a removed record's tombstone
(datestamp: when it was removed, the record shown as deleted). Lists are ordered by
``(datestamp, id)``, the order resumption tokens continue in (``tokens``).

Each list request needs every item's datestamp, so each process keeps them. Every write the
catalogue makes renames a file into ``records/`` or ``tombstones/``, which changes that
folder's modification time; while neither folder's changed, the list is reused as it is (a
folder changed less than a second before it was last read is read again, since two changes
within one clock tick leave one time). When one changed, a ``scandir`` finds the files written
since (a new modification time, inode or size) and only those are read again, so a page of a
50,000-record library reads a page of files, not the library. A record file edited in place by
hand, without reslib, is seen at the next change reslib makes. A record file that is not JSON
or lacks the fields listed is left out; one that reads but does not validate is left out of
pages with metadata (``reslib check`` names both).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..catalogue import RecordFiles


@dataclass(frozen=True)
class Item:
    """One harvestable item. ``type`` is ``None`` for a tombstone that does not say what the
    record was (tombstones keep id, title and removal time), whose sets are unknown."""

    id: str
    stamp: datetime
    deleted: bool
    type: str | None = None
    language: str = ""
    organizations: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.stamp, self.id)


def parse_stamp(text: object) -> datetime | None:
    """An ISO 8601 stamp as an aware UTC instant, or ``None`` when it is not one."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def _file_time(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _read_record(path: Path) -> Item | None:
    """The listing's view of one record file: only the fields it needs, checked for type.

    The record itself is read (and validated) again when a page shows it; reading 50,000
    files this way costs less than half of building each ``Record``.
    """
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, OSError):
        return None
    if not isinstance(data, dict) or data.get("id") != path.stem:
        return None
    kind, language, orgs = data.get("type"), data.get("language"), data.get("organizations", [])
    if not isinstance(kind, str) or not isinstance(language, str) or not isinstance(orgs, list):
        return None
    try:
        stamp = parse_stamp(data.get("updated")) or parse_stamp(data.get("added"))
        stamp = stamp or _file_time(path)
    except OSError:
        return None
    organizations = tuple(o for o in orgs if isinstance(o, str))
    return Item(path.stem, stamp, False, kind, language, organizations)


def _read_tombstone(path: Path) -> Item | None:
    try:
        data = json.loads(path.read_bytes())
        stamp = parse_stamp(data.get("removed")) or _file_time(path)
    except (ValueError, OSError, AttributeError):
        return None
    # Tombstones written before they recorded the sets leave them unknown (``type`` None).
    kind = data.get("type") if isinstance(data.get("type"), str) else None
    orgs = data.get("organizations")
    organizations = tuple(o for o in orgs if isinstance(o, str)) if isinstance(orgs, list) else ()
    language = data.get("language") if isinstance(data.get("language"), str) else ""
    return Item(path.stem, stamp, True, kind, language, organizations)


_Signature = tuple[int, int, int]
#: A folder read less than this long after its last change is read again next time.
_TICK_NS = 1_000_000_000


def _scan(directory: Path) -> dict[str, tuple[_Signature, Path]]:
    found: dict[str, tuple[_Signature, Path]] = {}
    try:
        entries = os.scandir(directory)
    except FileNotFoundError:
        return found
    with entries as it:
        for entry in it:
            if not entry.name.endswith(".json") or entry.name.startswith("."):
                continue
            with contextlib.suppress(FileNotFoundError):
                st = entry.stat()
                found[entry.name[:-5]] = ((st.st_mtime_ns, st.st_ino, st.st_size), Path(entry))
    return found


class _Folder:
    """The items of one folder (records or tombstones), read again only when a file changed."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[_Signature, Item | None]] = {}

    def refresh(self, directory: Path, read: Callable[[Path], Item | None]) -> None:
        seen = _scan(directory)
        fresh: dict[str, tuple[_Signature, Item | None]] = {}
        for item_id, (signature, path) in seen.items():
            known = self.items.get(item_id)
            if known is not None and known[0] == signature:
                fresh[item_id] = known
            else:
                fresh[item_id] = (signature, read(path))
        self.items = fresh

    def __iter__(self) -> Iterator[Item]:
        return (item for _, item in self.items.values() if item is not None)


class Listing:
    """The items of one library, kept up to date by ``items()``."""

    def __init__(self, files: RecordFiles) -> None:
        self.files = files
        self._records = _Folder()
        self._tombstones = _Folder()
        self._lock = threading.Lock()
        self._folder_times: tuple[int, int] | None = None
        self._read_at = 0
        self._items: list[Item] = []

    def _folder_stamps(self) -> tuple[int, int]:
        stamps = []
        for directory in (self.files.records_dir, self.files.tombstones_dir):
            try:
                stamps.append(directory.stat().st_mtime_ns)
            except FileNotFoundError:
                stamps.append(0)
        return (stamps[0], stamps[1])

    def items(self) -> list[Item]:
        """Every record and tombstone as the library is now, in ``(datestamp, id)`` order.

        A record wins over a tombstone of the same id (a hand-restored file). The list
        returned is shared: callers must not change it."""
        with self._lock:
            folder_times = self._folder_stamps()
            settled = self._read_at - max(folder_times) > _TICK_NS
            if folder_times == self._folder_times and settled:
                return self._items
            read_at = time.time_ns()
            self._records.refresh(self.files.records_dir, _read_record)
            self._tombstones.refresh(self.files.tombstones_dir, _read_tombstone)
            live = {item.id: item for item in self._records}
            gone = [item for item in self._tombstones if item.id not in live]
            self._items = sorted([*live.values(), *gone], key=lambda item: item.key)
            self._folder_times, self._read_at = folder_times, read_at
            return self._items


_LISTINGS: dict[str, Listing] = {}
_LISTINGS_LOCK = threading.Lock()


def listing(files: RecordFiles) -> Listing:
    """The process's listing of the library ``files`` belongs to."""
    key = str(files.records_dir.resolve())
    with _LISTINGS_LOCK:
        found = _LISTINGS.get(key)
        if found is None:
            found = _LISTINGS[key] = Listing(files)
        return found
