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

from .. import settings
from ..models import UNDATED_YEAR, type_label
from ..search import SearchRequest, search
from . import deps
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
    """Every organization with items, with its count; none without (an authority file
    lists many that the library holds nothing by)."""
    total, facets = _facets()
    orgs = deps.catalogue().organizations
    values = {v["value"]: v for v in facets.get("organizations", [])}
    # The facet lists the busiest organizations only. Selected values are always listed,
    # counted as if their filter were not applied: one search that selects every name of
    # the authority file counts them all.
    names = [org.name for org in orgs]
    if names:
        counted = search(deps.home(), SearchRequest(limit=1, org=names)).to_dict()
        for v in counted["facets"].get("organizations", []):
            values.setdefault(v["value"], v)
    entries = _entries([v for v in values.values() if v["count"] > 0], "org")
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
            "en": type_label(entry["value"], "en"),
            "my": type_label(entry["value"], "my"),
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


#: The search guide's examples: (query, the tip that explains it), each a link to its search.
GUIDE_EXAMPLES = (
    ("Karenni displacement", "words"),
    ('"arbitrary arrests"', "phrase"),
    ("junta -election", "exclude"),
    ("Sagaing OR Magway", "or"),
    ('org:"Progressive Voice" type:report', "fields"),
    ("Karenni", "names"),
    ("ျမန္မာ", "zawgyi"),
    ("၀န်ကြီး", "wa"),
)
#: The field filters of the query language, each with an example.
GUIDE_FIELDS = (
    ("type:", "type:report"),
    ("lang:", "lang:my"),
    ("org:", 'org:"Progressive Voice"'),
    ("place:", "place:Sagaing"),
    ("year:", "year:2023"),
    ("topic:", "topic:arrests"),
    ("date:", "date:2023-09..2023-11"),
)


@bp.get("/about")
@bp.get("/about.json")
def about() -> Response:
    """The library's size and a guide to searching it, with examples that are searches."""
    total, facets = _facets()
    languages = {v["value"]: v["count"] for v in facets.get("language", [])}
    data = {
        "total": total,
        "languages": languages,
        "examples": [{"query": q, "tip": tip} for q, tip in GUIDE_EXAMPLES],
        "fields": [list(pair) for pair in GUIDE_FIELDS],
        "export_max": settings.get("export_max"),
    }
    return render_page("about.html", data)
