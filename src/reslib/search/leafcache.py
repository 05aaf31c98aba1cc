"""The leaf cache: the score maps of common terms and phrases, kept between searches.

A map is kept as the evaluator's arrays (``combine.Hits``: 16 bytes a posting), read-only,
and handed out as it is: tens of milliseconds to read 30,000 postings from the index,
nothing to take them from here. Least recently used maps go first
once the postings held pass ``RESLIB_CACHE_POSTINGS``.

Keys begin with the index generation the map was read from (``reslib.index.reader``), so a
new generation never sees an old map. The cache is one per process rather than one per
generation, because its bound is a memory budget for the process; the generation registry
tells it when a generation is dropped (``reader.on_drop``) and its maps go with it, the same
rule as every other per-generation cache. The bound is read from the settings when the
cache is first used, not at import.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from .. import settings
from ..index.reader import on_drop
from .combine import Hits


class LeafCache:
    """Least recently used leaf maps, bounded by the number of postings they hold.

    Keys are ``(generation, query)``; ``drop(generation)`` forgets a generation's maps.
    """

    def __init__(self, max_postings: int) -> None:
        self.max_postings = max_postings
        self._maps: OrderedDict[Hashable, Hits] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Hits | None:
        with self._lock:
            found = self._maps.get(key)
            if found is not None:
                self._maps.move_to_end(key)
        return found

    def size_of(self, key: Hashable) -> int | None:
        """How many documents a cached map holds (None: not cached), without unpacking it."""
        with self._lock:
            found = self._maps.get(key)
        return None if found is None else len(found)

    def put(self, key: Hashable, value: Hits) -> None:
        """Keep ``value`` (made read-only: every search that gets it shares it)."""
        if len(value) > self.max_postings:
            return
        value.frozen()
        with self._lock:
            old = self._maps.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._maps[key] = value
            self._size += len(value)
            while self._size > self.max_postings:
                _, dropped = self._maps.popitem(last=False)
                self._size -= len(dropped)

    def drop(self, generation: Hashable) -> None:
        """Forget every map read from ``generation``."""
        with self._lock:
            keys = [k for k in self._maps if isinstance(k, tuple) and k[0] == generation]
            for key in keys:
                self._size -= len(self._maps.pop(key))

    def clear(self) -> None:
        with self._lock:
            self._maps.clear()
            self._size = 0


_cache: LeafCache | None = None
_cache_lock = threading.Lock()


def leaf_cache() -> LeafCache:
    """The process's leaf cache, made on first use with the size the settings give then."""
    global _cache
    if _cache is None:
        with _cache_lock:
            if _cache is None:
                cache = LeafCache(settings.get("cache_postings"))
                on_drop(cache.drop)
                _cache = cache
    return _cache


__all__ = ["LeafCache", "leaf_cache"]
