"""Browse pages (by organization, type and year) and the about page, with their twins.

Counts come from the search layer's facets over the whole library (an empty query), so a page
costs one search, not a pass over every record file; they count what the search page's total
counts (a record and its translations are one item), so each entry's count is the total its
link shows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response

from ..models import UNDATED_YEAR
from ..search import SearchRequest, search
from . import deps, i18n
from .render import render_page

bp = Blueprint("browse", __name__)


def _facets() -> tuple[int, dict[str, list[dict[str, Any]]]]:
    """The number of items (a record with its translations is one) and the facets."""
    data = search(deps.home(), SearchRequest(limit=1)).to_dict()
    return data["total"], data["facets"]


def _entries(values: list[dict[str, Any]], param: str) -> list[dict[str, Any]]:
    return [
        {"value": v["value"], "count": v["count"], "url": "/?" + urlencode({param: v["value"]})}
        for v in values
    ]


@bp.get("/browse/organizations")
@bp.get("/browse/organizations.json")
def organizations() -> Response:
    total, facets = _facets()
    orgs = deps.catalogue().organizations
    entries = _entries(facets.get("organizations", []), "org")
    # Facets list the busiest organizations only; the authority file names the rest, whose
    # counts the facets do not carry (null, not a made-up zero).
    seen = {e["value"] for e in entries}
    for org in orgs:
        if org.name not in seen:
            entries.append(
                {"value": org.name, "count": None, "url": "/?" + urlencode({"org": org.name})}
            )
    for entry in entries:
        known = orgs.resolve(entry["value"])
        entry["name_my"] = known.name_my if known else ""
    entries.sort(key=lambda e: e["value"].casefold())
    return render_page("browse.html", {"by": "organizations", "total": total, "entries": entries})


@bp.get("/browse/types")
@bp.get("/browse/types.json")
def types() -> Response:
    total, facets = _facets()
    entries = _entries(facets.get("type", []), "type")
    for entry in entries:
        entry["label"] = {
            "en": i18n.type_label(entry["value"], "en"),
            "my": i18n.type_label(entry["value"], "my"),
        }
    return render_page("browse.html", {"by": "types", "total": total, "entries": entries})


@bp.get("/browse/years")
@bp.get("/browse/years.json")
def years() -> Response:
    total, facets = _facets()
    # Newest first; the records of unknown date after the oldest year.
    entries = sorted(
        _entries(facets.get("year", []), "year"),
        key=lambda e: (e["value"] != UNDATED_YEAR, e["value"]),
        reverse=True,
    )
    return render_page("browse.html", {"by": "years", "total": total, "entries": entries})


@bp.get("/about")
@bp.get("/about.json")
def about() -> Response:
    total, facets = _facets()
    languages = {v["value"]: v["count"] for v in facets.get("language", [])}
    return render_page("about.html", {"total": total, "languages": languages})
