"""The item page ``/items/ID``, its twins, its BibTeX/RIS export, its original file and the
records like it.

The page shows the record in full, its other-language versions and its related items, split
the way readers think of them: the weekly updates that listed it, and the items it lists;
then "more like this" (``reslib.search.similar``), also at ``/api/items/ID/similar``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request, url_for

from ..catalogue import Catalogue
from ..errors import InvalidInput, NotFound, ReslibError
from ..index import IndexUnavailable
from ..models import ID_RE, PUBLIC_FIELDS, Record
from ..search.similar import MAX_LIMIT as MAX_SIMILAR
from ..search.similar import similar
from . import attachment, citation, deps
from .attachment import download_name, source_path
from .render import json_response, render_page

bp = Blueprint("items", __name__)


class Gone(ReslibError):
    """A removed item: its tombstone says it existed, so 410 rather than 404."""

    http_status = 410


def find(cat: Catalogue, item_id: str) -> Record:
    """The record, with a visitor's wording when it is missing (the catalogue's points to the
    CLI) and 410 Gone when a tombstone says it was removed."""
    try:
        return cat.get(item_id)
    except NotFound:
        if ID_RE.match(item_id) and cat.is_retired(item_id):
            raise Gone(f"item {item_id} was removed from the library") from None
        raise NotFound(f"there is no item {item_id!r} in the library") from None


def brief(record: Record) -> dict[str, str]:
    return {
        "id": record.id,
        "title": record.title,
        "type": record.type,
        "language": record.language,
        "date": record.date,
    }


def _linked(cat: Catalogue, ids: list[str]) -> list[Record]:
    found = []
    for record_id in ids:
        try:
            found.append(cat.get(record_id))
        except NotFound:
            continue
    return found


#: Records shown under "more like this" on an item page.
SIMILAR_ON_PAGE = 5


def similar_results(record: Record, limit: int = SIMILAR_ON_PAGE) -> list[dict[str, Any]]:
    """The records like this one, as search results; none while the library has no index
    (the page itself needs none)."""
    try:
        found = similar(deps.home(), record.id, limit)
    except (IndexUnavailable, NotFound):
        return []
    return [r.to_dict() for r in found]


def item_context(cat: Catalogue, record: Record) -> dict[str, Any]:
    related = _linked(cat, record.related)
    # An update lists items; any other item is listed by the updates among its related.
    listed_in = [r for r in related if r.type == "update" and record.type != "update"]
    others = [r for r in related if r not in listed_in]
    path = source_path(cat, record)
    return {
        "item": {name: getattr(record, name) for name in PUBLIC_FIELDS},
        "translations": [brief(r) for r in _linked(cat, record.translations)],
        "listed_in": [brief(r) for r in listed_in],
        "related": [brief(r) for r in others],
        "file": (
            attachment.describe(path, url_for("items.item_file", item_id=record.id))
            if path
            else None
        ),
        "similar": similar_results(record),
        "links": {
            # Built by hand: ``url_for`` could pick the page's ``.json`` twin route.
            "html": page_url(record.id),
            "json": url_for("items.item_api", item_id=record.id),
            "bibtex": url_for("items.item_bibtex", item_id=record.id),
            "ris": url_for("items.item_ris", item_id=record.id),
            "similar": url_for("items.item_similar", item_id=record.id),
        },
    }


def _absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def page_url(item_id: str) -> str:
    """The item's own address, absolute: what citations and search engines should keep."""
    return _absolute(f"/items/{item_id}")


@bp.get("/items/<item_id>")
@bp.get("/items/<item_id>.json")
def item_page(item_id: str) -> Response:
    cat = deps.catalogue()
    record = find(cat, item_id)
    data = item_context(cat, record)
    url = data["links"]["html"]
    file = data["file"]
    file_url = _absolute(file["url"]) if file else None
    pdf_url = file_url if file and file["preview"] else None
    translations = _linked(cat, record.translations)
    ld = citation.json_ld(record, url, file_url, translations, page_url)
    return render_page(
        "item.html",
        data,
        meta_tags=citation.meta_tags(record, url, pdf_url),
        json_ld=citation.script_json(ld),
        canonical=url,
        file_kind=attachment.kind_label(file["name"]) if file else "",
    )


@bp.get("/api/items/<item_id>")
def item_api(item_id: str) -> Response:
    return item_page(item_id)


@bp.get("/api/items/<item_id>/similar")
def item_similar(item_id: str) -> Response:
    """The records most like the item, best first, its translations left out."""
    record = find(deps.catalogue(), item_id)
    limit = _limit(request.args.get("limit", ""))
    results = [r.to_dict() for r in similar(deps.home(), record.id, limit)]
    return json_response({"id": record.id, "results": results})


def _limit(raw: str) -> int:
    if not raw.strip():
        return SIMILAR_ON_PAGE
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_SIMILAR):
        raise InvalidInput(f"parameter 'limit' must be a whole number from 1 to {MAX_SIMILAR}")
    return int(raw)


def _download(item_id: str, kind: str) -> Response:
    record = find(deps.catalogue(), item_id)
    # A record with no source URL of its own is cited by its page here.
    if kind == "bib":
        body = citation.bibtex(record, page_url(record.id))
        mimetype = "application/x-bibtex; charset=utf-8"
    else:
        body = citation.ris(record, page_url(record.id))
        mimetype = "application/x-research-info-systems; charset=utf-8"
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{record.id}.{kind}"'
    return response


@bp.get("/items/<item_id>.bib")
def item_bibtex(item_id: str) -> Response:
    return _download(item_id, "bib")


@bp.get("/items/<item_id>.ris")
def item_ris(item_id: str) -> Response:
    return _download(item_id, "ris")


@bp.get("/items/<item_id>/file")
def item_file(item_id: str) -> Response:
    cat = deps.catalogue()
    path = source_path(cat, find(cat, item_id))
    if path is None:
        raise NotFound(f"record {item_id} has no original file")
    # A download, unless a PDF is asked for inline (never HTML or SVG: see ``attachment``).
    return attachment.send(path, item_id, inline=request.args.get("inline") == "1")


__all__ = ["bp", "download_name", "find", "item_context", "page_url", "source_path"]
