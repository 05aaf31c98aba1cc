"""The import log: ``library/imports/RUN.json``, what one import run did, for reading and undo.

Every run that creates or updates a record writes one. It says when the run began and
ended, who ran it (``--by``, else the login name), the run's options, each file read with
its size and sha256, and per record: ``created``; ``updated`` with the previous value of
every field the run changed (``previous``); ``skipped`` with the reason. Each record entry
also keeps a fingerprint of the record as the run left it (every field but its stamps and
links), so ``undo`` can tell whether anyone changed it since.

Like the rest of ``library/`` the file is UTF-8 JSON with sorted keys, and diffable: one
line per record entry. It is written atomically (``storage.write_atomic``) when the run
ends. While the run goes on, its events are appended to ``imports/.RUN.jsonl`` (written out
after each document, made durable once per group of documents) and that file is kept
locked; a run killed before its end leaves it behind, and the next ``reslib imports``
command finds it unlocked and turns it into ``RUN.json``, marked interrupted. An event is
logged just after its record is written, so at most the document being written when the
process was killed is missing from such a log.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ..config import Home
from ..errors import Conflict, NotFound
from ..models import Record, field_names, now
from ..storage import fsync_dir, parse_json, write_atomic
from .merge import checksum
from .summary import ImportSummary

#: A run's name: when it began (UTC), to a fraction of a second (``new_run_id``).
RUN_RE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}\Z")

#: Fields a record's fingerprint leaves out: stamps, and links (another record's save
#: writes them back, which is no edit of this one).
_NOT_FINGERPRINTED = ("added", "updated", "translations", "related")
#: Fields an update may change and undo restores (links are undone apart).
RESTORED = field_names(without=(*_NOT_FINGERPRINTED, "id"))
LINK_FIELDS = ("translations", "related")


def imports_dir(home: Home) -> Path:
    return home.library / "imports"


def log_path(home: Home, run_id: str) -> Path:
    return imports_dir(home) / f"{run_id}.json"


def fingerprint(record: Record) -> str:
    """A checksum of ``record`` but its stamps and links (see the module docstring)."""
    data = record.to_dict()
    return checksum({k: v for k, v in data.items() if k not in _NOT_FINGERPRINTED})


def who(by: str | None) -> str:
    """``--by``, else the login name, else ``""`` (unknown)."""
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # no login name at all (a container without a passwd entry)
        return ""


def new_run_id(home: Home) -> str:
    """A name for a run beginning now: the time (UTC), then the fraction of the second in
    four hex digits, so names sort in the order runs began."""
    moment = datetime.now(UTC)
    fraction = moment.microsecond * 0x10000 // 1_000_000
    for n in range(fraction, 0x10000):
        run_id = f"{moment:%Y%m%d-%H%M%S}-{n:04x}"
        if not log_path(home, run_id).exists() and not _partial(home, run_id).exists():
            return run_id
    raise Conflict("another import began in the same instant: try again")


def _partial(home: Home, run_id: str) -> Path:
    return imports_dir(home) / f".{run_id}.jsonl"


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


class RunLog:
    """The log of the run under way (see the module docstring)."""

    def __init__(self, home: Home, options: dict[str, Any], by: str | None = None) -> None:
        self.home = home
        self.run_id = new_run_id(home)
        self._head = {
            "event": "run",
            "run": self.run_id,
            "started": now(),
            "by": who(by),
            "options": options,
        }
        self._pending: list[str] = [_line(self._head)]
        self._changed = False
        self._fh: IO[str] | None = None

    # -- events --------------------------------------------------------------------------
    def file(self, path: Path, size: int, sha256: str, fmt: str) -> None:
        """A file read: its size and checksum, taken from the bytes parsed."""
        self._event(
            {
                "event": "file",
                "path": str(path.absolute()),
                "bytes": size,
                "sha256": sha256,
                "format": fmt,
            }
        )

    def created(self, record: Record, where: str) -> None:
        self._changed = True
        self._event(
            {"event": "created", "id": record.id, "where": where, "written": fingerprint(record)}
        )

    def updated(self, old: Record, new: Record, where: str) -> None:
        """``new`` saved over ``old``: the previous value of each field it changed."""
        self._changed = True
        previous = {
            name: getattr(old, name)
            for name in RESTORED
            if getattr(old, name) != getattr(new, name)
        }
        event: dict[str, Any] = {
            "event": "updated",
            "id": new.id,
            "where": where,
            "previous": previous,
            "written": fingerprint(new),
        }
        added = {
            name: [r for r in getattr(new, name) if r not in getattr(old, name)]
            for name in LINK_FIELDS
        }
        if any(added.values()):
            event["links_added"] = {k: v for k, v in added.items() if v}
        self._event(event)

    def linked(self, record_id: str, name: str, other_id: str) -> None:
        """The catalogue wrote a link back into ``record_id``."""
        self._changed = True
        self._event({"event": "linked", "id": record_id, "links_added": {name: [other_id]}})

    def _event(self, data: dict[str, Any]) -> None:
        self._pending.append(_line(data))

    # -- writing -------------------------------------------------------------------------
    def flush(self, *, sync: bool = False) -> None:
        """Append the events so far to the run's partial log; ``sync``: make it durable.

        Nothing is written before the run changes the library: a run that changes nothing
        leaves no log.
        """
        if not self._changed:
            return
        if self._fh is None:
            self._fh = self._open()
        if self._pending:
            self._fh.write("".join(f"{line}\n" for line in self._pending))
            self._pending = []
            self._fh.flush()
        if sync:
            os.fsync(self._fh.fileno())

    def _open(self) -> IO[str]:
        path = _partial(self.home, self.run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Locked under another name, then renamed: ``recover`` must never find it unlocked
        # while the run goes on. The lock is held until the run ends (or its process dies).
        fresh = path.with_name(f"{path.name}.new")
        fh = fresh.open("w", encoding="utf-8")
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        os.replace(fresh, path)
        fsync_dir(path.parent)
        return fh

    def finish(self, summary: ImportSummary) -> Path | None:
        """Write ``RUN.json`` from the events and the summary; None when nothing changed."""
        if not self._changed:
            return None
        self.flush()
        assert self._fh is not None
        partial = _partial(self.home, self.run_id)
        lines = partial.read_text(encoding="utf-8").splitlines()
        log = assemble(lines, finished=now(), interrupted=summary.interrupted)
        log["counts"]["unchanged"] = len(summary.unchanged)
        log["conflicts"] = summary.conflicts
        log["records"] += [
            {"action": "skipped", "where": s["path"], "reason": s["reason"]}
            for s in summary.skipped
        ]
        log["counts"]["skipped"] = len(summary.skipped)
        path = log_path(self.home, self.run_id)
        write_atomic(path, render(log))
        partial.unlink()
        self._fh.close()
        self._fh = None
        return path

    def close(self) -> None:
        """Let go of the partial log without finishing it (the run failed)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def assemble(lines: list[str], *, finished: str | None, interrupted: bool) -> dict[str, Any]:
    """The log of a run from its events, one record entry per record."""
    head: dict[str, Any] = {}
    files: list[dict[str, Any]] = []
    entries: dict[str, dict[str, Any]] = {}
    for text in lines:
        try:
            event = json.loads(text)
        except json.JSONDecodeError:
            continue  # The last line of a run killed while writing it.
        kind = event.pop("event", None)
        if kind == "run":
            head = event
        elif kind == "file":
            files.append(event)
        elif kind in ("created", "updated", "linked"):
            _merge_event(entries, kind, event)
    records = list(entries.values())
    counts = {
        "created": sum(1 for e in records if e["action"] == "created"),
        "updated": sum(1 for e in records if e["action"] == "updated"),
    }
    return {
        **head,
        "finished": finished,
        "interrupted": interrupted,
        "files": files,
        "counts": counts,
        "records": records,
    }


def _merge_event(entries: dict[str, dict[str, Any]], kind: str, event: dict[str, Any]) -> None:
    """Fold one event into its record's entry: the first previous value of a field is the
    one before the run; the last fingerprint is the record as the run left it."""
    record_id = event["id"]
    entry = entries.get(record_id)
    if entry is None:
        entry = entries[record_id] = {"id": record_id, "action": "updated", "previous": {}}
        if kind == "created":
            entry["action"] = "created"
            del entry["previous"]
    if kind != "linked":
        entry.setdefault("where", event.get("where", ""))
        entry["written"] = event["written"]
    if entry["action"] == "updated":
        for name, value in event.get("previous", {}).items():
            entry["previous"].setdefault(name, value)
        links = entry.setdefault("links_added", {})
        for name, refs in event.get("links_added", {}).items():
            kept = links.setdefault(name, [])
            kept += [r for r in refs if r not in kept]
        if not links:
            del entry["links_added"]


def render(log: dict[str, Any]) -> str:
    """The file's text: sorted keys, two-space indent, one line per record entry."""
    out = ["{"]
    keys = sorted(log)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        if key == "records" and log[key]:
            out.append('  "records": [')
            entries = [f"    {_line(e)}" for e in log[key]]
            out.append(",\n".join(entries))
            out.append(f"  ]{comma}")
            continue
        value = json.dumps(log[key], ensure_ascii=False, indent=2, sort_keys=True)
        value = value.replace("\n", "\n  ")
        out.append(f"  {json.dumps(key)}: {value}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


# -- reading -------------------------------------------------------------------------------
def recover(home: Home) -> list[str]:
    """Turn the partial logs of runs that were killed into ``RUN.json``; their run ids.

    A partial log still locked belongs to a run under way and is left alone. Best effort:
    a user who may not write to ``library/`` lists the finished runs only.
    """
    done: list[str] = []
    folder = imports_dir(home)
    if not folder.is_dir():
        return done
    for partial in sorted(folder.glob(".*.jsonl")):
        run_id = partial.name[1:-6]
        if not RUN_RE.match(run_id):
            continue
        with contextlib.suppress(OSError), _unlocked(partial) as lines:
            if lines is None:
                continue
            target = log_path(home, run_id)
            if not target.exists():
                write_atomic(target, render(assemble(lines, finished=None, interrupted=True)))
            partial.unlink(missing_ok=True)
            done.append(run_id)
    return done


@contextlib.contextmanager
def _unlocked(path: Path) -> Iterator[list[str] | None]:
    """The lines of ``path`` if no run holds it locked (else None), the lock held meanwhile."""
    with path.open("r", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        if not path.exists():  # Another command recovered it while this one waited.
            yield None
            return
        yield fh.read().splitlines()


def run_ids(home: Home) -> list[str]:
    """Every logged run, oldest first."""
    recover(home)
    folder = imports_dir(home)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if RUN_RE.match(p.stem))


def load(home: Home, run_id: str) -> dict[str, Any]:
    """The log of run ``run_id``; ``NotFound`` when there is none."""
    recover(home)
    path = log_path(home, run_id) if RUN_RE.match(run_id) else None
    if path is not None and not path.is_file() and _partial(home, run_id).exists():
        raise Conflict(f"import run {run_id} is still under way: wait until it has finished")
    if path is None or not path.is_file():
        raise NotFound(f"no import run {run_id!r}: see 'reslib imports list'")
    data = parse_json(path.read_bytes(), str(path), "fix the file by hand")
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise NotFound(f"{path}: not an import log")
    return data


def save(home: Home, log: dict[str, Any]) -> None:
    write_atomic(log_path(home, log["run"]), render(log))
