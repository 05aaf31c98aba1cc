"""Term-at-a-time evaluation: every document a ranked query matches, with its BM25F score.

Whoosh evaluates a query document-at-a-time through a tree of Python matcher objects, a few
microseconds per posting and node: a two-word query matching 33,000 of 50,000 records took
150 ms, most of a search's time. Here each leaf of the query (a term, a phrase) becomes a
``{docnum: score}`` map, its postings read a block at a time, and the tree combines the maps
with set operations, which run in C. Leaf maps are kept per index generation, bounded by
their total size: the common terms that make a query expensive are read once, not per query.

A phrase of bigrams (``compile.BigramPhrase``) is matched here too: its candidates are the
intersection of its terms' (cached) maps, and only their posting blocks are read for
positions; its score is the sum of its terms' scores, as ``BigramPhrase`` gives it.

The scores are Whoosh's: BM25F with the same statistics and the same formula per term, and
the same sums (``And`` and ``Or`` add their children's scores, ``AndMaybe`` adds its optional
side where that matches, ``AndNot`` keeps its left side's). A node this module does not know
is evaluated by Whoosh's own matcher, so the answer is Whoosh's answer either way; only the
order of floating-point additions differs (scores may differ in the last bits). One
deliberate difference: Whoosh 2.7.4's ``AndNot`` matcher does not check the first document
of its left side when the excluded side's postings start earlier; here exclusion is exact.
"""

from __future__ import annotations

import os
import threading
from array import array
from collections import OrderedDict
from collections.abc import Hashable
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher, Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher, TermNotFound
from whoosh.util.numeric import byte_to_length

from .compile import BigramPhrase

ScoreMap = dict[int, float]

#: Postings kept in the leaf cache per process (16 bytes each): 8,000,000 is ~130 MB.
DEFAULT_CACHE_POSTINGS = 8_000_000

_BYTE_TO_LENGTH = tuple(byte_to_length(i) for i in range(256))
_NULL = type(wq.NullQuery)


class LeafCache:
    """Least recently used leaf maps, bounded by the number of postings they hold.

    A map is kept packed, as an array of docnums and an array of scores (16 bytes a posting
    rather than ~100 in a dict), and unpacked on use: about a millisecond for 30,000
    postings, against tens of milliseconds to read them from the index. Keys carry the index
    generation, so a new generation never sees an old map; old entries age out.
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

    def clear(self) -> None:
        with self._lock:
            self._maps.clear()
            self._size = 0


def _cache_size() -> int:
    try:
        return max(0, int(os.environ.get("RESLIB_CACHE_POSTINGS", DEFAULT_CACHE_POSTINGS)))
    except ValueError:
        return DEFAULT_CACHE_POSTINGS


leaf_cache = LeafCache(_cache_size())


def evaluate(searcher: Searcher, q: wq.Query, generation: Hashable) -> ScoreMap:
    """Every document ``q`` matches in ``searcher`` (global docnums), with its score.

    ``generation`` identifies the index state the searcher reads: leaf maps are cached
    under it. The returned map is the caller's (the cache keeps its own packed copy).
    """
    return _Evaluator(searcher, generation).node(q)


class _Evaluator:
    def __init__(self, searcher: Searcher, generation: Hashable) -> None:
        self.searcher = searcher
        self.generation = generation
        self.leaves = list(searcher.leaf_searchers())
        self.context = searcher.context(needs_current=True)

    def node(self, q: wq.Query) -> ScoreMap:
        kind = type(q)
        if kind is _NULL:
            return {}
        if kind is wq.And and q.boost == 1.0:
            return _all_of(self._children(q.subqueries))
        if kind is wq.Or and q.boost == 1.0 and not q.minmatch and q.scale is None:
            return _any_of(self._children(q.subqueries))
        if kind is wq.AndMaybe and q.boost == 1.0:
            return _plus_optional(self.node(q.a), self.node(q.b))
        if kind is wq.AndNot and q.boost == 1.0:
            base, excluded = self.node(q.a), self.node(q.b)
            return {d: s for d, s in base.items() if d not in excluded}
        return self._leaf(q)

    def _children(self, subqueries: list[wq.Query]) -> list[tuple[ScoreMap, int]]:
        """Each distinct child's map, with how many times it occurs: a query that repeats
        a word (a pasted paragraph, "a OR a OR a") reads and combines it once."""
        times: dict[wq.Query, int] = {}
        unhashable: list[wq.Query] = []
        for c in subqueries:
            try:
                times[c] = times.get(c, 0) + 1
            except TypeError:
                unhashable.append(c)
        counted = [(self.node(c), n) for c, n in times.items()]
        return counted + [(self.node(c), 1) for c in unhashable]

    def _leaf(self, q: wq.Query) -> ScoreMap:
        """A term, a phrase or anything else not combined here: cached per generation."""
        try:
            key = (self.generation, q)
            hash(key)
        except TypeError:
            return self._read(q)
        found = leaf_cache.get(key)
        if found is None:
            found = self._read(q)
            leaf_cache.put(key, found)
        return found

    def _read(self, q: wq.Query) -> ScoreMap:
        if type(q) is BigramPhrase and len(q.words) > 1 and q.slop == 1:
            return self._read_phrase(q)
        out: ScoreMap = {}
        for leaf, offset in self.leaves:
            if type(q) is wq.Term:
                self._read_term(q, leaf, offset, out)
                continue
            try:
                m = q.matcher(leaf, self.context)
            except TermNotFound:
                continue
            _drain(m, offset, out)
        return out

    def _read_term(self, q: wq.Term, leaf: Searcher, offset: int, out: ScoreMap) -> None:
        schema = leaf.schema
        if q.fieldname not in schema:
            return
        try:
            btext = schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return
        reader = leaf.reader()
        if (q.fieldname, btext) not in reader:
            return
        m, excluded = _unwrap(reader.postings(q.fieldname, btext))
        if not isinstance(m, W3LeafMatcher):
            _drain(wq.Term.matcher(q, leaf, self.context), offset, out)
            return
        ids, weights = _postings(m)
        scorer = leaf.weighting.scorer(leaf, q.fieldname, btext)
        boost = q.boost
        if isinstance(scorer, BM25FScorer):
            scores = _bm25(scorer, ids, weights, _lengths(reader, q.fieldname, ids))
        elif isinstance(scorer, WeightScorer):
            scores = list(weights)
        else:
            _drain(wq.Term.matcher(q, leaf, self.context), offset, out)
            return
        if boost != 1.0:
            scores = [s * boost for s in scores]
        for d, s in zip(ids, scores, strict=True):
            if d not in excluded:
                out[d + offset] = s

    def _read_phrase(self, q: BigramPhrase) -> ScoreMap:
        """Documents holding bigram ``i`` of the phrase at position ``start + i``."""
        field = q.fieldname
        words = q.words
        maps = {w: self._leaf(wq.Term(field, w)) for w in dict.fromkeys(words)}
        candidates = _all_of([(m, 1) for m in maps.values()]).keys()
        out: ScoreMap = {}
        if not candidates:
            return out
        decode = self.searcher.schema[field].format.decode_positions
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            local = sorted(d - offset for d in candidates if offset <= d < end)
            if not local:
                continue
            reader = leaf.reader()
            values = {
                w: _values_of(reader, field, leaf.schema[field].to_bytes(w), local) for w in maps
            }
            for d in local:
                starts: set[int] | None = None
                positions: dict[str, list[int]] = {}
                for i, w in enumerate(words):
                    if w not in positions:
                        positions[w] = decode(values[w][d])
                    shifted = {p - i for p in positions[w]}
                    starts = shifted if starts is None else starts & shifted
                    if not starts:
                        break
                if starts:
                    g = d + offset
                    # As BigramPhrase scores: the sum of its terms' scores, in order, boosted.
                    out[g] = sum(maps[w][g] for w in words) * q.boost
        return out


def _unwrap(m: Matcher) -> tuple[Matcher, frozenset[int] | set[int]]:
    """A segment's term matcher without its deleted-documents filter, and that filter."""
    if isinstance(m, FilterMatcher) and m._exclude:
        return m.child, m._ids
    return m, frozenset()


def _postings(m: W3LeafMatcher) -> tuple[list[int], list[float]]:
    """All (docnum, weight) postings of a fresh term matcher, a block at a time (the
    block-reading methods are Whoosh 2.7.4's, pinned)."""
    ids: list[int] = []
    weights: list[float] = []
    while m.is_active():
        m._read_data()
        block_ids = m._data[0]
        # Whoosh decodes the deltas with a generator; accumulate is the same sum, in C.
        ids.extend(block_ids if m._byteids else accumulate(block_ids))
        m._read_weights()
        weights.extend(m._weights)
        m._next_block()
    return ids, weights


def _values_of(reader: Any, field: str, btext: bytes, docs: list[int]) -> dict[int, bytes]:
    """The encoded values (positions) of a term's postings in ``docs`` (sorted, segment
    docnums, all holding the term): only the blocks that hold one of them are decoded."""
    m, _ = _unwrap(reader.postings(field, btext))
    out: dict[int, bytes] = {}
    if not isinstance(m, W3LeafMatcher):
        for d in docs:
            m.skip_to(d)
            out[d] = m.value()
        return out
    j, n = 0, len(docs)
    while m.is_active() and j < n:
        last = m.block_max_id()
        if docs[j] <= last:
            m._read_ids()
            m._read_values()
            in_block = dict(zip(m._ids, m._values, strict=True))
            while j < n and docs[j] <= last:
                found = in_block.get(docs[j])
                if found is not None:
                    out[docs[j]] = found
                j += 1
        m._next_block()
    return out


def _lengths(reader: Any, field: str, ids: list[int]) -> list[int]:
    """Each document's length of ``field``, as Whoosh's scorer reads it (1 when absent)."""
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_read_lengths"):
        perdoc.doc_field_length(0, field)  # loads the column into the reader once
        column = getattr(perdoc, "_length_bytes", {}).get(field)
    if column is None:
        return [reader.doc_field_length(d, field, 1) or 1 for d in ids]
    size = len(column)
    table = _BYTE_TO_LENGTH
    return [table[column[d]] if d < size and column[d] else 1 for d in ids]


def _bm25(scorer: BM25FScorer, ids: list[int], weights: list[float], lengths: list[int]) -> list:
    # Whoosh's bm25(), with its operations in its order, so the scores are bit-identical.
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    return [
        idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        for tf, fl in zip(weights, lengths, strict=True)
    ]


def _drain(m: Matcher, offset: int, out: ScoreMap) -> None:
    """Every posting of a Whoosh matcher, scored by Whoosh."""
    if isinstance(m, ListMatcher) and m._scorer is None and m._values is None:
        ids = m._ids[m._i :]
        if m._all_weights:
            out.update((d + offset, float(m._all_weights)) for d in ids)
            return
        if m._weights:
            weights = m._weights[m._i :]
            out.update((d + offset, float(w)) for d, w in zip(ids, weights, strict=True))
            return
        out.update((d + offset, 1.0) for d in ids)
        return
    while m.is_active():
        out[m.id() + offset] = m.score()
        m.next()


def _all_of(maps: list[tuple[ScoreMap, int]]) -> ScoreMap:
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
    return {d: sum(m[d] * n for m, n in maps) for d in common}


def _any_of(maps: list[tuple[ScoreMap, int]]) -> ScoreMap:
    """Documents in any map, scored by the sum of the maps holding them."""
    if len(maps) == 1 and maps[0][1] == 1:
        return maps[0][0]
    out: ScoreMap = {}
    for m, n in maps:
        for d, s in m.items():
            out[d] = out.get(d, 0.0) + s * n
    return out


def _plus_optional(required: ScoreMap, optional: ScoreMap) -> ScoreMap:
    out = dict(required)
    if len(optional) < len(required):
        for d, s in optional.items():
            if d in out:
                out[d] += s
    else:
        for d in out:
            s = optional.get(d)
            if s is not None:
                out[d] += s
    return out


__all__ = ["DEFAULT_CACHE_POSTINGS", "LeafCache", "ScoreMap", "evaluate", "leaf_cache"]
