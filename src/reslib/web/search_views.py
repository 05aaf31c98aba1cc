"""The search page ``/``, its twin ``/api/search``, and BibTeX/RIS export of a result list.

Both renderings come from one ``SearchResponse.to_dict()`` (the shape of
``reslib search --json``): the facets say which values the search filters on
(``selected``) and what each would give; the HTML adds only link builders for facets and
pages. A facet value's link adds it to its facet's values (several of one facet select any
of them, different facets must all hold) or, when selected, removes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from .. import export
from ..authority import name_key
from ..errors import NotFound, ReslibError
from ..models import normalize_language, normalize_type
from ..search import SearchRequest, search
from ..search.sources import load_organizations
from . import deps
from .params import parse_search, query_string, toggle
from .render import render_page

bp = Blueprint("search", __name__)

#: Facet names in the response -> the query parameter that filters on them.
FACET_PARAMS = {
    "type": "type",
    "language": "lang",
    "organizations": "org",
    "year": "year",
    "places": "place",
}


def read_request() -> SearchRequest:
    # A bare listing has nothing to rank by relevance: newest first reads better.
    default_sort = "relevance" if request.args.get("q", "").strip() else "date"
    return parse_search(request.args, default_sort=default_sort)


def asks_for(param: str, value: str) -> Callable[[str], bool]:
    """Whether a request's ``param`` value selects the facet value ``value`` (as the search
    layer reads filters: types and languages by their codes, organizations also by their
    acronyms and other names, everything else without case)."""
    if param in ("type", "lang"):
        normalize = normalize_type if param == "type" else normalize_language

        def same(asked: str) -> bool:
            try:
                return normalize(asked) == value
            except ReslibError:
                return False

        return same
    key = name_key(value)
    if param == "org":
        organizations = load_organizations(deps.home())

        def same_org(asked: str) -> bool:
            known = organizations.resolve(asked)
            return name_key(asked) == key or (known is not None and name_key(known.name) == key)

        return same_org
    return lambda asked: name_key(asked) == key


def page_links(req: SearchRequest, total: int) -> list[dict[str, Any]]:
    """A window of page numbers around the current one, as (number, query string) pairs."""
    pages = max(1, math.ceil(total / req.limit))
    first, last = max(1, req.page - 3), min(pages, req.page + 3)
    return [{"number": n, "qs": query_string(req, page=n)} for n in range(first, last + 1)]


@bp.get("/")
@bp.get("/api/search")
def search_page() -> Response:
    req = read_request()
    data = search(deps.home(), req).to_dict()
    pages = max(1, math.ceil(data["total"] / req.limit))
    return render_page(
        "search.html",
        data,
        req=req,
        facet_params=FACET_PARAMS,
        toggle=lambda p, v: toggle(req, p, v, asks_for(p, v)),
        qs=lambda **c: query_string(req, **c),
        page_links=page_links(req, data["total"]),
        pages=pages,
    )


def _export(kind: str) -> Response:
    req = read_request()
    ids = [r["id"] for r in search(deps.home(), req).to_dict()["results"]]
    cat = deps.catalogue()
    records = []
    for record_id in ids:
        try:
            records.append(cat.get(record_id))
        except NotFound:
            # Removed between indexing and now: the index catches up on its own.
            continue
    if kind == "bib":
        body, mimetype = export.to_bibtex(records), "application/x-bibtex; charset=utf-8"
    else:
        body, mimetype = (
            export.to_ris(records),
            "application/x-research-info-systems; charset=utf-8",
        )
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="reslib-results.{kind}"'
    return response


@bp.get("/export.bib")
def export_bibtex() -> Response:
    return _export("bib")


@bp.get("/export.ris")
def export_ris() -> Response:
    return _export("ris")
