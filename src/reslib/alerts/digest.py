"""What is new for an alert: the records added or updated since its last mail that its search
finds.

A run first lists the records changed since the earliest instant any alert needs (a ``scandir``
of ``library/records`` by modification time, then each of those files read for its
``updated``), so an alert with nothing new costs no search at all. For the others, the
alert's own search runs page by page (``reslib.search.search``, newest first, 100 a page, as
deep as the search allows: ``MAX_DEPTH``), and a changed record counts when it is a result or
one of a result's translations (the search shows a record and its translations as one result).

"Since" compares the record's ``updated`` (whole seconds) with the alert's start instant
truncated to its second, and skips the versions the last digest already listed: a record saved
in the second a run began is then mailed once, not never and not twice.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..catalogue import Catalogue
from ..config import Home
from ..errors import ReslibError
from ..models import Record
from ..search import MAX_DEPTH, search
from . import query as alert_query
from .store import Alert, parse_stamp

PAGE = 100
#: Modification times and ``updated`` stamps come from different clocks' roundings.
_SLACK = timedelta(seconds=2)


@dataclass
class Digest:
    """An alert's new records, in the order its search gives them."""

    alert: Alert
    records: list[Record] = field(default_factory=list)

    def versions_from(self, run_started: datetime) -> dict[str, str]:
        """The versions the next run must not list again: those of the second the run began
        or later (anything earlier is before the next run's start anyway)."""
        floor = run_started.replace(microsecond=0)
        out = {}
        for record in self.records:
            updated = parse_stamp(record.updated)
            if updated is not None and updated >= floor:
                out[record.id] = record.updated
        return out


def changed_since(catalogue: Catalogue, earliest: datetime) -> dict[str, Record]:
    """Every record whose ``updated`` is at or after ``earliest`` truncated to its second."""
    floor = earliest.replace(microsecond=0)
    threshold = (floor - _SLACK).timestamp() * 1e9
    changed: dict[str, Record] = {}
    for record_id, mtime in catalogue.files.mtimes().items():
        if mtime < threshold:
            continue
        # Removed meanwhile, or unreadable (``reslib check`` reports those): not news.
        with contextlib.suppress(ReslibError, OSError):
            record = catalogue.get(record_id)
            updated = parse_stamp(record.updated)
            if updated is not None and updated >= floor:
                changed[record_id] = record
    return changed


def new_for(alert: Alert, changed: dict[str, Record]) -> dict[str, Record]:
    """The changed records that are new to ``alert``, whatever its search says."""
    since = parse_stamp(alert.since)
    if since is None:
        return {}
    floor = since.replace(microsecond=0)
    out = {}
    for record_id, record in changed.items():
        updated = parse_stamp(record.updated)
        if updated is None or updated < floor:
            continue
        if alert.sent_versions.get(record_id) == record.updated:
            continue
        out[record_id] = record
    return out


def digest_for(home: Home, alert: Alert, changed: dict[str, Record]) -> Digest:
    """The records of ``changed`` new to ``alert`` that its search finds."""
    digest = Digest(alert)
    candidates = new_for(alert, changed)
    if not candidates:
        return digest
    found: set[str] = set()
    for page in range(1, MAX_DEPTH // PAGE + 1):
        response = search(home, alert_query.request(alert.query, page=page, limit=PAGE))
        for result in response.results:
            for record_id in (result.id, *(t.id for t in result.translations)):
                if record_id in candidates and record_id not in found:
                    found.add(record_id)
                    digest.records.append(candidates[record_id])
        if len(found) == len(candidates) or len(response.results) < PAGE:
            break
    return digest
