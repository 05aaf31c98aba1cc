"""The filters of a request (and of ``type:``, ``org:``… in its query) as Whoosh queries.

Values are matched the way facets show them: a value is looked up case-insensitively among
the index's own values (``Tables.lookup``), an organization also through the authority file's
acronyms and aliases; a value nobody uses stays as typed, so the filter (honestly) matches
nothing. A bilingual record matches either language; asking for both wants bilingual ones.
"""

from __future__ import annotations

from whoosh import query as wq

from ..config import Home
from ..errors import ReslibError
from ..models import normalize_language, normalize_type
from .compile import any_of, date_query
from .facets import Tables
from .model import SearchRequest
from .parse import ParsedQuery
from .sources import load_organizations


def _lookup_all(tabs: Tables, field: str, values: list[str]) -> list[str]:
    return [tabs.lookup(field, v) or v for v in values]


def filters(
    home: Home, parsed: ParsedQuery, request: SearchRequest, tabs: Tables
) -> list[wq.Query]:
    """One query per filtered field; a document must match them all."""
    f = parsed.filters
    out: list[wq.Query] = []
    types = []
    for v in [*request.type, *f.get("type", [])]:
        try:
            types.append(normalize_type(v))
        except ReslibError:
            types.append(v.strip().lower())
    if types:
        out.append(any_of("type", types))
    langs: list[wq.Query] = []
    for v in [*([request.lang] if request.lang else []), *f.get("lang", [])]:
        try:
            code = normalize_language(v)
        except ReslibError:
            code = v.strip().lower()
        parts = code.split("+")
        langs.append(
            wq.And([wq.Term("langs", p) for p in parts])
            if len(parts) > 1
            else wq.Term("langs", code)
        )
    if langs:
        out.append(langs[0] if len(langs) == 1 else wq.Or(langs))
    orgs = [*request.org, *f.get("org", [])]
    if orgs:
        authority = load_organizations(home)
        names = []
        for v in orgs:
            name = tabs.lookup("organizations", v)
            if name is None and (known := authority.resolve(v)) is not None:
                name = tabs.lookup("organizations", known.name)
            names.append(name or v)
        out.append(any_of("organizations", names))
    for field, request_values, key in (
        ("places", request.place, "place"),
        ("topics", [], "topic"),
        ("year", request.year, "year"),
    ):
        values = [*request_values, *f.get(key, [])]
        if values:
            out.append(any_of(field, _lookup_all(tabs, field, values)))
    if parsed.dates:
        out.append(date_query(parsed.dates))
    return out


def with_filters(text: wq.Query, filters_: list[wq.Query]) -> wq.Query:
    """The text query restricted by the filters."""
    return wq.And([text, *filters_]) if filters_ else text


__all__ = ["filters", "with_filters"]
