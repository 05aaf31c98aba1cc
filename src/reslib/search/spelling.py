""" "Did you mean": corrections for English words the library has never seen.

Suggestions come from the index's lexicon file (``reslib.index.LEXICON``): English words
folded but not stemmed, with how often the library uses them, so what is suggested is a word
people write. Only words absent from the library are corrected: a rare but real word is what
the user meant. Among the words within the edit distance the most frequent wins, as Whoosh's
reader-based corrector ranked them.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.spelling import Corrector

from ..analysis.analyzers import STOP_WORDS
from ..index import LEXICON, read_lexicon
from .parse import EDGE_PUNCT, ParsedQuery

_LATIN_WORD_RE = re.compile(r"^[A-Za-z][A-Za-z'’-]*[A-Za-z]$")
MIN_LENGTH = 4


class Lexicon(Corrector):  # type: ignore[misc]
    """The words of one index generation, sorted, with their counts."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.words = sorted(counts)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        dfa = levenshtein_automaton(text, maxdist, prefix).to_dfa()
        words = self.words

        def next_word(w: str) -> str | None:
            # The first word >= w: how the automaton walks a sorted list.
            i = bisect_left(words, w)
            return words[i] if i < len(words) else None

        for sug in find_all_matches(dfa, next_word):
            # Higher is better: more frequent words first (ties broken alphabetically).
            yield 0 - (maxdist + 0.5 / (self.counts.get(sug) or 1)), sug


_lock = threading.Lock()
_loading = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], Lexicon]] = {}


def lexicon(index_dir: Path) -> Lexicon:
    """The lexicon of the index in ``index_dir``, loaded once per version of the file."""
    try:
        st = (index_dir / LEXICON).stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        stamp = (0, -1)
    with _lock:
        hit = _cache.get(index_dir)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    # One thread loads a new version; threads arriving meanwhile wait and share it.
    with _loading:
        with _lock:
            hit = _cache.get(index_dir)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        loaded = Lexicon(read_lexicon(index_dir))
        with _lock:
            if len(_cache) >= 4:
                _cache.pop(next(iter(_cache)))
            _cache[index_dir] = (stamp, loaded)
    return loaded


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
