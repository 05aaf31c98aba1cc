"""The leaf cache: the score maps of common terms and phrases, kept between searches.

A map is kept packed, as an array of docnums and an array of scores (16 bytes a posting
rather than ~100 in a dict), and unpacked on use: about a millisecond for 30,000 postings,
against tens of milliseconds to read them from the index. Least recently used maps go first
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
from array import array
from collections import OrderedDict
from collections.abc import Hashable

from .. import settings
from ..index.reader import on_drop

ScoreMap = dict[int, float]


class LeafCache:
    """Least recently used leaf maps, bounded by the number of postings they hold.

    Keys are ``(generation, query)``; ``drop(generation)`` forgets a generation's maps.
    """

    def __init__(self, max_postings: int) -> None:
        self.max_postings = max_postings
        self._maps: OrderedDict[Hashable, tuple[array[int], array[float]]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> ScoreMap | None:
        with self._lock:
            found = self._maps.get(key)
            if found is None:
                return None
            self._maps.move_to_end(key)
        return dict(zip(*found, strict=True))

    def size_of(self, key: Hashable) -> int | None:
        """How many documents a cached map holds (None: not cached), without unpacking it."""
        with self._lock:
            found = self._maps.get(key)
        return None if found is None else len(found[0])

    def put(self, key: Hashable, value: ScoreMap) -> None:
        if len(value) > self.max_postings:
            return
        packed = (array("q", value.keys()), array("d", value.values()))
        with self._lock:
            old = self._maps.pop(key, None)
            if old is not None:
                self._size -= len(old[0])
            self._maps[key] = packed
            self._size += len(value)
            while self._size > self.max_postings:
                _, (dropped, _) = self._maps.popitem(last=False)
                self._size -= len(dropped)

    def drop(self, generation: Hashable) -> None:
        """Forget every map read from ``generation``."""
        with self._lock:
            keys = [k for k in self._maps if isinstance(k, tuple) and k[0] == generation]
            for key in keys:
                self._size -= len(self._maps.pop(key)[0])

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


__all__ = ["LeafCache", "ScoreMap", "leaf_cache"]
