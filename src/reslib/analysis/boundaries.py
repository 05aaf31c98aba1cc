"""Word boundaries between Burmese syllables, and the whole-word spans the index keeps.

Burmese is written without spaces between words, so a syllable phrase (the field that must
match) finds ``ပန်း`` ("flower") inside ``ပင်ပန်း`` ("tired") and ``ကရင်`` (Karen) inside
``ကရင်နီ`` (Karenni). Matching stays on syllables, which never lose a word; this module says
how sure we are that a match's edges are word edges, for ranking and highlighting.

The edge before each token gets a strength, the share of such edges that are word boundaries
in TALPCo's hand segmentation (``benchmarks/relevance.py`` measures it; the order of the
classes, not their exact values, is what ranking uses):

========  ==========================================================================  =====
class     where                                                                       value
========  ==========================================================================  =====
run       a space, punctuation, another script or a number beside it, or the text's   1.0
          edge: a sure boundary
ICU       a boundary of ICU's dictionary word break                                   0.9
unknown   an ICU boundary inside a chain of four or more one-syllable ICU words:      0.7
          where ICU's dictionary knew no word (a transliterated name comes out as
          its syllables) its boundaries are guesses
compound  inside an ICU word, at a point that splits it into two ICU words (``ကရင်`` +   0.2
          ``နီ`` in ``ကရင်နီ``)
inside    inside an ICU word otherwise                                                0.0
========  ==========================================================================  =====

A span's weight is the product of its two edge strengths: ``ကရင်`` followed by a space is
1.0, ``ကရင်`` in ``ကရင်နီ`` 0.2. ``word_spans`` gives, for spans of one to ``MAX_SPAN``
syllables, the sum of these weights per span (the ``spans`` field of the index): a query
word's span term then scores the documents holding it as a word, a term lookup at search
time. The strengths come from the text alone, so a record's terms do not depend on the rest
of the library.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from whoosh.analysis import Composable, Token, Tokenizer

from .normalize import normalize_text
from .segment import (
    LETTERS,
    MARKS,
    SYLLABLE_RE,
    TOKEN_RE,
    VIRAMA,
    Segment,
    icu_words,
    syllables,
    tokens,
)

RUN_EDGE = 1.0
ICU_EDGE = 0.9
UNKNOWN_EDGE = 0.7
COMPOUND_EDGE = 0.2
INSIDE = 0.0
#: ICU boundaries inside a chain of at least this many one-syllable ICU words are guesses.
UNKNOWN_CHAIN = 4
#: Spans of one to this many syllables are indexed as words (most Burmese words are
#: one to three syllables; a longer query is rarely found inside a longer word).
MAX_SPAN = 3
#: A span weighing less than this is not indexed: a match with an edge inside an ICU word
#: and the other not at a real boundary says nothing.
MIN_SPAN_WEIGHT = 0.1
#: Both edges at least this strong: the match is shown as a word (highlighting).
WORD_EDGE = UNKNOWN_EDGE
#: Separates a span's syllables in its term (the bigram join: tokens never hold a space).
SPAN_JOIN = " "
#: What a Burmese run is made of (``segment``'s ``my`` tokens).
_RUN_CHARS = frozenset(LETTERS + MARKS + VIRAMA)


@lru_cache(maxsize=100_000)
def _one_icu_word(text: str) -> bool:
    return len(icu_words(text)) == 1


@lru_cache(maxsize=50_000)
def run_strengths(run: str) -> tuple[float, ...]:
    """Strengths of the edges between consecutive syllables of one unbroken Burmese run
    (one fewer than its syllables). Runs recur (a word between spaces, a common phrase):
    each is broken by ICU once per process."""
    starts = [m.start() for m in SYLLABLE_RE.finditer(run)]
    offsets = {offset: i for i, offset in enumerate(starts)}
    pieces = icu_words(run)
    sizes = [len(syllables(w)) for _, w in pieces]
    # The length of the chain of one-syllable ICU words each piece belongs to.
    chain = [0] * len(pieces)
    i = 0
    while i < len(pieces):
        j = i
        while j < len(pieces) and sizes[j] == 1:
            j += 1
        for k in range(i, j):
            chain[k] = j - i
        i = max(j, i + 1)
    out = [INSIDE] * max(0, len(starts) - 1)
    for n, (offset, word) in enumerate(pieces):
        at = offsets.get(offset)
        if at is not None and at > 0:
            guessed = sizes[n] == 1 and sizes[n - 1] == 1 and chain[n] >= UNKNOWN_CHAIN
            out[at - 1] = UNKNOWN_EDGE if guessed else ICU_EDGE
        if sizes[n] > 1:
            inner = 0
            for syllable in syllables(word)[:-1]:
                inner += len(syllable)
                at = offsets.get(offset + inner)
                if at is None or at == 0:
                    continue  # ICU cut inside a syllable: no syllable edge there
                whole = _one_icu_word(word[:inner]) and _one_icu_word(word[inner:])
                out[at - 1] = COMPOUND_EDGE if whole else INSIDE
    return tuple(out)


def edge_strengths(text: str, toks: Sequence[Segment] | None = None) -> list[float]:
    """The strength of the edge before each token of normalized ``text`` (``tokens(text)``),
    and one more for the edge after the last: ``len(toks) + 1`` values."""
    toks = list(tokens(text)) if toks is None else toks
    out = [RUN_EDGE] * (len(toks) + 1)
    i = 0
    while i < len(toks):
        if toks[i].kind != "my":
            i += 1
            continue
        j = i + 1
        while j < len(toks) and toks[j].kind == "my" and toks[j].start == toks[j - 1].end:
            j += 1
        if j - i > 1:
            out[i + 1 : j] = run_strengths(text[toks[i].start : toks[j - 1].end])
        i = j
    return out


def edge_at(text: str, offset: int) -> float:
    """The strength of the edge at character ``offset`` of normalized ``text``: what
    ``edge_strengths`` gives for the token starting (or ending) there, computed from the
    Burmese run around it alone (highlighting asks about a few edges of a long text)."""
    if offset <= 0 or offset >= len(text):
        return RUN_EDGE
    if text[offset - 1] not in _RUN_CHARS or text[offset] not in _RUN_CHARS:
        return RUN_EDGE
    lo = offset
    while lo > 0 and text[lo - 1] in _RUN_CHARS:
        lo -= 1
    hi = offset
    while hi < len(text) and text[hi] in _RUN_CHARS:
        hi += 1
    run = text[lo:hi]
    at = offset - lo
    for n, m in enumerate(SYLLABLE_RE.finditer(run)):
        if m.start() == at:
            return run_strengths(run)[n - 1]
        if m.start() > at:
            break
    return INSIDE  # not a syllable edge


def spans_of(
    terms: Sequence[str], kinds: Sequence[str], strengths: Sequence[float], weak: bool = True
) -> dict[str, tuple[int, float]]:
    """Span term -> (occurrences, weight) of a token stream whose edge strengths are
    ``strengths`` (one more than tokens): spans of 1..MAX_SPAN Burmese syllables weighing at
    least MIN_SPAN_WEIGHT, or with ``weak=False`` only those whose both edges are word
    edges."""
    counts: dict[str, int] = {}
    weights: dict[str, float] = {}
    best: dict[str, float] = {}
    n = len(terms)
    word = WORD_EDGE * WORD_EDGE
    for i in range(n):
        if kinds[i] != "my":
            continue  # a span starts on a Burmese syllable
        left = strengths[i]
        if left * RUN_EDGE < MIN_SPAN_WEIGHT:
            continue  # no span starting here can weigh enough
        key = ""
        for size in range(1, MAX_SPAN + 1):
            last = i + size - 1
            if last >= n or kinds[last] != "my":
                break
            # The span's syllables joined, one more at a time (indexing makes this for
            # every syllable of every record).
            key = terms[i] if size == 1 else key + SPAN_JOIN + terms[last]
            weight = left * strengths[last + 1]
            if weight >= MIN_SPAN_WEIGHT:
                counts[key] = counts.get(key, 0) + 1
                if weight >= word:
                    weights[key] = weights.get(key, 0.0) + weight
                elif weak:
                    best[key] = max(best.get(key, 0.0), weight)
                else:
                    counts[key] -= 1
    # Weak evidence (an edge inside an ICU word) counts once: a record naming ကရင်နီ
    # (Karenni) ten times must not weigh like one holding ကရင် (Karen) twice as a word.
    return {k: (c, weights.get(k, 0.0) + best.get(k, 0.0)) for k, c in counts.items() if c}


@lru_cache(maxsize=8)
def word_spans(text: str, weak: bool = True) -> dict[str, tuple[int, float]]:
    """The whole-word spans of normalized ``text``: span term -> (occurrences, weight).

    ``weak=False`` keeps only spans whose both edges are word edges: for the title and
    organization names, where a rare term's weight is multiplied by a high idf and a title
    boost, a match inside a longer word must earn nothing. Each record's text is analysed
    once per field (the cache holds the last few texts, as ``terms.index_stream`` does)."""
    terms, kinds, strengths = token_edges(text)
    return spans_of(terms, kinds, strengths, weak)


def token_edges(text: str) -> tuple[list[str], list[str], list[float]]:
    """The texts and kinds of ``tokens(text)`` and their ``edge_strengths``, without making
    a segment object per token (indexing asks this of every record: the objects cost more
    than the rest of ``word_spans``). A Burmese run is one match of the token pattern (the
    pattern's run is greedy, so two runs never touch): its inner edges are
    ``run_strengths``, every other edge a run edge."""
    terms: list[str] = []
    kinds: list[str] = []
    strengths: list[float] = []
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        assert kind is not None
        if kind == "my":
            run = m.group()
            pieces = SYLLABLE_RE.findall(run)
            terms.extend(pieces)
            kinds.extend([kind] * len(pieces))
            strengths.append(RUN_EDGE)
            if len(pieces) > 1:
                strengths.extend(run_strengths(run))
        else:
            terms.append(m.group())
            kinds.append(kind)
            strengths.append(RUN_EDGE)
    strengths.append(RUN_EDGE)
    return terms, kinds, strengths


def is_word(text: str, start: int, end: int) -> bool:
    """Whether the match from ``start`` to ``end`` of normalized ``text`` has word edges on
    both sides (highlighting)."""
    return edge_at(text, start) >= WORD_EDGE and edge_at(text, end) >= WORD_EDGE


class WordSpanTokenizer(Tokenizer):
    """Normalizes the text and yields its whole-word spans (``word_spans``), each occurrence
    a token whose boost is its share of the span's weight: Whoosh's frequency format sums
    the boosts, so a field with this analyzer holds the weights ``word_spans`` gives."""

    def __init__(self, weak: bool = True) -> None:
        self.weak = weak

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.weak == self.weak  # type: ignore[attr-defined]

    def __call__(  # type: ignore[override]
        self, value: str, positions: bool = False, chars: bool = False, **kwargs: Any
    ) -> Iterator[Token]:
        t = Token(positions, chars, **kwargs)
        pos = 0
        for span, (count, weight) in word_spans(normalize_text(value), self.weak).items():
            for _ in range(count):
                t.text, t.boost, t.stopped = span, weight / count, False
                if positions:
                    t.pos = pos
                    pos += 1
                yield t


def span_analyzer(weak: bool = True) -> Composable:
    """The ``spans`` fields: Burmese spans of one to ``MAX_SPAN`` syllables, weighted by how
    sure their edges are word edges (``weak=False``: only spans with word edges)."""
    return WordSpanTokenizer(weak)


__all__ = [
    "MAX_SPAN",
    "SPAN_JOIN",
    "WordSpanTokenizer",
    "edge_at",
    "edge_strengths",
    "is_word",
    "run_strengths",
    "span_analyzer",
    "spans_of",
    "token_edges",
    "word_spans",
]
