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
import io
import json
import multiprocessing
import os
import pickle
import shutil
import tempfile
import threading
import time
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import RegexTokenizer
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .analysis import ANALYSIS_VERSION, english_analyzer, syllable_analyzer, word_analyzer
from .analysis.terms import StreamText, bigram_analyzer, spelling_words, title_analyzer
from .catalogue import Catalogue
from .config import Home
from .errors import InvalidInput, NotFound, ReslibError
from .models import Record
from .storage import library_lock, write_atomic

#: Bump when the schema or the way a record becomes a document changes.
#: 2: no ``spell`` field (the lexicon file replaces it), no ``words`` field, terms from one
#: analysis pass per record.
#: 3: ``title_words``: ICU dictionary words of the title and organization names.
#: 4: ``bigrams`` positions packed as integers (``PackedPositions``), not pickled.
SCHEMA_VERSION = 4
POINTER = "CURRENT"
META = "reslib-index.json"
#: The "did you mean" lexicon: ``word<TAB>occurrences`` lines, sorted by word. A file rather
#: than an index field: the field cost ~160 postings per record, and suggestions only need the
#: word list and its counts.
LEXICON = "reslib-lexicon.tsv"
#: Records per segment in a rebuild (at most). A segment's postings are held in memory until
#: it is written (~70 MB per 1,000 records); a rebuild's segments are never merged.
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


#: Posting blocks of at most this many postings are written uncompressed.
SMALL_BLOCK = 4


class SmallBlocksPlainWriter(W3PostingsWriter):  # type: ignore[misc]
    """Whoosh's postings writer, leaving small blocks uncompressed.

    Whoosh compresses every block with zlib (its check meant to skip blocks under 20 bytes
    is overwritten by the next line). Most terms of a segment have one or two postings:
    zlib makes such a block longer, and starting a compressor (~10 µs) was the largest
    single cost of writing a segment. The reader reads each block's compression flag.
    """

    def _write_block(self, last: bool = False) -> None:
        if len(self._ids) > SMALL_BLOCK:
            super()._write_block(last)
            return
        compression, self._compression = self._compression, 0
        try:
            super()._write_block(last)
        finally:
            self._compression = compression


#: Bytes read at once for a posting block's header: its length and a pickled 6-tuple
#: (about 40 bytes); a header that does not fit is read Whoosh's way.
_HEADER_READ = 96


class OneReadLeafMatcher(W3LeafMatcher):  # type: ignore[misc]
    """Whoosh's on-disk postings matcher, reading each block's header in one read.

    Whoosh unpickles the header straight from the segment file: about twenty ``read``
    calls of a few bytes, each through the compound-file layers (~1.5 µs apiece), for every
    block a query visits. Here the header's bytes are fetched once and unpickled from
    memory; the state set is the one Whoosh's ``_goto`` sets.
    """

    def _goto(self, position: int) -> None:
        head = self._postfile.get(position, _HEADER_READ)
        buf = io.BytesIO(head)
        buf.seek(_INT_SIZE)
        try:
            info = pickle.load(buf)
        except (pickle.UnpicklingError, EOFError):  # a short read: the file's end, or a long header
            super()._goto(position)
            return
        self._data = None
        self._ids = None
        self._weights = None
        self._values = None
        self._i = 0
        length = unpack_int(head[:_INT_SIZE])[0]
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + _INT_SIZE + length
        self._dataoffset = position + buf.tell()
        (self._blocklength, self._maxid, self._maxweight, self._compression, mnlen, mxlen) = info
        self._minlength = byte_to_length(mnlen)
        self._maxlength = byte_to_length(mxlen)


class FastLengthsCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's default codec, reading field lengths through ``LengthsInMemory``, posting
    blocks through ``OneReadLeafMatcher``, and writing small posting blocks uncompressed
    (``SmallBlocksPlainWriter``).

    Segments remember the codec that wrote them, so this class must stay importable here.
    """

    def per_document_reader(self, storage: Any, segment: Any) -> LengthsInMemory:
        return LengthsInMemory(storage, segment)

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return OneReadLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> SmallBlocksPlainWriter:
        return SmallBlocksPlainWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


#: One field's postings while a segment is built: term -> (document numbers, weights, values).
_FieldPostings = dict[bytes, tuple[list[int], list[float], list[bytes]]]


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A Whoosh segment writer for rebuilds: postings kept per term, written a block at a time.

    Whoosh's writer sends each posting through a sorting pool as a 5-tuple and then through
    ``add_posting`` one by one, several Python calls per posting (~6 µs; a record has
    ~1,000 postings and most terms of a segment have few). Here a posting is three appends
    to its term's lists (lists: appending to an ``array`` costs twice as much, and the
    values appended are shared objects, a document number per document and the counts'
    weights and encodings); at the end each term's postings go to Whoosh's own postings writer
    a block (``blocklimit`` postings) at a time, with the block statistics it would have
    computed, so the segment files are the ones Whoosh writes.

    It takes no lock: a rebuild's committing writer holds the index lock for all of them.
    """

    def __init__(self, ix: whoosh_index.Index, codec: W3Codec) -> None:
        super().__init__(ix, _lk=False, codec=codec)
        self._postings: dict[str, _FieldPostings] = {}
        #: field -> document number -> field length (as Whoosh stores it: a rounded byte).
        self._lengths: dict[str, dict[int, int]] = {}

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                terms = self._postings.setdefault(name, {})
                for tbytes, freq, weight, vbytes in field.index(value):
                    entry = terms.get(tbytes)
                    if entry is None:
                        entry = terms[tbytes] = ([], [], [])
                    entry[0].append(docnum)
                    entry[1].append(weight)
                    entry[2].append(vbytes)
                    length += freq
                if not field.scorable:
                    length = 0
                if length:
                    lengths = self._lengths.setdefault(name, {})
                    lengths[docnum] = _BYTE_TO_LENGTH[length_to_byte(length)]
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        blocklimit = self.codec._blocklimit
        for name in sorted(self._postings):
            terms = self._postings[name]
            if not terms:
                continue  # as Whoosh: a field without postings is not started
            lengths = self._lengths.get(name, {})
            fieldwriter.start_field(name, self.schema[name])
            for tbytes in sorted(terms):
                ids, weights, values = terms[tbytes]
                fieldwriter.start_term(tbytes)
                block = fieldwriter._postwriter
                count = len(ids)
                for i in range(0, count, blocklimit):
                    if i:
                        block._write_block()  # the previous block (the last: finish_term)
                    if count <= blocklimit:  # most terms: no slicing
                        block_ids, block_weights, block_values = ids, weights, values
                    else:
                        block_ids = ids[i : i + blocklimit]
                        block_weights = weights[i : i + blocklimit]
                        block_values = values[i : i + blocklimit]
                    block._ids = block_ids
                    block._weights = array("f", block_weights)
                    block._values = list(filter(None, block_values))
                    known = list(filter(None, map(lengths.get, block_ids)))
                    block._minlength = min(known) if known else None
                    block._maxlength = max(known) if known else 0
                    block._maxweight = max(0, max(block_weights))
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        fieldwriter.close()
        self._postings = {}
        self._lengths = {}


class IndexUnavailable(ReslibError):
    """There is no usable index: the message says to run ``reslib reindex``."""

    http_status = 503


def _values_field() -> KEYWORD:
    # One term per value, case and spaces kept: these terms are the facet values shown.
    return KEYWORD(analyzer=RegexTokenizer(f"[^{VALUE_SEP}]+"))


def build_schema() -> Schema:
    """The fields of one record's document.

    Matching: ``syllables`` (Burmese syllables, numbers), ``english`` (stems), ``bigrams``
    (token pairs with positions: phrases). Ranking aids, boosted at query time:
    ``title_terms`` and ``org_terms`` (tokens and token pairs), ``title_words`` (ICU
    dictionary words of the title and organization names). The suggestion lexicon is a file
    (``LEXICON``). The content fields take their terms from one analysis pass per record
    (``StreamText``).

    ICU words are indexed for the title and organization names only, the short text where a
    whole-word match says most: a title holding the word ranks above one holding its
    syllables across a word boundary, which syllable bigrams cannot tell apart. Over the
    whole text (the ``words`` field of the analysis issue) they cost ~200 postings per
    record, a sixth of indexing time, and an OR of boost terms over large posting lists per
    Burmese query, for the same success@10 in ``benchmarks/relevance.py`` (MRR 0.861 ->
    0.860 Unicode, 0.840 -> 0.836 Zawgyi, 0.880 -> 0.883 for ဝ/၀ without them).
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
        title_words=TEXT(analyzer=word_analyzer(), phrase=False),
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
    doc["title_words"] = "\n".join([record.title, *record.organizations])
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
    segment_records: int = SEGMENT_RECORDS,
    progress: Callable[[int, int], None] | None = None,
    locked: bool = False,
) -> BuildReport:
    """Build a new index from ``library/`` and make it the live one atomically.

    The records are split into segments of at most ``segment_records`` (a multiple of
    ``procs`` of them, equal in size); ``procs`` > 1 builds them in that many worker
    processes, each reading its own records. ``locked`` says the caller holds the library
    lock already (it is not re-entrant).
    """
    start = time.perf_counter()
    home.indexes.mkdir(parents=True, exist_ok=True)
    # Time-ordered, unique even for two builds in the same second.
    path = Path(tempfile.mkdtemp(prefix=f"ix-{time.strftime('%Y%m%d-%H%M%S')}-", dir=home.indexes))
    name = path.name
    try:
        ix = FileStorage(str(path)).create_index(build_schema())
        # Stat before reading: a record saved after the stat has a newer mtime, so the
        # catch-up below cannot miss it.
        seen = _record_mtimes(home)
        ids = sorted(seen)
        built = _build_segments(home, path, ids, procs, segment_records, progress)
        count = sum(b.records for b in built)
        lexicon: Counter[str] = Counter()
        for b in built:
            lexicon.update(b.lexicon)
        _write_lexicon(path, lexicon)
        _write_meta(path, count)
        lock = (
            contextlib.nullcontext()
            if locked or not home.library.is_dir()
            else library_lock(home.library)
        )
        with lock:
            caught_up = _catch_up(home, ix, Catalogue(home), seen)
            previous = live_dir(home)
            write_atomic(home.indexes / POINTER, name + "\n")
        _remove_old(home, keep={name, previous.name if previous else name})
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    if progress:
        progress(count, len(ids))
    skipped = [message for b in built for message in b.skipped]
    return BuildReport(path, count, caught_up, time.perf_counter() - start, skipped)


def _build_segments(
    home: Home,
    path: Path,
    ids: list[str],
    procs: int,
    segment_records: int,
    progress: Callable[[int, int], None] | None,
) -> list[SegmentBuilt]:
    """Index ``ids`` into segments of the new index at ``path`` and commit them.

    One writer holds the index lock and commits the table of contents naming every
    segment, as Whoosh's own multiprocessing writer does with ``multisegment=True``.
    """
    # Equal chunks, as many as a multiple of ``procs``: no worker is left alone at the end.
    procs = max(1, min(procs, -(-len(ids) // 100) if ids else 1))
    tasks = procs * max(1, -(-len(ids) // (procs * segment_records)))
    size = -(-len(ids) // tasks) if ids else 0
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)] if ids else []
    ix = FileStorage(str(path)).open_index()
    writer = ix.writer(codec=FastLengthsCodec())
    try:
        if procs == 1:
            done = 0

            def tick(n: int) -> None:
                nonlocal done
                done += n
                if progress:
                    progress(done, len(ids))

            built = [build_segment(home, path, chunk, tick) for chunk in chunks]
        else:
            built = _build_in_workers(home, path, chunks, procs, progress, len(ids))
        segments = [b.segment for b in built if b.segment is not None]
        indexed = sum(s.doc_count_all() for s in segments)
        count = sum(b.records for b in built)
        if indexed != count:  # never swap in an index that lost records
            raise ReslibError(f"indexing failed: {indexed} of {count} records were indexed")
        # What Whoosh's multiprocessing writer does with its workers' segments.
        writer._close_segment()
        writer._commit_toc(list(writer.segments) + segments)
        writer._finish()
    except BaseException:
        writer.cancel()
        raise
    return built


@dataclass
class SegmentBuilt:
    """What ``build_segment`` hands back: the Whoosh segment (None without records), the
    number of records in it, their lexicon words and the files it could not read."""

    segment: Any
    records: int
    lexicon: Counter[str]
    skipped: list[str]


#: Records between two progress reports of a segment build.
PROGRESS_EVERY = 100


def build_segment(
    home: Home, path: Path, ids: list[str], tick: Callable[[int], None] | None = None
) -> SegmentBuilt:
    """Index the records ``ids`` into one new, uncommitted segment of the index at ``path``.

    Runs in a worker process of a parallel rebuild: it reads the records itself (no
    documents pickled between processes) and counts their lexicon words. ``tick(n)`` is
    told every ``PROGRESS_EVERY`` records.
    """
    ix = FileStorage(str(path)).open_index()
    writer = BulkSegmentWriter(ix, codec=FastLengthsCodec())
    lexicon: Counter[str] = Counter()
    skipped: list[str] = []
    count = 0
    for _, record in _read_records(Catalogue(home), ids, skipped):
        writer.add_document(**document(record))
        lexicon.update(lexicon_words(record))
        count += 1
        if tick and count % PROGRESS_EVERY == 0:
            tick(PROGRESS_EVERY)
    if tick and count % PROGRESS_EVERY:
        tick(count % PROGRESS_EVERY)
    if count:
        segment = writer._finalize_segment()
    else:
        writer._close_segment()
        segment = None
    return SegmentBuilt(segment, count, lexicon, skipped)


#: A worker's count of indexed records, shared with the parent (set by ``_init_worker``).
_worker_done: Any = None


def _init_worker(done: Any) -> None:
    global _worker_done
    _worker_done = done


def _worker_tick(n: int) -> None:
    with _worker_done.get_lock():
        _worker_done.value += n


def _build_worker(home: Home, path: Path, ids: list[str]) -> SegmentBuilt:
    return build_segment(home, path, ids, _worker_tick)


def _build_in_workers(
    home: Home,
    path: Path,
    chunks: list[list[str]],
    procs: int,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> list[SegmentBuilt]:
    """``build_segment`` for each chunk in ``procs`` forked processes, results in order."""
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    with ProcessPoolExecutor(
        max_workers=procs, mp_context=context, initializer=_init_worker, initargs=(done,)
    ) as pool:
        futures = [pool.submit(_build_worker, home, path, chunk) for chunk in chunks]
        pending = set(futures)
        try:
            while pending:
                finished, pending = wait(pending, timeout=0.5, return_when=FIRST_EXCEPTION)
                for future in finished:
                    future.result()  # the worker's exception, if it raised one
                if progress:
                    progress(done.value, total)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
        return [f.result() for f in futures]


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
