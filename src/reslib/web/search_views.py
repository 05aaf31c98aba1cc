"""The search page ``/``, its twin ``/api/search``, and export of a whole result list.

Both renderings come from one ``SearchResponse.to_dict()`` (the shape of
``reslib search --json``): the facets say which values the search filters on
(``selected``) and what each would give; the HTML adds only link builders for facets and
pages, the active filters as chips (``chips``) and titles with their matches marked
(``titles``). A facet value's link adds it to its facet's values (several of one facet
select any of them, different facets must all hold) or, when selected, removes it.

Exports (``/export.bib``, ``.ris``, ``.csv``, ``.jsonl`` and ``/api/export?format=``) cover
the whole result list in the page's order, up to ``RESLIB_EXPORT_MAX`` records, streamed a
record at a time: the ids come from one ranking (``result_ids``), each record is read from
the catalogue only as its entry is written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from flask import Blueprint, Response, request, stream_with_context

from .. import export, settings
from ..authority import name_key
from ..catalogue import Catalogue
from ..errors import InvalidInput, NotFound, ReslibError
from ..models import Record, normalize_language, normalize_type
from ..search import SearchRequest, search
from ..search.engine import result_ids
from ..search.sources import load_organizations
from . import deps
from .chips import active_filters, cleared, form_state
from .params import FACET_PARAMS, parse_search, query_string, toggle, with_query
from .render import render_page
from .titles import marked_titles

bp = Blueprint("search", __name__)


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
    if request.path.startswith("/api/"):
        return render_page("search.html", data)
    return render_page(
        "search.html",
        data,
        req=req,
        facet_params=FACET_PARAMS,
        toggle=lambda p, v: toggle(req, p, v, asks_for(p, v)),
        qs=lambda **c: query_string(req, **c),
        page_links=page_links(req, data["total"]),
        pages=pages,
        chips=active_filters(req, data["facets"], asks_for),
        cleared_qs=cleared(req),
        hidden=form_state(req),
        titles=marked_titles(deps.home(), req, data["results"]),
        export_max=settings.get("export_max"),
        with_query=with_query,
    )


#: Export format -> (file extension, content type).
EXPORTS = {
    "bibtex": ("bib", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "jsonl": ("jsonl", "application/jsonl; charset=utf-8"),
}


def _records(cat: Catalogue, ids: list[str]) -> Iterator[Record]:
    for record_id in ids:
        try:
            yield cat.get(record_id)
        except NotFound:
            # Removed between indexing and now: the index catches up on its own.
            continue


def _export(fmt: str) -> Response:
    """The first ``RESLIB_EXPORT_MAX`` results of the search, streamed; the headers say
    how many the search found and how many an export holds, so a shortened list shows."""
    req = read_request()
    cap = settings.get("export_max")
    total, ids = result_ids(deps.home(), req, cap)
    records = _records(deps.catalogue(), ids)
    extension, mimetype = EXPORTS[fmt]
    response = Response(
        stream_with_context(export.iter_export(records, fmt)), content_type=mimetype
    )
    response.headers["Content-Disposition"] = f'attachment; filename="reslib-results.{extension}"'
    response.headers["X-Total-Count"] = str(total)
    response.headers["X-Export-Max"] = str(cap)
    # A partner's script reading /api/export cross-origin may see these (CORS hides others).
    response.headers["Access-Control-Expose-Headers"] = (
        "X-Total-Count, X-Export-Max, Content-Disposition"
    )
    return response


@bp.get("/export.bib")
def export_bibtex() -> Response:
    return _export("bibtex")


@bp.get("/export.ris")
def export_ris() -> Response:
    return _export("ris")


@bp.get("/export.csv")
def export_csv() -> Response:
    return _export("csv")


@bp.get("/export.jsonl")
def export_jsonl() -> Response:
    return _export("jsonl")


@bp.get("/api/export")
def export_api() -> Response:
    fmt = request.args.get("format", "").strip() or "jsonl"
    if fmt not in EXPORTS:
        raise InvalidInput(f"format must be one of {', '.join(EXPORTS)}, not {fmt!r}")
    return _export(fmt)
