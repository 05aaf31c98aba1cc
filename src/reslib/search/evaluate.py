"""Term-at-a-time evaluation: every document a ranked query matches, with its BM25F score.

Whoosh evaluates a query document-at-a-time through a tree of Python matcher objects, a few
microseconds per posting and node: a two-word query matching 33,000 of 50,000 records took
150 ms, most of a search's time. Here each leaf of the query (a term, a phrase) becomes a
score map (``combine.Hits``: its documents and their scores as arrays), its postings read a
block at a time (``reslib.index.postings``, scored by ``scoring``), and the tree combines
the maps with array operations (``combine``). Leaf maps are kept per index generation in
the leaf cache (``leafcache``): the common terms that make a query expensive are read once,
not per query.

An ``And`` reads its rarest child first and each next one only among the documents all
before it matched; a leaf with few candidates has only the blocks holding them read
(``SPARSE``). A phrase of bigrams (``compile.BigramPhrase``) is matched here too: its
candidates are the intersection of its terms' maps, and only their posting blocks are read
for positions (``phrase``); its score is the sum of its terms' scores.

The scores are Whoosh's: BM25F with the same statistics and the same formula per term, and
the same sums. A node this module does not know is evaluated by Whoosh's own matcher, so
the answer is Whoosh's answer either way; only the order of floating-point additions
differs (scores may differ in the last bits). Two deliberate differences, where Whoosh
2.7.4's matchers are wrong: its ``AndNot`` does not check the first document of its left
side when the excluded side's postings start earlier (here exclusion is exact), and its
``AndMaybe``, skipped inside an ``And``, can lose the optional score of the document it
lands on (here it is always added). ``tests/whoosh_reference.py`` is Whoosh's matchers with
those two fixed; ``tests/test_evaluate_property.py`` compares.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher, TermNotFound

from ..index.postings import (
    Postings,
    blocks_holding,
    matcher_scores,
    open_postings,
    read_all,
    read_all_joined,
)
from .combine import (
    NOTHING,
    Hits,
    Within,
    aligned,
    all_of,
    any_of,
    common,
    distinct,
    hits,
    joined,
    only,
    plus_optional,
    without,
)
from .compile import BigramPhrase
from .leafcache import leaf_cache
from .phrase import PositionColumn, in_sequence, values_among
from .scoring import term_scores

#: A leaf is read only where its candidates are when they number under its document
#: frequency divided by this: only the blocks holding a candidate are decoded, and only the
#: candidates scored. Otherwise it is read whole and cached, as a common term is worth
#: keeping for the next query. Since posting blocks are packed (``reslib.index.blocks``),
#: decoding a block costs less than scoring its postings, so a read among a third of a
#: term's documents already pays (benchmarks/search.py kinds at 50,000 records, 2 to 8
#: tried: see the commit).
SPARSE = 3

#: Evaluated last among the children of an ``And``: a node whose size is not known cheaply.
_UNKNOWN_COST = 1 << 62
_NULL = type(wq.NullQuery)

ScoreMap = dict[int, float]


def evaluate(searcher: Searcher, q: wq.Query, generation: Hashable) -> ScoreMap:
    """Every document ``q`` matches in ``searcher`` (global docnums), with its score.

    ``generation`` identifies the index state the searcher reads (``Snapshot.key``): leaf
    maps are cached under it. The returned map is the caller's.
    """
    return evaluate_hits(searcher, q, generation).as_dict()


def evaluate_hits(searcher: Searcher, q: wq.Query, generation: Hashable) -> Hits:
    """``evaluate``'s answer as arrays (read-only when it is a cached leaf's)."""
    return _Evaluator(searcher, generation).node(q)


def _is_plain(q: wq.Or) -> bool:
    """An ``Or`` this module combines itself (else Whoosh's matcher does)."""
    return q.boost == 1.0 and not q.minmatch and q.scale is None


def _is_bigram_phrase(q: wq.Query) -> bool:
    """A phrase of bigrams this module matches itself (else Whoosh's matcher does)."""
    return type(q) is BigramPhrase and len(q.words) > 1 and q.slop == 1


class _Evaluator:
    def __init__(self, searcher: Searcher, generation: Hashable) -> None:
        self.searcher = searcher
        self.generation = generation
        self.cache = leaf_cache()
        self.leaves = list(searcher.leaf_searchers())
        self.context = searcher.context(needs_current=True)
        #: Term -> document frequency, looked up once per search (each look-up visits
        #: every segment's term index).
        self.frequencies: dict[wq.Term, int] = {}
        #: (field, term) -> its scorer, made in the first segment holding it.
        self.scorers: dict[tuple[str, bytes], Any] = {}

    def node(self, q: wq.Query, within: Within = None) -> Hits:
        kind = type(q)
        if kind is _NULL:
            return NOTHING
        if kind is wq.And and q.boost == 1.0:
            return self.all_children(q.subqueries, within)
        if kind is wq.Or and _is_plain(q):
            return any_of([(self.node(c, within), n) for c, n in distinct(q.subqueries)])
        if kind is wq.AndMaybe and q.boost == 1.0:
            required = self.node(q.a, within)
            if not len(required):
                return NOTHING
            return plus_optional(required, self.node(q.b, required.docs))
        if kind is wq.AndNot and q.boost == 1.0:
            return self.and_not(q.a, q.b, within)
        return self.leaf(q, within)

    def and_not(self, a: wq.Query, b: wq.Query, within: Within) -> Hits:
        """``a`` without the documents ``b`` matches. An ``Or`` of exclusions is applied one
        child at a time, the largest first, each read only among the documents still left."""
        base = self.node(a, within)
        if not len(base):
            return NOTHING
        parts = [c for c, _ in distinct(b.subqueries)] if type(b) is wq.Or and _is_plain(b) else [b]
        left = base
        for part in sorted(parts, key=self.cost, reverse=True):
            left = without(left, self.node(part, left.docs).docs)
            if not len(left):
                return NOTHING
        return left

    def all_children(self, subqueries: list[wq.Query], within: Within) -> Hits:
        """Every child must match: the smallest first, each next one read only among the
        documents all before it matched (a long query of common words reads few blocks of
        most of them). Scores add in the children's order, as Whoosh adds them."""
        children = distinct(subqueries)
        maps: list[Hits] = [NOTHING for _ in children]
        order = sorted(range(len(children)), key=lambda i: self.cost(children[i][0]))
        current = within
        for i in order:
            found = self.node(children[i][0], current)
            if not len(found):
                return NOTHING
            maps[i] = found
            current = found.docs if current is None else common(current, found.docs)
            if not len(current):
                return NOTHING
        return all_of([(m, n) for m, (_, n) in zip(maps, children, strict=True)])

    def cost(self, q: wq.Query) -> int:
        """About how many documents ``q`` matches, for ordering an ``And``'s children."""
        kind = type(q)
        if kind is wq.Term:
            found = self.cache.size_of((self.generation, q))
            if found is not None:
                return found
            known = self.frequencies.get(q)
            if known is None:
                try:
                    known = int(self.searcher.doc_frequency(q.fieldname, q.text))
                except (TermNotFound, KeyError, ValueError):  # no such (indexed) field
                    known = 0
                self.frequencies[q] = known
            return known
        if kind is BigramPhrase:
            return min((self.cost(wq.Term(q.fieldname, w)) for w in q.words), default=0)
        if kind is wq.AndMaybe or kind is wq.AndNot:
            return self.cost(q.a)
        if kind is wq.And:
            return min((self.cost(c) for c in q.subqueries), default=0)
        if kind is wq.Or:
            return sum(self.cost(c) for c in q.subqueries)
        if kind is _NULL:
            return 0
        return _UNKNOWN_COST

    def leaf(
        self, q: wq.Query, within: Within = None, values: list[PositionColumn] | None = None
    ) -> Hits:
        """A term, a phrase or anything else not combined here (restricted to ``within``).
        Read whole, its map is cached per generation; a term or phrase among few
        candidates has only their blocks read, and is not cached. For a term, ``values``
        (if given) receives the positions of the postings read from the index now, a column
        per segment read.
        """
        key = (self.generation, q)
        try:
            found = self.cache.get(key)
        except TypeError:  # an unhashable query: nothing to cache it under
            return only(self.read(q), within)
        if found is not None:
            return only(found, within)
        if within is not None and len(within) * SPARSE < self.cost(q):
            if type(q) is wq.Term:
                return self.term_within(q, within.tolist(), values)
            if _is_bigram_phrase(q):
                return self.phrase(q, within)
        found = self.read(q, values)
        self.cache.put(key, found)
        return only(found, within)

    def read(self, q: wq.Query, values: list[PositionColumn] | None = None) -> Hits:
        """``q``'s map; for a term, ``values`` (if given) also receives each posting's
        encoded value (positions) where a block read gives it for free."""
        if _is_bigram_phrase(q):
            return self.phrase(q)
        parts: list[Hits] = []
        for leaf, offset in self.leaves:
            if type(q) is wq.Term:
                parts.append(self.term(q, leaf, offset, values))
                continue
            try:
                m = q.matcher(leaf, self.context)
            except TermNotFound:
                continue
            parts.append(_segment_hits(offset, *matcher_scores(m)))
        return joined(parts)

    def term(
        self, q: wq.Term, leaf: Searcher, offset: int, values: list[PositionColumn] | None = None
    ) -> Hits:
        """Every posting of term ``q`` in one segment, scored."""
        found = _open_term(q, leaf)
        if found is None:
            return NOTHING
        btext, postings = found
        if values is None:
            ids, weights, _ = read_all(postings)
        else:
            ids, weights, data, lengths = read_all_joined(postings)
        scores = term_scores(leaf, q, btext, ids, weights, self.scorers)
        if scores is None:  # a weighting without a fast path: Whoosh's matcher
            return _segment_hits(offset, *matcher_scores(wq.Term.matcher(q, leaf, self.context)))
        docs = np.array(ids, dtype=np.int64)
        docs += offset
        if values is not None:
            # Deleted documents' positions stay in the column: no candidate is one.
            values.append(PositionColumn(docs, data, lengths))
        deleted = postings.deleted
        if deleted:
            gone = np.fromiter(deleted, np.int64, len(deleted))
            gone += offset
            kept = np.isin(docs, gone, invert=True)
            docs, scores = docs[kept], scores[kept]
        return Hits(docs, scores)

    def term_within(
        self, q: wq.Term, docs: list[int], values: list[PositionColumn] | None = None
    ) -> Hits:
        """A term's postings among ``docs`` (sorted global docnums) only, scored as in the
        whole map: only the posting blocks that may hold one of them are decoded."""
        parts: list[Hits] = []
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            wanted = docs[bisect_left(docs, offset) : bisect_left(docs, end)]
            if not wanted:
                continue
            found = _open_term(q, leaf)
            if found is None:
                continue
            btext, postings = found
            ids: list[int] = []
            weights: list[float] = []
            encoded: list[bytes] = []
            deleted = postings.deleted
            for hits_ in blocks_holding(postings, [d - offset for d in wanted]):
                block_weights = postings.weights()
                block_values = postings.values() if values is not None else ()
                for d, i in hits_:
                    if d not in deleted:
                        ids.append(d)
                        weights.append(block_weights[i])
                        if values is not None:
                            encoded.append(block_values[i])
            scores = term_scores(leaf, q, btext, ids, weights, self.scorers)
            if scores is None:  # a weighting without a fast path: Whoosh's matcher
                whole = _segment_hits(
                    offset, *matcher_scores(wq.Term.matcher(q, leaf, self.context))
                )
                parts.append(only(whole, np.array(wanted, dtype=np.int64)))
                continue
            segment = _segment_hits(offset, ids, scores)
            parts.append(segment)
            if values is not None:
                values.append(PositionColumn.of(segment.docs, encoded))
        return joined(parts)

    def phrase(self, q: BigramPhrase, within: Within = None) -> Hits:
        """Documents holding bigram ``i`` of the phrase at position ``start + i`` (among
        ``within``, if given).

        The rarest bigram is read first, each next one only among the documents holding
        all before it. A bigram read from the index now hands over its positions from the
        same block reads; for a cached one only the blocks holding a candidate are decoded.
        """
        field = q.fieldname
        words = q.words
        unique = list(dict.fromkeys(words))
        terms = {w: wq.Term(field, w) for w in unique}
        maps: dict[str, Hits] = {}
        read_now: dict[str, list[PositionColumn]] = {}
        current = within
        for w in sorted(unique, key=lambda w: self.cost(terms[w])):
            read_now[w] = []
            found = self.leaf(terms[w], current, read_now[w])
            if not len(found):
                return NOTHING
            maps[w] = found
            current = found.docs if current is None else common(current, found.docs)
        if current is None or not len(current):
            return NOTHING
        candidates = current.tolist()
        parts: list[Hits] = []
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            local = candidates[bisect_left(candidates, offset) : bisect_left(candidates, end)]
            if not local:
                continue
            by_word: dict[str, PositionColumn] = {}
            for w in unique:
                # A term read from the index now has the positions of this segment's
                # candidates; a cached one (or one Whoosh's matcher scored) has none.
                known = next((c for c in read_now[w] if c.holds(local[0])), None)
                if known is None:
                    btext = leaf.schema[field].to_bytes(w)
                    known = values_among(leaf.reader(), field, btext, local, offset)
                by_word[w] = known
            matched = np.array(in_sequence(local, [by_word[w] for w in words]), dtype=np.int64)
            # As Whoosh scores a phrase: the sum of its terms' scores, in order, boosted
            # (the first addition, 0.0 + s, is s).
            totals = aligned(maps[words[0]], matched)
            for w in words[1:]:
                totals = totals + aligned(maps[w], matched)
            if q.boost != 1.0:
                totals = totals * q.boost
            parts.append(Hits(matched, totals))
        return joined(parts)


def _open_term(q: wq.Term, leaf: Searcher) -> tuple[bytes, Postings] | None:
    """The term's bytes and its postings in ``leaf``; None when the segment lacks it (or
    the field is not indexed)."""
    schema = leaf.schema
    if q.fieldname not in schema:
        return None
    try:
        btext = schema[q.fieldname].to_bytes(q.text)
    except ValueError:
        return None
    postings = open_postings(leaf.reader(), q.fieldname, btext)
    return None if postings is None else (btext, postings)


def _segment_hits(offset: int, docs: list[int], scores: Any) -> Hits:
    """A segment's documents (ascending, segment docnums) and scores as global hits."""
    found = hits(docs, scores)
    if offset:
        found.docs += offset
    return found


__all__ = ["SPARSE", "ScoreMap", "evaluate", "evaluate_hits"]
