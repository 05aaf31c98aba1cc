"""The search index: schema, full rebuilds with an atomic swap, incremental updates, snapshots.

Layout of ``indexes/``::

    CURRENT              the name of the live index directory (replaced atomically)
    ix-<stamp>/          a Whoosh index plus ``reslib-index.json`` (analysis/schema versions)

``rebuild`` reads ``library/`` alone into a fresh directory, catches up with records saved
while it ran (under the library lock), then rewrites ``CURRENT``. A searcher open on the old
directory keeps answering; the next search sees the new pointer and opens the new index. The
previous directory is kept one generation so that a searcher still holding it never finds its
files gone.

Incremental updates (``IndexUpdater``, a catalogue listener) run inside the catalogue's lock,
so they never interleave with the catch-up and swap of a rebuild.

``snapshot`` hands each thread a searcher for the live generation: the pair (directory, Whoosh
TOC generation) is checked on every call and a new searcher opened when it changed. Whoosh's
``Searcher.refresh()`` is never used (forks of Whoosh return deleted documents from it), and
searchers are per thread because Whoosh readers are not documented as thread-safe.

Only this module and ``reslib.search`` import Whoosh.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import RegexTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.fields import ID, KEYWORD, STORED, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from .analysis import ANALYSIS_VERSION, english_analyzer, syllable_analyzer
from .analysis.terms import StreamText, bigram_analyzer, spelling_words, title_analyzer
from .catalogue import Catalogue
from .config import Home
from .errors import InvalidInput, NotFound, ReslibError
from .models import Record
from .storage import library_lock, write_atomic

#: Bump when the schema or the way a record becomes a document changes.
#: 2: no ``spell`` field (the lexicon file replaces it), no ``words`` field, terms from one
#: analysis pass per record.
SCHEMA_VERSION = 2
POINTER = "CURRENT"
META = "reslib-index.json"
#: The "did you mean" lexicon: ``word<TAB>occurrences`` lines, sorted by word. A file rather
#: than an index field: the field cost ~160 postings per record, and suggestions only need the
#: word list and its counts.
LEXICON = "reslib-lexicon.tsv"
#: Records per segment in a rebuild. Whoosh's writer keeps a segment's postings in memory up
#: to ``limitmb`` and spills sorted runs to disk beyond it; merging the runs back at commit
#: cost half the build time at 50,000 records. Segments this size fit in memory.
SEGMENT_RECORDS = 6000
#: Separates the values of a multi-valued facet field (organization names contain spaces
#: and commas, never this control character).
VALUE_SEP = "\x1f"
#: Facet fields: one term per value, exactly as the record spells it.
FACET_FIELDS = ("type", "language", "organizations", "year", "places", "topics")


#: Field length byte (Whoosh stores lengths as one logarithmic byte) -> length.
_BYTE_TO_LENGTH = tuple(byte_to_length(i) for i in range(256))


class LengthsInMemory(W3PerDocReader):  # type: ignore[misc]
    """Whoosh's per-document reader with each field's length column read into memory whole.

    Whoosh reads one byte from the column file per ``doc_field_length`` call (a seek, a
    read and three Python layers, ~4 µs). Writing a segment asks it once per posting (for
    the per-block length statistics that let searches skip blocks) and BM25 once per scored
    document and term; a column is one byte per document.
    """

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        try:
            data = self._length_bytes[fieldname]
        except AttributeError:
            self._length_bytes: dict[str, bytes | None] = {}
            data = self._length_bytes[fieldname] = self._read_lengths(fieldname)
        except KeyError:
            data = self._length_bytes[fieldname] = self._read_lengths(fieldname)
        if data is None:
            return default
        b = data[docnum] if docnum < len(data) else 0
        # As Whoosh's reader: a zero byte (no length recorded) gives None.
        return _BYTE_TO_LENGTH[b] if b else None

    def _read_lengths(self, fieldname: str) -> bytes | None:
        lenfield = _lenfield(fieldname)
        if not self.has_column(lenfield):
            return None
        self.column_reader(lenfield, LENGTHS_COLUMN)  # opens (and later closes) the file
        colfile, offset, length = self._colfiles[lenfield]
        return bytes(colfile.get(offset, length)) if length else b""


class FastLengthsCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's default codec, reading field lengths through ``LengthsInMemory``.

    Segments remember the codec that wrote them, so this class must stay importable here.
    """

    def per_document_reader(self, storage: Any, segment: Any) -> LengthsInMemory:
        return LengthsInMemory(storage, segment)


class IndexUnavailable(ReslibError):
    """There is no usable index: the message says to run ``reslib reindex``."""

    http_status = 503


def _values_field() -> KEYWORD:
    # One term per value, case and spaces kept: these terms are the facet values shown.
    return KEYWORD(analyzer=RegexTokenizer(f"[^{VALUE_SEP}]+"))


def build_schema() -> Schema:
    """The fields of one record's document.

    Matching: ``syllables`` (Burmese syllables, numbers), ``english`` (stems), ``bigrams``
    (token pairs with positions: phrases). Ranking aids: ``title_terms`` and ``org_terms``
    (boosted at query time). The suggestion lexicon is a file (``LEXICON``). Every text field
    takes its terms from one analysis pass per record (``StreamText``).

    ICU dictionary words (the optional ``words`` ranking field of the analysis issue) are not
    indexed: they cost ~200 postings per record (a sixth of indexing time) and an OR of
    boost terms over large posting lists per Burmese query, and ``benchmarks/relevance.py``
    gave the same success@10 without them (MRR 0.861 -> 0.860 Unicode, 0.840 -> 0.836
    Zawgyi, 0.880 -> 0.883 for ဝ/၀): bigrams of syllables already reward whole-word matches.
    """
    return Schema(
        id=ID(stored=True, unique=True),
        title=STORED(),
        type=ID(stored=True),
        language=ID(stored=True),
        langs=KEYWORD(),
        date=ID(stored=True, sortable=True),
        year=ID(),
        organizations=_values_field(),
        places=_values_field(),
        topics=_values_field(),
        org_names=STORED(),
        translations=STORED(),
        group=ID(sortable=True),
        syllables=StreamText("syllables", syllable_analyzer()),
        english=StreamText("english", english_analyzer()),
        bigrams=StreamText("bigrams", bigram_analyzer(), phrase=True),
        title_terms=StreamText("title", title_analyzer()),
        org_terms=StreamText("title", title_analyzer()),
    )


def group_key(record: Record) -> str:
    """Records linked as translations share a key, so results can show them as one."""
    return min([record.id, *record.translations])


def _content(record: Record) -> str:
    return "\n\n".join(
        part
        for part in (
            record.title,
            "\n".join(record.organizations),
            record.summary,
            record.body,
            "\n".join(record.places),
            "\n".join(record.topics),
        )
        if part
    )


def document(record: Record) -> dict[str, Any]:
    """The Whoosh document of a record."""
    # One text for the content fields: ``StreamText`` fields analyze it once between them.
    content = _content(record)
    langs = "en my" if record.language == "en+my" else record.language
    doc: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "type": record.type,
        "language": record.language,
        "langs": langs,
        "date": record.date,
        "year": record.year,
        "org_names": list(record.organizations),
        "translations": list(record.translations),
        "group": group_key(record),
        "syllables": content,
        "english": content,
        "bigrams": content,
        "title_terms": record.title,
    }
    for name in ("organizations", "places", "topics"):
        values = [v for v in getattr(record, name) if v]
        if values:
            doc[name] = VALUE_SEP.join(values)
    if record.organizations:
        doc["org_terms"] = "\n".join(record.organizations)
    return doc


# -- where the live index is ------------------------------------------------------------


def live_dir(home: Home) -> Path | None:
    """The directory ``CURRENT`` names, or None when no index was ever built."""
    try:
        name = (home.indexes / POINTER).read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    path = home.indexes / name
    return path if name and path.is_dir() else None


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / META).read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def check_versions(path: Path) -> None:
    """Raise IndexUnavailable when the index at ``path`` was built by another analysis."""
    meta = _read_meta(path)
    built_with = (meta.get("analysis_version"), meta.get("schema_version"))
    if built_with != (ANALYSIS_VERSION, SCHEMA_VERSION):
        raise IndexUnavailable(
            f"the search index was built by an older version of reslib (analysis "
            f"{built_with[0]}, schema {built_with[1]}; now {ANALYSIS_VERSION}, "
            f"{SCHEMA_VERSION}): its results would be wrong. Run 'reslib reindex'"
        )


def open_live(home: Home) -> tuple[Path, whoosh_index.Index]:
    """The live index, checked against the current analysis version."""
    path = live_dir(home)
    if path is None:
        raise IndexUnavailable("there is no search index yet: run 'reslib reindex'")
    check_versions(path)
    return path, _storage(path).open_index()


def _storage(path: Path) -> FileStorage:
    """The index directory, read through ordinary files rather than mmap.

    Whoosh 2.7.4 wraps each mmapped segment file in a ``BytesIO``, which copies it whole: at
    50,000 records every searcher opened took 0.6 s and 1.6 GB (one per server thread).
    Through files it opens in milliseconds, reads only the blocks a query needs (the OS
    page cache keeps them), and searches no slower (measured on the 50,000-record index).
    """
    return FileStorage(str(path), supports_mmap=False)


def index_status(home: Home) -> dict[str, Any]:
    """What ``reslib reindex --status`` reports: where, when, how many, and whether usable."""
    path = live_dir(home)
    if path is None:
        return {"index": None, "usable": False, "message": "no index: run 'reslib reindex'"}
    meta = _read_meta(path)
    try:
        check_versions(path)
    except IndexUnavailable as exc:
        return {"index": str(path), "usable": False, "message": exc.message, **meta}
    ix = _storage(path).open_index()
    with ix.searcher() as s:
        count = s.doc_count()
    return {"index": str(path), "usable": True, "documents": count, **meta}


# -- building --------------------------------------------------------------------------


@dataclass
class BuildReport:
    """What a rebuild did."""

    path: Path
    records: int
    caught_up: int
    seconds: float
    skipped: list[str]

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": str(self.path),
            "records": self.records,
            "caught_up": self.caught_up,
            "seconds": round(self.seconds, 3),
            "records_per_second": round(self.rate, 1),
            "skipped": self.skipped,
        }


def _record_mtimes(home: Home) -> dict[str, int]:
    out: dict[str, int] = {}
    if not home.records.is_dir():
        return out
    with os.scandir(home.records) as it:
        for entry in it:
            if entry.name.endswith(".json") and not entry.name.startswith("."):
                with contextlib.suppress(FileNotFoundError):
                    out[entry.name[:-5]] = entry.stat().st_mtime_ns
    return out


def _read_records(
    catalogue: Catalogue, ids: list[str], skipped: list[str]
) -> Iterator[tuple[str, Record]]:
    for record_id in ids:
        try:
            yield record_id, catalogue.get(record_id)
        except NotFound:
            continue  # removed since listed: the catch-up deletes it
        except InvalidInput as exc:
            # One unreadable file must not leave the library without search: 'reslib check'
            # reports it in full.
            skipped.append(exc.message)


def rebuild(
    home: Home,
    *,
    procs: int = 1,
    limitmb: int = 2048,
    segment_records: int = SEGMENT_RECORDS,
    progress: Callable[[int, int], None] | None = None,
    locked: bool = False,
) -> BuildReport:
    """Build a new index from ``library/`` and make it the live one atomically.

    ``procs`` > 1 uses Whoosh's multiprocessing writer (one segment per process and round of
    ``segment_records`` records per process); ``limitmb`` is each writer's posting buffer.
    ``locked`` says the caller holds the library lock already (it is not re-entrant).
    """
    start = time.perf_counter()
    home.indexes.mkdir(parents=True, exist_ok=True)
    catalogue = Catalogue(home)
    # Time-ordered, unique even for two builds in the same second.
    path = Path(tempfile.mkdtemp(prefix=f"ix-{time.strftime('%Y%m%d-%H%M%S')}-", dir=home.indexes))
    name = path.name
    try:
        ix = FileStorage(str(path)).create_index(build_schema())
        # Stat before reading: a record saved after the stat has a newer mtime, so the
        # catch-up below cannot miss it.
        seen = _record_mtimes(home)
        ids = sorted(seen)
        skipped: list[str] = []
        lexicon: Counter[str] = Counter()
        records = _read_records(catalogue, ids, skipped)
        count = 0
        # One writer per round of ``procs * segment_records`` records, each committed without
        # merging: every process's segment stays small enough to be sorted in memory.
        rounds = max(1, -(-len(ids) // (procs * segment_records)))
        per_round = -(-len(ids) // rounds) if ids else 0
        for _ in range(rounds):
            if procs > 1:
                writer = ix.writer(
                    procs=procs, multisegment=True, limitmb=limitmb, codec=FastLengthsCodec()
                )
            else:
                writer = ix.writer(limitmb=limitmb, codec=FastLengthsCodec())
            try:
                for _, record in islice(records, per_round):
                    writer.add_document(**document(record))
                    lexicon.update(lexicon_words(record))
                    count += 1
                    if progress and count % 100 == 0:
                        progress(count, len(ids))
                writer.commit(merge=False)
            except BaseException:
                writer.cancel()
                raise
        indexed = ix.doc_count_all()
        if indexed != count:
            # Whoosh's multiprocessing writer drops the segment of a worker that failed
            # (its traceback is on stderr) and commits the rest: never swap that in.
            raise ReslibError(f"indexing failed: {indexed} of {count} records were indexed")
        _write_lexicon(path, lexicon)
        _write_meta(path, count)
        lock = (
            contextlib.nullcontext()
            if locked or not home.library.is_dir()
            else library_lock(home.library)
        )
        with lock:
            caught_up = _catch_up(home, ix, catalogue, seen)
            previous = live_dir(home)
            write_atomic(home.indexes / POINTER, name + "\n")
        _remove_old(home, keep={name, previous.name if previous else name})
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    if progress:
        progress(count, len(ids))
    return BuildReport(path, count, caught_up, time.perf_counter() - start, skipped)


def lexicon_words(record: Record) -> list[str]:
    """The words a record adds to the "did you mean" lexicon."""
    return spelling_words(_content(record))


def _write_lexicon(path: Path, counts: Counter[str]) -> None:
    lines = "".join(f"{w}\t{n}\n" for w, n in sorted(counts.items()))
    write_atomic(path / LEXICON, lines)


def read_lexicon(path: Path) -> Counter[str]:
    """The lexicon of the index at ``path``: word -> occurrences in the library."""
    counts: Counter[str] = Counter()
    try:
        text = (path / LEXICON).read_text("utf-8")
    except FileNotFoundError:
        return counts
    for line in text.splitlines():
        word, _, n = line.partition("\t")
        if word:
            counts[word] = int(n or 1)
    return counts


def add_to_lexicon(path: Path, records: Iterable[Record]) -> None:
    """Add the words of updated records. Words of removed or edited text stay: an extra
    known word only means one suggestion fewer, while recounting needs the old text."""
    added: Counter[str] = Counter()
    for record in records:
        added.update(lexicon_words(record))
    if not added:
        return
    counts = read_lexicon(path)
    if all(w in counts for w in added):
        return  # nothing new: the counts only order suggestions, no need to rewrite
    counts.update(added)
    _write_lexicon(path, counts)


def _write_meta(path: Path, records: int) -> None:
    meta = {
        "analysis_version": ANALYSIS_VERSION,
        "schema_version": SCHEMA_VERSION,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "records": records,
    }
    write_atomic(path / META, json.dumps(meta, indent=2) + "\n")


def _catch_up(
    home: Home, ix: whoosh_index.Index, catalogue: Catalogue, seen: dict[str, int]
) -> int:
    """Apply what changed in ``library/`` while the build ran (called under the lock)."""
    now_ = _record_mtimes(home)
    changed = [i for i, m in now_.items() if seen.get(i) != m]
    removed = [i for i in seen if i not in now_]
    if not changed and not removed:
        return 0
    writer = ix.writer(codec=FastLengthsCodec())
    try:
        for record_id in removed:
            writer.delete_by_term("id", record_id)
        records = [record for _, record in _read_records(catalogue, changed, [])]
        for record in records:
            writer.update_document(**document(record))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    add_to_lexicon(Path(ix.storage.folder), records)
    return len(changed) + len(removed)


def _remove_old(home: Home, keep: set[str]) -> None:
    for child in home.indexes.iterdir():
        if child.is_dir() and child.name.startswith("ix-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


# -- incremental updates ----------------------------------------------------------------


class IndexUpdater:
    """A catalogue listener that keeps the live index in step with every save and removal.

    With no index yet, the first change builds one from the whole library (which already
    holds the change). An index built by an older analysis is left alone: searches report
    it and ask for a reindex, and mixing documents of two analyses would be worse.

    Inside ``Catalogue.batch()`` (an import) changes are collected and committed once at the
    end: a Whoosh commit writes a segment, and a thousand one-record segments are slow.
    """

    def __init__(self, home: Home) -> None:
        self.home = home
        #: Record id -> record to index, or None to delete; None outside a batch.
        self._pending: dict[str, Record | None] | None = None

    def batch_begin(self) -> None:
        self._pending = {}

    def batch_end(self) -> None:
        pending, self._pending = self._pending, None
        if pending:
            self._apply(pending)

    def record_saved(self, record: Record) -> None:
        if self._pending is not None:
            self._pending[record.id] = record
        else:
            self._apply({record.id: record})

    def record_removed(self, record_id: str) -> None:
        if self._pending is not None:
            self._pending[record_id] = None
        else:
            self._apply({record_id: None})

    def _apply(self, changes: dict[str, Record | None]) -> None:
        path = live_dir(self.home)
        if path is None:
            rebuild(self.home, locked=True)
            return
        try:
            check_versions(path)
        except IndexUnavailable:
            return
        writer = FileStorage(str(path)).open_index().writer(timeout=30.0, codec=FastLengthsCodec())
        try:
            for record_id, record in changes.items():
                if record is None:
                    writer.delete_by_term("id", record_id)
                else:
                    writer.update_document(**document(record))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        add_to_lexicon(path, [r for r in changes.values() if r is not None])


# -- searching ---------------------------------------------------------------------------


@dataclass
class Snapshot:
    """A searcher on one generation of the live index; ``key`` names that generation."""

    key: tuple[str, int]
    searcher: Searcher

    def __post_init__(self) -> None:
        # The searcher holds open files: close them when the thread that owns the snapshot
        # ends, as well as when a new generation replaces it (at most once either way).
        self.close = weakref.finalize(self, self.searcher.close)


_local = threading.local()


def snapshot(home: Home) -> Snapshot:
    """This thread's searcher for the live index, reopened when the generation changed."""
    path, ix = open_live(home)
    key = (str(path), ix.latest_generation())
    cache: dict[Path, Snapshot] = _local.__dict__.setdefault("snapshots", {})
    current = cache.get(home.root)
    if current is not None and current.key == key:
        return current
    if current is not None:
        # Closing releases this thread's file handles; other threads hold their own.
        current.close()
    snap = Snapshot(key, ix.searcher())
    cache[home.root] = snap
    return snap
