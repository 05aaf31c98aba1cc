"""Score maps combined as Whoosh's matchers combine scores, as operations on sorted arrays.

A score map (``Hits``) is every document a node of the query matches, as two arrays: the
documents (global docnums, ascending, each once) and their scores. ``And`` and ``Or`` add
their children's scores, ``AndMaybe`` adds its optional side where that matches
(``plus_optional``), ``AndNot`` keeps its left side's. A child that occurs ``n`` times
(``distinct``) is read once and counted ``n`` times.

Each operation is a few numpy calls over the whole map, where a dict of 30,000 documents
cost a Python step per document and operation (benchmarks/search.py: see the commit). The
additions are made in the children's order, as Whoosh's matchers make them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray
from whoosh import query as wq

Docs = NDArray[np.int64]
#: Documents a node's map must cover (sorted, distinct), or None for all. A node given
#: ``within`` may return only documents in it (those are the only ones its caller combines).
Within = Docs | None


class Hits:
    """Documents (ascending, distinct) and their scores, index for index."""

    __slots__ = ("docs", "scores")

    def __init__(self, docs: Docs, scores: NDArray[np.float64]) -> None:
        self.docs = docs
        self.scores = scores

    def __len__(self) -> int:
        return len(self.docs)

    def __contains__(self, doc: object) -> bool:
        if not isinstance(doc, (int, np.integer)) or not len(self.docs):
            return False
        at = int(np.searchsorted(self.docs, doc))
        return at < len(self.docs) and int(self.docs[at]) == doc

    def as_dict(self) -> dict[int, float]:
        return dict(zip(self.docs.tolist(), self.scores.tolist(), strict=True))

    def scores_of(self, docs: Iterable[int]) -> dict[int, float]:
        """The scores of those of ``docs`` this map holds (a page's few documents)."""
        wanted = np.array(sorted(set(docs)), dtype=np.int64)
        held = wanted[members(wanted, self.docs)]
        return dict(zip(held.tolist(), aligned(self, held).tolist(), strict=True))

    def frozen(self) -> Hits:
        """This map, its arrays made read-only (a cached map is shared between searches)."""
        self.docs.flags.writeable = False
        self.scores.flags.writeable = False
        return self


def hits(docs: list[int] | Docs, scores: list[float] | NDArray[np.float64]) -> Hits:
    """A map from documents in ascending order (each once) and their scores."""
    return Hits(np.asarray(docs, dtype=np.int64), np.asarray(scores, dtype=np.float64))


NOTHING = Hits(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)).frozen()


def joined(parts: list[Hits]) -> Hits:
    """Maps of disjoint, ascending document ranges (one per segment), in order, as one."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return NOTHING
    if len(parts) == 1:
        return parts[0]
    return Hits(np.concatenate([p.docs for p in parts]), np.concatenate([p.scores for p in parts]))


def members(docs: Docs, among: Docs) -> NDArray[np.bool_]:
    """For each of ``docs``, whether it is in ``among`` (both ascending, distinct)."""
    if not len(among) or not len(docs):
        return np.zeros(len(docs), dtype=bool)
    at = np.searchsorted(among, docs)
    at[at == len(among)] = 0
    return among[at] == docs  # type: ignore[no-any-return]


def common(a: Docs, b: Docs) -> Docs:
    """The documents in both (ascending)."""
    if len(a) > len(b):
        a, b = b, a
    return a[members(a, b)]


def aligned(found: Hits, docs: Docs) -> NDArray[np.float64]:
    """The scores of ``docs``, every one of which ``found`` holds."""
    return found.scores[np.searchsorted(found.docs, docs)]


def distinct(subqueries: list[wq.Query]) -> list[tuple[wq.Query, int]]:
    """Each distinct child with how many times it occurs: a query that repeats a word (a
    pasted paragraph, "a OR a OR a") reads and combines it once."""
    times: dict[wq.Query, int] = {}
    unhashable: list[wq.Query] = []
    for c in subqueries:
        try:
            times[c] = times.get(c, 0) + 1
        except TypeError:
            unhashable.append(c)
    return [*times.items(), *((c, 1) for c in unhashable)]


def only(found: Hits, within: Within) -> Hits:
    """``found`` restricted to ``within`` (None: all of it)."""
    if within is None:
        return found
    keep = members(found.docs, within)
    return Hits(found.docs[keep], found.scores[keep])


def all_of(maps: list[tuple[Hits, int]]) -> Hits:
    """Documents in every map, scored by the sum (a map counted ``n`` times adds ``n``
    times its score), added in the maps' order."""
    if not maps:
        return NOTHING
    if len(maps) == 1 and maps[0][1] == 1:
        return maps[0][0]
    docs = min((m for m, _ in maps), key=len).docs
    for m, _ in maps:
        docs = common(docs, m.docs)
    total = aligned(maps[0][0], docs) * maps[0][1]
    for m, n in maps[1:]:
        total += aligned(m, docs) * n
    return Hits(docs, total)


def any_of(maps: list[tuple[Hits, int]]) -> Hits:
    """Documents in any map, scored by the sum of the maps holding them, added in the maps'
    order."""
    maps = [(m, n) for m, n in maps if len(m)]
    if not maps:
        return NOTHING
    if len(maps) == 1 and maps[0][1] == 1:
        return maps[0][0]
    docs = np.concatenate([m.docs for m, _ in maps])
    scores = np.concatenate([m.scores * n if n != 1 else m.scores for m, n in maps])
    # A stable sort keeps each document's scores in the maps' order; the input is a few
    # sorted runs, which the (Timsort) stable sort merges.
    order = np.argsort(docs, kind="stable")
    docs, scores = docs[order], scores[order]
    first = np.empty(len(docs), dtype=bool)
    first[0] = True
    np.not_equal(docs[1:], docs[:-1], out=first[1:])
    # bincount adds each group's scores one after the other, from 0.0 (0.0 + s is s).
    group = np.cumsum(first) - 1
    return Hits(docs[first], np.bincount(group, weights=scores))


def plus_optional(required: Hits, optional: Hits) -> Hits:
    """``required``, with ``optional``'s score added where it matches too."""
    total = required.scores.copy()
    if len(optional) and len(required):
        at = np.searchsorted(required.docs, optional.docs)
        at[at == len(required)] = 0
        hit = required.docs[at] == optional.docs
        total[at[hit]] += optional.scores[hit]
    return Hits(required.docs, total)


def without(found: Hits, excluded: Docs) -> Hits:
    """``found`` but the documents in ``excluded``."""
    keep = ~members(found.docs, excluded)
    return Hits(found.docs[keep], found.scores[keep])


__all__ = [
    "NOTHING",
    "Docs",
    "Hits",
    "Within",
    "aligned",
    "all_of",
    "any_of",
    "common",
    "distinct",
    "hits",
    "joined",
    "members",
    "only",
    "plus_optional",
    "without",
]
