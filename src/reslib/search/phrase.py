"""The position check of a phrase of bigrams: bigram ``i`` at ``start + i``, for some start.

``compile.BigramPhrase`` is a phrase of bigram terms; the evaluator finds its candidates
(documents holding every bigram) from the terms' score maps and calls ``in_sequence`` on
them with each bigram's positions, read from the blocks holding a candidate only
(``values_among``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..analysis.terms import unpack_many
from ..index.postings import blocks_holding, open_postings


def in_sequence(docs: list[int], values: list[dict[int, bytes]]) -> list[int]:
    """The documents of ``docs`` where bigram ``i`` (``values[i]``: document -> encoded
    positions) occurs ``i`` positions after bigram 0, for some start.

    Each occurrence becomes one integer, its document and the start it implies
    (``document << 33 | position + n - i``: with ``n`` bigrams the sum stays under 2**33),
    so a start shared by every bigram is an intersection of sorted arrays. A loop over the
    documents cost ~3 µs each, and a common Burmese phrase has tens of thousands of
    candidates (benchmarks/search.py: see the commit)."""
    n = len(values)
    shifted = np.array(docs, dtype=np.int64) << _DOC_SHIFT
    shared: NDArray[np.int64] | None = None
    for i, column in enumerate(values):
        counts, positions = unpack_many(list(map(column.__getitem__, docs)))
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
) -> dict[int, bytes]:
    """The encoded positions of a term's postings in ``docs`` (sorted, global docnums of the
    segment starting at ``offset``, all holding the term), keyed by global docnum: only the
    blocks that hold one of them are decoded."""
    out: dict[int, bytes] = {}
    postings = open_postings(reader, field, btext)
    if postings is None:
        return out
    for hits in blocks_holding(postings, [d - offset for d in docs]):
        values = postings.values()
        for d, i in hits:
            out[d + offset] = values[i]
    return out


__all__ = ["in_sequence", "values_among"]
