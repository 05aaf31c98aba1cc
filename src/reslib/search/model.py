"""The plain objects of search: the request, the response and its parts (no Whoosh here).

These are the API the CLI and the web layer code against; ``SearchResponse.to_dict`` is the
JSON shape of both ``reslib search --json`` and the web API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput

#: Longest query accepted (characters): longer input is almost always a pasted document.
MAX_QUERY_LENGTH = 500
#: Deepest result reachable by paging (page x limit): beyond it, refine the query instead.
MAX_DEPTH = 1000
#: The most results one page may hold, for every caller (CLI, API, pages, widget); deeper
#: reading goes through ``page``.
MAX_LIMIT = 100
SORTS = ("relevance", "date")


@dataclass
class SearchRequest:
    """What to search for: the query string plus filters, order and page.

    Each filter is a list: several values of one filter select any of them, and different
    filters must all hold. ``lang`` also takes one code (or None), as it once did.
    """

    q: str = ""
    type: list[str] = field(default_factory=list)
    lang: list[str] = field(default_factory=list)
    org: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    date: str | None = None
    sort: str = "relevance"
    page: int = 1
    limit: int = 10
    exact: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.lang, str):
            self.lang = [self.lang]
        elif self.lang is None:
            self.lang = []

    def validate(self) -> None:
        """Raise InvalidInput, politely, for input beyond the limits."""
        if len(self.q) > MAX_QUERY_LENGTH:
            raise InvalidInput(
                f"Sorry, that query is too long ({len(self.q)} characters): please shorten "
                f"it to {MAX_QUERY_LENGTH} characters or fewer."
            )
        if self.sort not in SORTS:
            raise InvalidInput(f"Sorry, results can be sorted by {' or '.join(SORTS)} only.")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(f"Please ask for between 1 and {MAX_LIMIT} results per page.")
        if self.page < 1:
            raise InvalidInput("Pages are numbered from 1.")
        if self.page * self.limit > MAX_DEPTH:
            raise InvalidInput(
                f"Sorry, only the first {MAX_DEPTH} results can be paged through: please "
                "narrow the search with more words or a filter."
            )


@dataclass
class Translation:
    id: str
    title: str
    language: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "language": self.language}


@dataclass
class SearchResult:
    """One hit: a record, with its translations grouped under it."""

    id: str
    title: str
    type: str
    language: str
    date: str
    organizations: list[str]
    snippet: str
    translations: list[Translation]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "type": self.type,
            "language": self.language,
            "date": self.date,
            "organizations": list(self.organizations),
            "snippet": self.snippet,
            "translations": [t.to_dict() for t in self.translations],
            "score": self.score,
        }


@dataclass
class FacetCount:
    """A facet value and how many results filtering on it gives (translations counted with
    their original, as the total counts them); ``selected`` when the search filters on it,
    and then ``count`` is what it gives alone. The JSON has ``selected`` only when true."""

    value: str
    count: int
    selected: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "count": self.count}
        if self.selected:
            out["selected"] = True
        return out


#: Facets of a response, in display order.
FACET_NAMES = ("type", "language", "organizations", "year", "places")


@dataclass
class SearchResponse:
    """A page of results with the facets of the whole result set."""

    query: str
    total: int
    page: int
    limit: int
    sort: str
    results: list[SearchResult] = field(default_factory=list)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    expanded: list[str] = field(default_factory=list)
    did_you_mean: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "limit": self.limit,
            "sort": self.sort,
            "results": [r.to_dict() for r in self.results],
            "facets": {
                name: [c.to_dict() for c in self.facets.get(name, [])] for name in FACET_NAMES
            },
            "expanded": list(self.expanded),
            "did_you_mean": self.did_you_mean,
        }
