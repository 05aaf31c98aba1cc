"""Per-generation tables of the index: facet bitmaps, dates, translation groups.

Built once per index generation and shared by every thread searching it (kept with the
generation: ``reslib.index.reader``), so a search pays only for its own matches. A facet
value is a bitmap of the documents that have it, held in a Python int: counting a value for
a result set is one AND and one popcount, so facets cost the same for ten matches as for
fifty thousand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.searching import Searcher

from ..authority import name_key
from ..index.reader import Snapshot
from ..index.schema import FACET_FIELDS
from .model import FacetCount

#: Values shown per facet; the rest are reachable by filtering.
FACET_LIMIT = 50


@dataclass
class Tables:
    size: int
    bitmaps: dict[str, dict[str, int]]
    dates: list[str]
    groups: list[str]
    #: name_key(value) -> value, per facet field: filters match values case-insensitively.
    keys: dict[str, dict[str, str]]
    #: Translation group -> its documents, in index order, for groups of more than one.
    members: dict[str, list[int]]

    def lookup(self, field: str, value: str) -> str | None:
        return self.keys.get(field, {}).get(name_key(value))


#: The name the tables are kept under in their generation (``Generation.cached``).
TABLES = "facet tables"


def tables(snap: Snapshot) -> Tables:
    """The tables of the snapshot's generation, built once per generation (by the first
    thread that needs them; the others wait for its result)."""
    return snap.generation.cached(TABLES, lambda: _build(snap.searcher))


def _build(searcher: Searcher) -> Tables:
    size = searcher.doc_count_all()
    bitmaps: dict[str, dict[str, int]] = {}
    keys: dict[str, dict[str, str]] = {}
    for field in FACET_FIELDS:
        values: dict[str, list[int]] = {}
        for leaf, offset in _leaves(searcher):
            reader = leaf.reader()
            for btext in reader.lexicon(field):
                text = btext.decode("utf-8")
                ids = values.setdefault(text, [])
                ids.extend(d + offset for d in reader.postings(field, btext).all_ids())
        bitmaps[field] = {v: to_bitmap(ids, size) for v, ids in values.items()}
        keys[field] = {name_key(v): v for v in values}
    dates = _column(searcher, "date", size)
    groups = _column(searcher, "group", size)
    members: dict[str, list[int]] = {}
    for d, g in enumerate(groups):
        members.setdefault(g, []).append(d)
    shared = {g: ds for g, ds in members.items() if len(ds) > 1}
    return Tables(size, bitmaps, dates, groups, keys, shared)


def _leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return list(searcher.leaf_searchers())


def _column(searcher: Searcher, field: str, size: int) -> list[str]:
    out = [""] * size
    for leaf, offset in _leaves(searcher):
        reader = leaf.reader()
        if not reader.has_column(field):
            continue
        column = reader.column_reader(field)
        for i, value in enumerate(column):
            out[offset + i] = value if isinstance(value, str) else value.decode("utf-8")
    return out


def to_bitmap(docnums: Iterable[int], size: int) -> int:
    """A set of document numbers as the bits of an int."""
    buf = bytearray((size >> 3) + 1)
    for d in docnums:
        buf[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(buf, "little")


def count(tables_: Tables, matched: int) -> dict[str, list[FacetCount]]:
    """Facet counts of the matched bitmap, most frequent first (years newest first)."""
    out: dict[str, list[FacetCount]] = {}
    for field, values in tables_.bitmaps.items():
        counts = [
            FacetCount(v, n) for v, bits in values.items() if (n := (bits & matched).bit_count())
        ]
        if field == "year":
            counts.sort(key=lambda c: c.value, reverse=True)
        else:
            counts.sort(key=lambda c: (-c.count, c.value.casefold()))
        out[field] = counts[:FACET_LIMIT]
    return out
