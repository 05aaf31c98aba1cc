"""What a metadata format is built from: a record, the records it links to, the site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Record


@dataclass(frozen=True)
class RecordView:
    """A record with the records it links to (those still in the library) and the site's
    address for any item (``item_url(id)``)."""

    record: Record
    item_url: Callable[[str], str]
    translations: list[Record] = field(default_factory=list)
    related: list[Record] = field(default_factory=list)
