"""What the index holds, compared with ``library/``: the ids it finds and when it last committed.

``reslib check`` compares the record ids on disk with the ids the index would return,
cheaply: the ``id`` field's terms of each segment (0.24 s for 50,000 records), less the ids
whose only documents are deleted; and record files written after the index's last commit
(one ``scandir``), which only a change made outside reslib can leave once the index journal
is replayed (every reslib write is followed by an index commit, or leaves the journal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.index import TOC

from .layout import storage


@dataclass
class Drift:
    """How the index differs from ``library/``."""

    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.stale)

    def describe(self) -> str:
        parts = []
        if self.missing:
            parts.append(f"{len(self.missing)} record(s) missing ({_some(self.missing)})")
        if self.extra:
            parts.append(f"{len(self.extra)} removed id(s) still found ({_some(self.extra)})")
        if self.stale:
            parts.append(
                f"{len(self.stale)} record file(s) changed after the last index commit "
                f"({_some(self.stale)})"
            )
        return "; ".join(parts)


def _some(ids: list[str], n: int = 3) -> str:
    return ", ".join(ids[:n]) + (", …" if len(ids) > n else "")


def live_segments(path: Path) -> list[Any]:
    """The segments of the index at ``path`` as its latest table of contents lists them."""
    ix = storage(path).open_index()
    return list(TOC.read(ix.storage, ix.indexname).segments)


def indexed_ids(path: Path) -> set[str]:
    """The record ids a search of the index at ``path`` can return."""
    ix = storage(path).open_index()
    out: set[str] = set()
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            ids = {term.decode("utf-8") for term in leaf.lexicon("id")}
            if leaf.has_deletions():
                # Terms stay in a segment after its documents are deleted: an id counts
                # only while one of its documents is live.
                deleted = (d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d))
                for docnum in deleted:
                    record_id = leaf.stored_fields(docnum).get("id")
                    if record_id in ids and not leaf.postings("id", record_id).is_active():
                        ids.discard(record_id)
            out |= ids
    return out


def last_commit_ns(path: Path) -> int:
    """When the index at ``path`` last committed (its newest table of contents), in ns."""
    return max((p.stat().st_mtime_ns for p in path.glob("_*.toc")), default=0)


def drift(path: Path, on_disk: dict[str, int]) -> Drift:
    """The difference between the index at ``path`` and the records ``on_disk`` (id ->
    file time in ns)."""
    ids = indexed_ids(path)
    committed = last_commit_ns(path)
    return Drift(
        missing=sorted(set(on_disk) - ids),
        extra=sorted(ids - set(on_disk)),
        stale=sorted(i for i, m in on_disk.items() if m > committed and i in ids),
    )


__all__ = ["Drift", "drift", "indexed_ids", "last_commit_ns", "live_segments"]
