"""The search page ``/``, its twin ``/api/search``, and BibTeX/RIS export of a result list.

Both renderings come from one ``SearchResponse.to_dict()`` (the shape of
``reslib search --json``); the HTML adds only link builders for facets and pages.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Response, request

from .. import export
from ..errors import NotFound
from ..search import SearchRequest, search
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


def is_active(req: SearchRequest, param: str, value: str) -> bool:
    if param == "lang":
        return req.lang == value
    return value in getattr(req, param)


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
        is_active=lambda p, v: is_active(req, p, v),
        toggle=lambda p, v: toggle(req, p, v),
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
