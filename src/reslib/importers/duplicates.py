"""Near-identical titles: reported as possible duplicates, never merged.

Two titles are near-identical when their words agree after folding plurals ("disappearances"
~ "disappearance") up to a 90% sequence match, and their numbers agree exactly: "Humanitarian
Update No. 32" and "No. 34" are different issues of a series, not duplicates. Short titles
(under five words) must agree word for word after folding.
"""

from __future__ import annotations

import re
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


def _numbers(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(w for w in words if any(c.isdigit() for c in w)))


def near_identical(a: list[str], b: list[str]) -> bool:
    """Whether two stemmed word lists name the same thing (see the module docstring)."""
    if _numbers(a) != _numbers(b):
        return False
    if min(len(a), len(b)) < SHORT:
        return a == b
    # Cheap bounds first: a 90% match needs similar lengths and mostly shared words.
    if min(len(a), len(b)) / max(len(a), len(b)) < THRESHOLD - 0.1:
        return False
    shared = len(set(a) & set(b)) / len(set(a) | set(b))
    if shared < THRESHOLD - 0.2:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= THRESHOLD


@dataclass
class TitleIndex:
    """Titles by language, blocked on their numbers and two longest words.

    Near-identical titles have the same numbers, so numbered series ("Update No. 32") never
    meet each other, and share their longest words in all but freak cases.
    """

    _words: dict[str, list[str]] = field(default_factory=dict)
    _blocks: dict[tuple[str, tuple[str, ...], str], set[str]] = field(default_factory=dict)

    def _keys(self, language: str, words: list[str]) -> list[tuple[str, tuple[str, ...], str]]:
        numbers = _numbers(words)
        longest = sorted(set(words) - set(numbers), key=lambda w: (-len(w), w))[:2]
        return [(language, numbers, w) for w in longest or [""]]

    def add(self, record_id: str, title: str, language: str) -> None:
        words = title_words(title)
        self._words[record_id] = words
        for key in self._keys(language, words):
            self._blocks.setdefault(key, set()).add(record_id)

    def similar(self, record_id: str, title: str, language: str) -> list[str]:
        """Ids of other records whose title is near-identical in the same language."""
        words = title_words(title)
        candidates: set[str] = set()
        for key in self._keys(language, words):
            candidates |= self._blocks.get(key, set())
        candidates.discard(record_id)
        return sorted(c for c in candidates if near_identical(words, self._words[c]))
