"""``reslib check``: one function per rule, composed in ``run_checks``.

File-level steps come first (stale temporaries, unreadable records); then every rule in
``RULES`` runs over the readable records, and a record's problems are listed together, in
the order of the rules. A rule is any function from a ``Library`` view to problems, so a layer
above the catalogue (the index, say) can pass more rules to ``Catalogue.check``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..authority import Organizations
from ..errors import InvalidInput
from ..models import Record
from ..storage import clean_stale_temporaries
from .links import SYMMETRIC
from .records import RecordFiles


@dataclass
class Problem:
    """One finding of ``check``: the record (or file), the field and what is wrong."""

    where: str
    field: str
    message: str
    severity: str = "error"

    def to_dict(self) -> dict[str, str]:
        return {
            "where": self.where,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Library:
    """What the rules look at: the readable records by id, the authority file, library/."""

    records: dict[str, Record]
    organizations: Organizations
    root: Path


Rule = Callable[[Library], Iterable[Problem]]


def check_links(lib: Library) -> Iterator[Problem]:
    """A link to a missing record is an error; one not linked back is a warning."""
    for record in lib.records.values():
        for name in SYMMETRIC:
            for ref in getattr(record, name):
                if ref not in lib.records:
                    yield Problem(record.id, name, f"links to missing record {ref!r}")
                elif record.id not in getattr(lib.records[ref], name):
                    yield Problem(record.id, name, f"{ref} does not link back", "warning")


def check_organizations(lib: Library) -> Iterator[Problem]:
    """Every organization is in the authority file, written its preferred way."""
    for record in lib.records.values():
        for org in record.organizations:
            known = lib.organizations.resolve(org)
            if known is None:
                yield Problem(record.id, "organizations", f"{org!r} is not in the authority file")
            elif known.name != org:
                yield Problem(
                    record.id, "organizations", f"{org!r} should be written {known.name!r}"
                )


def check_duplicate_titles(lib: Library) -> Iterator[Problem]:
    """Two records of one language whose titles differ only in case and punctuation."""
    first: dict[str, str] = {}
    for record in lib.records.values():
        key = record.language + ":" + re.sub(r"\W+", " ", record.title).strip().casefold()
        if key in first:
            yield Problem(record.id, "title", f"same title as {first[key]}", "warning")
        else:
            first[key] = record.id


def check_source_files(lib: Library) -> Iterator[Problem]:
    """A record's kept original file exists."""
    for record in lib.records.values():
        if record.source_file and not (lib.root / record.source_file).exists():
            yield Problem(record.id, "source_file", f"{record.source_file} does not exist")


def check_undated(lib: Library) -> Iterator[Problem]:
    """A record whose date is unknown is valid but unfinished: a warning to complete it."""
    for record in lib.records.values():
        if record.undated:
            yield Problem(
                record.id,
                "date",
                "date unknown: add it when found (reslib list --undated)",
                "warning",
            )


RULES: tuple[Rule, ...] = (
    check_links,
    check_organizations,
    check_duplicate_titles,
    check_source_files,
    check_undated,
)


def clean_temporaries(files: RecordFiles) -> list[Problem]:
    """Remove what a killed writer left behind, and say so."""
    removed = clean_stale_temporaries(files.records_dir)
    if not removed:
        return []
    return [Problem("records/", "-", f"removed {removed} temporary file(s)", "warning")]


def read_records(files: RecordFiles) -> tuple[dict[str, Record], list[Problem]]:
    """Every readable record by id, and a problem for each one that is not."""
    records: dict[str, Record] = {}
    problems: list[Problem] = []
    for record_id in files.ids():
        try:
            records[record_id] = files.read(files.record_path(record_id))
        except InvalidInput as exc:
            problems.append(Problem(record_id, _field_of(exc.message), exc.message))
    return records, problems


def run_checks(
    files: RecordFiles, organizations: Organizations, rules: Sequence[Rule] = RULES
) -> list[Problem]:
    """Every problem found: file-level ones first, then each record's, by id."""
    problems = clean_temporaries(files)
    records, unreadable = read_records(files)
    problems += unreadable
    lib = Library(records, organizations, files.home.library)
    found = [p for rule in rules for p in rule(lib)]
    position = {record_id: n for n, record_id in enumerate(records)}
    # Stable: one record's problems stay in rule order. A rule's finding that names no
    # record (a whole-library rule) goes last.
    problems += sorted(found, key=lambda p: position.get(p.where, len(position)))
    return problems


def _field_of(message: str) -> str:
    m = re.search(r"field '([a-z_]+)'", message)
    return m.group(1) if m else "-"
