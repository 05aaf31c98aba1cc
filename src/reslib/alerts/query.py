"""An alert's search: taken from a search request, refused when empty, run again later.

An alert keeps the words and filters of the search it was made from (never the page, order or
page size), as a plain dict in ``alerts.json``. "Empty" means what a search reads as empty:
no words left after stop words and no filter, inline (``type:report``) or as a parameter; such
an alert would mail every new record, so it is refused. A filter alone is a real alert ("new
reports by this organization").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ..errors import InvalidInput
from ..search import SearchRequest
from ..search.parse import parse

LIST_FIELDS = ("type", "lang", "org", "year", "place")


def query_of(req: SearchRequest) -> dict[str, Any]:
    """The part of ``req`` an alert keeps, refused when it is empty."""
    query: dict[str, Any] = {"q": req.q.strip()}
    for name in LIST_FIELDS:
        query[name] = list(getattr(req, name))
    query["date"] = req.date or ""
    query["exact"] = bool(req.exact)
    if is_empty(query):
        raise InvalidInput(
            "an alert needs words to search for or a filter: an empty search would mail "
            "every new record"
        )
    # Beyond-the-limit input (a 10,000-character query) is refused as the search refuses it.
    request(query).validate()
    return query


def is_empty(query: dict[str, Any]) -> bool:
    if any(query.get(name) for name in LIST_FIELDS) or query.get("date"):
        return False
    parsed = parse(query.get("q", ""))
    return parsed.is_browse() and not parsed.filters and not parsed.dates


def request(query: dict[str, Any], page: int = 1, limit: int = 10) -> SearchRequest:
    """The search request that runs the alert's search, newest first."""
    return SearchRequest(
        q=query.get("q", ""),
        type=list(query.get("type", [])),
        lang=list(query.get("lang", [])),
        org=list(query.get("org", [])),
        year=list(query.get("year", [])),
        place=list(query.get("place", [])),
        date=query.get("date") or None,
        sort="date",
        page=page,
        limit=limit,
        exact=bool(query.get("exact")),
    )


def params(query: dict[str, Any]) -> list[tuple[str, str]]:
    """The search page's query-string pairs for the alert's search."""
    pairs: list[tuple[str, str]] = []
    if query.get("q"):
        pairs.append(("q", query["q"]))
    for name in LIST_FIELDS:
        pairs.extend((name, value) for value in query.get(name, []))
    if query.get("date"):
        pairs.append(("date", query["date"]))
    if query.get("exact"):
        pairs.append(("exact", "1"))
    return pairs


def search_path(query: dict[str, Any]) -> str:
    """The search page's path and query string for the alert's search."""
    return "/?" + urlencode(params(query))
