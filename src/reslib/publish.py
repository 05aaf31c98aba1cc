"""Publishing: a read-only copy of the library and its live index, for replicas to serve.

A published directory holds whole generations and a pointer to the one to serve::

    DEST/CURRENT           the name of the generation replicas serve (replaced atomically)
    DEST/gen-<stamp>-<id>/ a library root of its own: ``library/`` (records, files, the
                           authority file and glossary) and ``indexes/`` (the live index
                           generation alone, with its own ``CURRENT``)

A new generation is written beside the others under a hidden name, renamed into place when
complete, and only then named in ``CURRENT``: a replica never sees half of one. Files that
did not change since the generation published before (same path, size and modification
time: Whoosh never rewrites a segment file, and a record file is replaced when edited) are
hard links to it, not copies, so a publish after a small import costs little. The last
``KEEP`` generations stay: a replica answering a request on the one before keeps finding
its files.

What is private or only for writing is never published: the search alerts and their secret
(personal data), the import logs, the lock and the journal of unindexed changes (any dot
file). The copy is taken under the library lock, so no import or edit changes the index
or the records while it is read.

A destination ``HOST:PATH`` is reached with rsync over ssh (``--link-dest`` does the hard
links there) and the pointer is switched with one ssh command.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import settings
from .config import Home
from .errors import InvalidInput, ReslibError
from .index import IndexUnavailable, index_status, live_dir
from .index.layout import POINTER
from .library import replay_journal
from .storage import library_lock, write_atomic

#: Generations kept in a published directory (the new one and the ones before it).
KEEP = 3
#: Top-level parts of ``library/`` a replica never needs (besides every dot file).
PRIVATE = frozenset({"alerts.json", "imports"})
GENERATION_PREFIX = "gen-"
_REMOTE = re.compile(r"^(?:[\w.-]+@)?[\w.-]+:(?!//)")


class PublishError(ReslibError):
    """A publish that could not complete: the destination was left serving what it served."""


@dataclass
class Published:
    """What one publish did."""

    destination: str
    generation: str
    records: int
    copied: int = 0
    linked: int = 0
    removed: list[str] = field(default_factory=list)
    #: Nothing changed since the generation published before: no new one was made.
    unchanged: bool = False


def is_remote(destination: str) -> bool:
    """``HOST:PATH`` or ``USER@HOST:PATH`` (rsync's syntax), not a local path."""
    return bool(_REMOTE.match(destination)) and not Path(destination).exists()


def published_files(home: Home) -> Iterator[tuple[Path, str]]:
    """(source file, path inside a generation) for everything a replica serves."""
    live = live_dir(home)
    if live is None:
        raise IndexUnavailable("there is no search index to publish: run 'reslib reindex'")
    for path in sorted(home.library.rglob("*")):
        rel = path.relative_to(home.library)
        if any(part.startswith(".") for part in rel.parts) or rel.parts[0] in PRIVATE:
            continue
        if path.is_file():
            yield path, f"library/{rel.as_posix()}"
    for path in sorted(live.rglob("*")):
        rel = path.relative_to(live)
        if path.is_file() and not rel.name.startswith("."):
            yield path, f"indexes/{live.name}/{rel.as_posix()}"


def current_generation(root: Path) -> Path | None:
    """The generation ``root/CURRENT`` names, or None when nothing was published yet."""
    try:
        name = (root / POINTER).read_text("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    path = root / name
    return path if name.startswith(GENERATION_PREFIX) and path.is_dir() else None


def _generation_name() -> str:
    """Names sort in the order they were made (to the nanosecond), which pruning relies on."""
    now = time.time_ns()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now // 1_000_000_000))
    return f"{GENERATION_PREFIX}{stamp}-{now % 1_000_000_000:09d}-{os.urandom(2).hex()}"


def publish(home: Home, destination: str) -> Published:
    """Publish ``home``'s library and live index to ``destination`` (a directory, created
    if missing, or ``HOST:PATH``) and make it the generation replicas serve."""
    if not home.library.is_dir():
        raise InvalidInput(f"no library at {home.root}: check --home")
    # Changes a session cut short left unindexed reach the index first: a replica must
    # answer as the primary does.
    replay_journal(home)
    if is_remote(destination):
        return _publish_remote(home, destination)
    root = Path(destination).resolve()
    if root == home.root.resolve() or home.root.resolve() in root.parents:
        raise InvalidInput("publish to a directory outside the library root")
    if root.exists() and not root.is_dir():
        raise InvalidInput(f"{root} is a file: publish to a directory (it is created if missing)")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(
            f"cannot create {root}: {exc.strerror}: choose another directory"
        ) from None
    try:
        return _publish_local(home, root)
    except OSError as exc:
        # The copy is removed and CURRENT untouched: replicas go on serving what they served.
        raise PublishError(
            f"publishing to {root} failed ({exc.strerror or exc}); replicas still serve the "
            "generation published before"
        ) from None


def _publish_local(home: Home, root: Path) -> Published:
    previous = current_generation(root)
    name = _generation_name()
    incoming = root / f".incoming-{name}"
    report = Published(str(root), name, 0)
    try:
        with library_lock(home.library):
            live = live_dir(home)
            for source, rel in published_files(home):
                target = incoming / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if previous is not None and _unchanged(source, previous / rel):
                    os.link(previous / rel, target)
                    report.linked += 1
                else:
                    shutil.copy2(source, target)
                    report.copied += 1
            assert live is not None  # published_files raised otherwise
            report.records = int(index_status(home).get("documents") or 0)
        write_atomic(incoming / "indexes" / POINTER, f"{live.name}\n")
        if previous is not None and report.copied == 0 and _same_files(incoming, previous):
            # A publish on a timer with nothing new: replicas keep their warm generation.
            shutil.rmtree(incoming, ignore_errors=True)
            return Published(str(root), previous.name, report.records, 0, report.linked, [], True)
        _sync_tree(incoming)
        incoming.rename(root / name)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    write_atomic(root / POINTER, f"{name}\n")
    report.removed = _prune(root, keep=name)
    return report


def _same_files(a: Path, b: Path) -> bool:
    """Whether two generations hold the same files with the same contents (the index pointer
    included: a reindex with the same segment names is still a new index)."""

    def listing(root: Path) -> dict[str, bytes | int]:
        out: dict[str, bytes | int] = {}
        for p in root.rglob("*"):
            if p.is_file():
                rel = p.relative_to(root).as_posix()
                out[rel] = p.read_bytes() if rel == f"indexes/{POINTER}" else p.stat().st_ino
        return out

    return listing(a) == listing(b)


def _unchanged(source: Path, before: Path) -> bool:
    try:
        a, b = source.stat(), before.stat()
    except FileNotFoundError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _sync_tree(root: Path) -> None:
    """Make the new generation's files durable before anything names it."""
    for dirpath, _, names in os.walk(root):
        for name in names:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fd = os.open(dirpath, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _prune(root: Path, keep: str) -> list[str]:
    """Remove all but the newest ``KEEP`` generations (``keep`` among them), and any
    incomplete copy a killed publish left."""
    generations = sorted(
        (p for p in root.iterdir() if p.is_dir() and p.name.startswith(GENERATION_PREFIX)),
        key=lambda p: p.name,
    )
    stale = [p for p in generations if p.name != keep][: max(0, len(generations) - KEEP)]
    stale += [p for p in root.iterdir() if p.name.startswith(".incoming-") and keep not in p.name]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return sorted(p.name for p in stale)


def _run(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise PublishError(
            f"{command[0]} is not installed: it is needed to publish to a host"
        ) from None
    if done.returncode != 0:
        raise PublishError(f"{shlex.join(command[:2])} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def _publish_remote(home: Home, destination: str) -> Published:
    host, _, path = destination.partition(":")
    path = path or "."
    ssh = shlex.split(settings.get("publish_ssh"))
    quoted = shlex.quote(path)
    name = _generation_name()
    ask = f"mkdir -p {quoted} && cat {quoted}/{POINTER} 2>/dev/null || true"
    previous = _run([*ssh, host, ask]).strip()
    staging = Path(tempfile.gettempdir()) / f"reslib-publish-{name}"
    try:
        # A local copy first (hard links where the file system allows), so rsync reads a
        # consistent state while the library lock is held only for the copy.
        local = publish(home, str(staging))
        source = staging / local.generation
        link = [f"--link-dest=../{previous}"] if previous.startswith(GENERATION_PREFIX) else []
        _run(
            [
                "rsync",
                "-a",
                "-e",
                shlex.join(ssh),
                *link,
                f"{source}/",
                f"{host}:{path}/.incoming-{name}/",
            ]
        )
        # Generation names sort by time: the new one is never among those pruned.
        _run(
            [
                *ssh,
                host,
                f"cd {quoted} && mv .incoming-{name} {name} && printf '%s\\n' {name} > "
                f".{POINTER}.tmp && mv -f .{POINTER}.tmp {POINTER} && "
                f"ls -d {GENERATION_PREFIX}* | sort | head -n -{KEEP} | xargs -r rm -rf",
            ]
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Published(destination, name, local.records, local.copied + local.linked, 0)


def describe(report: Published) -> str:
    """One line for the librarian."""
    return json.dumps(
        {
            "published": report.generation,
            "to": report.destination,
            "records": report.records,
            "files_copied": report.copied,
            "files_linked": report.linked,
            "generations_removed": report.removed,
            "unchanged": report.unchanged,
        },
        ensure_ascii=False,
    )


__all__ = [
    "KEEP",
    "PublishError",
    "Published",
    "current_generation",
    "describe",
    "is_remote",
    "publish",
    "published_files",
]
