"""Which segments an incremental commit merges: small ones only, measured in bytes.

Every incremental commit (``IndexUpdater``, a rebuild's catch-up) writes one new segment, and
a merge policy decides which existing segments to merge into it while the library lock is
held. Whoosh's default (``MERGE_SMALL``) measures segments by their number of documents, so
three huge records are three "small" segments, and the next one-topic edit merged them all
in its foreground: 119 s. Whoosh merges at 1 to 3 MB/s here (measured: 180 MB of three
segments in 64 s; eight import groups, 3 MB, in 3.5 s on a busy machine), so
``foreground_merge`` measures in bytes and never merges more than ``FOREGROUND_MERGE_BYTES``
(one to two seconds) in one commit:

- while the whole index is under ``SMALL_INDEX_BYTES``, Whoosh's own policy decides: any
  merge of it costs well under a second (and small libraries, the tests' among them, keep
  the segments they always had);
- a segment left with no live document (every record in it edited or removed since) is
  dropped from the index, which costs nothing;
- segments are sorted into tiers of size (each ``MERGE_FACTOR`` times the one below, up to
  ``FOREGROUND_MERGE_BYTES / MERGE_FACTOR``); a tier is merged once it holds
  ``MERGE_FACTOR`` segments and they add up to no more than ``FOREGROUND_MERGE_BYTES``.

Larger segments are never merged incrementally. They come from rebuilds (whose segments
are large on purpose), from import groups and from huge records; ``needs_repacking`` says
when there are more than ``SEGMENT_LIMIT`` of them, and the updater then starts a rebuild in
the background (``reslib.index.repack``), which writes few large segments again without
holding the lock while it works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from whoosh.filedb.filestore import Storage
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL

#: The most bytes of existing segments one incremental commit merges.
FOREGROUND_MERGE_BYTES = 2 * 2**20
#: How many segments of a tier are merged together (and the ratio between tiers).
MERGE_FACTOR = 8
#: Live segments above which a background rebuild repacks the index.
SEGMENT_LIMIT = 48
#: Below this many bytes in all, the index is merged by Whoosh's own rule.
SMALL_INDEX_BYTES = 2**20


@dataclass(frozen=True)
class SegmentSize:
    """One segment as the policy sees it: its key, bytes on disk and live documents."""

    key: Any
    size: int
    live: int


@dataclass
class MergePlan:
    """Segments to merge into the new one, and segments to drop (no live document)."""

    merge: list[Any]
    drop: list[Any]


def tier(size: int) -> int | None:
    """The tier of a segment of ``size`` bytes; None above the largest merged incrementally."""
    ceiling = FOREGROUND_MERGE_BYTES // MERGE_FACTOR
    if size > ceiling:
        return None
    level = 0
    while level < 8 and size <= ceiling // MERGE_FACTOR ** (level + 1):
        level += 1
    return level


def plan(segments: Sequence[SegmentSize]) -> MergePlan:
    """What ``foreground_merge`` does with these segments (see the module docstring)."""
    drop = [s.key for s in segments if s.live == 0]
    tiers: dict[int, list[SegmentSize]] = {}
    for s in segments:
        level = tier(s.size)
        if s.live and level is not None:
            tiers.setdefault(level, []).append(s)
    merge: list[Any] = []
    budget = FOREGROUND_MERGE_BYTES
    # Deepest tier (the smallest segments) first: cheap merges go before dear ones.
    for level in sorted(tiers, reverse=True):
        members = tiers[level]
        total = sum(s.size for s in members)
        if len(members) >= MERGE_FACTOR and total <= budget:
            merge += [s.key for s in members]
            budget -= total
    return MergePlan(merge, drop)


def segment_bytes(storage: Storage, segment: Any) -> int:
    """Bytes of a segment's files."""
    return sum(storage.file_length(name) for name in segment.list_files(storage))


def sizes(storage: Storage, segments: Sequence[Any]) -> list[SegmentSize]:
    return [SegmentSize(seg, segment_bytes(storage, seg), seg.doc_count()) for seg in segments]


def foreground_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: ``writer.commit(mergetype=foreground_merge)``.

    Returns the segments kept as they are; those merged are read into ``writer``'s new
    segment, those dropped are left out of the new table of contents (Whoosh deletes their
    files).
    """
    measured = sizes(writer.storage, segments)
    if sum(s.size for s in measured) <= SMALL_INDEX_BYTES:
        return MERGE_SMALL(writer, segments)
    chosen = plan(measured)
    for segment in chosen.merge:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    gone = {id(s) for s in chosen.merge} | {id(s) for s in chosen.drop}
    return [s for s in segments if id(s) not in gone]


def needs_repacking(live_segments: int) -> bool:
    return live_segments > SEGMENT_LIMIT


__all__ = [
    "FOREGROUND_MERGE_BYTES",
    "MERGE_FACTOR",
    "SEGMENT_LIMIT",
    "SMALL_INDEX_BYTES",
    "MergePlan",
    "SegmentSize",
    "foreground_merge",
    "needs_repacking",
    "plan",
    "segment_bytes",
    "sizes",
    "tier",
]
