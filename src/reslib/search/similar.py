"""More like this: the records that share an item's rarest terms, organizations and places.

``similar(home, item_id, limit)`` asks the index, never a second store:

1. the item's own text (from ``library/``) is analyzed as indexing does
   (``analysis.terms.index_stream``): English stems for ``english``, pairs of consecutive
   Burmese syllables for ``bigrams`` (a single syllable says little; a pair is nearly a
   word);
2. each distinct term's document frequency is read from the index (``doc_frequency``, a
   term-index look-up per segment) and the ``MAX_TERMS`` terms with the highest
   tf × idf kept, as Lucene's MoreLikeThis chooses them: a term found in one other record is
   worth more than one found in half the library; a term no other record holds is dropped;
3. an OR of those terms is evaluated like any search (``evaluate``: BM25F, term at a time,
   the same leaf cache), so a record scores by how much of the rare vocabulary it shares;
4. each organization and place the item has adds its idf to the records sharing it (the
   facet bitmaps of ``facets.tables``), so two statements by the same small organization
   about the same township meet even in different languages;
5. the item's own translation group is left out (its translations are not "more"), and the
   rest ranked one result per translation group, shown in the item's language where the
   group has a member in it (``rank``).

Only public reading APIs are used (the searcher's ``document_number``/``doc_frequency``,
``evaluate``, the facet tables); Whoosh's private members stay in ``index/postings.py``.
"""

from __future__ import annotations

import math
from collections import Counter

from whoosh import query as wq

from ..analysis.analyzers import STOP_WORDS
from ..analysis.terms import BIGRAM_JOIN, index_stream
from ..catalogue import Catalogue
from ..config import Home
from ..index import live_dir, snapshot
from ..index.schema import content, group_key
from ..models import Record
from .evaluate import evaluate
from .facets import Tables, members_of, tables
from .model import SearchResult
from .rank import by_score, in_query_language
from .results import result

#: Terms of the item the query keeps (Lucene's MoreLikeThis default is 25).
MAX_TERMS = 25
#: Tokens of a long record's text read for its terms (a 100-page report adds little past
#: its first pages, and each distinct term costs an index look-up).
MAX_TOKENS = 3000
#: A term in more than this share of the library says nothing about likeness.
MAX_SHARE = 0.2
#: An organization or place held by more records than this only raises the records the
#: terms found (walking its bitmap would cost more than it tells).
MAX_VALUE_WALK = 2000
#: What sharing an organization or a place weighs, times its idf (a rare shared term
#: scores about its idf too, so one shared small organization counts like one rare word).
VALUE_WEIGHT = 1.0
#: The most results asked for at once.
MAX_LIMIT = 20


def similar(home: Home, item_id: str, limit: int = 5) -> list[SearchResult]:
    """Up to ``limit`` records most like ``item_id``, best first, its translations left out.

    Raises NotFound when no record has that id, IndexUnavailable when the library has
    records but no usable index; an empty library gives an empty list.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    catalogue = Catalogue(home)
    record = catalogue.get(item_id)
    if live_dir(home) is None and not catalogue.ids():
        return []
    snap = snapshot(home)
    searcher = snap.searcher
    tabs = tables(snap)
    size = max(searcher.doc_count(), 1)

    terms = chosen_terms(record, lambda f, t: int(searcher.doc_frequency(f, t)), size)
    scored: dict[int, float] = {}
    if terms:
        scored = evaluate(searcher, wq.Or([wq.Term(f, t) for f, t in terms]), snap.key)
    add_shared_values(scored, record, tabs, size)

    own = group_key(record)
    groups = tabs.groups
    scored = {d: s for d, s in scored.items() if groups[d] != own and s > 0}
    if not scored:
        return []
    leaders = by_score(scored, sorted(scored), tabs, limit)
    language = record.language if record.language in ("en", "my") else None
    shown = in_query_language(leaders, scored, tabs, language)
    return [
        result(searcher, catalogue, d, scored[leader], [])
        for leader, d in zip(leaders, shown, strict=True)
    ]


def candidate_terms(record: Record) -> Counter[tuple[str, str]]:
    """The item's terms with their counts: (``english``, stem) for English words and
    (``bigrams``, pair) for two Burmese syllables side by side; numbers and English stop
    words are left out (a year, an issue number or "an" makes records alike only by
    accident, and in a small library a stop word can look rare)."""
    terms, kinds = index_stream(content(record))
    terms, kinds = terms[:MAX_TOKENS], kinds[:MAX_TOKENS]
    counts: Counter[tuple[str, str]] = Counter()
    for i, (term, kind) in enumerate(zip(terms, kinds, strict=True)):
        if kind == "word":
            if term not in STOP_WORDS and len(term) > 1:
                counts[("english", term)] += 1
        elif kind == "my" and i + 1 < len(terms) and kinds[i + 1] == "my":
            counts[("bigrams", term + BIGRAM_JOIN + terms[i + 1])] += 1
    return counts


def chosen_terms(record: Record, frequency, size: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The ``MAX_TERMS`` terms of the item with the highest tf × idf among those some other
    record holds and at most ``MAX_SHARE`` of the library does. ``frequency(field, term)``
    is the term's document frequency in the index (the item itself included)."""
    weighted = []
    most = max(2, int(size * MAX_SHARE))
    for (field, term), tf in candidate_terms(record).items():
        df = frequency(field, term)
        if df < 2 or df > most:
            continue  # only the item has it, or too many records do
        weighted.append((tf * idf(df, size), field, term))
    weighted.sort(key=lambda w: (-w[0], w[1], w[2]))
    return [(field, term) for _, field, term in weighted[:MAX_TERMS]]


def idf(df: int, size: int) -> float:
    """BM25's idf (always positive)."""
    return math.log(1 + (size - df + 0.5) / (df + 0.5))


def add_shared_values(scored: dict[int, float], record: Record, tabs: Tables, size: int) -> None:
    """Add, for each organization and place of the item, its idf times ``VALUE_WEIGHT`` to
    every record sharing it: all of them when few records have it, else only those the
    terms already found."""
    for field, values in (("organizations", record.organizations), ("places", record.places)):
        bitmaps = tabs.bitmaps.get(field, {})
        for value in dict.fromkeys(values):
            bits = bitmaps.get(value, 0)
            n = bits.bit_count()
            if n < 2:
                continue
            weight = VALUE_WEIGHT * idf(n, size)
            if n <= MAX_VALUE_WALK:
                for d in members_of(bits):
                    scored[d] = scored.get(d, 0.0) + weight
            else:
                for d in scored:
                    if bits >> d & 1:
                        scored[d] += weight


__all__ = ["MAX_LIMIT", "MAX_TERMS", "candidate_terms", "chosen_terms", "similar"]
