"""The position check of a phrase of bigrams: bigram ``i`` at ``start + i``, for some start.

``compile.BigramPhrase`` is a phrase of bigram terms; the evaluator finds its candidates
(documents holding every bigram) from the terms' score maps and calls ``in_sequence`` on
them with each bigram's positions (``PositionColumn``): taken from the blocks a term was
read from for its scores, or read from the blocks holding a candidate only
(``values_among``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..index.postings import blocks_holding, open_postings


class PositionColumn:
    """A term's encoded positions in some documents, as arrays: the documents (global
    docnums, ascending) and their ``PackedPositions`` values laid end to end (each a
    4-byte count, then the positions, all 32-bit little-endian), with where each starts.

    A common Burmese bigram is read with its positions for tens of thousands of
    documents; kept as one byte string, they cost no Python object per posting, and the
    positions of any candidates are gathered with a few array operations."""

    __slots__ = ("docs", "starts", "words")

    def __init__(self, docs: NDArray[np.int64], data: bytes, lengths: Sequence[int]) -> None:
        if len(lengths) != len(docs) or len(data) % 4:
            raise ValueError("a position column needs one whole value per document")
        self.docs = docs
        self.words = np.frombuffer(data, dtype="<u4")
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.asarray(lengths, dtype=np.int64) >> 2, out=starts[1:])
        self.starts = starts

    @classmethod
    def of(cls, docs: Sequence[int] | NDArray[np.int64], encoded: list[bytes]) -> PositionColumn:
        """The column of ``docs`` (ascending) with their encoded positions, one each."""
        return cls(np.asarray(docs, dtype=np.int64), b"".join(encoded), list(map(len, encoded)))

    def holds(self, doc: int) -> bool:
        at = int(np.searchsorted(self.docs, doc))
        return at < len(self.docs) and int(self.docs[at]) == doc

    def positions(self, docs: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """For ``docs`` (ascending, every one in the column): how many positions each has,
        and all their positions one document after the other."""
        at = np.searchsorted(self.docs, docs)
        first = self.starts[at] + 1  # past the count word
        counts = self.starts[at + 1] - first
        # Word index of every position: each document's first, then one more at a time.
        before = np.cumsum(counts) - counts
        index = np.arange(int(counts.sum()), dtype=np.int64)
        index += np.repeat(first - before, counts)
        return counts, self.words[index].astype(np.int64)


def in_sequence(docs: list[int], columns: list[PositionColumn]) -> list[int]:
    """The documents of ``docs`` where bigram ``i`` (its positions in ``columns[i]``)
    occurs ``i`` positions after bigram 0, for some start.

    Each occurrence becomes one integer, its document and the start it implies
    (``document << 33 | position + n - i``: with ``n`` bigrams the sum stays under 2**33),
    so a start shared by every bigram is an intersection of sorted arrays. A loop over the
    documents cost ~3 µs each, and a common Burmese phrase has tens of thousands of
    candidates (benchmarks/search.py: see the commit)."""
    n = len(columns)
    wanted = np.array(docs, dtype=np.int64)
    shifted = wanted << _DOC_SHIFT
    shared: NDArray[np.int64] | None = None
    for i, column in enumerate(columns):
        counts, positions = column.positions(wanted)
        starts = np.repeat(shifted + (n - i), counts) + positions
        # A bigram's positions in a document are distinct, so its starts are too.
        shared = starts if shared is None else np.intersect1d(shared, starts, assume_unique=True)
        if not len(shared):
            return []
    if shared is None:
        return []
    found = shared >> _DOC_SHIFT  # sorted, a document once per start it matches from
    return found[np.concatenate(([True], found[1:] != found[:-1]))].tolist()  # type: ignore[no-any-return]


#: Positions are 32-bit; one more bit holds the ``n - i`` added to them.
_DOC_SHIFT = 33


def values_among(
    reader: Any, field: str, btext: bytes, docs: list[int], offset: int
) -> PositionColumn:
    """The encoded positions of a term's postings in ``docs`` (sorted, global docnums of the
    segment starting at ``offset``, all holding the term): only the blocks that hold one
    of them are decoded."""
    found: list[int] = []
    encoded: list[bytes] = []
    postings = open_postings(reader, field, btext)
    if postings is not None:
        for hits in blocks_holding(postings, [d - offset for d in docs]):
            values = postings.values()
            for d, i in hits:
                found.append(d + offset)
                encoded.append(values[i])
    return PositionColumn.of(found, encoded)


__all__ = ["PositionColumn", "in_sequence", "values_among"]
