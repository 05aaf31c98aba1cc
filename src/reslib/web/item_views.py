"""The item page ``/items/ID``, its twins, its BibTeX/RIS export and its original file.

The page shows the record in full, its other-language versions and its related items, split
the way readers think of them: the weekly updates that listed it, and the items it lists.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, request, send_file, url_for

from .. import export
from ..catalogue import Catalogue
from ..errors import NotFound, ReslibError
from ..models import ID_RE, PUBLIC_FIELDS, Record
from . import citation, deps
from .render import render_page

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


def source_path(cat: Catalogue, record: Record) -> Path | None:
    """The original file, only if it exists and lies inside ``library/files/``."""
    if not record.source_file:
        return None
    path = (cat.home.library / record.source_file).resolve()
    files = cat.files_dir.resolve()
    if files not in path.parents or not path.is_file():
        return None
    return path


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
            {"name": path.name, "url": url_for("items.item_file", item_id=record.id)}
            if path
            else None
        ),
        "links": {
            # Built by hand: ``url_for`` could pick the page's ``.json`` twin route.
            "html": page_url(record.id),
            "json": url_for("items.item_api", item_id=record.id),
            "bibtex": url_for("items.item_bibtex", item_id=record.id),
            "ris": url_for("items.item_ris", item_id=record.id),
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
    file_url = _absolute(data["file"]["url"]) if data["file"] else None
    translation_urls = [_absolute(f"/items/{t['id']}") for t in data["translations"]]
    return render_page(
        "item.html",
        data,
        meta_tags=citation.meta_tags(record, url, file_url),
        json_ld=citation.script_json(citation.json_ld(record, url, file_url, translation_urls)),
        canonical=url,
    )


@bp.get("/api/items/<item_id>")
def item_api(item_id: str) -> Response:
    return item_page(item_id)


def _download(item_id: str, kind: str) -> Response:
    record = find(deps.catalogue(), item_id)
    if kind == "bib":
        body, mimetype = export.to_bibtex([record]), "application/x-bibtex; charset=utf-8"
    else:
        body, mimetype = (
            export.to_ris([record]),
            "application/x-research-info-systems; charset=utf-8",
        )
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
    # Always a download: an HTML or SVG original must never run on our origin.
    return send_file(path, as_attachment=True, download_name=download_name(item_id, path.name))


#: Control characters and the bidirectional/zero-width format characters: never in a header
#: (a newline is a header injection) nor in a name a visitor reads (U+202E can disguise
#: ``fdp.exe`` as ``exe.pdf``).
_UNSAFE_NAME = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def download_name(item_id: str, name: str) -> str:
    """The file name offered for a download: the stored name without control or bidi
    characters, or the record id with the file's extension when nothing is left."""
    cleaned = _UNSAFE_NAME.sub("", name).strip(" ")
    if not cleaned.strip("."):
        return item_id
    # Nothing left but an extension: the record's id names the file.
    return item_id + cleaned if cleaned.startswith(".") else cleaned
