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
order of floating-point additions differs (scores may differ in the last bits). Two
deliberate differences, where Whoosh 2.7.4's matchers are wrong: its ``AndNot`` does not check
the first document of its left side when the excluded side's postings start earlier (here
exclusion is exact), and its ``AndMaybe``, skipped inside an ``And``, can lose the optional
score of the document it lands on (here it is always added). ``tests/whoosh_reference.py``
is Whoosh's matchers with those two fixed; ``tests/test_evaluate_property.py`` compares.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from collections.abc import Set as AbstractSet
from itertools import accumulate, compress, repeat
from operator import add, sub
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher, Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher, TermNotFound
from whoosh.util.numeric import byte_to_length

from .. import settings
from ..analysis.terms import unpack_positions
from .compile import BigramPhrase

ScoreMap = dict[int, float]

#: Postings kept in the leaf cache per process (16 bytes each): 8,000,000 is ~130 MB.
DEFAULT_CACHE_POSTINGS = settings.SETTINGS["cache_postings"].default

_BYTE_TO_LENGTH = tuple(byte_to_length(i) for i in range(256))
#: As Whoosh's scorer reads a length: a zero byte (none recorded) counts as 1.
_LENGTH_OR_ONE = (1, *_BYTE_TO_LENGTH[1:])
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

    def clear(self) -> None:
        with self._lock:
            self._maps.clear()
            self._size = 0


leaf_cache = LeafCache(settings.get("cache_postings"))


def evaluate(searcher: Searcher, q: wq.Query, generation: Hashable) -> ScoreMap:
    """Every document ``q`` matches in ``searcher`` (global docnums), with its score.

    ``generation`` identifies the index state the searcher reads: leaf maps are cached
    under it. The returned map is the caller's (the cache keeps its own packed copy).
    """
    return _Evaluator(searcher, generation).node(q)


#: A leaf is read only where its candidates are when they number under its document
#: frequency divided by this: then most of its posting blocks are skipped. Otherwise it is
#: read whole and cached, as a common term is worth keeping for the next query.
SPARSE = 8

#: Evaluated last among the children of an ``And``: a node whose size is not known cheaply.
_UNKNOWN_COST = 1 << 62

#: Documents a node's map must cover, or None for all. A node given ``within`` may return
#: only documents in it (those are the only ones its caller combines).
Within = AbstractSet[int] | None


class _Evaluator:
    def __init__(self, searcher: Searcher, generation: Hashable) -> None:
        self.searcher = searcher
        self.generation = generation
        self.leaves = list(searcher.leaf_searchers())
        self.context = searcher.context(needs_current=True)
        #: Term -> document frequency, looked up once per search (each look-up visits
        #: every segment's term index).
        self._frequencies: dict[wq.Term, int] = {}

    def node(self, q: wq.Query, within: Within = None) -> ScoreMap:
        kind = type(q)
        if kind is _NULL:
            return {}
        if kind is wq.And and q.boost == 1.0:
            return self._and(q.subqueries, within)
        if kind is wq.Or and q.boost == 1.0 and not q.minmatch and q.scale is None:
            return _any_of([(self.node(c, within), n) for c, n in _distinct(q.subqueries)])
        if kind is wq.AndMaybe and q.boost == 1.0:
            required = self.node(q.a, within)
            if not required:
                return {}
            return _plus_optional(required, self.node(q.b, required.keys()))
        if kind is wq.AndNot and q.boost == 1.0:
            return self._and_not(q.a, q.b, within)
        return self._leaf(q, within)

    def _and_not(self, a: wq.Query, b: wq.Query, within: Within) -> ScoreMap:
        """``a`` without the documents ``b`` matches. An ``Or`` of exclusions is applied one
        child at a time, the largest first, each read only among the documents still left."""
        base = self.node(a, within)
        if not base:
            return {}
        parts = (
            [c for c, _ in _distinct(b.subqueries)]
            if type(b) is wq.Or and b.boost == 1.0 and not b.minmatch and b.scale is None
            else [b]
        )
        left = set(base)
        for part in sorted(parts, key=self._cost, reverse=True):
            left.difference_update(self.node(part, left))
            if not left:
                return {}
        return {d: s for d, s in base.items() if d in left}

    def _and(self, subqueries: list[wq.Query], within: Within) -> ScoreMap:
        """Every child must match: the smallest first, each next one read only among the
        documents all before it matched (a long query of common words reads few blocks of
        most of them). Scores add in the children's order, as Whoosh adds them."""
        children = _distinct(subqueries)
        maps: list[ScoreMap] = [{} for _ in children]
        order = sorted(range(len(children)), key=lambda i: self._cost(children[i][0]))
        current = within
        for i in order:
            found = self.node(children[i][0], current)
            if not found:
                return {}
            maps[i] = found
            current = found.keys() if current is None else current & found.keys()
            if not current:
                return {}
        return _all_of([(m, n) for m, (_, n) in zip(maps, children, strict=True)])

    def _cost(self, q: wq.Query) -> int:
        """About how many documents ``q`` matches, for ordering an ``And``'s children."""
        kind = type(q)
        if kind is wq.Term:
            found = leaf_cache.size_of((self.generation, q))
            if found is not None:
                return found
            known = self._frequencies.get(q)
            if known is None:
                try:
                    known = int(self.searcher.doc_frequency(q.fieldname, q.text))
                except (TermNotFound, KeyError, ValueError):  # no such (indexed) field
                    known = 0
                self._frequencies[q] = known
            return known
        if kind is BigramPhrase:
            return min((self._cost(wq.Term(q.fieldname, w)) for w in q.words), default=0)
        if kind is wq.AndMaybe or kind is wq.AndNot:
            return self._cost(q.a)
        if kind is wq.And:
            return min((self._cost(c) for c in q.subqueries), default=0)
        if kind is wq.Or:
            return sum(self._cost(c) for c in q.subqueries)
        if kind is _NULL:
            return 0
        return _UNKNOWN_COST

    def _leaf(
        self, q: wq.Query, within: Within = None, values: dict[int, bytes] | None = None
    ) -> ScoreMap:
        """A term, a phrase or anything else not combined here (restricted to ``within``).
        Read whole, its map is cached per generation; a term or phrase among few
        candidates has only their blocks read, and is not cached. For a term, ``values``
        (if given) receives the encoded positions of the postings read from the index now.
        """
        key = (self.generation, q)
        try:
            found = leaf_cache.get(key)
        except TypeError:  # an unhashable query: nothing to cache it under
            return _only(self._read(q), within)
        if found is not None:
            return _only(found, within)
        if within is not None and self._sparse(q, within):
            if type(q) is wq.Term:
                return self._read_term_within(q, sorted(within), values)
            if _is_bigram_phrase(q):
                return self._read_phrase(q, within)
        found = self._read(q, values)
        leaf_cache.put(key, found)
        return _only(found, within)

    def _sparse(self, q: wq.Query, within: AbstractSet[int]) -> bool:
        return len(within) * SPARSE < self._cost(q)

    def _read(self, q: wq.Query, values: dict[int, bytes] | None = None) -> ScoreMap:
        """``q``'s map; for a term, ``values`` (if given) also receives each posting's
        encoded value (positions) where a block read gives it for free."""
        if _is_bigram_phrase(q):
            return self._read_phrase(q)
        out: ScoreMap = {}
        for leaf, offset in self.leaves:
            if type(q) is wq.Term:
                self._read_term(q, leaf, offset, out, values)
                continue
            try:
                m = q.matcher(leaf, self.context)
            except TermNotFound:
                continue
            _drain(m, offset, out)
        return out

    def _read_term(
        self,
        q: wq.Term,
        leaf: Searcher,
        offset: int,
        out: ScoreMap,
        values: dict[int, bytes] | None = None,
    ) -> None:
        found = self._open_term(q, leaf)
        if found is None:
            return
        btext, m, excluded = found
        if not isinstance(m, W3LeafMatcher):
            _drain(wq.Term.matcher(q, leaf, self.context), offset, out)
            return
        ids, weights, encoded = _postings(m, with_values=values is not None)
        scores = self._scores(q, leaf, btext, ids, weights)
        if scores is None:
            _drain(wq.Term.matcher(q, leaf, self.context), offset, out)
            return
        if excluded:
            kept = [d not in excluded for d in ids]
            ids = list(compress(ids, kept))
            scores = list(compress(scores, kept))
            encoded = list(compress(encoded, kept))
        globals_ = [d + offset for d in ids] if offset else ids
        out.update(zip(globals_, scores, strict=True))
        if values is not None:
            values.update(zip(globals_, encoded, strict=True))

    def _read_term_within(
        self, q: wq.Term, docs: list[int], values: dict[int, bytes] | None = None
    ) -> ScoreMap:
        """A term's postings among ``docs`` (sorted global docnums) only, scored as in the
        whole map: only the posting blocks that may hold one of them are decoded."""
        out: ScoreMap = {}
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            wanted = docs[bisect_left(docs, offset) : bisect_left(docs, end)]
            if not wanted:
                continue
            found = self._open_term(q, leaf)
            if found is None:
                continue
            btext, m, excluded = found
            if not isinstance(m, W3LeafMatcher):  # a few postings, inlined: read them all
                part: ScoreMap = {}
                self._read_term(q, leaf, offset, part)
                out.update((g, part[g]) for g in wanted if g in part)
                continue
            local = [g - offset for g in wanted]
            ids: list[int] = []
            weights: list[float] = []
            encoded: list[bytes] = []
            for hits in _blocks_holding(m, local):
                m._read_weights()
                if values is not None:
                    m._read_values()
                for d, i in hits:
                    if d not in excluded:
                        ids.append(d)
                        weights.append(m._weights[i])
                        if values is not None:
                            encoded.append(m._values[i])
            scores = self._scores(q, leaf, btext, ids, weights)
            if scores is None:  # a weighting without a fast path: Whoosh's matcher
                part = {}
                _drain(wq.Term.matcher(q, leaf, self.context), offset, part)
                out.update((g, part[g]) for g in wanted if g in part)
                continue
            globals_ = [d + offset for d in ids]
            out.update(zip(globals_, scores, strict=True))
            if values is not None:
                values.update(zip(globals_, encoded, strict=True))
        return out

    def _open_term(self, q: wq.Term, leaf: Searcher) -> tuple[bytes, Matcher, Any] | None:
        """The term's bytes, its postings matcher in ``leaf`` (without the deleted-documents
        filter) and the deleted documents; None when the segment lacks the term."""
        schema = leaf.schema
        if q.fieldname not in schema:
            return None
        try:
            btext = schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return None
        reader = leaf.reader()
        if (q.fieldname, btext) not in reader:
            return None
        m, excluded = _unwrap(reader.postings(q.fieldname, btext))
        return btext, m, excluded

    def _scores(
        self, q: wq.Term, leaf: Searcher, btext: bytes, ids: list[int], weights: list[float]
    ) -> list[float] | None:
        """Whoosh's scores of postings (segment docnums, weights), boosted; None for a
        weighting this module does not compute itself."""
        scorer = leaf.weighting.scorer(leaf, q.fieldname, btext)
        if isinstance(scorer, BM25FScorer):
            scores = _bm25(scorer, ids, weights, _lengths(leaf.reader(), q.fieldname, ids))
        elif isinstance(scorer, WeightScorer):
            scores = list(weights)
        else:
            return None
        if q.boost != 1.0:
            scores = [s * q.boost for s in scores]
        return scores

    def _read_phrase(self, q: BigramPhrase, within: Within = None) -> ScoreMap:
        """Documents holding bigram ``i`` of the phrase at position ``start + i`` (among
        ``within``, if given).

        The rarest bigram is read first, each next one only among the documents holding
        all before it. A bigram read from the index now hands over its positions from the
        same block reads; for a cached one only the blocks holding a candidate are decoded.
        """
        field = q.fieldname
        words = q.words
        distinct = list(dict.fromkeys(words))
        terms = {w: wq.Term(field, w) for w in distinct}
        maps: dict[str, ScoreMap] = {}
        read_now: dict[str, dict[int, bytes]] = {}
        current = within
        for w in sorted(distinct, key=lambda w: self._cost(terms[w])):
            read_now[w] = {}
            found = self._leaf(terms[w], current, read_now[w])
            if not found:
                return {}
            maps[w] = found
            current = found.keys() if current is None else current & found.keys()
        candidates = sorted(current or ())
        out: ScoreMap = {}
        if not candidates:
            return out
        word_maps = [maps[w] for w in words]
        boost = q.boost
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            local = candidates[bisect_left(candidates, offset) : bisect_left(candidates, end)]
            if not local:
                continue
            reader = leaf.reader()
            by_word: dict[str, dict[int, bytes]] = {}
            for w in distinct:
                known = read_now[w]
                # A term read now has the values of this segment's candidates, unless
                # Whoosh inlined the segment's few postings in the term index.
                if local[0] in known:
                    by_word[w] = known
                else:
                    btext = leaf.schema[field].to_bytes(w)
                    by_word[w] = _values_of(reader, field, btext, local, offset)
            matched = _in_sequence(local, [by_word[w] for w in words])
            # As BigramPhrase scores: the sum of its terms' scores, in order, boosted (the
            # first addition, 0.0 + s, is s).
            totals = list(map(word_maps[0].__getitem__, matched))
            for m in word_maps[1:]:
                totals = list(map(add, totals, map(m.__getitem__, matched)))
            if boost != 1.0:
                totals = [t * boost for t in totals]
            out.update(zip(matched, totals, strict=True))
        return out


def _is_bigram_phrase(q: wq.Query) -> bool:
    """A phrase of bigrams this module matches itself (else Whoosh's matcher does)."""
    return type(q) is BigramPhrase and len(q.words) > 1 and q.slop == 1


def _distinct(subqueries: list[wq.Query]) -> list[tuple[wq.Query, int]]:
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


def _only(found: ScoreMap, within: Within) -> ScoreMap:
    """``found`` restricted to ``within`` (None: all of it)."""
    if within is None:
        return found
    if len(within) < len(found):
        return {d: found[d] for d in within if d in found}
    return {d: s for d, s in found.items() if d in within}


def _in_sequence(docs: list[int], values: list[dict[int, bytes]]) -> list[int]:
    """The documents of ``docs`` where bigram ``i`` (``values[i]``: document -> encoded
    positions) occurs ``i`` positions after bigram 0, for some start."""
    first, rest = values[0], values[1:]
    matched: list[int] = []
    for d in docs:
        starts = set(unpack_positions(first[d]))
        for shift, column in enumerate(rest, 1):
            # Bigram ``shift`` must start ``shift`` positions after bigram 0.
            starts.intersection_update(map(sub, unpack_positions(column[d]), repeat(shift)))
            if not starts:
                break
        if starts:
            matched.append(d)
    return matched


def _unwrap(m: Matcher) -> tuple[Matcher, frozenset[int] | set[int]]:
    """A segment's term matcher without its deleted-documents filter, and that filter."""
    if isinstance(m, FilterMatcher) and m._exclude:
        return m.child, m._ids
    return m, frozenset()


def _postings(
    m: W3LeafMatcher, with_values: bool = False
) -> tuple[list[int], list[float], list[bytes]]:
    """All (docnum, weight) postings of a fresh term matcher, a block at a time, and their
    encoded values if asked (the block-reading methods are Whoosh 2.7.4's, pinned)."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    while m.is_active():
        m._read_data()
        block_ids = m._data[0]
        # Whoosh decodes the deltas with a generator; accumulate is the same sum, in C.
        ids.extend(block_ids if m._byteids else accumulate(block_ids))
        m._read_weights()
        weights.extend(m._weights)
        if with_values:
            m._read_values()
            values.extend(m._values)
        m._next_block()
    return ids, weights, values


def _values_of(
    reader: Any, field: str, btext: bytes, docs: list[int], offset: int
) -> dict[int, bytes]:
    """The encoded values (positions) of a term's postings in ``docs`` (sorted, global
    docnums of the segment starting at ``offset``, all holding the term), keyed by global
    docnum: only the blocks that hold one of them are decoded."""
    m, _ = _unwrap(reader.postings(field, btext))
    out: dict[int, bytes] = {}
    local = [d - offset for d in docs]
    if not isinstance(m, W3LeafMatcher):
        for d in local:
            m.skip_to(d)
            out[d + offset] = m.value()
        return out
    for hits in _blocks_holding(m, local):
        m._read_values()
        for d, i in hits:
            out[d + offset] = m._values[i]
    return out


def _blocks_holding(m: W3LeafMatcher, docs: list[int]) -> Iterator[list[tuple[int, int]]]:
    """Walk a term's posting blocks, decoding the ids of only those that may hold one of
    ``docs`` (sorted segment docnums); for each, while the matcher is on it, yield the
    (docnum, index in the block) of the ones it holds (the caller reads weights or values
    at those indexes). Block-reading methods are Whoosh 2.7.4's, pinned."""
    j, n = 0, len(docs)
    while m.is_active() and j < n:
        last = m.block_max_id()
        if docs[j] <= last:
            m._read_ids()
            where = {d: i for i, d in enumerate(m._ids)}
            hits = []
            while j < n and docs[j] <= last:
                i = where.get(docs[j])
                if i is not None:
                    hits.append((docs[j], i))
                j += 1
            yield hits
        m._next_block()


def _lengths(reader: Any, field: str, ids: list[int]) -> list[int]:
    """Each document's length of ``field``, as Whoosh's scorer reads it (1 when absent)."""
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_read_lengths"):
        perdoc.doc_field_length(0, field)  # loads the column into the reader once
        column = getattr(perdoc, "_length_bytes", {}).get(field)
    if column is None:
        return [reader.doc_field_length(d, field, 1) or 1 for d in ids]
    if ids and ids[-1] < len(column):  # always, for a segment's own documents
        return list(map(_LENGTH_OR_ONE.__getitem__, map(column.__getitem__, ids)))
    size = len(column)
    table = _BYTE_TO_LENGTH
    return [table[column[d]] if d < size and column[d] else 1 for d in ids]


def _bm25(scorer: BM25FScorer, ids: list[int], weights: list[float], lengths: list[int]) -> list:
    """Whoosh's bm25(), with its operations in its order, so the scores are bit-identical.

    A score depends only on (frequency, length), and lengths are one of 256 rounded values:
    each distinct pair is computed once and the postings map to it (in C).
    """
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    pairs = list(zip(weights, lengths, strict=True))
    memo = {
        (tf, fl): idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        for tf, fl in set(pairs)
    }
    return list(map(memo.__getitem__, pairs))


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
    if all(n == 1 for _, n in maps):
        # The common shapes spelled out: the same additions in the same order as the sum
        # below, without a generator per document.
        if len(maps) == 2:
            a, b = maps[0][0], maps[1][0]
            return {d: a[d] + b[d] for d in common}
        if len(maps) == 3:
            a, b, c = maps[0][0], maps[1][0], maps[2][0]
            return {d: a[d] + b[d] + c[d] for d in common}
    return {d: sum(m[d] * n for m, n in maps) for d in common}


def _any_of(maps: list[tuple[ScoreMap, int]]) -> ScoreMap:
    """Documents in any map, scored by the sum of the maps holding them."""
    if not maps:
        return {}
    if len(maps) == 1 and maps[0][1] == 1:
        return maps[0][0]
    (first, times), rest = maps[0], maps[1:]
    # The first map copied in C: 0.0 + s * 1 is s.
    out: ScoreMap = dict(first) if times == 1 else {d: s * times for d, s in first.items()}
    for m, n in rest:
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
