"""An alert's search: taken from a search request, refused when empty, run again later.

An alert keeps the words and filters of the search it was made from (never the page, order or
page size), as a plain dict in ``alerts.json``. "Empty" means no word or phrase to match (only
punctuation, or only exclusions) and no filter, inline (``type:report``) or as a parameter;
such an alert would mail every new record (or none), so it is refused. A filter alone is a
real alert ("new reports by this organization").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from ..errors import InvalidInput
from ..models import LANGUAGES, TYPES
from ..search import SearchRequest
from ..search.parse import parse

LIST_FIELDS = ("type", "lang", "org", "year", "place")
#: The UI string that names each filter (the search page's facet headings).
FILTER_LABELS = {
    "type": "facet.type",
    "lang": "facet.language",
    "org": "facet.organizations",
    "year": "facet.year",
    "place": "facet.places",
}


def kept(req: SearchRequest) -> dict[str, Any]:
    """The part of ``req`` an alert keeps: words and filters."""
    query: dict[str, Any] = {"q": req.q.strip()}
    for name in LIST_FIELDS:
        query[name] = list(getattr(req, name))
    query["date"] = req.date or ""
    query["exact"] = bool(req.exact)
    return query


def query_of(req: SearchRequest) -> dict[str, Any]:
    """The part of ``req`` an alert keeps, refused when it is empty."""
    query = kept(req)
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
    # No clause: nothing but punctuation, or only exclusions ("-ASEAN": everything but).
    return not parsed.clauses and not parsed.filters and not parsed.dates


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


def one_line(text: str) -> str:
    """``text`` with control characters dropped and white space collapsed: fit for a mail's
    Subject, which may hold no line break (a filter value may be any text)."""
    kept = "".join(ch for ch in str(text) if unicodedata.category(ch) != "Cc" or ch.isspace())
    return " ".join(kept.split())


def describe(query: dict[str, Any], lang: str, t: Callable[[str], str]) -> str:
    """The alert's search in words on one line, ``t`` giving the UI strings of ``lang``:
    “Karenni” · Type: Report · Year: 2023."""
    parts = []
    words = one_line(query.get("q", ""))
    if words:
        parts.append(f"“{words}”")
    for name in LIST_FIELDS:
        values = [one_line(v) for v in query.get(name) or []]
        if not values:
            continue
        labels = TYPES if name == "type" else LANGUAGES if name == "lang" else None
        if labels:
            values = [labels[v][lang == "my"] if v in labels else v for v in values]
        parts.append(f"{t(FILTER_LABELS[name])}: {', '.join(values)}")
    if query.get("date"):
        parts.append(f"{t('alerts.date')}: {one_line(query['date'])}")
    if query.get("exact"):
        parts.append(t("search.exact"))
    return " · ".join(parts)
