"""Near-identical titles: reported as possible duplicates, never merged.

Two titles are near-identical when their words agree after folding plurals ("disappearances"
~ "disappearance") up to a 90% sequence match, and their numbers agree exactly: "Humanitarian
Update No. 32" and "No. 34" are different issues of a series, not duplicates. Short titles
(under five words) must agree word for word after folding.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .base import title_key

THRESHOLD = 0.9
SHORT = 5


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and re.search(r"(ss|x|ch|sh)es$", word):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def title_words(title: str) -> list[str]:
    return [_stem(w) for w in title_key(title).split()]


def near_identical(a: list[str], b: list[str]) -> bool:
    """Whether two stemmed word lists name the same thing (see the module docstring)."""
    if Counter(w for w in a if any(c.isdigit() for c in w)) != Counter(
        w for w in b if any(c.isdigit() for c in w)
    ):
        return False
    if min(len(a), len(b)) < SHORT:
        return a == b
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= THRESHOLD


@dataclass
class TitleIndex:
    """Titles by language, blocked on their two longest words so a check stays cheap."""

    _words: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    _blocks: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def _keys(self, language: str, words: list[str]) -> list[tuple[str, str]]:
        longest = sorted(set(words), key=lambda w: (-len(w), w))[:2]
        return [(language, w) for w in longest]

    def add(self, record_id: str, title: str, language: str) -> None:
        words = title_words(title)
        self._words[record_id] = (language, words)
        for key in self._keys(language, words):
            self._blocks.setdefault(key, set()).add(record_id)

    def similar(self, record_id: str, title: str, language: str) -> list[str]:
        """Ids of other records whose title is near-identical in the same language."""
        words = title_words(title)
        candidates: set[str] = set()
        for key in self._keys(language, words):
            candidates |= self._blocks.get(key, set())
        candidates.discard(record_id)
        return sorted(c for c in candidates if near_identical(words, self._words[c][1]))
