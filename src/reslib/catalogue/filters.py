"""The filters of ``reslib list`` and ``reslib export``, and the selection they make.

A record whose date is unknown (``models.UNDATED``) is outside every date range (it may be of
any date), selected alone by ``undated``, and listed after the dated records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from ..authority import Organizations
from ..models import Record


class RecordSource(Protocol):
    """What ``select`` reads: a ``Catalogue`` is one."""

    @property
    def organizations(self) -> Organizations: ...

    def records(self) -> Iterator[Record]: ...


@dataclass
class RecordFilter:
    """All given conditions must hold."""

    types: list[str] = field(default_factory=list)
    language: str | None = None
    organization: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    #: Only records whose date is unknown.
    undated: bool = False

    def matches(self, record: Record, orgs: Organizations) -> bool:
        if self.types and record.type not in self.types:
            return False
        # A bilingual item matches either language.
        if self.language and self.language not in record.language.split("+"):
            return False
        if self.organization:
            wanted = orgs.canonical(self.organization)
            if wanted not in record.organizations:
                return False
        if record.undated:
            return not (self.date_from or self.date_to)
        if self.undated:
            return False
        # Partial dates compare by prefix: 2023-09 is within 2023-01..2023-12.
        if self.date_from and record.date[: len(self.date_from)] < self.date_from:
            return False
        return not (self.date_to and record.date[: len(self.date_to)] > self.date_to)


def select(catalogue: RecordSource, flt: RecordFilter) -> list[Record]:
    """The records that ``flt`` matches, by id; undated ones after the dated ones."""
    found = [r for r in catalogue.records() if flt.matches(r, catalogue.organizations)]
    # sorted() is stable: the id order holds within each of the two parts.
    return sorted(found, key=lambda r: r.undated)
