"""Small random records for the index tests: a body of words drawn from a list."""

from __future__ import annotations

import random
from collections.abc import Sequence

from reslib.models import Record


def random_record(
    n: int, rng: random.Random, words: Sequence[str], *, burmese: str = "", longest: int = 40
) -> Record:
    """Record ``d{n:03d}``: 3 to ``longest`` of ``words``, then ``burmese`` and a word of
    its own (``unique{n}``); a report or news item of 2023, titled with one of ``words``."""
    body = " ".join(rng.choice(words) for _ in range(rng.randint(3, longest)))
    return Record(
        id=f"d{n:03d}",
        type=("report", "news")[n % 2],
        title=f"Report {n} {rng.choice(words)}",
        language="en",
        date=f"2023-{n % 12 + 1:02d}-01",
        body=f"{body} {burmese} unique{n}" if burmese else f"{body} unique{n}",
    )
