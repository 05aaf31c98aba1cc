"""Term scores computed a block of postings at a time, exactly as Whoosh's scorer gives them.

Whoosh scores a posting per Python call through its scorer object (BM25F: a few
microseconds each); a common term has tens of thousands. Here the scores of a term's postings
are computed together from their weights and field lengths (``reslib.index.postings``),
with Whoosh's formula, statistics and order of operations, so they are bit-identical. A
weighting other than BM25F or raw weights has no fast path: ``term_scores`` says so (None)
and the caller asks Whoosh's own matcher.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh import query as wq
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher

from ..index.postings import field_lengths


def term_scores(
    leaf: Searcher,
    q: wq.Term,
    btext: bytes,
    docs: list[int],
    weights: Sequence[float],
    scorers: dict[tuple[str, bytes], Any] | None = None,
) -> NDArray[np.float64] | None:
    """Whoosh's scores of a term's postings in one segment (``leaf``): segment docnums and
    their weights, boosted; None for a weighting without a fast path.

    ``scorers`` (one per search) keeps the scorer made for a term's first segment: a BM25F
    scorer's statistics (idf, average length) are the whole index's, the same in every
    segment, and making one looks the term up in the segment's term index again."""
    key = (q.fieldname, btext)
    scorer = None if scorers is None else scorers.get(key)
    if scorer is None:
        scorer = leaf.weighting.scorer(leaf, q.fieldname, btext)
        if scorers is not None:
            scorers[key] = scorer
    if isinstance(scorer, BM25FScorer):
        scores = bm25(scorer, weights, field_lengths(leaf.reader(), q.fieldname, docs))
    elif isinstance(scorer, WeightScorer):
        scores = np.array(weights, dtype=np.float64)
    else:
        return None
    if q.boost != 1.0:
        scores *= q.boost
    return scores


def bm25(
    scorer: BM25FScorer, weights: Sequence[float], lengths: Sequence[int] | NDArray[np.int64]
) -> NDArray[np.float64]:
    """Whoosh's bm25(), with its operations in its order, so the scores are bit-identical.

    The postings are scored together, one array operation per step of the formula: each
    step is an IEEE-754 operation on doubles, as in Python, so a score is the one Whoosh's
    per-posting call computes (``tests/test_scoring.py``)."""
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    tf = np.asarray(weights, dtype=np.float64)
    fl = np.asarray(lengths, dtype=np.float64)
    # idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl))), step by step.
    norm = b * fl
    norm /= avgfl
    norm += 1 - b
    norm *= k1
    norm += tf
    scores = tf * (k1 + 1)
    scores /= norm
    scores *= idf
    return scores


__all__ = ["bm25", "term_scores"]
