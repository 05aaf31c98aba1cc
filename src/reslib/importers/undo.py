"""``reslib imports undo RUN``: take back what one import run did, as its log says (``log``).

Each record the run created is removed the way ``reslib remove`` removes one (a tombstone
keeps its id retired, links to it are dropped from other records); each record it updated
gets back the previous value of every field the run changed, and loses the links the run
added. A record changed since the run (by hand, or by a later import: its fingerprint is no
longer the one logged) is left as it is and reported, and so is one that cannot be restored
(removed since, say). Links do not count as changes: another record's save writes them.

All of it happens under one hold of the library lock and as one batch of index changes,
through the catalogue the caller opened (``reslib.library.open_library``: the index
follows). Ctrl-C is held back while a record is being removed or restored, so an
interrupted undo leaves every record as it was or as undone, never half; the index journal
covers the index. Undo is idempotent: a record already undone counts as done, so running
it again finishes an interrupted undo (or retries what was left, once put right). The log
then says when the run was undone, by whom, and what was left (``undone``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import Catalogue
from ..errors import ReslibError
from ..models import Record, now
from . import log as runlog
from .interrupt import deferred_interrupt
from .log import LINK_FIELDS, fingerprint

_CHANGED = (
    "changed since the import (by hand or by a later import): left as it is; see 'reslib show {id}'"
)


@dataclass
class UndoReport:
    """What an undo did: records removed, restored, undone before, left (with reasons)."""

    run: str
    removed: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    done_before: list[str] = field(default_factory=list)
    left: list[dict[str, str]] = field(default_factory=list)
    interrupted: bool = False

    def leave(self, record_id: str, reason: str) -> None:
        self.left.append({"id": record_id, "reason": reason})

    @property
    def exit_code(self) -> int:
        return 1 if self.left else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "interrupted": self.interrupted,
            "removed": self.removed,
            "restored": self.restored,
            "done_before": self.done_before,
            "left": self.left,
        }

    def lines(self) -> list[str]:
        out = [
            f"run {self.run}: removed {len(self.removed)}, restored {len(self.restored)}, "
            f"undone before {len(self.done_before)}, left {len(self.left)}"
        ]
        if self.interrupted:
            out.append(
                "Interrupted: the records listed were undone, the others are as they were; "
                f"run 'reslib imports undo {self.run}' again to finish."
            )
        out += [f"left {entry['id']}: {entry['reason']}" for entry in self.left]
        return out


class Undo:
    """The undo of one logged run over a catalogue opened to change it."""

    def __init__(self, catalogue: Catalogue, run_id: str, by: str | None = None) -> None:
        self.catalogue = catalogue
        self.log = runlog.load(catalogue.home, run_id)
        self.by = by
        self.report = UndoReport(run=self.log["run"])

    def entries(self, action: str) -> list[dict[str, Any]]:
        return [e for e in self.log["records"] if e.get("action") == action]

    def run(self) -> UndoReport:
        # Created records first: removing one drops the links to it, which some updated
        # records got in this run.
        work = [*reversed(self.entries("created")), *self.entries("updated")]
        try:
            with self.catalogue.locked(), self.catalogue.batch():
                for entry in work:
                    with deferred_interrupt():
                        self._undo_entry(entry)
                self.log["undone"] = {
                    "at": now(),
                    "by": runlog.who(self.by),
                    "left": self.report.left,
                }
                runlog.save(self.catalogue.home, self.log)
        except KeyboardInterrupt:
            self.report.interrupted = True
        return self.report

    def _undo_entry(self, entry: dict[str, Any]) -> None:
        record_id = entry["id"]
        try:
            if entry["action"] == "created":
                self._remove(record_id, entry)
            else:
                self._restore(record_id, entry)
        except ReslibError as exc:
            self.report.leave(record_id, f"could not be undone: {exc.message}")

    def _remove(self, record_id: str, entry: dict[str, Any]) -> None:
        if not self.catalogue.exists(record_id):
            self.report.done_before.append(record_id)
            return
        record = self.catalogue.get(record_id)
        if fingerprint(record) != entry.get("written"):
            self.report.leave(record_id, _CHANGED.format(id=record_id))
            return
        self.catalogue.remove(record_id, expected_updated=record.updated)
        self.report.removed.append(record_id)

    def _restore(self, record_id: str, entry: dict[str, Any]) -> None:
        if not self.catalogue.exists(record_id):
            self.report.leave(record_id, "removed since the import: nothing to restore")
            return
        record = self.catalogue.get(record_id)
        previous: dict[str, Any] = entry.get("previous", {})
        links_added: dict[str, list[str]] = entry.get("links_added", {})
        added = {
            name: [r for r in links_added.get(name, []) if r in getattr(record, name)]
            for name in LINK_FIELDS
        }
        if all(getattr(record, f) == v for f, v in previous.items()) and not any(added.values()):
            # Nothing left to undo; when the links went with a record removed just now,
            # this undo did it.
            removed_now = set(self.report.removed)
            if any(r in removed_now for refs in links_added.values() for r in refs):
                self.report.restored.append(record_id)
            else:
                self.report.done_before.append(record_id)
            return
        if previous and fingerprint(record) != entry.get("written"):
            self.report.leave(record_id, _CHANGED.format(id=record_id))
            return
        self.catalogue.save(
            _restored(record, previous, added), prepared=True, expected_updated=record.updated
        )
        self.report.restored.append(record_id)


def _restored(record: Record, previous: dict[str, Any], added: dict[str, list[str]]) -> Record:
    """``record`` with its previous values and without the links the run added."""
    out = copy.deepcopy(record)
    for name, value in previous.items():
        setattr(out, name, copy.deepcopy(value))
    for name, refs in added.items():
        setattr(out, name, [r for r in getattr(out, name) if r not in refs])
    return out


def undo_run(catalogue: Catalogue, run_id: str, by: str | None = None) -> UndoReport:
    """Undo logged run ``run_id`` in ``catalogue``; see ``Undo``."""
    return Undo(catalogue, run_id, by).run()
