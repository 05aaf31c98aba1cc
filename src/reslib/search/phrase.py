"""The position check of a phrase of bigrams: bigram ``i`` at ``start + i``, for some start.

``compile.BigramPhrase`` is a phrase of bigram terms; the evaluator finds its candidates
(documents holding every bigram) from the terms' score maps and calls ``in_sequence`` on
them with each bigram's positions, read from the blocks holding a candidate only
(``values_among``).
"""

from __future__ import annotations

from itertools import repeat
from operator import sub
from typing import Any

from ..analysis.terms import unpack_positions
from ..index.postings import blocks_holding, open_postings


def in_sequence(docs: list[int], values: list[dict[int, bytes]]) -> list[int]:
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
