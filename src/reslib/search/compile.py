"""From the query tree to Whoosh queries: matching clauses, ranking aids, filters.

Matching uses the cheapest exact form of each unit: a single English stem or number is a term
of ``english``, a single syllable a term of ``syllables``, two tokens one ``bigrams`` term, and
longer phrases a phrase of bigrams (selective terms, so few documents have positions read).

Ranking is BM25F over the matching terms plus optional boosts: the unit's terms in the title
(``title_terms``) and organization names (``org_terms``), and the ICU dictionary words of its
Burmese text among those of the title and organization names (``title_words``): a title that
holds the query's word ranks above one that holds its syllables across a word boundary. ICU
words are indexed for these short fields only: see ``reslib.index.schema.build_schema``.

A Burmese unit of one to three syllables (a word as typed, or a glossary variant) is found by
its syllables wherever they are, and ranked by where they are: its syllable match counts
``INSIDE_WEIGHT`` of its score, and its span terms (``spans``, weighted by how sure the
match's edges are word edges, ``reslib.analysis.boundaries``; ``title_spans`` in place of the
title and organization boosts) add the rest where the record holds it as a word. So
``ကရင်`` (Karen) ranks records that hold the word above those that hold only ``ကရင်နီ``
(Karenni), which it still finds.
"""

from __future__ import annotations

from whoosh import query as wq

from ..analysis.boundaries import MAX_SPAN, SPAN_JOIN
from ..analysis.terms import bigrams_of, title_word_terms
from .parse import All, Any_, Node, ParsedQuery, Unit

TITLE_BOOST = 3.0
ORG_BOOST = 2.0
TITLE_WORDS_BOOST = 2.0
ADJACENT_BOOST = 2.0
#: The share of a Burmese word's score its syllables earn wherever they are (inside a longer
#: word too): the word's span term scores the rest where its edges are word edges.
INSIDE_WEIGHT = 0.25
#: The span term's boost: with the syllables' ``INSIDE_WEIGHT`` a match as a word scores
#: about five times one inside a longer word (``benchmarks/relevance.py``'s word table).
WORD_BOOST = 1.0


class BigramPhrase(wq.Phrase):  # type: ignore[misc]
    """A phrase of bigram terms: bigram ``i`` must start ``i`` positions after bigram 0.

    ``reslib.search.evaluate`` matches it (its candidates from the bigrams' score maps, then
    their positions) and scores it as Whoosh scores a phrase, the sum of its terms' scores.
    Whoosh's own (span) phrase matcher, which the class inherits, gives the same answer at
    ~50 µs per document holding every bigram; only shapes the evaluator does not take
    (a slop, a single bigram) fall back to it. ``tests/whoosh_reference.py`` keeps the
    leapfrogging matcher the engine used before, as the reference the evaluator is tested
    against.
    """


def unit_match(unit: Unit, boost: float = 1.0) -> wq.Query:
    """The exact (matching) query of one unit."""
    if len(unit.terms) == 1:
        field = "syllables" if unit.kinds[0] == "my" else "english"
        return wq.Term(field, unit.terms[0], boost=boost)
    pairs = bigrams_of(list(unit.terms))
    if len(pairs) == 1:
        return wq.Term("bigrams", pairs[0], boost=boost)
    return BigramPhrase("bigrams", pairs, boost=boost)


def unit_span(unit: Unit) -> str | None:
    """The ``spans`` term of a Burmese unit short enough to be indexed as a word, else None."""
    if len(unit.terms) <= MAX_SPAN and all(kind == "my" for kind in unit.kinds):
        return SPAN_JOIN.join(unit.terms)
    return None


def unit_words(unit: Unit) -> list[str]:
    """The ICU dictionary words of a unit's Burmese text (each run of its syllables joined:
    syllables are lossless pieces of the normalized text)."""
    runs: list[list[str]] = []
    previous = ""
    for term, kind in zip(unit.terms, unit.kinds, strict=True):
        if kind == "my":
            if previous != "my":
                runs.append([])
            runs[-1].append(term)
        previous = kind
    return list(dict.fromkeys(w for run in runs for w in title_word_terms("".join(run))))


def unit_boosts(unit: Unit) -> list[wq.Query]:
    keys = list(unit.terms) if len(unit.terms) == 1 else bigrams_of(list(unit.terms))
    span = unit_span(unit)
    out: list[wq.Query] = []
    # A Burmese word is boosted in the title and organization names where it is a word
    # there (``title_spans``), not where its syllables are inside a longer word: a title
    # about ကရင်နီ (Karenni) is not a title about ကရင် (Karen).
    for key in dict.fromkeys(keys) if span is None else ():
        out.append(wq.Term("title_terms", key, boost=TITLE_BOOST))
        out.append(wq.Term("org_terms", key, boost=ORG_BOOST))
    for word in unit_words(unit):
        out.append(wq.Term("title_words", word, boost=TITLE_WORDS_BOOST))
    if span is not None:
        out.append(wq.Term("spans", span, boost=WORD_BOOST))
        out.append(wq.Term("title_spans", span, boost=TITLE_BOOST * WORD_BOOST))
    return out


def node_query(node: Node, *, ranked: bool = True) -> wq.Query:
    if isinstance(node, Unit):
        if not ranked:
            return unit_match(node)
        weight = 1.0 if unit_span(node) is None else INSIDE_WEIGHT
        return wq.AndMaybe(unit_match(node, weight), wq.Or(unit_boosts(node)))
    children = [node_query(c, ranked=ranked) for c in node.children]
    if len(children) == 1:
        return children[0]
    return wq.Or(children) if isinstance(node, Any_) else wq.And(children)


def text_query(parsed: ParsedQuery, *, ranked: bool = True) -> wq.Query:
    """The text part: every clause must match, no exclusion may."""
    if parsed.nothing:
        return wq.NullQuery
    if parsed.clauses:
        clauses = [node_query(c, ranked=ranked) for c in parsed.clauses]
        q: wq.Query = clauses[0] if len(clauses) == 1 else wq.And(clauses)
    else:
        q = wq.Every()
    if ranked and parsed.adjacent:
        q = wq.AndMaybe(
            q,
            wq.Or(
                [wq.Term("bigrams", a + " " + b, boost=ADJACENT_BOOST) for a, b in parsed.adjacent]
            ),
        )
    if parsed.exclusions:
        q = wq.AndNot(q, wq.Or([node_query(n, ranked=False) for n in parsed.exclusions]))
    return q


def any_of(field: str, values: list[str]) -> wq.Query:
    terms = [wq.Term(field, v) for v in dict.fromkeys(values)]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def date_query(ranges: list[tuple[str | None, str | None]]) -> wq.Query:
    """Dates are ISO strings (possibly partial): a range compares them as text, with the
    upper bound extended so ``..2023-11`` includes ``2023-11-30``."""
    parts: list[wq.Query] = []
    for lo, hi in ranges:
        if lo is not None and lo == hi:
            parts.append(wq.Prefix("date", lo))
        else:
            parts.append(wq.TermRange("date", lo, hi + "~" if hi else None))
    return parts[0] if len(parts) == 1 else wq.And(parts)


__all__ = ["All", "any_of", "date_query", "node_query", "text_query"]
