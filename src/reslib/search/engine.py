"""``search(home, request)``: one search from request to plain response.

The steps: parse the query, expand it through the glossary (unless ``exact``), find every
matching document (unscored, for the total and the facets), rank (BM25F through Whoosh, or by
date), fold translations into one result per group, and build the page: stored fields, the
grouped translations, a highlighted snippet of the record's text from ``library/``.

Totals count results as shown (translation groups); facet counts count records, so a facet's
number is what filtering on it would give.
"""

from __future__ import annotations

import heapq
import re
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from whoosh import query as wq
from whoosh.searching import Searcher, TermNotFound

from ..authority import Organizations
from ..catalogue import Catalogue
from ..config import Home
from ..errors import InvalidInput, ReslibError
from ..glossary import Glossary
from ..index import IndexUnavailable, live_dir, snapshot
from ..models import normalize_language, normalize_type
from .compile import any_of, date_query, text_query
from .expand import expand
from .facets import Tables, count, tables, to_bitmap
from .highlight import snippet
from .model import SearchRequest, SearchResponse, SearchResult, Translation
from .parse import ParsedQuery, Unit, parse, parse_date_range, units_of
from .spelling import did_you_mean, lexicon

T = TypeVar("T")
_file_cache: dict[tuple[str, Path], tuple[tuple[int, int], Any]] = {}
_file_lock = threading.Lock()


def _cached(kind: str, path: Path, load: Callable[[Path], T]) -> T:
    """``load(path)``, reused until the file changes (the glossary may hold 14,000 entries)."""
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        stamp = (0, -1)
    with _file_lock:
        hit = _file_cache.get((kind, path))
    if hit is not None and hit[0] == stamp:
        return hit[1]  # type: ignore[no-any-return]
    value = load(path)
    with _file_lock:
        _file_cache[(kind, path)] = (stamp, value)
    return value


def load_glossary(home: Home) -> Glossary:
    return _cached("glossary", home.library / "glossary.json", Glossary.load)


def load_organizations(home: Home) -> Organizations:
    return _cached("organizations", home.library / "organizations.json", Organizations.load)


def search(home: Home, request: SearchRequest) -> SearchResponse:
    """Run one search. Raises InvalidInput for input beyond the limits, IndexUnavailable
    when the library has records but no usable index."""
    request.validate()
    response = SearchResponse(request.q, 0, request.page, request.limit, request.sort)
    date_range = None
    if request.date:
        date_range = parse_date_range(request.date)
        if date_range is None:
            raise InvalidInput(
                f"Sorry, {request.date!r} is not a date range: use for example 2023-09..2023-11."
            )
    parsed = parse(request.q)
    if date_range is not None:
        parsed.dates.append(date_range)
    if not request.exact:
        response.expanded = expand(parsed, load_glossary(home))
    if live_dir(home) is None and not Catalogue(home).ids():
        return response  # a new, empty library: nothing to find, nothing to reindex
    snap = snapshot(home)
    searcher = snap.searcher
    tabs = tables(snap.key, searcher)

    filters = _filters(home, parsed, request, tabs)
    ranked_q = _combine(text_query(parsed), filters)
    unranked_q = _combine(text_query(parsed, ranked=False), filters)
    relevance = request.sort == "relevance" and not parsed.is_browse()
    base: list[float] = []
    lean = relevance and not isinstance(unranked_q, wq.Term)
    if lean:
        # One pass finds every match and scores it without the boost clauses (the optional
        # title/organization/adjacency terms); the boosts are added to a few candidates
        # below. Scoring the full query, boosts and all, in Whoosh's top-k collector cost
        # about twice as much: optional clauses defeat its block skipping.
        matched, base = _match_scored(searcher, unranked_q)
    else:
        # A single term: its postings are the matches, read in bulk; Whoosh's top-k pass
        # below skips the blocks that cannot reach the top.
        matched = list(searcher.docs_for_query(unranked_q))
    response.facets = count(tabs, to_bitmap(matched, tabs.size))
    groups = tabs.groups
    response.total = len({groups[d] for d in matched})

    start, need = (request.page - 1) * request.limit, request.page * request.limit
    if not relevance:
        leaders = _by_date(matched, tabs, need)
        scores = {} if parsed.is_browse() else _scores(searcher, ranked_q, leaders[start:need])
    elif lean and all(isinstance(c, Unit) for c in parsed.clauses):
        leaders, scores = _by_base_and_boosts(searcher, ranked_q, tabs, need, matched, base)
    elif lean:
        leaders, scores = _by_base_scores(searcher, ranked_q, tabs, need, matched, base)
    else:
        leaders, scores = _by_relevance(searcher, ranked_q, tabs, need, len(matched))

    units = [u for c in parsed.clauses for u in units_of(c)]
    catalogue = Catalogue(home)
    page = leaders[start:need]
    shown = _in_query_language(page, matched, tabs, _query_language(request))
    for leader, docnum in zip(page, shown, strict=True):
        response.results.append(
            _result(searcher, catalogue, docnum, scores.get(leader, 0.0), units)
        )
    if parsed.chunks and response.total < request.limit:
        response.did_you_mean = did_you_mean(request.q, parsed, lexicon(Path(snap.key[0])))
    return response


_FIELD_FILTER_RE = re.compile(r'\b[a-z]+:(?:"[^"]*"|\S+)')
_MYANMAR_RE = re.compile("[\u1000-\u109f]")
_LATIN_RE = re.compile("[A-Za-z]")


def _query_language(request: SearchRequest) -> str | None:
    """``en`` or ``my`` when the query's words are in one script only, else None."""
    if request.lang:
        return None  # the filter already chose
    words = _FIELD_FILTER_RE.sub(" ", request.q)
    has_my, has_latin = bool(_MYANMAR_RE.search(words)), bool(_LATIN_RE.search(words))
    if has_my != has_latin:
        return "my" if has_my else "en"
    return None


def _in_query_language(
    page: list[int], matched: list[int], tabs: Tables, language: str | None
) -> list[int]:
    """Show each translation group by its member in the query's language, when that member
    matched too: an English query lists the English original with the Burmese version one
    click away, and the other way round (the group keeps its leader's place and score)."""
    preferred = tabs.bitmaps.get("language", {}).get(language or "", 0)
    if not preferred or all(preferred >> d & 1 for d in page):
        return page
    groups = tabs.groups
    wanted = {groups[d] for d in page if not preferred >> d & 1}
    better: dict[str, int] = {}
    for d in matched:
        g = groups[d]
        if g in wanted and g not in better and preferred >> d & 1:
            better[g] = d
    return [d if preferred >> d & 1 else better.get(groups[d], d) for d in page]


def _combine(text: wq.Query, filters: list[wq.Query]) -> wq.Query:
    return wq.And([text, *filters]) if filters else text


def _group_leaders(ordered: list[int], groups: list[str], need: int) -> list[int]:
    """The first document of each translation group, in order, up to ``need``."""
    seen: set[str] = set()
    out: list[int] = []
    for d in ordered:
        g = groups[d]
        if g not in seen:
            seen.add(g)
            out.append(d)
            if len(out) >= need:
                break
    return out


def _by_date(matched: list[int], tabs: Tables, need: int) -> list[int]:
    dates = tabs.dates
    k = need * 2 + 10
    while True:
        ordered = heapq.nlargest(k, matched, key=lambda d: (dates[d], -d))
        leaders = _group_leaders(ordered, tabs.groups, need)
        if len(leaders) >= need or k >= len(matched):
            return leaders
        k *= 4


def _match_scored(searcher: Searcher, q: wq.Query) -> tuple[list[int], list[float]]:
    """Every document matching ``q`` with its BM25F score, walking the matchers directly
    (Whoosh's collector costs several times more per document than the scoring itself)."""
    ids: list[int] = []
    scores: list[float] = []
    context = searcher.context(needs_current=True)
    for leaf, offset in searcher.leaf_searchers():
        try:
            m = q.matcher(leaf, context)
        except TermNotFound:
            continue
        while m.is_active():
            ids.append(m.id() + offset)
            scores.append(m.score())
            m.next()
    return ids, scores


def _boost_terms(q: wq.Query) -> list[wq.Term]:
    """The optional (ranking-only) terms of a ranked query: the right side of each AndMaybe."""
    out: list[wq.Term] = []
    if isinstance(q, wq.AndMaybe):
        out.extend(t for t in q.b.leaves() if isinstance(t, wq.Term))
        out.extend(_boost_terms(q.a))
    elif isinstance(q, wq.AndNot):
        out.extend(_boost_terms(q.a))
    elif isinstance(q, wq.compound.CompoundQuery):
        for child in q.subqueries:
            out.extend(_boost_terms(child))
    return out


def _boosts(searcher: Searcher, q: wq.Query) -> tuple[set[int], float]:
    """Documents holding any boost term of ``q`` (the only ones whose score the boosts
    raise), and an upper bound of what the boosts can add to one document's score."""
    out: set[int] = set()
    bound = 0.0
    context = searcher.context()
    for term in dict.fromkeys(_boost_terms(q)):
        best = 0.0
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if (term.fieldname, term.text) in reader:
                m = term.matcher(leaf, context)
                best = max(best, m.max_quality())
                out.update(d + offset for d in m.all_ids())
        bound += best
    return out, bound


def _by_relevance(
    searcher: Searcher, q: wq.Query, tabs: Tables, need: int, total: int
) -> tuple[list[int], dict[int, float]]:
    k = need * 2 + 10
    while True:
        hits = searcher.search(q, limit=k)
        ordered = [(hit.docnum, hit.score) for hit in hits]
        scores = dict(ordered)
        leaders = _group_leaders([d for d, _ in ordered], tabs.groups, need)
        if len(leaders) >= need or k >= total:
            return leaders, {d: float(scores[d]) for d in leaders}
        k *= 4


def _by_base_and_boosts(
    searcher: Searcher,
    q: wq.Query,
    tabs: Tables,
    need: int,
    matched: list[int],
    base: list[float],
) -> tuple[list[int], dict[int, float]]:
    """The first ``need`` group leaders by the full score of ``q``, for a query whose
    clauses are all units (no OR): every match then matches every unit, so every boost term
    of the query applies to it, and its full score is its base score plus the scores of the
    boost terms it holds (as Whoosh sums an AndMaybe and an Or). The boost terms' posting
    lists are walked once, instead of scoring the full query on each boosted document.
    """
    position = {d: i for i, d in enumerate(matched)}
    boost: dict[int, float] = {}
    context = searcher.context()
    # A term that two units share boosts twice, as in the query: count, do not deduplicate.
    for term, times in Counter(_boost_terms(q)).items():
        for leaf, offset in searcher.leaf_searchers():
            if (term.fieldname, term.text) not in leaf.reader():
                continue
            m = term.matcher(leaf, context)
            while m.is_active():
                d = m.id() + offset
                if d in position:
                    boost[d] = boost.get(d, 0.0) + m.score() * times
                m.next()
    k = need * 2 + 10
    while True:
        top = heapq.nlargest(k, range(len(matched)), key=base.__getitem__)
        candidates = {matched[i] for i in top}.union(boost)
        full = {d: base[position[d]] + boost.get(d, 0.0) for d in candidates}
        # Highest score first, then index order (as Whoosh's collector breaks ties).
        ordered = sorted(candidates, key=lambda d: (-full[d], d))
        leaders = _group_leaders(ordered[:k], tabs.groups, need)
        if len(leaders) >= need or k >= len(matched):
            return leaders, {d: full[d] for d in leaders}
        k *= 4


def _by_base_scores(
    searcher: Searcher,
    q: wq.Query,
    tabs: Tables,
    need: int,
    matched: list[int],
    base: list[float],
) -> tuple[list[int], dict[int, float]]:
    """The first ``need`` group leaders by the full score of ``q`` (boosts included).

    ``base`` is each match's score without the boost clauses. A document no boost term
    reaches scores exactly its base, and one it reaches at most its base plus the boosts'
    upper bound: so the top ``k`` by base, with the boosted matches whose bound reaches the
    ``k``-th base score, hold the top ``k`` by full score, and only they are scored in full.
    The order is the one ranking every match in full would give.
    """
    k = need * 2 + 10
    boosted, bound = _boosts(searcher, q)
    base_of = dict(zip(matched, base, strict=True))
    boosted_matches = [(base_of[d], d) for d in boosted if d in base_of]
    while True:
        top = heapq.nlargest(k, range(len(matched)), key=base.__getitem__)
        floor = base[top[-1]] if len(top) >= k else float("-inf")
        candidates = sorted(
            {matched[i] for i in top}.union(d for b, d in boosted_matches if b + bound >= floor)
        )
        full = _scores(searcher, q, candidates)
        # Highest score first, then index order (as Whoosh's collector breaks ties).
        ordered = sorted(candidates, key=lambda d: (-full.get(d, base_of[d]), d))
        leaders = _group_leaders(ordered[:k], tabs.groups, need)
        if len(leaders) >= need or k >= len(matched):
            return leaders, {d: full.get(d, base_of[d]) for d in leaders}
        k *= 4


def _scores(searcher: Searcher, q: wq.Query, docnums: list[int]) -> dict[int, float]:
    """BM25F scores of a few documents (a date-sorted page still shows how well each matched)."""
    out: dict[int, float] = {}
    context = searcher.context(needs_current=True)
    for leaf, offset in searcher.leaf_searchers():
        size = leaf.doc_count_all()
        local = sorted(d - offset for d in docnums if offset <= d < offset + size)
        if not local:
            continue
        m = q.matcher(leaf, context)
        for d in local:
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
            if m.is_active() and m.id() == d:
                out[d + offset] = float(m.score())
    return out


def _lookup_all(tabs: Tables, field: str, values: list[str]) -> list[str]:
    # A value nobody uses stays as typed: the filter then (honestly) matches nothing.
    return [tabs.lookup(field, v) or v for v in values]


def _filters(
    home: Home, parsed: ParsedQuery, request: SearchRequest, tabs: Tables
) -> list[wq.Query]:
    f = parsed.filters
    out: list[wq.Query] = []
    types = []
    for v in [*request.type, *f.get("type", [])]:
        try:
            types.append(normalize_type(v))
        except ReslibError:
            types.append(v.strip().lower())
    if types:
        out.append(any_of("type", types))
    langs: list[wq.Query] = []
    for v in [*([request.lang] if request.lang else []), *f.get("lang", [])]:
        try:
            code = normalize_language(v)
        except ReslibError:
            code = v.strip().lower()
        # A bilingual record matches either language; asking for both wants bilingual ones.
        parts = code.split("+")
        langs.append(
            wq.And([wq.Term("langs", p) for p in parts])
            if len(parts) > 1
            else wq.Term("langs", code)
        )
    if langs:
        out.append(langs[0] if len(langs) == 1 else wq.Or(langs))
    orgs = [*request.org, *f.get("org", [])]
    if orgs:
        authority = load_organizations(home)
        names = []
        for v in orgs:
            name = tabs.lookup("organizations", v)
            if name is None and (known := authority.resolve(v)) is not None:
                name = tabs.lookup("organizations", known.name)
            names.append(name or v)
        out.append(any_of("organizations", names))
    for field, request_values, key in (
        ("places", request.place, "place"),
        ("topics", [], "topic"),
        ("year", request.year, "year"),
    ):
        values = [*request_values, *f.get(key, [])]
        if values:
            out.append(any_of(field, _lookup_all(tabs, field, values)))
    if parsed.dates:
        out.append(date_query(parsed.dates))
    return out


def _result(
    searcher: Searcher, catalogue: Catalogue, docnum: int, score: float, units: list[Unit]
) -> SearchResult:
    stored = searcher.stored_fields(docnum)
    translations = []
    for tid in stored.get("translations", []):
        other = searcher.document(id=tid)
        if other:
            translations.append(Translation(tid, other["title"], other["language"]))
    try:
        record = catalogue.get(stored["id"])
        text = "\n\n".join(p for p in (record.summary, record.body) if p)
    except ReslibError:
        text = ""  # removed from library/ since it was indexed: show the stored fields
    return SearchResult(
        id=stored["id"],
        title=stored["title"],
        type=stored["type"],
        language=stored["language"],
        date=stored["date"],
        organizations=list(stored.get("org_names", [])),
        snippet=snippet(text, units),
        translations=translations,
        score=round(score, 4),
    )


__all__ = ["IndexUnavailable", "search"]
