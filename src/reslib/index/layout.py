"""Where the live index is, what built it, and whether this code may read it.

Layout of ``indexes/``::

    CURRENT              the name of the live index directory (replaced atomically)
    ix-<stamp>/          a Whoosh index plus ``reslib-index.json`` (analysis and schema
                         versions, when built, how many records) and the lexicon file

A rebuild writes a new ``ix-`` directory and then rewrites ``CURRENT``; the previous
directory is kept one generation so that a searcher still holding it never finds its files
gone (``remove_old``). An index of another analysis version, or of a schema this code does
not read (``schema.READABLE_SCHEMAS``), is refused with the "run reslib reindex" message
(``IndexUnavailable``); so is any Whoosh but the pinned release (``reslib.index.compat``).
Segments added to an index are written in its schema's block format (``index_codec``).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from ..analysis import ANALYSIS_VERSION
from ..catalogue.journal import IndexJournal
from ..config import Home
from ..errors import ReslibError
from ..storage import unique_dir, write_atomic
from .codec import FastLengthsCodec
from .schema import PACKED_BLOCKS_SINCE, READABLE_SCHEMAS, SCHEMA_VERSION

POINTER = "CURRENT"
META = "reslib-index.json"


class IndexUnavailable(ReslibError):
    """There is no usable index: the message says to run ``reslib reindex``."""

    http_status = 503


def live_dir(home: Home) -> Path | None:
    """The directory ``CURRENT`` names, or None when no index was ever built."""
    try:
        name = (home.indexes / POINTER).read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    path = home.indexes / name
    return path if name and path.is_dir() else None


def new_index_dir(home: Home) -> Path:
    """A fresh, empty ``ix-`` directory for a rebuild (not yet live)."""
    # Time-ordered, unique even for two builds in the same second; created with the
    # process's umask (``mkdtemp`` gives 0700: a server running as another user could not
    # read it).
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return unique_dir(home.indexes, f"ix-{stamp}-")


def make_live(home: Home, path: Path) -> Path | None:
    """Point ``CURRENT`` at ``path`` (atomically); the directory live before, if any."""
    previous = live_dir(home)
    write_atomic(home.indexes / POINTER, path.name + "\n")
    return previous


def remove_old(home: Home, keep: set[str]) -> None:
    """Remove the ``ix-`` directories not named in ``keep``. The caller holds the reindex
    lock (``reslib.index.build``): only a rebuild creates these folders."""
    for child in home.indexes.iterdir():
        if child.is_dir() and child.name.startswith("ix-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def read_meta(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / META).read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def write_meta(path: Path, records: int) -> None:
    meta = {
        "analysis_version": ANALYSIS_VERSION,
        "schema_version": SCHEMA_VERSION,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "records": records,
    }
    write_atomic(path / META, json.dumps(meta, indent=2) + "\n")


def check_versions(path: Path) -> None:
    """Raise IndexUnavailable when the index at ``path`` was built by another analysis, or
    has a schema this code does not read."""
    meta = read_meta(path)
    built_with = (meta.get("analysis_version"), meta.get("schema_version"))
    if built_with[0] != ANALYSIS_VERSION or built_with[1] not in READABLE_SCHEMAS:
        raise IndexUnavailable(
            f"the search index was built by an older version of reslib (analysis "
            f"{built_with[0]}, schema {built_with[1]}; now {ANALYSIS_VERSION}, "
            f"{SCHEMA_VERSION}): its results would be wrong. Run 'reslib reindex'"
        )


def index_codec(path: Path) -> FastLengthsCodec:
    """The codec for segments added to the index at ``path``: posting blocks packed unless
    the index is of an older schema (``check_versions`` let it through), whose blocks stay
    Whoosh's pickled ones so that the reslib that built it still reads every segment. A
    directory without meta yet is a new index, of this code's schema."""
    schema = read_meta(path).get("schema_version", SCHEMA_VERSION)
    return FastLengthsCodec(packed=isinstance(schema, int) and schema >= PACKED_BLOCKS_SINCE)


def storage(path: Path, *, mmap: bool = False) -> FileStorage:
    """The index directory as Whoosh storage, once the installed Whoosh is known to be the
    pinned one.

    Searching reads through ordinary files rather than mmap (the default): Whoosh 2.7.4
    wraps each mmapped segment file in a ``BytesIO``, which copies it whole: at 50,000
    records every searcher opened took 0.6 s and 1.6 GB (one per server thread). Through
    files it opens in milliseconds, reads only the blocks a query needs (the OS page cache
    keeps them), and searches no slower (measured on the 50,000-record index). Writers
    (``mmap=True``) keep Whoosh's default.
    """
    # Imported here, not with the package: ``python -m reslib.index.compat`` runs the module
    # as a script, which must not have been imported already.
    from .compat import require_whoosh

    require_whoosh()
    return FileStorage(str(path), supports_mmap=mmap)


def open_live(home: Home) -> tuple[Path, whoosh_index.Index]:
    """The live index, checked against the current analysis version."""
    path = live_dir(home)
    if path is None:
        raise IndexUnavailable("there is no search index yet: run 'reslib reindex'")
    check_versions(path)
    return path, storage(path).open_index()


def index_status(home: Home) -> dict[str, Any]:
    """What ``reslib reindex --status`` reports: where, when, how many documents in how many
    segments, whether usable, and since when changes wait for the index (a journal left)."""
    path = live_dir(home)
    if path is None:
        return {"index": None, "usable": False, "message": "no index: run 'reslib reindex'"}
    meta = read_meta(path)
    try:
        check_versions(path)
    except IndexUnavailable as exc:
        return {"index": str(path), "usable": False, "message": exc.message, **meta}
    ix = storage(path).open_index()
    with ix.searcher() as s:
        count = s.doc_count()
    segments = len(TOC.read(ix.storage, ix.indexname).segments)
    status = {"index": str(path), "usable": True, "documents": count, "segments": segments}
    journal = IndexJournal(home.library).read()
    if journal is not None:
        # A session cut short: the next writing command, check or search replays it.
        since = time.gmtime(journal.since_ns / 1_000_000_000)
        status["unindexed_since"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", since)
    return {**status, **meta}


__all__ = [
    "META",
    "POINTER",
    "IndexUnavailable",
    "check_versions",
    "index_codec",
    "index_status",
    "live_dir",
    "make_live",
    "new_index_dir",
    "open_live",
    "read_meta",
    "remove_old",
    "storage",
    "write_meta",
]
