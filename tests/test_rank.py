"""Ranking picks the leaders of the best groups, ties in index order; a bitmap holds exactly
its documents."""

from __future__ import annotations

import heapq
import random
from types import SimpleNamespace
from typing import Any

import numpy as np

from reslib.search.combine import hits
from reslib.search.facets import members_of, to_bitmap
from reslib.search.rank import by_score, group_leaders


def _by_score_one_at_a_time(scored: dict[int, float], groups: list[str], need: int) -> list[int]:
    """The definition: every document ordered by score, highest first, ties by document
    number (heapq.nlargest keeps the input order among equals), one per group."""
    ordered = heapq.nlargest(len(scored), sorted(scored), key=scored.__getitem__)
    return group_leaders(ordered, groups, need)


def test_leaders_are_the_best_groups_with_ties_in_index_order() -> None:
    rng = random.Random(3)
    checked_ties = 0
    for _ in range(300):
        size = rng.randint(1, 400)
        docs = sorted(rng.sample(range(size * 2), size))
        # Few distinct scores, so many ties, some across the k-th place.
        levels = [rng.uniform(0, 9) for _ in range(rng.randint(1, 6))]
        scored = {d: rng.choice(levels) for d in docs}
        # Translation groups of one to three documents.
        groups = [f"g{d // rng.choice([1, 2, 3])}" for d in range(size * 2)]
        tabs: Any = SimpleNamespace(groups=groups)
        need = rng.randint(1, 40)
        got = by_score(hits(docs, [scored[d] for d in docs]), tabs, need)
        assert got == _by_score_one_at_a_time(scored, groups, need)
        checked_ties += len(set(scored.values())) < len(scored)
    assert checked_ties > 200


def test_a_bitmap_holds_exactly_its_documents_however_they_are_given() -> None:
    rng = random.Random(5)
    for size in (1, 7, 8, 9, 64, 1000, 50_001):
        for share in (0.0, 0.01, 0.5, 1.0):
            docs = sorted(d for d in range(size) if rng.random() < share)
            want = sum(1 << d for d in docs)
            # A few documents take the byte loop, many the array path: as a list, a set
            # and an array.
            for given in (docs, set(docs), np.array(docs, dtype=np.int64)):
                assert to_bitmap(given, size) == want
            assert members_of(want).tolist() == docs


def test_a_score_map_answers_membership_and_the_scores_of_a_page() -> None:
    found = hits([2, 5, 9], [0.5, 1.5, 2.5])
    assert 5 in found and np.int64(9) in found
    assert 4 not in found and np.int64(10) not in found and "5" not in found
    assert 7 not in hits([], [])
    assert found.scores_of([9, 4, 2, 9]) == {2: 0.5, 9: 2.5}
