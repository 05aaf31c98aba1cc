"""One term's postings in one segment, a block at a time: the one reader of Whoosh's private
matcher and reader members.

Whoosh 2.7.4 hands postings out as matchers, one posting per Python call. The search
evaluator (``reslib.search.evaluate``) reads them a block at a time instead (up to 128
postings, decoded in C), through the cursor here, modelled on tantivy's
``BlockSegmentPostings``::

    postings = open_postings(reader, "english", b"sagaing")   # None: not in this segment
    while postings.is_active():
        if postings.last_doc() >= wanted:    # from the block header: nothing decoded
            postings.docs()                  # segment document numbers, ascending
            postings.weights()               # term frequencies (Whoosh's weights)
            postings.values()                # encoded positions (``unpack_positions``)
        postings.advance()
    postings.deleted                         # deleted documents: still in the postings

``read_all`` and ``blocks_holding`` are the two walks the evaluator makes;
``field_lengths`` gives the lengths BM25 needs, ``matcher_scores`` any other Whoosh matcher's
documents with Whoosh's scores.

Postings on disk (``W3LeafMatcher``, what ``FastLengthsCodec`` reads) are read through
Whoosh's block methods. Any other matcher a codec hands out (a list of postings inlined in
the term index, which Whoosh 2.7.4's writer cannot actually produce, or another codec's) is
read through the public matcher interface into one block, so callers have a single path.
The private members used are listed in ``reslib.index.compat.PRIVATE_NAMES`` (a test keeps
the list exact and checks that no module but this one and ``codec`` uses any), and
``compat`` refuses to open an index with any Whoosh but 2.7.4.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate, count
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher, Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader, TermNotFound

from .blocks import PackedValues
from .codec import BYTE_TO_LENGTH, LengthsInMemory

#: As Whoosh's scorer reads a length: a zero byte (none recorded) counts as 1.
_LENGTH_OR_ONE = np.array((1, *BYTE_TO_LENGTH[1:]), dtype=np.int64)


class Postings:
    """A cursor over one term's postings in one segment, a block at a time.

    It starts on the first block; ``advance`` moves to the next and leaves the cursor
    inactive after the last. ``docs``, ``weights`` and ``values`` describe the current
    block, index for index, decoded on first use.
    """

    #: Documents deleted from the segment: their postings stay until a merge, so callers
    #: skip them.
    deleted: AbstractSet[int]

    def is_active(self) -> bool:
        raise NotImplementedError

    def last_doc(self) -> int:
        """The last document of the current block, without decoding it."""
        raise NotImplementedError

    def docs(self) -> Sequence[int]:
        raise NotImplementedError

    def weights(self) -> Sequence[float]:
        raise NotImplementedError

    def values(self) -> Sequence[Any]:
        raise NotImplementedError

    def advance(self) -> None:
        raise NotImplementedError


class BlockPostings(Postings):
    """Postings in Whoosh's on-disk blocks, read with its block methods (pinned 2.7.4)."""

    def __init__(self, matcher: W3LeafMatcher, deleted: AbstractSet[int]) -> None:
        self.matcher = matcher
        self.deleted = deleted
        self.block_docs: Sequence[int] | None = None

    def is_active(self) -> bool:
        return bool(self.matcher.is_active())

    def last_doc(self) -> int:
        return int(self.matcher.block_max_id())

    def docs(self) -> Sequence[int]:
        if self.block_docs is None:
            m = self.matcher
            if m._data is None:
                m._read_data()
            ids = m._data[0]
            # Whoosh decodes the deltas with a generator; accumulate is the same sum, in C.
            self.block_docs = ids if m._byteids else list(accumulate(ids))
        return self.block_docs

    def weights(self) -> Sequence[float]:
        m = self.matcher
        if m._weights is None:
            m._read_weights()
        return m._weights  # type: ignore[no-any-return]

    def values(self) -> Sequence[Any]:
        m = self.matcher
        if m._values is None:
            m._read_values()
        return m._values  # type: ignore[no-any-return]

    def advance(self) -> None:
        self.matcher._next_block()
        self.block_docs = None


class ListedPostings(Postings):
    """Postings read whole through the public matcher interface, as a single block."""

    def __init__(self, matcher: Matcher, deleted: AbstractSet[int]) -> None:
        self.deleted = deleted
        self.block_docs: list[int] = []
        self.block_weights: list[float] = []
        self.block_values: list[Any] = []
        while matcher.is_active():
            self.block_docs.append(matcher.id())
            self.block_weights.append(matcher.weight())
            self.block_values.append(matcher.value())
            matcher.next()
        self.active = bool(self.block_docs)

    def is_active(self) -> bool:
        return self.active

    def last_doc(self) -> int:
        return self.block_docs[-1]

    def docs(self) -> Sequence[int]:
        return self.block_docs

    def weights(self) -> Sequence[float]:
        return self.block_weights

    def values(self) -> Sequence[Any]:
        return self.block_values

    def advance(self) -> None:
        self.active = False


def open_postings(reader: Any, field: str, btext: bytes) -> Postings | None:
    """The postings of term ``btext`` of ``field`` in the segment ``reader`` reads, or None
    when the segment has none."""
    try:
        # One look-up of the term index (a membership test first would be a second).
        m = reader.postings(field, btext)
    except TermNotFound:
        return None
    deleted: AbstractSet[int] = frozenset()
    # Whoosh wraps a segment's postings in a filter of its deleted documents, checked a
    # posting at a time; the cursor hands the set over instead.
    if isinstance(m, FilterMatcher) and m._exclude:
        m, deleted = m.child, m._ids
    if isinstance(m, W3LeafMatcher):
        return BlockPostings(m, deleted)
    return ListedPostings(m, deleted)


def read_all(
    postings: Postings, *, with_values: bool = False
) -> tuple[list[int], list[float], list[Any]]:
    """Every posting's document and weight (and value, if asked), deleted ones included."""
    docs: list[int] = []
    weights: list[float] = []
    values: list[Any] = []
    while postings.is_active():
        docs.extend(postings.docs())
        weights.extend(postings.weights())
        if with_values:
            values.extend(postings.values())
        postings.advance()
    return docs, weights, values


def read_all_joined(postings: Postings) -> tuple[list[int], list[float], bytes, list[int]]:
    """``read_all`` for byte-string values (positions), handed over joined: every
    posting's document and weight, all values one after the other, and each one's length.
    A packed block's values are taken as they lie (``PackedValues.joined``)."""
    docs: list[int] = []
    weights: list[float] = []
    parts: list[bytes] = []
    lengths: list[int] = []
    while postings.is_active():
        block_docs = postings.docs()
        docs.extend(block_docs)
        weights.extend(postings.weights())
        values = postings.values()
        if isinstance(values, PackedValues):
            data, sizes = values.joined()
        else:
            data, sizes = b"".join(values), list(map(len, values))
        if len(sizes) != len(block_docs):  # a format whose values may be empty
            raise ValueError("read_all_joined needs a value for every posting")
        parts.append(data)
        lengths.extend(sizes)
        postings.advance()
    return docs, weights, b"".join(parts), lengths


def blocks_holding(postings: Postings, docs: list[int]) -> Iterator[list[tuple[int, int]]]:
    """Walk the blocks, decoding only those whose range may hold one of ``docs`` (sorted
    segment document numbers); for each, while the cursor is on it, yield the (document,
    index in the block) of those it holds: the caller reads ``weights()`` or ``values()``
    at those indexes."""
    j, n = 0, len(docs)
    while postings.is_active() and j < n:
        last = postings.last_doc()
        if docs[j] <= last:
            where = dict(zip(postings.docs(), count()))
            hits = []
            while j < n and docs[j] <= last:
                i = where.get(docs[j])
                if i is not None:
                    hits.append((docs[j], i))
                j += 1
            yield hits
        postings.advance()


def field_lengths(reader: Any, field: str, docs: list[int]) -> NDArray[np.int64]:
    """Each document's length of ``field`` in the segment, as Whoosh's BM25 reads it (1 when
    none is recorded): looked up at once in the column ``LengthsInMemory`` holds, or else a
    document at a time through the reader."""
    perdoc = reader._perdoc if isinstance(reader, SegmentReader) else None
    column = perdoc.length_bytes(field) if isinstance(perdoc, LengthsInMemory) else None
    if column is None:
        return np.array([reader.doc_field_length(d, field, 1) or 1 for d in docs], np.int64)
    wanted = np.array(docs, dtype=np.int64)
    codes = np.zeros(len(wanted), dtype=np.uint8)
    inside = wanted < len(column)  # always, for a segment's own documents
    codes[inside] = np.frombuffer(column, dtype=np.uint8)[wanted[inside]]
    return _LENGTH_OR_ONE[codes]


def matcher_scores(m: Matcher) -> tuple[list[int], list[float]]:
    """Every document of a Whoosh matcher with its score, as Whoosh computes it.

    A list matcher without a scorer (``Every``, and the ranges Whoosh expands into lists) is
    read from its lists at once rather than a posting at a time."""
    if isinstance(m, ListMatcher) and m._scorer is None and m._values is None:
        ids = list(m._ids[m._i :])
        if m._all_weights:
            return ids, [float(m._all_weights)] * len(ids)
        if m._weights:
            return ids, [float(w) for w in m._weights[m._i :]]
        return ids, [1.0] * len(ids)
    docs: list[int] = []
    scores: list[float] = []
    while m.is_active():
        docs.append(m.id())
        scores.append(m.score())
        m.next()
    return docs, scores


__all__ = [
    "BlockPostings",
    "ListedPostings",
    "Postings",
    "blocks_holding",
    "field_lengths",
    "matcher_scores",
    "open_postings",
    "read_all",
    "read_all_joined",
]
