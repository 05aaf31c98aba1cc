"""Per-generation tables of the index (facet bitmaps, dates, translation groups) and the
facet counts of a search.

Built once per index generation and shared by every thread searching it (kept with the
generation: ``reslib.index.reader``), so a search pays only for its own matches. A facet
value is a bitmap of the documents that have it, held in a Python int: counting a value for
a result set is a few ANDs and popcounts, so facets cost the same for ten matches as for
fifty thousand. Filters select with the same bitmaps (``filters``), so a facet's count and
the total its click returns are computed from one set of documents.

A count counts what the total counts: results, where a record and its translations are one
result (a translation group). A group is counted once however many of its members match:
``count = popcount(matches & value) - repeats``, where the repeats are the members of a group
that come after another member also among the matches with the value. The members of each
group are laid out in pairs (earlier member, later member) in layers, one layer per distance
between them (a pair of translations is one pair in layer 1; a group of three adds a layer
2 pair), so the repeats are bitmaps too: per search, the later members whose earlier member
also matched (``repeats``); per generation and value, the later members whose earlier member
also has the value (``Tables.agree``); their AND, ORed over the layers, is the repeats.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from whoosh.searching import Searcher

from ..authority import name_key
from ..index.reader import Snapshot
from ..index.schema import FACET_FIELDS
from ..models import UNDATED, UNDATED_YEAR
from .model import FACET_NAMES, FacetCount

#: Values shown per facet (besides those the search filters on); the rest are reachable by
#: filtering.
FACET_LIMIT = 50

#: Language filter values -> the record languages each selects: a bilingual record is in
#: English and in Burmese (``lang=en+my`` asks for bilingual ones only). Any other language
#: selects its own records (``language_selects``).
LANGUAGE_SELECTS = {"en": ("en", "en+my"), "my": ("my", "en+my"), "en+my": ("en+my",)}


def language_selects(record_languages: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Language filter values -> the record languages each selects: ``LANGUAGE_SELECTS``,
    and each other language the records have (``fr``) selects itself."""
    out = dict(LANGUAGE_SELECTS)
    out.update((code, (code,)) for code in record_languages if code not in out)
    return out


#: Pairs (earlier members, later members) of translation groups, one list per layer.
Layer = tuple[list[int], list[int]]


@dataclass
class Tables:
    size: int
    #: Per facet field, each value the index holds -> its documents.
    bitmaps: dict[str, dict[str, int]]
    dates: list[str]
    groups: list[str]
    #: name_key(value) -> value, per facet field: filters match values case-insensitively.
    keys: dict[str, dict[str, str]]
    #: Translation group -> its documents, in index order, for groups of more than one.
    members: dict[str, list[int]]
    #: Per facet field, each value a filter can ask for -> the documents it selects: the
    #: index's own values, except languages (``LANGUAGE_SELECTS``).
    selects: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The pairs of translation group members, by distance (see the module docstring).
    layers: list[Layer] = field(default_factory=list)
    #: Per counted facet field and value, per layer: the later members of pairs whose
    #: members both have the value (missing: none).
    agree: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    #: Every document not deleted (what a query without words matches).
    live: int = 0

    def lookup(self, field: str, value: str) -> str | None:
        return self.keys.get(field, {}).get(name_key(value))

    def select(self, field: str, value: str) -> int:
        """The documents a filter on ``field`` = ``value`` (a value as the index holds it)
        selects."""
        return self.selects.get(field, {}).get(value, 0)


#: The name the tables are kept under in their generation (``Generation.cached``).
TABLES = "facet tables"


def tables(snap: Snapshot) -> Tables:
    """The tables of the snapshot's generation, built once per generation (by the first
    thread that needs them; the others wait for its result)."""
    return snap.generation.cached(TABLES, lambda: _build(snap.searcher))


def _build(searcher: Searcher) -> Tables:
    size = searcher.doc_count_all()
    ids_of: dict[str, dict[str, list[int]]] = {}
    for field_ in FACET_FIELDS:
        values: dict[str, list[int]] = {}
        for leaf, offset in _leaves(searcher):
            reader = leaf.reader()
            for btext in reader.lexicon(field_):
                text = btext.decode("utf-8")
                ids = values.setdefault(text, [])
                ids.extend(d + offset for d in reader.postings(field_, btext).all_ids())
        ids_of[field_] = values
    dates = _column(searcher, "date", size)
    # Postings never list deleted documents, and every document has a type.
    live = set().union(*ids_of.get("type", {}).values())
    ids_of["year"] = _with_undated(ids_of.get("year", {}), dates, live)
    bitmaps = {f: {v: to_bitmap(ids, size) for v, ids in vs.items()} for f, vs in ids_of.items()}
    keys = {f: {name_key(v): v for v in vs} for f, vs in ids_of.items()}
    languages = ids_of.get("language", {})
    ids_of["language"] = {
        code: sorted(d for record_language in selects for d in languages.get(record_language, []))
        for code, selects in language_selects(languages).items()
    }
    ids_of["language"] = {code: ids for code, ids in ids_of["language"].items() if ids}
    selects = dict(bitmaps)
    selects["language"] = {c: to_bitmap(ids, size) for c, ids in ids_of["language"].items()}
    groups = _column(searcher, "group", size)
    members: dict[str, list[int]] = {}
    for d, g in enumerate(groups):
        if d in live:
            members.setdefault(g, []).append(d)
    shared = {g: ds for g, ds in members.items() if len(ds) > 1}
    layers = _layers(shared.values())
    agree = {name: _agreeing(ids_of.get(name, {}), layers, size) for name in FACET_NAMES}
    return Tables(
        size, bitmaps, dates, groups, keys, shared, selects, layers, agree, to_bitmap(live, size)
    )


def _with_undated(
    years: dict[str, list[int]], dates: list[str], live: set[int]
) -> dict[str, list[int]]:
    """The year values with the records of unknown date (``models.UNDATED``) as one more,
    ``UNDATED_YEAR``, which a filter selects like any year. Taken from the date column, not
    from how the index spells an empty year (an empty term, or none)."""
    out = {y: ids for y, ids in years.items() if y}
    undated = sorted(d for d in live if dates[d] == UNDATED)
    if undated:
        out[UNDATED_YEAR] = undated
    return out


def _layers(groups: Iterable[list[int]]) -> list[Layer]:
    """Pairs (m[i - t], m[i]) of each group's members m, in layer t - 1."""
    layers: list[Layer] = []
    for docs in groups:
        for t in range(1, len(docs)):
            if len(layers) < t:
                layers.append(([], []))
            earlier, later = layers[t - 1]
            for i in range(t, len(docs)):
                earlier.append(docs[i - t])
                later.append(docs[i])
    return layers


def _agreeing(
    values: dict[str, list[int]], layers: list[Layer], size: int
) -> dict[str, tuple[int, ...]]:
    """Per value, per layer: the later members of pairs whose members both have it."""
    earlier_of = [dict(zip(later, earlier, strict=True)) for earlier, later in layers]
    out: dict[str, tuple[int, ...]] = {}
    for value, ids in values.items():
        have = set(ids)
        per_layer = tuple(
            to_bitmap([d for d in ids if pairs.get(d, -1) in have], size) for pairs in earlier_of
        )
        if any(per_layer):
            out[value] = per_layer
    return out


def _leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return list(searcher.leaf_searchers())


def _column(searcher: Searcher, field_: str, size: int) -> list[str]:
    out = [""] * size
    for leaf, offset in _leaves(searcher):
        reader = leaf.reader()
        if not reader.has_column(field_):
            continue
        column = reader.column_reader(field_)
        for i, value in enumerate(column):
            out[offset + i] = value if isinstance(value, str) else value.decode("utf-8")
    return out


def to_bitmap(docnums: Collection[int] | NDArray[np.int64], size: int) -> int:
    """A set of document numbers as the bits of an int."""
    if not isinstance(docnums, np.ndarray) and len(docnums) * 32 < size:
        # A few documents (most facet values): their bytes set one at a time.
        buf = bytearray((size >> 3) + 1)
        for d in docnums:
            buf[d >> 3] |= 1 << (d & 7)
        return int.from_bytes(buf, "little")
    if not isinstance(docnums, np.ndarray):
        docnums = np.fromiter(docnums, np.int64, len(docnums))
    flags = np.zeros(size + 1, dtype=bool)
    flags[docnums] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def members_of(bitmap: int) -> NDArray[np.int64]:
    """The document numbers of a bitmap, in order."""
    buf = np.frombuffer(bitmap.to_bytes((bitmap.bit_length() + 7) >> 3, "little"), np.uint8)
    return np.flatnonzero(np.unpackbits(buf, bitorder="little")).astype(np.int64)


def repeats(tabs: Tables, matched: int) -> tuple[int, ...]:
    """Per layer: the later members of pairs whose members are both in ``matched``.

    The repeats of an intersection are the AND of the repeats of its parts, so this loop
    over the pairs is needed once per search: a filter's are ``Tables.agree`` of its value
    (``filters``)."""
    if not tabs.layers:
        return ()
    buf = matched.to_bytes((tabs.size >> 3) + 1, "little")
    out = []
    for earlier, later in tabs.layers:
        both = [
            b
            for a, b in zip(earlier, later, strict=True)
            if buf[b >> 3] >> (b & 7) & 1 and buf[a >> 3] >> (a & 7) & 1
        ]
        out.append(to_bitmap(both, tabs.size))
    return tuple(out)


def results_in(bits: int, repeated: tuple[int, ...], agree: tuple[int, ...] | None = None) -> int:
    """How many results (translation groups) the documents ``bits`` make: ``repeated`` is
    ``repeats`` of a set holding ``bits``, ``agree`` the value's ``Tables.agree`` (None:
    ``bits`` is that whole set)."""
    n = bits.bit_count()
    if not repeated or not n:
        return n
    extra = 0
    if agree is None:
        for r in repeated:
            extra |= r
    else:
        for r, a in zip(repeated, agree, strict=False):
            extra |= r & a
    return n - (extra & bits).bit_count()


def count(
    tabs: Tables,
    matched: int,
    repeated: tuple[int, ...],
    *,
    unfiltered: dict[str, tuple[int, tuple[int, ...]]] | None = None,
    selected: dict[str, list[str]] | None = None,
) -> dict[str, list[FacetCount]]:
    """Facet counts in results, most first (years newest first, ``undated`` last).

    ``matched``: the search's matches, ``repeated`` their ``repeats``; ``unfiltered``: per
    facet field filtered on, the matches (and their repeats) as if that filter were not
    applied, so its other values count what adding them would give; ``selected``: per
    field, the values filtered on, listed even when they count nothing.
    """
    unfiltered = unfiltered or {}
    selected = selected or {}
    out: dict[str, list[FacetCount]] = {}
    for name in FACET_NAMES:
        base, base_repeats = unfiltered.get(name, (matched, repeated))
        agree = tabs.agree.get(name, {})
        chosen = selected.get(name, [])
        counts = []
        for value, bits in tabs.selects.get(name, {}).items():
            found = bits & base
            if found:
                n = results_in(found, base_repeats, agree.get(value, ()))
                counts.append(FacetCount(value, n, value in chosen))
        if name == "year":
            # Newest first, and the records of unknown date after the oldest year.
            counts.sort(key=lambda c: (c.value != UNDATED_YEAR, c.value), reverse=True)
        else:
            counts.sort(key=lambda c: (-c.count, c.value.casefold()))
        shown = counts[:FACET_LIMIT]
        listed = {c.value for c in shown}
        for c in counts[FACET_LIMIT:]:
            if c.selected:
                shown.append(c)
                listed.add(c.value)
        shown.extend(FacetCount(v, 0, True) for v in chosen if v not in listed)
        out[name] = shown
    return out


__all__ = [
    "FACET_LIMIT",
    "LANGUAGE_SELECTS",
    "TABLES",
    "Tables",
    "count",
    "language_selects",
    "members_of",
    "repeats",
    "results_in",
    "tables",
    "to_bitmap",
]
