"""``search(home, request)``: one search from request to plain response, step by step.

1. parse the query (``parse``) and expand it through the glossary and the organization
   names of the authority file unless ``exact`` (``expand``);
2. open this thread's snapshot of the live index (``reslib.index.reader``) and its
   generation's facet tables (``facets``);
3. find every document the text (and any date range) matches, with its BM25F score
   (``compile`` to Whoosh queries, ``evaluate`` a term at a time: the total and the facets
   need every match anyway);
4. apply the filters as facet bitmaps (``filters``), keeping for each filtered field the
   matches as if its filter were not applied;
5. count the results and the facets, in translation groups both (``facets``); rank by
   score or by date, one result per translation group (``rank``); when the query holds a
   Burmese word, re-order the first results by how their texts continue it (``cohesion``,
   a second phase that changes the order only);
6. build the page: stored fields, translations and a highlighted snippet (``results``),
   and "did you mean" when few results came back (``spelling``).

The total counts results as shown (translation groups), and so does every facet count: a
facet's number is the total that filtering on it gives.

``result_ids(home, request, cap)`` runs steps 1 to 5 alone for the first ``cap`` results of
a list, past the page-depth limit: the ids a whole-list export reads records by.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from whoosh import query as wq

from ..catalogue import Catalogue
from ..config import Home
from ..errors import InvalidInput
from ..index import IndexUnavailable, live_dir, snapshot
from ..index.reader import Snapshot
from ..models import stems_english
from . import cohesion
from .combine import NOTHING, Hits, only
from .compile import date_query, text_query, unit_span
from .evaluate import evaluate_hits
from .expand import expand
from .facets import Tables, count, members_of, results_in, tables, to_bitmap
from .filters import facet_filters, narrow
from .model import SearchRequest, SearchResponse
from .parse import ParsedQuery, Unit, parse, parse_date_range, units_of
from .rank import by_date, by_score, in_query_language, query_language
from .results import result
from .sources import load_glossary, load_names
from .spelling import did_you_mean, lexicon


@dataclass
class _Ranked:
    """Steps 1 to 5 of a search: the response so far (total, facets, expansion) and what
    building results needs; ``snap`` is None for a new, empty library."""

    response: SearchResponse
    parsed: ParsedQuery
    snap: Snapshot | None = None
    tabs: Tables | None = None
    #: Every match, with its first-phase score.
    scored: Hits = NOTHING
    leaders: list[int] = field(default_factory=list)
    #: Scores changed by the second phase (``cohesion``), for the documents it re-ordered.
    rescored: dict[int, float] = field(default_factory=dict)
    #: Record texts the second phase read, by document: the page's snippets reuse them.
    texts: dict[int, str] = field(default_factory=dict)


def holds_unstemmed(tabs: Tables) -> bool:
    """Whether the index holds a record whose words are indexed unstemmed (a language other
    than English and Burmese): only then do queries need the unstemmed reading."""
    return any(not stems_english(code) for code in tabs.bitmaps.get("language", {}))


def _ranked(home: Home, request: SearchRequest, need: int) -> _Ranked:
    """Validate, match, filter, count and rank the leaders of the first ``need`` results."""
    request.validate()
    response = SearchResponse(request.q, 0, request.page, request.limit, request.sort)
    date_range = None
    if request.date:
        date_range = parse_date_range(request.date)
        if date_range is None:
            raise InvalidInput(
                f"Sorry, {request.date!r} is not a date range: use for example 2023-09..2023-11."
            )
    # A new, empty library has nothing to find or reindex; any other needs its index.
    empty = live_dir(home) is None and not Catalogue(home).ids()
    snap = None if empty else snapshot(home)
    tabs = None if snap is None else tables(snap)
    parsed = parse(request.q, unstemmed=tabs is not None and holds_unstemmed(tabs))
    if date_range is not None:
        parsed.dates.append(date_range)
    if not request.exact:
        response.expanded = expand(parsed, load_glossary(home), load_names(home))
    if snap is None or tabs is None:
        return _Ranked(response, parsed)

    query = text_query(parsed)
    if parsed.dates:
        query = wq.And([query, date_query(parsed.dates)])
    # Every match with its full score (boosts included), evaluated a term at a time.
    scored = evaluate_hits(snap.searcher, query, snap.key)
    filters_ = facet_filters(home, parsed, request, tabs)
    # A query of nothing (no words, exclusions or dates) matches every live document,
    # whose bitmap the tables keep.
    every = type(query) is wq.Every
    narrowed = narrow(tabs, tabs.live if every else to_bitmap(scored.docs, tabs.size), filters_)
    if filters_:
        scored = only(scored, members_of(narrowed.matched))
    response.total = results_in(narrowed.matched, narrowed.repeated)
    response.facets = count(
        tabs,
        narrowed.matched,
        narrowed.repeated,
        unfiltered=narrowed.unfiltered,
        selected={f.field: f.values for f in filters_},
    )
    rescored: dict[int, float] = {}
    texts: dict[int, str] = {}
    if request.sort == "relevance" and not parsed.is_browse():
        words = [u for c in parsed.clauses for u in units_of(c) if unit_span(u) is not None]
        leaders = by_score(scored, tabs, max(need, cohesion.WINDOW) if words else need)
        if words:
            window = leaders[: cohesion.WINDOW]
            leaders[: len(window)], rescored = _second_phase(
                home, snap, window, scored.scores_of(window), words, texts
            )
    else:
        leaders = by_date(scored.docs.tolist(), tabs, need)
    return _Ranked(response, parsed, snap, tabs, scored, leaders, rescored, texts)


def _second_phase(
    home: Home,
    snap: Snapshot,
    window: list[int],
    scored: dict[int, float],
    words: list[Unit],
    texts: dict[int, str],
) -> tuple[list[int], dict[int, float]]:
    """The first results re-ordered by the cohesion of the query's Burmese words with the
    syllables around them in these results' texts (``cohesion``); ``texts`` receives the
    texts read."""
    searcher = snap.searcher
    catalogue = Catalogue(home)
    records = max(1, searcher.doc_count())

    def text(docnum: int) -> str:
        texts[docnum] = catalogue.text(searcher.stored_fields(docnum)["id"])
        return texts[docnum]

    def share_of_records(syllable: str) -> float:
        return searcher.doc_frequency("syllables", syllable) / records

    return cohesion.rescore(window, scored, text, words, share_of_records)


def search(home: Home, request: SearchRequest) -> SearchResponse:
    """Run one search. Raises InvalidInput for input beyond the limits, IndexUnavailable
    when the library has records but no usable index."""
    start, need = (request.page - 1) * request.limit, request.page * request.limit
    ranked = _ranked(home, request, need)
    response, parsed, snap, tabs = ranked.response, ranked.parsed, ranked.snap, ranked.tabs
    if snap is None or tabs is None:
        return response
    scored = ranked.scored
    page = ranked.leaders[start:need]
    scores = {} if parsed.is_browse() else scored.scores_of(page)

    units = [u for c in parsed.clauses for u in units_of(c)]
    catalogue = Catalogue(home)
    shown = in_query_language(page, scored, tabs, query_language(request))
    rescored = ranked.rescored
    for leader, docnum in zip(page, shown, strict=True):
        score = rescored[leader] if leader in rescored else scores.get(leader, 0.0)
        response.results.append(
            result(snap.searcher, catalogue, docnum, score, units, ranked.texts.get(docnum))
        )
    if parsed.chunks and response.total < request.limit:
        response.did_you_mean = did_you_mean(request.q, parsed, lexicon(snap))
    return response


def result_ids(home: Home, request: SearchRequest, cap: int) -> tuple[int, list[str]]:
    """The total and the ids of the first ``cap`` results in the order ``search`` lists
    them, each as its page shows it (a translation group by its member in the query's
    language), with ``page`` and ``limit`` ignored: what an export of a whole result list
    needs, without building results (no snippets, no page-depth limit)."""
    ranked = _ranked(home, replace(request, page=1), cap)
    if ranked.snap is None or ranked.tabs is None:
        return ranked.response.total, []
    shown = in_query_language(
        ranked.leaders[:cap], ranked.scored, ranked.tabs, query_language(request)
    )
    stored = ranked.snap.searcher.stored_fields
    return ranked.response.total, [stored(d)["id"] for d in shown]


__all__ = ["IndexUnavailable", "result_ids", "search"]
