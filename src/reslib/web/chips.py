"""The search's state as a visitor sees it: active filters as removable chips, "clear all",
and the hidden fields that carry filters and sort into the next query.

Built from the request (what the visitor asked for) and the response's facets (what each
value gives), so a filter that matches nothing is still a chip, counted 0, that can be seen
and removed; an organization asked for by its acronym is shown by the name the facet gives.
Everything is a plain link or form field: it all works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request

from ..search import SearchRequest
from .params import FACET_PARAMS, query_string, to_params

#: (param, facet value) -> whether a request's value for ``param`` selects that facet value.
Matcher = Callable[[str, str], Callable[[str], bool]]


def active_filters(
    req: SearchRequest, facets: dict[str, list[dict[str, Any]]], matches: Matcher
) -> list[dict[str, Any]]:
    """One chip per filter value asked for, in facet order, then the date range: its
    ``param``, the ``value`` shown, its ``count`` (the total it gives with the other filters;
    None for a date range) and ``qs``, the query string without it."""
    chips: list[dict[str, Any]] = []
    for name, param in FACET_PARAMS.items():
        asked = list(getattr(req, param))
        selected = [f for f in facets.get(name, []) if f.get("selected")]
        for value in asked:
            shown = next((f for f in selected if matches(param, f["value"])(value)), None)
            kept = [v for v in asked if v != value]
            chips.append(
                {
                    "param": param,
                    "value": shown["value"] if shown else value,
                    "count": shown["count"] if shown else 0,
                    "qs": query_string(req, **{param: kept, "page": ""}),
                }
            )
    if req.date:
        chips.append(
            {
                "param": "date",
                "value": req.date,
                "count": None,
                "qs": query_string(req, date="", page=""),
            }
        )
    return chips


def cleared(req: SearchRequest) -> str:
    """The query string of the same query (words, sort, exact) without any filter."""
    return query_string(req, **{p: [] for p in FACET_PARAMS.values()}, date="", page="")


def form_state(req: SearchRequest) -> list[tuple[str, str]]:
    """The hidden fields of the search form: every filter, the date range, the page size and
    a sort the visitor chose, so a new query keeps them. The words, "exact" and the page are
    the form's own; a sort by date that was only the default of a bare listing is left out,
    so typing words then ranks by relevance."""
    chosen_sort = req.sort if request.args.get("sort", "").strip() else ""
    return to_params(req, q="", exact="", page="", sort=chosen_sort)
