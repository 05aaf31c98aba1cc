"""Whoosh tokenizers, filters and the analyzers of reslib's index fields.

The shape follows Whoosh's own ``analysis`` package: one tokenizer, then small filters, each a
generator over the (reused) token. Index-time and query-time behaviour differ in one explicit
place, ``QueryStopFilter``.

Fields and what they are for:

- ``syllables``: Burmese syllables and numbers, with positions. The field that must match: a
  Burmese query becomes a phrase of syllables, which matches however the words are spaced.
- ``words``: ICU dictionary words of the Burmese runs. A ranking aid only, because ICU splits the
  same word differently in different contexts; the index holds them for titles and
  organization names (``title_words``), where a whole-word match says most.
- ``english``: Latin-script (and other space-delimited) words, lowercased, accent-folded,
  porter2-stemmed; numbers too. Only English is stemmed: the text of a record in another
  language (French, German…, ``models.stems_english``) is indexed as ``UnstemmedText``, its
  words folded but not stemmed, since porter2 would make the French ``pays`` (country) and
  ``payé`` (paid) one term, ``pay``. A query word searches its stem and, where they differ,
  its unstemmed form (``reslib.search.parse``), so it finds both kinds of record.

Whoosh pickles the schema with its analyzers into the index: every class here has a stable
import path and plain picklable state (the ICU objects live in module caches).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Composable, Filter, Token, Tokenizer
from whoosh.lang.porter2 import stem as porter2_stem

from ..models import stems_english
from .normalize import normalize_text
from .segment import Segment, fold_digits, icu_words, myanmar_runs, tokens

#: Bump when a change to analysis changes index terms: an index records the version it was
#: built with, and a mismatch tells the user to reindex.
#: 2: U+1025 before dot below and asat, repeated marks, asat before medial ya (UTN #11).
ANALYSIS_VERSION = 2

#: English stop words, dropped from bare-word queries only (never at index time, never inside
#: a phrase), so "Voice of America" still finds the phrase and "the junta" does not demand "the".
_STOP_LIST = """a an and are as at be but by for from if in into is it no not of on or such that
the their then there these they this to was will with"""
STOP_WORDS = frozenset(_STOP_LIST.split())


@lru_cache(maxsize=32)
def _normalized(value: str) -> str:
    # Each document goes through three field analyzers: normalize it once.
    return normalize_text(value)


@lru_cache(maxsize=32)
def _segments(text: str) -> tuple[Segment, ...]:
    # Two fields tokenize the same normalized text: segment it once.
    return tuple(tokens(text))


class _SegmentTokenizer(Tokenizer):
    """Normalizes the text, then yields one token per segment that ``segments`` produces.

    Subclasses say which segments; this class fills in the reused Whoosh token.
    """

    def __init__(self, normalize: bool = True) -> None:
        self.normalize = normalize

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.normalize == self.normalize  # type: ignore[attr-defined]

    def segments(self, text: str) -> Iterable[Segment]:
        raise NotImplementedError

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        text = _normalized(value) if self.normalize else value
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, seg in enumerate(self.segments(text)):
            t.text = seg.text
            t.kind = seg.kind
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = seg.text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + seg.start
                t.endchar = start_char + seg.end
            yield t


class ScriptTokenizer(_SegmentTokenizer):
    """Normalizes the text, splits it by script and yields syllables, numbers and words.

    Each token carries ``kind``: ``my`` (Burmese syllable), ``num`` or ``word``. Positions
    count every token of every kind, so a phrase never matches across a token of another
    script.
    """

    def segments(self, text: str) -> Iterable[Segment]:
        return _segments(text)


class IcuWordTokenizer(_SegmentTokenizer):
    """Normalizes the text and yields ICU dictionary words of its Burmese runs (kind ``my``)."""

    def segments(self, text: str) -> Iterator[Segment]:
        for base, run in myanmar_runs(text):
            for offset, word in icu_words(run):
                yield Segment("my", word, base + offset)


class KindFilter(Filter):
    """Keeps only tokens of the given kinds (``my``, ``num``, ``word``)."""

    def __init__(self, *kinds: str) -> None:
        self.kinds = frozenset(kinds)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.kinds == self.kinds  # type: ignore[attr-defined]

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        kinds = self.kinds
        for t in tokens:
            if t.kind in kinds:
                yield t


class DigitFoldFilter(Filter):
    """Burmese digits to ASCII, so ``၂၀၂၃`` and ``2023`` are one term."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for t in tokens:
            if t.kind == "num":
                t.text = fold_digits(t.text)
            yield t


@lru_cache(maxsize=100_000)
def _fold_latin(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    if text.endswith("'s"):
        text = text[:-2]
    text = text.replace("'", "")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class LatinFoldFilter(Filter):
    """Lowercase, strip possessive 's and inner apostrophes, fold accents (``word`` tokens)."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for t in tokens:
            if t.kind == "word":
                t.text = _fold_latin(t.text)
                if not t.text:
                    continue
            yield t


class QueryStopFilter(Filter):
    """At query time only, drops English stop words from bare words (not from phrases).

    Index time keeps every word so that phrase queries containing stop words still match.
    The query parser marks phrase tokens with ``phrase=True``.
    """

    def __init__(self, stoplist: Iterable[str] = STOP_WORDS) -> None:
        self.stops = frozenset(stoplist)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.stops == self.stops  # type: ignore[attr-defined]

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        stops = self.stops
        for t in tokens:
            if (
                t.mode == "query"
                and t.kind == "word"
                and not getattr(t, "phrase", False)
                and t.text in stops
            ):
                continue
            yield t


class UnstemmedText(str):
    """A record's text whose Latin-script words are indexed folded but not stemmed: the
    text of a record in a language other than English (``unstemmed``).

    The index's content fields take their terms from one pass over the text
    (``terms.index_stream``), which reads this type; it is otherwise the plain string."""

    __slots__ = ()


def unstemmed(text: str, language: str) -> str:
    """``text`` as the index should read it for a record in ``language``: as it is for
    English and Burmese, as ``UnstemmedText`` for any other language."""
    return text if stems_english(language) else UnstemmedText(text)


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return porter2_stem(word)


class EnglishStemFilter(Filter):
    """Porter2 (Snowball English) stems of ``word`` tokens."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for t in tokens:
            if t.kind == "word":
                t.text = _stem(t.text)
            yield t


def syllable_analyzer() -> Composable:
    """The matching field: Burmese syllables and numbers, with positions."""
    return ScriptTokenizer() | KindFilter("my", "num") | DigitFoldFilter()


def word_analyzer() -> Composable:
    """The ranking aid: ICU dictionary words of the Burmese text."""
    return IcuWordTokenizer() | DigitFoldFilter()


def english_analyzer() -> Composable:
    """Latin-script words (stemmed) and numbers."""
    return (
        ScriptTokenizer()
        | KindFilter("word", "num")
        | LatinFoldFilter()
        | QueryStopFilter()
        | EnglishStemFilter()
        | DigitFoldFilter()
    )


#: The text fields every analyzer-driven view (the index, ``reslib analyze``) shares.
FIELD_ANALYZERS = {
    "syllables": syllable_analyzer,
    "words": word_analyzer,
    "english": english_analyzer,
}
