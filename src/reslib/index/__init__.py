"""The search index: schema, rebuilds with an atomic swap, incremental updates, readers.

| module | what it owns |
| --- | --- |
| ``schema`` | ``SCHEMA_VERSION``, the fields, a record's document, translation groups |
| ``layout`` | ``indexes/``: ``CURRENT``, meta and versions, status; ``IndexUnavailable`` |
| ``build`` | ``rebuild``: segments in worker processes, the catch-up, the swap |
| ``updater`` | ``IndexUpdater``: the catalogue listener for incremental updates |
| ``lexicon`` | the "did you mean" word file beside each index |
| ``reader`` | one generation: a searcher per thread, what is cached for it and when it goes |
| ``codec`` | every Whoosh write and read override (``FastLengthsCodec``, the bulk writer) |
| ``blocks`` | the packed layout of a posting block (arrays, not Whoosh's pickle) |
| ``postings`` | one term's postings in one segment, a block at a time (a cursor) |
| ``compat`` | the pinned Whoosh release, checked at run time; the private names used |

Only ``codec`` and ``postings`` use Whoosh's private members. Whoosh pickles the schema and
each segment's codec into the index, so the classes named there keep their import paths:
indexes written before this package existed name ``reslib.index.FastLengthsCodec``, which
is re-exported below for them (``tests/test_index_compat.py`` opens one).
"""

from .build import SEGMENT_RECORDS, BuildReport, SegmentBuilt, build_segment, rebuild
from .codec import (
    BulkSegmentWriter,
    FastLengthsCodec,
    LengthsInMemory,
    OneReadLeafMatcher,
    SmallBlocksPlainWriter,
)
from .layout import (
    META,
    POINTER,
    IndexUnavailable,
    check_versions,
    index_status,
    live_dir,
    open_live,
)
from .lexicon import LEXICON, add_to_lexicon, lexicon_words, read_lexicon
from .reader import Generation, Snapshot, snapshot
from .schema import (
    FACET_FIELDS,
    SCHEMA_VERSION,
    VALUE_SEP,
    build_schema,
    document,
    group_key,
)
from .updater import IndexUpdater

__all__ = [
    "FACET_FIELDS",
    "LEXICON",
    "META",
    "POINTER",
    "SCHEMA_VERSION",
    "SEGMENT_RECORDS",
    "VALUE_SEP",
    "BuildReport",
    "BulkSegmentWriter",
    "FastLengthsCodec",
    "Generation",
    "IndexUnavailable",
    "IndexUpdater",
    "LengthsInMemory",
    "OneReadLeafMatcher",
    "SegmentBuilt",
    "SmallBlocksPlainWriter",
    "Snapshot",
    "add_to_lexicon",
    "build_schema",
    "build_segment",
    "check_versions",
    "document",
    "group_key",
    "index_status",
    "lexicon_words",
    "live_dir",
    "open_live",
    "read_lexicon",
    "rebuild",
    "snapshot",
]
