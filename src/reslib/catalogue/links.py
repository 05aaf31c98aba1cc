"""Symmetric links: ``translations`` and ``related`` always point both ways.

Saving a record that lists (or stops listing) another one changes that other record too. The
functions here work out which records change; ``Catalogue`` writes them under its lock and
announces each, like any other save.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import InvalidInput
from ..models import Record, now

#: The link fields kept symmetric.
SYMMETRIC = ("translations", "related")


def require_targets(record: Record, exists: Callable[[str], bool]) -> None:
    """Refuse a record that links to one that does not exist."""
    for name in SYMMETRIC:
        for ref in getattr(record, name):
            if not exists(ref):
                raise InvalidInput(f"record {record.id}: field {name!r}: no record {ref!r}")


def reverse_links(
    record: Record, previous: Record | None, get: Callable[[str], Record | None]
) -> list[Record]:
    """The other records whose links must change now that ``previous`` became ``record``.

    Each returned record has its reverse link added or dropped and its ``updated`` stamp set;
    ``get`` returns None for an id with no record (nothing to change there).
    """
    changed: dict[str, Record] = {}
    for name in SYMMETRIC:
        now_refs = set(getattr(record, name))
        old_refs = set(getattr(previous, name)) if previous else set()
        for ref in sorted(now_refs | old_refs):
            other = changed.get(ref) or get(ref)
            if other is None:
                continue
            links = getattr(other, name)
            if ref in now_refs and record.id not in links:
                links.append(record.id)
            elif ref not in now_refs and record.id in links:
                links.remove(record.id)
            else:
                continue
            other.updated = now()
            changed[ref] = other
    return list(changed.values())
