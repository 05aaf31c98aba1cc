"""The listener bus: who hears about every saved and removed record.

The index updater is the listener that matters (``reslib.library.open_library`` always
attaches it); tests attach recorders. ``batch()`` lets a listener apply many changes at once,
so an import commits the index once instead of once per record.

Every listener hears every change, even when one before it raised: the index must hear of
every record written, whatever another listener does (the first error is raised after all
have heard). A listener that keeps the index says so with ``caught_up()``: the catalogue
clears its index journal only when every such listener is caught up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Protocol

from ..models import Record


class Listener(Protocol):
    """Hears about every change. A listener may also define ``batch_begin()`` and
    ``batch_end()``: ``ListenerBus.batch()`` calls them around a group of changes; and
    ``caught_up() -> bool``: True when the index holds every change it was told of (or there
    is no usable index to hold them); and ``records_durable(files)``: record files written
    in a batch are durable now, with these bytes (id -> bytes; told by a group commit,
    ``importers.staging``, so the index can start on them before the batch ends)."""

    def record_saved(self, record: Record) -> None: ...
    def record_removed(self, record_id: str) -> None: ...


class ListenerBus:
    """Passes each change to every listener, in the order they were given."""

    def __init__(self, listeners: Iterable[Listener] = ()) -> None:
        self.listeners: list[Listener] = list(listeners)
        self._depth = 0

    @property
    def depth(self) -> int:
        """How many batches are open (0: changes are applied as they come)."""
        return self._depth

    def saved(self, record: Record) -> None:
        _tell_all([partial(listener.record_saved, record) for listener in self.listeners])

    def removed(self, record_id: str) -> None:
        _tell_all([partial(listener.record_removed, record_id) for listener in self.listeners])

    def durable(self, files: dict[str, bytes]) -> None:
        """Record files (id -> the bytes written) are durable: told to the listeners that
        ask (``records_durable``)."""
        _tell_all(
            [
                partial(told, files)
                for listener in self.listeners
                if (told := getattr(listener, "records_durable", None))
            ]
        )

    def keeps_index(self) -> bool:
        """True when a listener keeps an index (it defines ``caught_up``)."""
        return any(hasattr(listener, "caught_up") for listener in self.listeners)

    def caught_up(self) -> bool:
        """True when there are listeners that keep an index and each holds every change."""
        keepers = [listener for listener in self.listeners if hasattr(listener, "caught_up")]
        return bool(keepers) and all(listener.caught_up() for listener in keepers)

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
                _tell_all(
                    [
                        end
                        for listener in self.listeners
                        if (end := getattr(listener, "batch_end", None))
                    ]
                )


def _tell_all(calls: list[Callable[[], object]]) -> None:
    """Make every call, then raise the first error if one raised."""
    error: BaseException | None = None
    for call in calls:
        try:
            call()
        except BaseException as exc:  # re-raised below, once the others have heard
            if error is None:
                error = exc
    if error is not None:
        raise error
