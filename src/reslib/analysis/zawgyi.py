"""Zawgyi detection and conversion.

Detection is Google's myanmar-tools Markov model (``myanmartools``); conversion is ICU's
``Zawgyi-my`` transliterator, present since ICU 58. Both objects are expensive to build and not
picklable, so they are created once, lazily, per process.
"""

from __future__ import annotations

import math
from functools import lru_cache

#: A paragraph is converted automatically only above this probability (the detector's own
#: recommendation for "definitely Zawgyi").
CONVERT_THRESHOLD = 0.95
#: Between these two bounds a query is ambiguous: search both readings.
AMBIGUOUS_LOW = 0.05


@lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    from myanmartools import ZawgyiDetector

    return ZawgyiDetector()


@lru_cache(maxsize=8)
def transliterator(spec: str):  # type: ignore[no-untyped-def]
    """An ICU transliterator, built once per process (they are costly and not picklable)."""
    import icu

    return icu.Transliterator.createInstance(spec)


def zawgyi_probability(text: str) -> float | None:
    """Probability that ``text`` is Zawgyi-encoded, or None when it holds no Burmese at all."""
    p = _detector().get_zawgyi_probability(text)
    if p == -math.inf or math.isnan(p):
        return None
    return float(p)


def zawgyi_to_unicode(text: str) -> str:
    """Convert Zawgyi text to Unicode. Damages real Unicode text: callers must detect first."""
    return str(transliterator("Zawgyi-my").transliterate(text))


def unicode_to_zawgyi(text: str) -> str:
    """Render Unicode Burmese as Zawgyi (used by tests and the relevance benchmark)."""
    return str(transliterator("my-Zawgyi").transliterate(text))
