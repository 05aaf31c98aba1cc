"""More like this: the records that share an item's rarest terms, organizations and places.

``similar(home, item_id, limit)`` asks the index, never a second store:

1. the item's own text (from ``library/``) is analyzed as indexing does
   (``analysis.terms.index_stream``): English stems for ``english``, pairs of consecutive
   Burmese syllables for ``bigrams`` (a single syllable says little; a pair is nearly a
   word);
2. the document frequency of the first ``MAX_LOOKUPS`` distinct terms is read from the
   index (``doc_frequency``: a term-index look-up in every segment, the costly step, so
   the counts are kept per index generation, and the terms looked up are those met first:
   title, organizations, summary, then the text) and the ``MAX_TERMS`` terms with the
   highest tf × idf kept, as Lucene's MoreLikeThis chooses them: a term found in one other
   record is worth more than one found in half the library; a term no other record holds
   is dropped;
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

from ..analysis.analyzers import STOP_WORDS, unstemmed
from ..analysis.terms import BIGRAM_JOIN, index_stream
from ..catalogue import Catalogue
from ..config import Home
from ..index import live_dir, snapshot
from ..index.schema import content, group_key
from ..models import Record
from .combine import hits
from .evaluate import evaluate
from .facets import Tables, members_of, tables
from .model import SearchResult
from .rank import by_score, in_query_language
from .results import result

#: Terms of the item the query keeps (Lucene's MoreLikeThis default is 25).
MAX_TERMS = 25
#: Tokens of a long record's text read for its terms (a 100-page report adds little past
#: its first pages).
MAX_TOKENS = 1000
#: Distinct terms whose document frequency is looked up, in the order the text gives them
#: (each look-up visits every segment: about 15 µs each, nine segments at 50,000 records).
MAX_LOOKUPS = 150
#: Document frequencies kept per index generation (a term and its count: ~150 bytes each).
MAX_CACHED = 200_000
#: A term in more than this share of the library (or, in a small one, in more than
#: ``MIN_COMMON`` records) says little about likeness, and its postings cost most to read.
MAX_SHARE = 0.05
MIN_COMMON = 10
#: Characters of a record's text analyzed for its terms (about ``MAX_TOKENS`` tokens).
MAX_CHARS = 8000
#: An organization or place held by more records than this only raises the records the
#: terms found (walking its bitmap would cost more than it tells).
MAX_VALUE_WALK = 2000
#: What sharing an organization or a place weighs, times its idf (a rare shared term
#: scores about its idf too, so one shared small organization counts like one rare word).
VALUE_WEIGHT = 1.0
#: The most results asked for at once.
MAX_LIMIT = 20
#: The name the document frequencies are kept under in their generation.
DF_CACHE = "similar: document frequencies"


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

    known: dict[tuple[str, str], int] = snap.generation.cached(DF_CACHE, dict)

    def frequency(field: str, term: str) -> int:
        found = known.get((field, term))
        if found is None:
            found = int(searcher.doc_frequency(field, term))
            if len(known) < MAX_CACHED:
                known[(field, term)] = found
        return found

    terms = chosen_terms(record, frequency, size)
    scored: dict[int, float] = {}
    if terms:
        scored = evaluate(searcher, wq.Or([wq.Term(f, t) for f, t in terms]), snap.key)
    add_shared_values(scored, record, tabs, size)

    own = group_key(record)
    groups = tabs.groups
    scored = {d: s for d, s in scored.items() if groups[d] != own and s > 0}
    if not scored:
        return []
    ordered = sorted(scored)
    leaders = by_score(hits(ordered, [scored[d] for d in ordered]), tabs, limit)
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
    # Read as the index read it: a record in a language other than English is not stemmed.
    terms, kinds = index_stream(unstemmed(content(record)[:MAX_CHARS], record.language))
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
    """The ``MAX_TERMS`` terms of the item with the highest tf × idf among its first
    ``MAX_LOOKUPS`` distinct terms that some other record holds and at most ``MAX_SHARE`` of
    the library does. ``frequency(field, term)`` is the term's document frequency in the
    index (the item itself included)."""
    weighted = []
    most = max(MIN_COMMON, int(size * MAX_SHARE))
    for (field, term), tf in list(candidate_terms(record).items())[:MAX_LOOKUPS]:
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
                for d in members_of(bits).tolist():
                    scored[d] = scored.get(d, 0.0) + weight
            else:
                for d in scored:
                    if bits >> d & 1:
                        scored[d] += weight


__all__ = ["MAX_LIMIT", "MAX_TERMS", "candidate_terms", "chosen_terms", "similar"]
