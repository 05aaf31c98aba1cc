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

Indexing does not run these analyzers field by field: ``StreamText`` fields derive their terms
from one cached pass of ``unified_analyzer`` over the record's text (``index_stream``), with the
same terms the analyzers would give (each field's analyzer is kept on the field to say so, and
a test compares them). Whoosh's token pipeline costs more per token than the dictionary work
here, and a record went through it five times.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import compress, pairwise
from typing import Any

from whoosh.analysis import Composable, Filter, Token
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

from .analyzers import (
    DigitFoldFilter,
    EnglishStemFilter,
    KindFilter,
    LatinFoldFilter,
    QueryStopFilter,
    ScriptTokenizer,
    UnstemmedText,
    word_analyzer,
)
from .boundaries import word_spans
from .normalize import normalize_text
from .segment import SYLLABLE_RE, TOKEN_RE

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


def unified_analyzer(normalize: bool = True, stem: bool = True) -> Composable:
    """Every token in order: syllables, numbers (ASCII digits) and English stems.

    Stop words are dropped only in query mode from tokens not marked ``phrase=True``.
    ``normalize=False`` is for text known to be normalized (offsets then index it as is).
    ``stem=False``: Latin words folded but not stemmed, as the index holds the text of a
    record in a language other than English (``analyzers.UnstemmedText``).
    """
    if not stem:
        return (
            ScriptTokenizer(normalize=normalize)
            | LatinFoldFilter()
            | QueryStopFilter()
            | DigitFoldFilter()
        )
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


_WORD_ANALYZER = word_analyzer()


def title_word_terms(text: str) -> list[str]:
    """The ``title_words`` terms of ``text``: ICU dictionary words of its Burmese runs (what
    ``word_analyzer`` gives), for indexing titles and for the words of a query."""
    return [t.text for t in _WORD_ANALYZER(text)]


def bigrams_of(terms: list[str]) -> list[str]:
    """The bigram terms of a sequence of unified terms (what ``BigramFilter`` indexes)."""
    return [a + BIGRAM_JOIN + b for a, b in pairwise(terms)]


# -- indexing from one pass ---------------------------------------------------------------

_INDEX_ANALYZER = unified_analyzer()
#: The unified analyzer's filters, applied one token at a time by ``_index_term``; with
#: ``stem=False`` (``UnstemmedText``), those of the unstemmed analyzer.
_INDEX_FILTERS = {
    True: _INDEX_ANALYZER.items[1:],
    False: unified_analyzer(stem=False).items[1:],
}
#: Stemmed or not -> token kind -> token text -> index term (None: a filter drops it).
_TERM_CACHES: dict[bool, dict[str, dict[str, str | None]]] = {
    stem: {"my": {}, "num": {}, "word": {}} for stem in (True, False)
}


def _index_term(kind: str, text: str, stem: bool = True) -> str | None:
    """The index term of one segment (None when a filter drops it), computed by the unified
    analyzer's own filters once per distinct (kind, text) and then looked up: a record has
    ~1,000 tokens but few new ones."""
    token = Token(mode="index", removestops=False)
    token.text, token.kind, token.boost, token.stopped = text, kind, 1.0, False
    stream: Iterable[Token] = [token]
    for f in _INDEX_FILTERS[stem]:
        stream = f(stream)
    out = [t.text for t in stream]
    term = out[0] if out else None
    cache = _TERM_CACHES[stem][kind]
    if len(cache) < 500_000:  # a bound for pathological inputs (random strings)
        cache[text] = term
    return term


_MISSING = object()


@lru_cache(maxsize=8)
def normalized_content(text: str) -> str:
    """``normalize_text`` of a record's content, once for all the fields made from it."""
    return normalize_text(text)


def index_stream(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(terms, kinds) of ``text``: the unified analyzer's index-mode stream, computed once.

    Every ``StreamText`` field of a document gets the same content string, so this runs once
    per record (the cache holds the last few texts, enough for one document's fields).
    The tokenizer's segments without their objects: a token run's pieces straight from the
    regular expressions (``segment.tokens`` gives the same, with offsets). An
    ``UnstemmedText`` (a record in a language other than English) keeps its Latin words
    unstemmed.
    """
    return _index_stream(text, not isinstance(text, UnstemmedText))


@lru_cache(maxsize=8)
def _index_stream(text: str, stem: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    terms: list[str] = []
    kinds: list[str] = []
    add_term = terms.append
    add_kind = kinds.append
    caches = _TERM_CACHES[stem]
    syllables_of = SYLLABLE_RE.findall
    for m in TOKEN_RE.finditer(normalized_content(text)):
        kind = m.lastgroup
        assert kind is not None
        cache = caches[kind]
        for piece in syllables_of(m.group()) if kind == "my" else (m.group(),):
            term = cache.get(piece, _MISSING)
            if term is _MISSING:
                term = _index_term(kind, piece, stem)
            if term is not None:
                add_term(term)  # type: ignore[arg-type]
                add_kind(kind)
    return tuple(terms), tuple(kinds)


#: What each view of the stream keeps: token kinds for unigram views.
_UNIGRAM_KINDS = {"syllables": frozenset({"my", "num"}), "english": frozenset({"word", "num"})}


class PackedPositions(Positions):  # type: ignore[misc]
    """Whoosh's ``Positions`` format with the positions packed as 32-bit little-endian
    integers instead of a pickled list of deltas.

    A phrase query decodes the positions of every document that holds all its bigrams
    (tens of thousands for a common Burmese phrase): Whoosh's encoding costs a ``pickle``
    load and a Python loop per posting, this one a copy into an ``array`` (about a fifth of
    the time). The frequency prefix is Whoosh's, so weights and frequencies read as before.
    Segments name their field formats, so this class must stay importable here.
    """

    def encode(self, poslist: Iterable[int]) -> bytes:
        packed = array("I", poslist)
        if _SWAP:
            packed.byteswap()
        return pack_uint(len(packed)) + packed.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        # Whoosh's other decoders (position boosts, ``combine``) call this one.
        return unpack_positions(valuestring).tolist()


#: Positions are stored little-endian whatever the machine; ``array`` writes native order.
_SWAP = sys.byteorder != "little"
if array("I").itemsize != 4:  # every platform CPython supports today, but say so if not
    raise ImportError("reslib's index format needs 4-byte unsigned ints in array('I')")


def unpack_positions(valuestring: bytes) -> array[int]:
    """The positions of a ``PackedPositions`` value, as an array (no list built): what
    phrase matching reads."""
    packed = array("I")
    packed.frombytes(valuestring[4:])
    if _SWAP:
        packed.byteswap()
    return packed


@lru_cache(maxsize=1)
def _single_positions() -> tuple[bytes, ...]:
    # Most bigrams occur once in a record: their encoded position list is looked up here
    # rather than encoded per posting (the encoding is the field's, whatever its boost).
    return tuple(PackedPositions().encode([i]) for i in range(4096))


class StreamText(TEXT):  # type: ignore[misc]
    """A TEXT field whose terms come from ``index_stream`` instead of its own analyzer run.

    ``view`` is ``syllables`` (Burmese syllables and numbers), ``english`` (stems and
    numbers), ``bigrams`` (token pairs with bigram positions), ``title`` (tokens and token
    pairs), ``spans`` (Burmese whole-word spans weighted by their edges,
    ``boundaries.word_spans``) or ``word spans`` (only those with word edges on both
    sides). ``analyzer`` must be the analyzer that gives the same terms: it documents the
    field and is what Whoosh would use for anything but indexing.
    """

    def __init__(self, view: str, analyzer: Composable, *, phrase: bool = False) -> None:
        super().__init__(analyzer=analyzer, phrase=phrase)
        if phrase:
            self.format = PackedPositions(field_boost=self.format.field_boost)
        self.view = view

    def index(self, value: str, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:  # type: ignore[override]
        fb = self.format.field_boost
        if self.view in ("spans", "word spans"):
            spans = word_spans(normalized_content(value), self.view == "spans")
            return [
                (span.encode("utf-8"), n, weight * fb, pack_uint(n))
                for span, (n, weight) in spans.items()
            ]
        terms, kinds = index_stream(value)
        if self.view == "bigrams":
            return self._bigram_postings(terms, fb)
        if self.view == "title":
            counts = Counter(terms)
            counts.update(bigrams_of(list(terms)))
        else:
            # Terms whose kind the view keeps, selected in C (compress over a membership map).
            keep = _UNIGRAM_KINDS[self.view]
            counts = Counter(compress(terms, map(keep.__contains__, kinds)))
        packed = _PACKED_COUNTS
        weights = _COUNT_WEIGHTS if fb == 1.0 else tuple(n * fb for n in range(len(packed)))
        return [
            (w.encode("utf-8"), n, weights[n], packed[n])
            if n < len(packed)
            else (w.encode("utf-8"), n, n * fb, pack_uint(n))
            for w, n in counts.items()
        ]

    def _bigram_postings(
        self, terms: tuple[str, ...], fb: float
    ) -> list[tuple[bytes, int, float, bytes]]:
        pairs = bigrams_of(list(terms))
        counts = Counter(pairs)
        # Most bigrams occur once in a record: their one position is their last position,
        # and only the repeated ones need a list.
        last = {pair: i for i, pair in enumerate(pairs)}
        repeated: dict[str, list[int]] = {pair: [] for pair, n in counts.items() if n > 1}
        if repeated:
            for i, pair in enumerate(pairs):
                if pair in repeated:
                    repeated[pair].append(i)
        encode = self.format.encode
        # The table holds PackedPositions values: used only where that is the format.
        single = _single_positions() if type(self.format) is PackedPositions else ()
        weights = _COUNT_WEIGHTS if fb == 1.0 else ()
        out: list[tuple[bytes, int, float, bytes]] = []
        for pair, n in counts.items():
            if n == 1:
                i = last[pair]
                value = single[i] if i < len(single) else encode([i])
            else:
                value = encode(repeated[pair])
            out.append((pair.encode("utf-8"), n, weights[n] if n < len(weights) else n * fb, value))
        return out


#: ``pack_uint(n)`` and ``n * 1.0`` for the counts of most terms (a term's value and weight
#: in a frequency field): one shared object each rather than one per posting.
_PACKED_COUNTS = tuple(pack_uint(n) for n in range(256))
_COUNT_WEIGHTS = tuple(n * 1.0 for n in range(256))


# -- the spelling lexicon -----------------------------------------------------------------

# A run of letters (not Burmese, not digits) with inner apostrophes: the English words of a
# text, as the tokenizer's ``word`` tokens would give them for Latin-script text.
_LEXICON_WORD_RE = re.compile(
    r"[^\W\d_\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]+"
    r"(?:['\u2019][^\W\d_\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]+)*"
)


@lru_cache(maxsize=100_000)
def _spelling_word(word: str) -> str | None:
    """A word as the lexicon holds it (None: not kept). What LatinFoldFilter does to a word
    token: lowercase, drop a possessive 's and inner apostrophes, fold accents; then only
    ASCII words of two letters or more."""
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if not word.isascii():
        decomposed = unicodedata.normalize("NFKD", word)
        word = "".join(c for c in decomposed if not unicodedata.combining(c))
    return word if len(word) > 1 and word.isascii() and word.isalpha() else None


def spelling_words(text: str) -> list[str]:
    """The English words of ``text``, folded but not stemmed: the "did you mean" lexicon.

    A regular expression rather than the tokenizer (and the words folded through a cache):
    this runs on every record of a rebuild, and a full segmentation would double the work.
    Only ASCII words are kept (suggestions replace typed Latin words).
    """
    return list(filter(None, map(_spelling_word, _LEXICON_WORD_RE.findall(text))))
