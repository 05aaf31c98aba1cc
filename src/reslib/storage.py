"""Crash-safe file writes and the library lock.

``write_atomic`` writes a temporary file in the target's directory, fsyncs it, renames it over
the target and fsyncs the directory: a process killed at any moment leaves the old file or the
new one, never a half-written one. Inside ``synced_together()`` (an import's group of records)
each file is still fsynced before its rename, so a rename never names unwritten data, but the
directories are fsynced once each when the block ends: a rename not yet durable when the power
goes leaves the old file, which the promise allows, and a group of 2,000 records pays 2,001
fsyncs instead of 4,000. ``write_temporary`` and ``replace_together`` are group commit proper:
many files written to temporaries, fsynced at once (from threads, so the file system commits
them in one journal transaction), renamed, and each folder fsynced once.

``library_lock`` serialises writers across processes with ``flock`` and fails with a clear
message when another writer holds it too long; ``file_lock`` is the same kind of lock on any
file, for locks that wait without a limit or not at all (a second ``reslib reindex`` waits for
the first).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import settings
from .errors import Conflict, InvalidInput


def dumps_json(data: Any) -> str:
    """The one JSON style of library files: UTF-8 as is, two-space indent, newline at end."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def parse_json(data: bytes | str, where: str, hint: str = "") -> Any:
    """JSON a person may have typed or edited (a record file, an editor's draft, the authority
    file), with one clear message naming ``where`` and the place it breaks, then ``hint``
    (what to do)."""
    suffix = f": {hint}" if hint else ""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{where}: not UTF-8 (byte {exc.start}){suffix}") from None
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{where}: invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg}){suffix}"
        ) from None


def read_json_object(path: Path) -> dict[str, Any]:
    """A library file a librarian may edit by hand, with a clear message when it is broken."""
    data = parse_json(path.read_bytes(), str(path), "fix the file by hand")
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: expected a JSON object: fix the file by hand")
    return data


def write_atomic(path: Path, data: bytes | str, mode: int = 0o666) -> None:
    """Replace ``path`` with ``data`` so that readers only ever see the old or new file.

    ``mode`` is the new file's permissions before the umask: 0o660 keeps personal data (the
    addresses of search alerts) from other users of the machine."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if _unsynced_dirs is not None:
        _unsynced_dirs.add(path.parent)
    else:
        fsync_dir(path.parent)


#: Folders renamed into and not yet fsynced, while ``synced_together`` is open.
_unsynced_dirs: set[Path] | None = None


@contextlib.contextmanager
def synced_together() -> Iterator[None]:
    """Within the block, ``write_atomic`` leaves the fsync of its folder to the block's end,
    once per folder (see the module docstring). Nested blocks count as the outermost one.
    The folders are fsynced even when the block raises: what was renamed is made durable.
    A caller that needs a file durable before the next write (the index journal, before the
    records it announces) calls ``fsync_dir`` itself."""
    global _unsynced_dirs
    if _unsynced_dirs is not None:
        yield
        return
    _unsynced_dirs = set()
    try:
        yield
    finally:
        folders, _unsynced_dirs = _unsynced_dirs, None
        for folder in sorted(folders):
            with contextlib.suppress(FileNotFoundError):
                fsync_dir(folder)


def write_temporary(path: Path, data: bytes) -> str:
    """A temporary file beside ``path`` holding ``data``, not yet fsynced: half of a group
    commit (``replace_together``). Returns its path."""
    fd, tmp = _create_temporary(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


#: Threads that fsync a group's files: concurrent fsyncs share the file system's commits.
SYNC_THREADS = 16


def replace_together(moves: list[tuple[str, Path]]) -> None:
    """Make each temporary (``write_temporary``) durable, then rename it over its target, in
    order, then fsync each folder once: a process killed or a power cut at any moment leaves
    each target old or new. A temporary not renamed is removed by ``clean_stale_temporaries``
    (``reslib check``)."""
    if not moves:
        return
    # What ``synced_together`` deferred (the authority file a record names) is made durable
    # before the records that need it.
    if _unsynced_dirs:
        for folder in sorted(_unsynced_dirs):
            fsync_dir(folder)
        _unsynced_dirs.clear()
    with ThreadPoolExecutor(min(SYNC_THREADS, len(moves))) as pool:
        list(pool.map(fsync_path, [tmp for tmp, _ in moves]))
    for tmp, target in moves:
        os.replace(tmp, target)
    for folder in sorted({target.parent for _, target in moves}):
        fsync_dir(folder)


def _create_temporary(path: Path, mode: int = 0o666) -> tuple[int, str]:
    """A new file beside ``path``, created with the process's umask applied (0644 under the
    usual 022), not ``mkstemp``'s 0600: a server running as another user than the librarian
    must be able to read what the librarian wrote."""
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file beside {path}")


def unique_dir(parent: Path, prefix: str) -> Path:
    """A new, empty folder ``parent/prefix<random>``, created with the process's umask (0755
    under 022): ``tempfile.mkdtemp`` always gives 0700, which a server running as another
    user cannot read."""
    parent.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"could not create a new folder in {parent}")


def fsync_path(path: str | Path) -> None:
    """Make a file's or a folder's contents durable (a folder's: the names in it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


fsync_dir = fsync_path


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, dumps_json(data))


_held: dict[Path, int] = {}


def lock_held(library: Path) -> bool:
    """True when this process holds ``library``'s write lock now."""
    return bool(_held.get(library.resolve()))


class LockBusy(Exception):
    """``file_lock(..., wait=False)`` found the lock held by another process."""


@contextlib.contextmanager
def file_lock(
    path: Path, *, wait: bool = True, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) for the block.

    ``wait=False`` raises ``LockBusy`` at once when another process holds it; otherwise it
    waits as long as that takes, calling ``waiting()`` once first. The lock goes with the
    process, so a killed holder never leaves it taken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise LockBusy(str(path)) from None
            if waiting:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def library_lock(library: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the library's write lock (``library/.lock``) for the duration of the block.

    Re-entrant within a process (an import holds it while it calls ``add``), exclusive
    across processes.
    """
    key = library.resolve()
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    timeout = settings.get("lock_timeout") if timeout is None else timeout
    library.mkdir(parents=True, exist_ok=True)
    fd = os.open(library / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Conflict(
                        f"the library at {library} is locked by another reslib process; "
                        f"waited {timeout:g}s: try again when it has finished"
                    ) from None
                time.sleep(0.05)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def clean_stale_temporaries(directory: Path) -> int:
    """Remove temporary files a killed writer left behind; returns how many."""
    count = 0
    if directory.is_dir():
        for tmp in directory.glob(".*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
                count += 1
    return count
