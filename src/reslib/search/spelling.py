""" "Did you mean": corrections for English words the library has never seen.

Suggestions come from the index's lexicon file (``reslib.index.lexicon``): English words
folded but not stemmed, with how often the library uses them, so what is suggested is a word
people write. Only words absent from the library are corrected: a rare but real word is what
the user meant. Among the words within the edit distance (Whoosh's Levenshtein automaton,
walked over the sorted word list) the most frequent wins, as Whoosh's reader-based
corrector ranked them.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections.abc import Iterator

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from ..analysis.analyzers import STOP_WORDS
from ..index.lexicon import LEXICON, read_lexicon
from ..index.reader import Snapshot
from .parse import EDGE_PUNCT, ParsedQuery

_LATIN_WORD_RE = re.compile(r"^[A-Za-z][A-Za-z'’-]*[A-Za-z]$")
MIN_LENGTH = 4


class Lexicon:
    """The words of one index generation, sorted, with their counts."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.words = sorted(counts)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def suggest(self, text: str, limit: int = 5, maxdist: int = 2, prefix: int = 0) -> list[str]:
        """Up to ``limit`` known words within ``maxdist`` edits of ``text`` (sharing its first
        ``prefix`` letters), the most frequent first: the ranking of Whoosh's corrector."""
        best = heapq.nlargest(limit, self._ranked(text, maxdist, prefix))
        return [word for _, word in sorted(best, key=lambda item: (-item[0], item[1]))]

    def _ranked(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        dfa = levenshtein_automaton(text, maxdist, prefix).to_dfa()
        words = self.words

        def next_word(w: str) -> str | None:
            # The first word >= w: how the automaton walks a sorted list.
            i = bisect_left(words, w)
            return words[i] if i < len(words) else None

        for sug in find_all_matches(dfa, next_word):
            # Higher is better: more frequent words first.
            yield 0 - (maxdist + 0.5 / (self.counts.get(sug) or 1)), sug


def lexicon(snap: Snapshot) -> Lexicon:
    """The lexicon of the snapshot's index, loaded once per generation and version of the
    file (updates add words to the file after they commit)."""
    path = snap.generation.path / LEXICON
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        stamp = (0, -1)
    return snap.generation.cached(
        "lexicon", lambda: Lexicon(read_lexicon(snap.generation.path)), version=stamp
    )


def did_you_mean(q: str, parsed: ParsedQuery, words: Lexicon) -> str | None:
    """The query with unknown English words replaced by their nearest known word, or None."""
    replacements: dict[str, str] = {}
    for chunk in parsed.chunks:
        if chunk is None:
            continue
        word = chunk.raw.strip(EDGE_PUNCT)
        if len(word) < MIN_LENGTH or not _LATIN_WORD_RE.match(word):
            continue
        folded = word.lower()
        if folded in STOP_WORDS or folded in words:
            continue
        suggestions = words.suggest(folded, limit=1, maxdist=2, prefix=1)
        if suggestions:
            replacements[word] = suggestions[0]
    if not replacements:
        return None
    out = q
    for word, better in replacements.items():
        out = re.sub(rf"(?<![\w-]){re.escape(word)}(?!\w)", better, out)
    return out if out != q else None
