"""What an import run did: created, updated, unchanged, skipped (with reasons) and findings.

The CLI prints it as lines or, with ``--json``, as ``to_dict``; the exit code is 1 when
anything was skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: A record counts once per run, under the strongest thing that happened to it.
_RANK = {"unchanged": 0, "updated": 1, "created": 2}


@dataclass
class ImportSummary:
    dry_run: bool = False
    files: int = 0
    status: dict[str, str] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[dict[str, str]] = field(default_factory=list)
    possible_duplicates: list[dict[str, str]] = field(default_factory=list)
    translations: list[list[str]] = field(default_factory=list)
    new_organizations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    #: The run's log in ``library/imports/`` (``importers.log``); "" when it changed nothing.
    run: str = ""

    def mark(self, record_id: str, status: str) -> None:
        if _RANK[status] >= _RANK[self.status.get(record_id, "unchanged")]:
            self.status[record_id] = status

    def ids(self, status: str) -> list[str]:
        return [i for i, s in self.status.items() if s == status]

    @property
    def created(self) -> list[str]:
        return self.ids("created")

    @property
    def updated(self) -> list[str]:
        return self.ids("updated")

    @property
    def unchanged(self) -> list[str]:
        return self.ids("unchanged")

    def skip(self, where: str, reason: str) -> None:
        self.skipped.append({"path": where, "reason": reason})

    def conflict(self, record_id: str, field_name: str, message: str) -> None:
        self.conflicts.append({"id": record_id, "field": field_name, "message": message})

    @property
    def exit_code(self) -> int:
        return 1 if self.skipped else 0

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "interrupted": self.interrupted,
            "files": self.files,
            "counts": self.counts(),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "conflicts": self.conflicts,
            "possible_duplicates": self.possible_duplicates,
            "translations": self.translations,
            "new_organizations": self.new_organizations,
            "notes": self.notes,
            "run": self.run,
        }

    def lines(self) -> list[str]:
        """The human-readable report, most important first."""
        c = self.counts()
        head = "Dry run: would have " if self.dry_run else ""
        out = [
            f"{head}created {c['created']}, updated {c['updated']}, "
            f"unchanged {c['unchanged']}, skipped {c['skipped']} ({self.files} file(s))"
        ]
        if self.run:
            out.append(f"logged as run {self.run} (reslib imports show {self.run})")
        if self.interrupted:
            out.append("Interrupted: the records listed were finished; nothing else was written.")
        out += [f"skipped {s['path']}: {s['reason']}" for s in self.skipped]
        out += [f"conflict {c['id']} {c['field']}: {c['message']}" for c in self.conflicts]
        out += [
            f"possible duplicate: {d['id']} ~ {d['other']} ({d['title']!r} ~ {d['other_title']!r})"
            for d in self.possible_duplicates
        ]
        out += [f"translation: {a} <-> {b}" for a, b in self.translations]
        out += [f"new organization: {name}" for name in self.new_organizations]
        out += [f"note: {n}" for n in self.notes]
        return out
