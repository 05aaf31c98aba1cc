"""``search(home, request)``: one search from request to plain response.

The steps: parse the query, expand it through the glossary (unless ``exact``), find every
matching document with its BM25F score (``taat.evaluate``: the total and the facets need
every match anyway), rank (by score or by date), fold translations into one result per group,
and build the page: stored fields, the grouped translations, a highlighted snippet of the
record's text from ``library/``.

Totals count results as shown (translation groups); facet counts count records, so a facet's
number is what filtering on it would give.
"""

from __future__ import annotations

import heapq
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from whoosh import query as wq
from whoosh.searching import Searcher

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
from .taat import evaluate

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
    # Every match with its full score (boosts included), evaluated a term at a time.
    scored = evaluate(searcher, _combine(text_query(parsed), filters), snap.key)
    matched = sorted(scored)
    response.facets = count(tabs, to_bitmap(matched, tabs.size))
    groups = tabs.groups
    response.total = len(set(map(groups.__getitem__, matched)))

    start, need = (request.page - 1) * request.limit, request.page * request.limit
    if request.sort == "relevance" and not parsed.is_browse():
        leaders = _by_score(scored, matched, tabs, need)
    else:
        leaders = _by_date(matched, tabs, need)
    scores = {} if parsed.is_browse() else scored

    units = [u for c in parsed.clauses for u in units_of(c)]
    catalogue = Catalogue(home)
    page = leaders[start:need]
    shown = _in_query_language(page, scored, tabs, _query_language(request))
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
    page: list[int], scored: dict[int, float], tabs: Tables, language: str | None
) -> list[int]:
    """Show each translation group by its member in the query's language, when that member
    matched too: an English query lists the English original with the Burmese version one
    click away, and the other way round (the group keeps its leader's place and score)."""
    preferred = tabs.bitmaps.get("language", {}).get(language or "", 0)
    if not preferred:
        return page
    shown = []
    for d in page:
        if not preferred >> d & 1:
            members = tabs.members.get(tabs.groups[d], ())
            d = next((m for m in members if m in scored and preferred >> m & 1), d)
        shown.append(d)
    return shown


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


def _by_score(scored: dict[int, float], matched: list[int], tabs: Tables, need: int) -> list[int]:
    k = need * 2 + 10
    while True:
        # Highest score first, then index order (as Whoosh's collector breaks ties):
        # nlargest keeps the input order among equal keys, and ``matched`` is sorted.
        top = heapq.nlargest(k, matched, key=scored.__getitem__)
        leaders = _group_leaders(top, tabs.groups, need)
        if len(leaders) >= need or k >= len(scored):
            return leaders
        k *= 4


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
