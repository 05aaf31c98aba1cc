"""Term scores computed a block at a time are Whoosh's BM25F scores, bit for bit."""

from __future__ import annotations

import random
from array import array
from types import SimpleNamespace
from typing import Any

import pytest
from whoosh.scoring import bm25 as whoosh_bm25

from reslib.index.codec import BYTE_TO_LENGTH
from reslib.search.scoring import bm25


@pytest.mark.parametrize("ones", [1.0, 0.9, 0.0])
def test_scores_are_whoosh_bm25_exactly_whatever_the_weights(ones: float) -> None:
    rng = random.Random(int(ones * 10))
    for _ in range(200):
        scorer: Any = SimpleNamespace(
            idf=rng.uniform(0.1, 9), avgfl=rng.uniform(5, 900), B=0.75, K1=1.2
        )
        n = rng.randint(1, 400)
        weights = array(
            "f", [1.0 if rng.random() < ones else float(rng.randint(2, 30)) for _ in range(n)]
        )
        if rng.random() < 0.2:
            weights = array("f", [rng.choice([0.5, 1.5, 2.25]) for _ in range(n)])
        lengths = [rng.choice(BYTE_TO_LENGTH[1:]) for _ in range(n)]
        want = [
            whoosh_bm25(scorer.idf, tf, fl, scorer.avgfl, scorer.B, scorer.K1)
            for tf, fl in zip(weights, lengths, strict=True)
        ]
        assert bm25(scorer, weights, lengths).tolist() == want
        assert bm25(scorer, list(weights), lengths).tolist() == want
