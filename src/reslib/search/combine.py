"""Score maps combined as Whoosh's matchers combine scores, with set operations in C.

A score map is ``{docnum: score}``: every document a node of the query matches. ``And`` and
``Or`` add their children's scores, ``AndMaybe`` adds its optional side where that matches
(``plus_optional``), ``AndNot`` keeps its left side's. A child that occurs ``n`` times
(``distinct``) is read once and counted ``n`` times.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from operator import add

from whoosh import query as wq

ScoreMap = dict[int, float]
#: Documents a node's map must cover, or None for all. A node given ``within`` may return
#: only documents in it (those are the only ones its caller combines).
Within = AbstractSet[int] | None


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


def only(found: ScoreMap, within: Within) -> ScoreMap:
    """``found`` restricted to ``within`` (None: all of it)."""
    if within is None:
        return found
    kept = list(found.keys() & within)
    return dict(zip(kept, map(found.__getitem__, kept), strict=True))


def _sums(docs: list[int], *maps: ScoreMap) -> map[float]:
    """Each document's scores in ``maps`` added left to right (``(a + b) + c``), in C."""
    first, *rest = maps
    total: map[float] = map(first.__getitem__, docs)
    for m in rest:
        total = map(add, total, map(m.__getitem__, docs))
    return total


def all_of(maps: list[tuple[ScoreMap, int]]) -> ScoreMap:
    """Documents in every map, scored by the sum (a map counted ``n`` times adds ``n``
    times its score)."""
    if not maps:
        return {}
    if len(maps) == 1 and maps[0][1] == 1:
        return maps[0][0]
    ordered = sorted((m for m, _ in maps), key=len)
    common = ordered[0].keys() & ordered[-1].keys() if len(ordered) > 1 else ordered[0].keys()
    for m in ordered[1:-1]:
        common &= m.keys()
    if all(n == 1 for _, n in maps):
        # The additions in the children's order, as the general sum below makes them.
        docs = list(common)
        return dict(zip(docs, _sums(docs, *(m for m, _ in maps)), strict=True))
    return {d: sum(m[d] * n for m, n in maps) for d in common}


def any_of(maps: list[tuple[ScoreMap, int]]) -> ScoreMap:
    """Documents in any map, scored by the sum of the maps holding them."""
    if not maps:
        return {}
    if len(maps) == 1 and maps[0][1] == 1:
        return maps[0][0]
    (first, times), rest = maps[0], maps[1:]
    # The first map copied in C: 0.0 + s * 1 is s.
    out: ScoreMap = dict(first) if times == 1 else {d: s * times for d, s in first.items()}
    for m, n in rest:
        if n != 1:
            for d, s in m.items():
                out[d] = out.get(d, 0.0) + s * n
            continue
        # A document new to ``out`` gets 0.0 + s, which is s; one already there its sum so
        # far plus s: the same additions, made in C.
        both = list(m.keys() & out.keys())
        new = list(m.keys() - out.keys())
        out.update(zip(both, _sums(both, out, m), strict=True))
        out.update(zip(new, map(m.__getitem__, new), strict=True))
    return out


def plus_optional(required: ScoreMap, optional: ScoreMap) -> ScoreMap:
    """``required``, with ``optional``'s score added where it matches too."""
    out = dict(required)
    both = list(optional.keys() & required.keys())
    out.update(zip(both, _sums(both, required, optional), strict=True))
    return out


__all__ = ["ScoreMap", "Within", "all_of", "any_of", "distinct", "only", "plus_optional"]
