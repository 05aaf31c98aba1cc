""" "Did you mean": corrections for English words the library has never seen.

Suggestions come from ``spell``, the index's lexicon of folded but unstemmed English words, so
what is suggested is a word people write. Only words absent from the library are corrected:
a rare but real word is what the user meant.
"""

from __future__ import annotations

import re

from whoosh.searching import Searcher

from ..analysis.analyzers import STOP_WORDS
from .parse import EDGE_PUNCT, ParsedQuery

_LATIN_WORD_RE = re.compile(r"^[A-Za-z][A-Za-z'’-]*[A-Za-z]$")
MIN_LENGTH = 4


def did_you_mean(q: str, parsed: ParsedQuery, searcher: Searcher) -> str | None:
    """The query with unknown English words replaced by their nearest known word, or None."""
    reader = searcher.reader()
    corrector = None
    replacements: dict[str, str] = {}
    for chunk in parsed.chunks:
        if chunk is None:
            continue
        word = chunk.raw.strip(EDGE_PUNCT)
        if len(word) < MIN_LENGTH or not _LATIN_WORD_RE.match(word):
            continue
        folded = word.lower()
        if folded in STOP_WORDS or reader.doc_frequency("spell", folded):
            continue
        if corrector is None:
            corrector = searcher.corrector("spell")
        suggestions = corrector.suggest(folded, limit=1, maxdist=2, prefix=1)
        if suggestions:
            replacements[word] = suggestions[0]
    if not replacements:
        return None
    out = q
    for word, better in replacements.items():
        out = re.sub(rf"(?<![\w-]){re.escape(word)}(?!\w)", better, out)
    return out if out != q else None
