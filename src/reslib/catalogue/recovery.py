"""Replaying the index journal: what a session cut short may have left, and how it is put right.

A session that ended before its index commit (see ``journal``) can leave three things:

- records written but not indexed: every record file written at or after the journal's
  start (``Window.saved``; found by file time, so no record is read to find them);
- ids removed but still in the index: every tombstone written since with no record file
  left (``Window.removed``);
- a removal cut short (tombstone written, record file still there: ``Window.unfinished``),
  which the catalogue completes, since the tombstone is written only once the removal is
  decided; and links written one way only: a save writes the record first and then each
  record it links to (``links``), and a kill in between leaves the others without their
  side.

``one_way_links`` decides each one-way link between a record of the window and any other:
the record written later holds the truth (its save was the last word on that link), so a
link the later one lists is written back into the earlier one, and a link only the earlier
one lists is dropped from it. Files written within one tick of the clock cannot be told
apart; the link is then kept (written back), because a link wrongly kept is seen and
undone in one edit, while one wrongly dropped is lost without a trace. A link to an id
removed in the window is dropped, as the removal would have done.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from .links import SYMMETRIC
from .records import RecordFiles


@dataclass
class Window:
    """What changed in ``library/`` since the journal's start."""

    saved: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)


def changed_since(files: RecordFiles, since_ns: int) -> Window:
    """Record files and tombstones written at or after ``since_ns`` (file times)."""
    mtimes = files.mtimes()
    retired = {i for i, m in files.tombstone_mtimes().items() if m >= since_ns}
    return Window(
        saved=sorted(i for i, m in mtimes.items() if m >= since_ns and i not in retired),
        removed=sorted(i for i in retired if i not in mtimes),
        unfinished=sorted(i for i in retired if i in mtimes),
    )


Links = dict[str, dict[str, list[str]]]


def read_links(files: RecordFiles) -> Links:
    """The link fields of every readable record (the rest of each file is not validated:
    ``reslib check`` reports broken files)."""
    out: Links = {}
    for record_id in files.ids():
        try:
            data = json.loads(files.record_path(record_id).read_bytes())
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        fields = {}
        for name in SYMMETRIC:
            value = data.get(name)
            if not isinstance(value, list):
                value = []
            fields[name] = [v for v in value if isinstance(v, str)]
        out[record_id] = fields
    return out


@dataclass
class LinkFix:
    """Ids to add to and drop from one record's link field."""

    add: list[str] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)


#: record id -> link field -> its fix.
Fixes = dict[str, dict[str, LinkFix]]


def one_way_links(
    links: Links, mtimes: dict[str, int], involved: Iterable[str], removed: Iterable[str]
) -> Fixes:
    """The changes that make every link touching ``involved`` (or ``removed``) two-way.

    ``links``: each record's link fields; ``mtimes``: each record file's time; ``removed``:
    ids removed in the window (links to them are dropped). See the module docstring for
    which side wins.
    """
    involved, removed = set(involved), set(removed)
    fixes: Fixes = {}

    def fix(record_id: str, name: str) -> LinkFix:
        return fixes.setdefault(record_id, {}).setdefault(name, LinkFix())

    for a in sorted(links):
        for name in SYMMETRIC:
            for b in links[a][name]:
                if a not in involved and b not in involved and b not in removed:
                    continue
                if b in removed:
                    fix(a, name).drop.append(b)
                    continue
                if b not in links or b == a or a in links[b][name]:
                    continue  # a link to a missing or unreadable record: 'reslib check'
                if mtimes.get(b, 0) > mtimes.get(a, 0):
                    fix(a, name).drop.append(b)  # b was written later, without the link
                else:
                    fix(b, name).add.append(a)
    return fixes


@dataclass
class Recovery:
    """What a replay of the journal did."""

    since_ns: int
    reindexed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    finished_removals: list[str] = field(default_factory=list)
    relinked: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for ``reslib check``."""
        parts = [f"{len(self.reindexed)} record(s) indexed again"]
        if self.removed:
            parts.append(f"{len(self.removed)} removed id(s) taken out of the index")
        if self.finished_removals:
            parts.append("removal of " + ", ".join(self.finished_removals) + " completed")
        if self.relinked:
            parts.append("links made two-way in " + ", ".join(self.relinked))
        if self.unreadable:
            parts.append(f"{len(self.unreadable)} unreadable record file(s) left out")
        return "a session that ended before indexing was replayed: " + "; ".join(parts)


__all__ = [
    "Fixes",
    "LinkFix",
    "Recovery",
    "Window",
    "changed_since",
    "one_way_links",
    "read_links",
]
