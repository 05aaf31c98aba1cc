"""Query-string parameters -> a validated ``SearchRequest``, and back to query strings.

The page ``/``, ``/api/search``, the feed, the exports and the iframe widget all take the same
parameters, read here once. Bad values are ``InvalidInput`` (400) with a message that says what
to send; the search layer adds its own limits (query length, page depth) the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from ..errors import InvalidInput
from ..models import TYPES, check_language_filter, check_year_filter
from ..search import SearchRequest
from ..search.model import MAX_LIMIT, SORTS

#: Every filter parameter may be repeated: the values of one select any of them (OR), and
#: different filters must all hold (AND).
LIST_PARAMS = ("type", "lang", "org", "year", "place")
#: Facet names in a search response -> the parameter that filters on them.
FACET_PARAMS = {
    "type": "type",
    "language": "lang",
    "organizations": "org",
    "year": "year",
    "places": "place",
}
#: One date, or a range with either end left open (the OpenAPI description uses it too).
_DAY = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"
DATE_PATTERN = rf"^({_DAY}(\.\.({_DAY})?)?|\.\.{_DAY})$"
_DATE_RANGE = re.compile(DATE_PATTERN)
#: The digits-and-dashes shape alone, to tell a month 13 from a date that is no date at all.
_DATE_SHAPE = re.compile(r"^[\d-]*(\.\.)?[\d-]*$")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


def _int(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise InvalidInput(f"parameter {name!r} must be a whole number, not {raw!r}")
    value = int(raw)
    if not low <= value <= high:
        raise InvalidInput(f"parameter {name!r} must be between {low} and {high}")
    return value


def _values(args: MultiDict[str, str], name: str) -> list[str]:
    return [v.strip() for v in args.getlist(name) if v.strip()]


def _check_calendar(value: str) -> None:
    """Say which part of a date the calendar lacks: ``2023-13`` would otherwise match nothing
    and give an empty result list with no word of why."""
    parts = value.split("-")
    if len(parts) > 1 and parts[1].isdigit() and not 1 <= int(parts[1]) <= 12:
        raise InvalidInput(f"date {value!r} has month {parts[1]}: months run from 01 to 12")
    if len(parts) > 2 and parts[2].isdigit() and not 1 <= int(parts[2]) <= 31:
        raise InvalidInput(f"date {value!r} has day {parts[2]}: days run from 01 to 31")


def parse_search(args: MultiDict[str, str], *, default_sort: str = "relevance") -> SearchRequest:
    """Read ``q, type, lang, org, year, place, date, sort, page, limit, exact``."""
    types = _values(args, "type")
    for t in types:
        if t not in TYPES:
            raise InvalidInput(f"unknown type {t!r}: use one of {', '.join(TYPES)}")
    langs = _values(args, "lang")
    for lang in langs:
        check_language_filter(lang)
    years = _values(args, "year")
    for y in years:
        check_year_filter(y)
    date = args.get("date", "").strip() or None
    if date is not None and not _DATE_RANGE.match(date):
        if _DATE_SHAPE.match(date):
            for end in date.split(".."):
                if end:
                    _check_calendar(end)
        raise InvalidInput(f"date {date!r} must be a date or a range like 2023-09..2023-11")
    sort = args.get("sort", "").strip() or default_sort
    if sort not in SORTS:
        raise InvalidInput(f"sort must be 'relevance' or 'date', not {sort!r}")
    exact = args.get("exact", "").strip().lower()
    if exact not in _TRUE + _FALSE:
        raise InvalidInput(f"parameter 'exact' must be true or false, not {exact!r}")
    return SearchRequest(
        q=args.get("q", ""),
        type=types,
        lang=langs,
        org=_values(args, "org"),
        year=years,
        place=_values(args, "place"),
        date=date,
        sort=sort,
        # The search layer owns the page-depth limit; this bound only keeps the int sane.
        page=_int(args, "page", 1, 1, 1_000_000),
        limit=_int(args, "limit", 10, 1, MAX_LIMIT),
        exact=exact in _TRUE,
    )


def to_params(req: SearchRequest, **changes: Any) -> list[tuple[str, str]]:
    """The query-string pairs that reproduce ``req`` (defaults left out), with ``changes``."""
    values: dict[str, Any] = {
        "q": req.q,
        "type": list(req.type),
        "lang": list(req.lang),
        "org": list(req.org),
        "year": list(req.year),
        "place": list(req.place),
        "date": req.date or "",
        "sort": "" if req.sort == "relevance" else req.sort,
        "page": "" if req.page == 1 else str(req.page),
        "limit": "" if req.limit == 10 else str(req.limit),
        "exact": "1" if req.exact else "",
    }
    values.update(changes)
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        for v in value if isinstance(value, list) else [value]:
            if v not in ("", None):
                pairs.append((name, str(v)))
    return pairs


def query_string(req: SearchRequest, **changes: Any) -> str:
    return urlencode(to_params(req, **changes))


def with_query(path: str, qs: str) -> str:
    """``path?qs``, or ``path`` alone when there is nothing to add (no stray ``?``)."""
    return f"{path}?{qs}" if qs else path


def toggle(
    req: SearchRequest, name: str, value: str, selected: Callable[[str], bool] | None = None
) -> str:
    """The query string with one facet value switched on or off (and back to page 1).

    ``selected(v)`` says whether the request's value ``v`` selects this facet value (an
    organization asked for by its acronym, a type in capitals): those are removed; without
    it, only ``value`` as written is.
    """
    current = list(getattr(req, name))
    same = selected or (lambda v: v == value)
    kept = [v for v in current if not same(v)]
    current = kept if len(kept) < len(current) else [*current, value]
    return query_string(req, **{name: current, "page": ""})
