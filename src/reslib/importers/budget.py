"""What one input file may cost: its size, and the time spent reading and parsing it.

Both limits are settings (``RESLIB_IMPORT_FILE_MB``, ``RESLIB_IMPORT_FILE_SECONDS``); a file
over either is skipped with a reason that names the setting, and the run goes on. Each file a
manifest names (its ``file`` column) is an input of its own, with its own budget: the
manifest's clock is paused while one of its files is read.

The time limit is a ``SIGALRM`` timer in the main thread whose handler raises ``_OutOfTime``
inside whatever is running. Why this and not the alternatives:

* a cooperative deadline would have to be checked inside BeautifulSoup, pypdf and the
  standard library's parsers, where the slow loops are; we cannot put checks there;
* a worker process per file can be killed at any moment, but forking per file costs more
  than parsing most files (the import's throughput matters), a pool of workers cannot see
  the authority file as the run changes it (text dumps split author lists through it), and
  forking a process that has threads (a web worker) is unsafe.

A signal handler runs between two bytecodes of the main thread, so it interrupts any
Python-level loop; what it cannot interrupt is one long call into C (a regular expression,
expat, zlib). Those are linear in their input, which the size limit bounds, and PDF streams
have their own decompression cap (``pdf``). ``_OutOfTime`` derives from ``BaseException`` so
that parsers' broad ``except Exception`` (pypdf has many) cannot swallow it, and the timer
repeats until disarmed in case something swallows it anyway.

Outside the main thread, or when another timer is already running (someone else's
``SIGALRM``), the block runs without a time limit: a signal cannot be used there.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from .base import SkipFile


class _OutOfTime(BaseException):
    """Raised by the timer inside the parse it interrupts (never seen outside this module)."""


@dataclass(frozen=True)
class Limits:
    """The per-file budget of one run: bytes a file may have, seconds it may take."""

    max_bytes: int
    seconds: float

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.get("import_file_mb") * 2**20,
            seconds=settings.get("import_file_seconds"),
        )


def too_large(size: int | None, max_bytes: int) -> SkipFile:
    """Why a file of ``size`` bytes (None: it grew past the limit while read) is skipped."""
    if size is None:
        return SkipFile(f"too large (over {max_bytes / 2**20:.0f} MB: RESLIB_IMPORT_FILE_MB)")
    return SkipFile(
        f"too large ({size / 2**20:.0f} MB; the limit is {max_bytes / 2**20:.0f} MB: "
        "RESLIB_IMPORT_FILE_MB)"
    )


def _check_file(path: Path, max_bytes: int) -> None:
    """SkipFile unless ``path`` is a regular file of at most ``max_bytes``."""
    if not path.is_file():
        # A FIFO or a device would block the run or never end.
        raise SkipFile("not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise too_large(size, max_bytes)


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or SkipFile when it is too large, empty or not a regular file."""
    _check_file(path, max_bytes)
    with path.open("rb") as fh:
        # Read one byte over the limit: a file that grew since the stat is caught too.
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(None, max_bytes)
    if not data.strip():
        raise SkipFile("empty file")
    return data


def read_head(path: Path, max_bytes: int, size: int = 8192) -> bytes:
    """The first ``size`` bytes of the file, after the checks of ``read_limited`` that need
    no more than that: not a regular file, too large, empty (when the head is all of it)."""
    _check_file(path, max_bytes)
    with path.open("rb") as fh:
        head = fh.read(size)
    if len(head) < size and not head.strip():
        raise SkipFile("empty file")
    return head


#: Remaining seconds of the enclosing limits, innermost last (main thread only).
_paused: list[float] = []
_active = 0


def _on_alarm(signum: int, frame: object) -> None:
    if _active:
        raise _OutOfTime


def _usable() -> bool:
    if threading.current_thread() is not threading.main_thread():
        return False
    # A timer running that is not ours belongs to someone else: leave it alone.
    return bool(_active) or signal.getitimer(signal.ITIMER_REAL)[0] == 0


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block with ``seconds`` to finish, else SkipFile (``0`` or infinite: no limit).

    Nested limits pause the enclosing one: a manifest's clock stops while a file it names is
    read under that file's own limit.
    """
    global _active
    if not 0 < seconds < math.inf or not _usable():
        yield
        return
    previous = None
    if _active:
        _paused.append(signal.setitimer(signal.ITIMER_REAL, 0)[0])
    else:
        # None: a handler not set from Python, which the default stands for.
        previous = signal.signal(signal.SIGALRM, _on_alarm) or signal.SIG_DFL
    _active += 1
    started = time.monotonic()
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds, min(1.0, seconds))
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:
        elapsed = time.monotonic() - started
        raise SkipFile(
            f"took longer than {seconds:g} s to read ({elapsed:.0f} s; the limit is "
            "RESLIB_IMPORT_FILE_SECONDS): check the file, or raise the limit"
        ) from None
    finally:
        _active -= 1
        if _active:
            # Resume the enclosing limit where it stopped; a moment at least, so a limit
            # that ran out while paused still fires.
            signal.setitimer(signal.ITIMER_REAL, max(_paused.pop(), 0.001), 1.0)
        elif previous is not None:
            signal.signal(signal.SIGALRM, previous)
