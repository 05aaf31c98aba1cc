"""One generation of the live index, and everything kept for it.

A generation is the pair (index directory, Whoosh TOC generation): a rebuild makes a new
directory, an incremental update a new TOC generation. ``snapshot(home)`` hands each thread
a searcher on the live generation: the pair is checked on every call and a new searcher
opened when it changed. Searchers are per thread because Whoosh readers are not documented
as thread-safe; Whoosh's ``Searcher.refresh()`` is never used (forks of Whoosh return
deleted documents from it).

Everything else built for a generation is shared by all threads through its
``Generation`` (``Generation.cached``): the search's facet tables and the suggestion
lexicon, built by the first thread that needs them while the others wait for its result,
and the key under which the search leaf cache keeps its maps. One eviction rule covers
them all: the latest ``KEEP`` generations opened in the process stay, and when a newer one
is opened the oldest goes, with what was built for it; caches kept outside a ``Generation``
(the leaf cache, one memory budget per process) are told through ``on_drop``.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from whoosh.searching import Searcher

from ..config import Home
from .layout import open_live

T = TypeVar("T")

#: Generations kept per process: a rebuild or an update makes the older ones unreachable
#: for new searches, but a thread may still be finishing a search on one.
KEEP = 4

GenerationKey = tuple[str, int]


class Generation:
    """One generation of one index, and the values built for it (shared by threads)."""

    def __init__(self, key: GenerationKey) -> None:
        self.key = key
        self.path = Path(key[0])
        self._values: dict[Hashable, tuple[Hashable, Any]] = {}
        self._lock = threading.Lock()
        #: Held while a value is built: when many server threads meet a new generation at
        #: once, one builds and the others wait for its result instead of all building it.
        self._building = threading.Lock()

    def cached(self, name: Hashable, build: Callable[[], T], *, version: Hashable = None) -> T:
        """The value ``build()`` gave for ``name`` in this generation, built on first use.

        ``version`` names the state of what it was built from when that can change within
        a generation (a file beside the index): a different version builds it again.
        """
        with self._lock:
            hit = self._values.get(name)
        if hit is not None and hit[0] == version:
            return hit[1]  # type: ignore[no-any-return]
        with self._building:
            with self._lock:
                hit = self._values.get(name)
            if hit is not None and hit[0] == version:
                return hit[1]  # type: ignore[no-any-return]
            value = build()
            with self._lock:
                self._values[name] = (version, value)
        return value

    def has(self, name: Hashable) -> bool:
        """Whether a value for ``name`` was built in this generation."""
        with self._lock:
            return name in self._values


_generations: OrderedDict[GenerationKey, Generation] = OrderedDict()
_generations_lock = threading.Lock()
_drop_hooks: list[Callable[[GenerationKey], None]] = []


def on_drop(hook: Callable[[GenerationKey], None]) -> None:
    """Call ``hook(key)`` whenever the generation ``key`` leaves the process's cache."""
    with _generations_lock:
        if hook not in _drop_hooks:
            _drop_hooks.append(hook)


def generation(key: GenerationKey) -> Generation:
    """The process's ``Generation`` for ``key``; opening a new one drops the oldest beyond
    ``KEEP``."""
    with _generations_lock:
        found = _generations.get(key)
        if found is not None:
            return found
        found = _generations[key] = Generation(key)
        dropped = []
        while len(_generations) > KEEP:
            dropped.append(_generations.popitem(last=False)[0])
        hooks = list(_drop_hooks)
    for old in dropped:
        for hook in hooks:
            hook(old)
    return found


def forget_all() -> None:
    """Drop every generation and what was built for it (tests start from nothing this way);
    searchers open on them keep working and build again what they need."""
    with _generations_lock:
        dropped = list(_generations)
        _generations.clear()
        hooks = list(_drop_hooks)
    for old in dropped:
        for hook in hooks:
            hook(old)


@dataclass
class Snapshot:
    """A searcher of this thread on one generation of the live index."""

    generation: Generation
    searcher: Searcher

    def __post_init__(self) -> None:
        # The searcher holds open files: close them when the thread that owns the snapshot
        # ends, as well as when a new generation replaces it (at most once either way).
        self.close = weakref.finalize(self, self.searcher.close)

    @property
    def key(self) -> GenerationKey:
        """Names the generation: (index directory, Whoosh TOC generation)."""
        return self.generation.key


_local = threading.local()


def snapshot(home: Home) -> Snapshot:
    """This thread's searcher for the live index, reopened when the generation changed."""
    path, ix = open_live(home)
    key = (str(path), ix.latest_generation())
    cache: dict[Path, Snapshot] = _local.__dict__.setdefault("snapshots", {})
    current = cache.get(home.root)
    if current is not None and current.key == key:
        return current
    if current is not None:
        # Closing releases this thread's file handles; other threads hold their own.
        current.close()
    snap = Snapshot(generation(key), ix.searcher())
    cache[home.root] = snap
    return snap


__all__ = [
    "KEEP",
    "Generation",
    "GenerationKey",
    "Snapshot",
    "forget_all",
    "generation",
    "on_drop",
    "snapshot",
]
