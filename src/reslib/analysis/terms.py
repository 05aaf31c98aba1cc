"""Search-side analyzers built from the analysis core: one token stream, bigrams, spelling words.

The core (``analyzers``) gives each script its own field. Search needs three more views of the
same text, all built from the same tokenizer and filters so that index and query agree:

- ``unified_analyzer``: every token of every script in text order (Burmese syllables, numbers,
  English stems). Query parsing uses it to turn a typed chunk into terms.
- ``bigram_analyzer``: pairs of consecutive tokens of that stream, with positions. Whoosh's
  phrase matcher reads positions for every document holding all of a phrase's terms; common
  syllables are in nearly every document, so a syllable phrase is slow. Pairs of syllables are
  rare terms: a phrase of N tokens becomes N-1 bigrams (the classic CJK technique), a term
  lookup for two tokens and a short, selective phrase beyond.
- ``title_analyzer``: unigrams and bigrams without positions, for the small boosted fields
  (title, organizations) where a bigram hit is what ranks a phrase higher.
- ``spelling_analyzer``: English words lowercased but not stemmed, the lexicon "did you mean"
  suggestions come from (a stem such as ``organ`` is not something to suggest).

Bigram positions count bigrams, not tokens: a phrase is "consecutive tokens of the stream",
whatever filters dropped, the same way at index and query time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise

from whoosh.analysis import Composable, Filter, Token

from .analyzers import (
    DigitFoldFilter,
    EnglishStemFilter,
    KindFilter,
    LatinFoldFilter,
    QueryStopFilter,
    ScriptTokenizer,
)

#: Separates the two halves of a bigram term; tokens never contain a space.
BIGRAM_JOIN = " "


class BigramFilter(Filter):
    """Pairs each token with the next one; with ``unigrams`` keeps the single tokens too.

    The tokenizer reuses one Token object, so the previous token is kept as plain values.
    """

    def __init__(self, unigrams: bool = False) -> None:
        self.unigrams = unigrams

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.unigrams == self.unigrams  # type: ignore[attr-defined]

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        prev_text: str | None = None
        prev_start = 0
        pos = 0
        for t in tokens:
            text = t.text
            start = getattr(t, "startchar", 0)
            end = getattr(t, "endchar", 0)
            if self.unigrams:
                t.pos = pos
                pos += 1
                yield t
            if prev_text is not None:
                t.text = prev_text + BIGRAM_JOIN + text
                t.pos = pos
                pos += 1
                if t.chars:
                    t.startchar = prev_start
                    t.endchar = end
                yield t
                t.text = text
            prev_text, prev_start = text, start


def unified_analyzer(normalize: bool = True) -> Composable:
    """Every token in order: syllables, numbers (ASCII digits) and English stems.

    Stop words are dropped only in query mode from tokens not marked ``phrase=True``.
    ``normalize=False`` is for text known to be normalized (offsets then index it as is).
    """
    return (
        ScriptTokenizer(normalize=normalize)
        | LatinFoldFilter()
        | QueryStopFilter()
        | EnglishStemFilter()
        | DigitFoldFilter()
    )


def bigram_analyzer() -> Composable:
    """Consecutive token pairs with positions: the phrase field."""
    return (
        ScriptTokenizer()
        | LatinFoldFilter()
        | EnglishStemFilter()
        | DigitFoldFilter()
        | (BigramFilter())
    )


def title_analyzer() -> Composable:
    """Tokens and token pairs, no positions: boosted short fields (title, organizations)."""
    return (
        ScriptTokenizer()
        | LatinFoldFilter()
        | EnglishStemFilter()
        | DigitFoldFilter()
        | (BigramFilter(unigrams=True))
    )


def spelling_analyzer() -> Composable:
    """English words folded but not stemmed: the lexicon of spelling suggestions."""
    return ScriptTokenizer() | KindFilter("word") | LatinFoldFilter()


def bigrams_of(terms: list[str]) -> list[str]:
    """The bigram terms of a sequence of unified terms (what ``BigramFilter`` indexes)."""
    return [a + BIGRAM_JOIN + b for a, b in pairwise(terms)]
