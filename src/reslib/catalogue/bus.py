"""The listener bus: who hears about every saved and removed record.

The index updater is the listener that matters (``reslib.library.open_library`` always
attaches it); tests attach recorders. ``batch()`` lets a listener apply many changes at once,
so an import commits the index once instead of once per record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Protocol

from ..models import Record


class Listener(Protocol):
    """Hears about every change. A listener may also define ``batch_begin()`` and
    ``batch_end()``: ``ListenerBus.batch()`` calls them around a group of changes."""

    def record_saved(self, record: Record) -> None: ...
    def record_removed(self, record_id: str) -> None: ...


class ListenerBus:
    """Passes each change to every listener, in the order they were given."""

    def __init__(self, listeners: Iterable[Listener] = ()) -> None:
        self.listeners: list[Listener] = list(listeners)
        self._depth = 0

    def saved(self, record: Record) -> None:
        for listener in self.listeners:
            listener.record_saved(record)

    def removed(self, record_id: str) -> None:
        for listener in self.listeners:
            listener.record_removed(record_id)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group changes; nested batches count as the outermost one."""
        self._depth += 1
        if self._depth == 1:
            for listener in self.listeners:
                begin = getattr(listener, "batch_begin", None)
                if begin:
                    begin()
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                for listener in self.listeners:
                    end = getattr(listener, "batch_end", None)
                    if end:
                        end()
