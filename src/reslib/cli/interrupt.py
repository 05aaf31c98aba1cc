"""Ctrl-C on the command line: one line, ``interrupted``, and exit code 130, never a traceback.

Two phases. While the program starts (Python importing reslib, click, ICU, Whoosh: most of
a second) and while click reads the arguments, SIGINT ends the process at once: there is
nothing to clean up, and a ``KeyboardInterrupt`` raised inside an import would print a
traceback from wherever it landed. Once a command runs, SIGINT is Python's usual
``KeyboardInterrupt`` again, so commands that stop cleanly (an import finishes the document
it is writing) can; ``ReslibGroup`` turns whatever they do not handle into the same line.

This module imports only ``_signal``, ``os`` and ``sys``, built in or loaded already, so the
handler is in place a few milliseconds after Python starts: ``signal`` itself would first
import ``enum`` (7 ms, a window in which Ctrl-C printed a traceback), and ``_signal`` is the
C module it wraps, with the same functions. The milliseconds before (the interpreter and its
``site`` module) are Python's own and out of reslib's reach.
"""

from __future__ import annotations

import _signal as signal
import os
import sys

INTERRUPTED = "interrupted"
#: 128 + SIGINT, what a shell reports for a program stopped by Ctrl-C.
INTERRUPTED_EXIT = 130

_NOT_SET = object()


def _exit_interrupted(signum: int, frame: object) -> None:
    # os._exit, not SystemExit: an exception raised wherever the signal lands can be caught
    # and rewrapped on its way out (a class body turns it into a RuntimeError traceback),
    # and before a command runs there is nothing to clean up.
    sys.stderr.write(INTERRUPTED + "\n")
    sys.stderr.flush()
    os._exit(INTERRUPTED_EXIT)


class _Handling:
    """A block with its own SIGINT handler, the previous one put back at the end."""

    def __init__(self, handler: object) -> None:
        self.handler = handler
        self.previous: object = _NOT_SET

    def __enter__(self) -> None:
        try:
            self.previous = signal.signal(signal.SIGINT, self.handler)  # type: ignore[arg-type]
        except ValueError:
            # Only the main thread may set handlers; elsewhere (a test's thread) the block
            # runs with whatever is in place.
            self.previous = _NOT_SET

    def __exit__(self, *exc: object) -> None:
        if self.previous is not _NOT_SET:
            # None means a handler set outside Python: the default is the closest we have.
            previous = signal.SIG_DFL if self.previous is None else self.previous
            signal.signal(signal.SIGINT, previous)  # type: ignore[arg-type]


def interrupts_exit() -> _Handling:
    """Within the block, Ctrl-C prints ``interrupted`` and exits with 130 at once."""
    return _Handling(_exit_interrupted)


def interrupts_raise() -> _Handling:
    """Within the block, Ctrl-C raises ``KeyboardInterrupt`` (Python's default)."""
    return _Handling(signal.default_int_handler)
