"""The filters of a request (and of ``type:``, ``org:``… in its query) as facet bitmaps.

Values are matched the way facets show them: a value is looked up case-insensitively among
the index's own values (``Tables.lookup``), an organization also through the authority file's
acronyms and aliases; a value nobody uses stays as typed, so the filter (honestly) matches
nothing. A bilingual record matches either language; asking for both wants bilingual ones.

Several values of one field select any of them (OR); filters on different fields must all
hold (AND). Filters select with the bitmaps the facets count with (``Tables.select``), after
the text has been matched: the total a facet value's link returns is, by construction, the
count shown beside it, and the facet counts of a filtered field can be taken as if that
filter were not applied (``Narrowed.unfiltered``), so a second value can be added to it.
Translation groups are counted with the same ANDs (``facets`` explains how).
Date ranges are not a facet: they stay in the text query (``compile.date_query``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Home
from ..errors import ReslibError
from ..models import normalize_language, normalize_type
from .facets import Tables, repeats
from .model import SearchRequest
from .parse import ParsedQuery
from .sources import load_organizations

#: Request and query filter names -> the facet field they select on.
FIELDS = {
    "type": "type",
    "lang": "language",
    "org": "organizations",
    "place": "places",
    "topic": "topics",
    "year": "year",
}


@dataclass
class Filter:
    """One filtered field: the values asked for, as the index holds them, the documents
    they select together, and the later members of translation pairs both of whose members
    it selects (``facets.repeats``)."""

    field: str
    values: list[str]
    bits: int
    pairs: tuple[int, ...]


@dataclass
class Narrowed:
    """Matches after the filters, and per filtered field as if that filter were not
    applied; each with its repeats (``facets.repeats``)."""

    matched: int
    repeated: tuple[int, ...]
    unfiltered: dict[str, tuple[int, tuple[int, ...]]] = field(default_factory=dict)


def _requested(parsed: ParsedQuery, request: SearchRequest) -> dict[str, list[str]]:
    asked = {
        "type": list(request.type),
        "lang": list(request.lang),
        "org": list(request.org),
        "place": list(request.place),
        "topic": [],
        "year": list(request.year),
    }
    for key, values in parsed.filters.items():
        if key in asked:
            asked[key].extend(values)
    return asked


def _facet_value(home: Home, tabs: Tables, key: str, value: str) -> str:
    """``value`` as the index spells it (as typed, tidied, when nothing has it)."""
    if key == "type":
        try:
            return normalize_type(value)
        except ReslibError:
            return value.strip().lower()
    if key == "lang":
        try:
            return normalize_language(value)
        except ReslibError:
            return value.strip().lower()
    field_ = FIELDS[key]
    found = tabs.lookup(field_, value)
    if found is None and key == "org":
        known = load_organizations(home).resolve(value)
        if known is not None:
            found = tabs.lookup(field_, known.name)
    return found or value.strip()


def facet_filters(
    home: Home, parsed: ParsedQuery, request: SearchRequest, tabs: Tables
) -> list[Filter]:
    """One filter per filtered field; a document must pass them all."""
    out = []
    for key, asked in _requested(parsed, request).items():
        if not asked:
            continue
        field_ = FIELDS[key]
        values = list(dict.fromkeys(_facet_value(home, tabs, key, v) for v in asked))
        bits = 0
        for v in values:
            bits |= tabs.select(field_, v)
        known = tabs.agree.get(field_)
        if len(values) == 1 and known is not None:
            pairs = known.get(values[0], (0,) * len(tabs.layers))
        else:
            pairs = repeats(tabs, bits)
        out.append(Filter(field_, values, bits, pairs))
    return out


def narrow(tabs: Tables, text: int, filters_: list[Filter]) -> Narrowed:
    """The documents of ``text`` that pass every filter; and, for each filtered field, those
    that pass the others (at most one more AND per filter and field). Repeats are ANDed the
    same way: the pairs of an intersection are those of each of its parts."""
    text_repeats = repeats(tabs, text)

    def passing(chosen: list[Filter]) -> tuple[int, tuple[int, ...]]:
        bits, pairs = text, list(text_repeats)
        for f in chosen:
            bits &= f.bits
            pairs = [a & b for a, b in zip(pairs, f.pairs, strict=False)]
        return bits, tuple(pairs)

    out = Narrowed(*passing(filters_))
    for f in filters_:
        out.unfiltered[f.field] = passing([g for g in filters_ if g is not f])
    return out


__all__ = ["FIELDS", "Filter", "Narrowed", "facet_filters", "narrow"]
