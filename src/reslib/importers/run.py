"""The import run: files in, records out, with the library lock held only to write.

Each file (``walk``) is read, given to its parser (``detect.FORMATS``) and its items prepared
(``prepare``: defaults, language, control characters, normalization), all under the file's
budget of size and time (``budget``) and outside the library lock: a slow or hostile file
never keeps other librarians waiting. Parsed documents are gathered into a group; when the
group is full the run takes the lock, reads the records other writers created meanwhile,
writes the group's documents (``write``: match, merge, save) and lets the index commit them
together (``Catalogue.batch``), then lets go of the lock.

Why groups, and not one index commit per run: the index updater applies changes under the
library lock (a rebuild's catch-up and swap run under it), and a batch held open across
lock releases would commit, at the end, versions of records that another writer may have
saved in between. Why not one lock hold per document: each hold ends with an index commit,
and a commit per page of a folder of a thousand pages costs more than reading the pages. A
group ends at ``WRITE_GROUP_ITEMS`` items, ``WRITE_GROUP_BYTES`` of input or
``WRITE_GROUP_SECONDS`` of reading, whichever comes first; most runs are one group.

A manifest read in the command's process (any but the small ones of a folder read in
workers) is read a chunk of rows at a time (``manifest``): checked whole first, so a
repeated ``--key`` value or an unknown column refuses it before anything is written, then
each chunk parsed, prepared and written as a group of its own, so the run's memory follows
the chunk, not the file. Each chunk has the file's time budget; a chunk that runs out of it
(or a file changed in place meanwhile) stops the file there, the chunks before it written.

Ctrl-C is held back while a document's records are written (``interrupt``), so an
interrupted import leaves whole documents and nothing half-done. Ctrl-C while reading writes
the documents read so far, then stops; a second Ctrl-C stops after the document being
written. A chunk of a manifest is a document here: Ctrl-C between chunks leaves the chunks
written, and the log names their records only.

A run that changes the library leaves its log, ``library/imports/RUN.json`` (``log``): what
it created and updated, with the previous values, for ``reslib imports undo``. With
``--key`` (``keys``) a manifest's rows are matched to records by one column's value.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings
from ..catalogue import Catalogue
from ..errors import Conflict, InvalidInput, ReslibError
from ..models import Record, normalize_language, normalize_type
from ..storage import synced_together
from .base import Document, Item, ParseOptions, SkipFile, one_line
from .budget import read_head, time_limit
from .detect import FORMATS, detect_format
from .interrupt import deferred_interrupt
from .keys import MANIFEST_FORMATS, apply_key, key_column
from .log import RunLog
from .manifest import ManifestStream
from .matching import KnownRecords
from .merge import checksum
from .prepare import (
    Prepared,
    file_sha256,
    imported_values,
    prepare_document,
    warm_up,
    workers,
)
from .reading import OrderedReads, ordered_reads
from .staging import StagedRecordFiles, staged_records
from .summary import ImportSummary
from .walk import MAX_BYTES, collect_files, read_file
from .write import IMPORTED_FIELDS, DocumentWriter, provenance

__all__ = [
    "IMPORTED_FIELDS",
    "MAX_BYTES",
    "ImportOptions",
    "Importer",
    "checksum",
    "collect_files",
    "deferred_interrupt",
    "file_sha256",
    "import_paths",
    "imported_values",
    "provenance",
]

#: A group of parsed documents is written (under one hold of the lock, with one index
#: commit) when it holds this many items, ...
WRITE_GROUP_ITEMS = 200
#: ... or this many bytes of input were read for it, ...
WRITE_GROUP_BYTES = 64 * 2**20
#: ... or its first document was read this many seconds ago.
WRITE_GROUP_SECONDS = 2.0


def _max_bytes() -> int:
    return int(settings.get("import_file_mb")) * 2**20


def _seconds() -> float:
    return float(settings.get("import_file_seconds"))


@dataclass
class ImportOptions:
    """The choices of one run (the CLI's options).

    ``max_bytes`` and ``seconds``: the budget of each file (default: the settings
    ``RESLIB_IMPORT_FILE_MB`` and ``RESLIB_IMPORT_FILE_SECONDS``); ``allowed_dirs``: folders
    besides a manifest's own whose files its ``file`` column may name; ``key``: the column
    that matches rows to records (``keys``); ``by``: who runs the import, for its log
    (default: the login name).
    """

    type: str | None = None
    language: str | None = None
    organizations: list[str] = field(default_factory=list)
    format: str | None = None
    dry_run: bool = False
    ignore_extra: bool = False
    max_bytes: int = field(default_factory=_max_bytes)
    seconds: float = field(default_factory=_seconds)
    allowed_dirs: list[Path] = field(default_factory=list)
    key: str | None = None
    by: str | None = None
    #: ``--no-ocr``: False. ``ocr_progress``: told each OCR'd page (file, done, to do).
    ocr: bool = True
    ocr_progress: Callable[[str, int, int], None] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.key:
            self.key = key_column(self.key)
        if self.type:
            self.type = normalize_type(self.type)
        if self.language:
            self.language = normalize_language(self.language)
        if self.format and self.format not in FORMATS:
            raise InvalidInput(f"unknown format {self.format!r}: use one of {', '.join(FORMATS)}")
        self.allowed_dirs = [Path(d) for d in self.allowed_dirs]
        for folder in self.allowed_dirs:
            if not folder.is_dir():
                raise InvalidInput(f"{folder}: no such folder (for files manifests name)")

    def for_log(self, paths: list[Path]) -> dict[str, object]:
        """The run's choices as its log keeps them (paths made absolute)."""
        return {
            "paths": [str(p.absolute()) for p in paths],
            "type": self.type,
            "language": self.language,
            "organizations": self.organizations,
            "format": self.format,
            "key": self.key,
            "ignore_extra": self.ignore_extra,
            "files_from": [str(d.absolute()) for d in self.allowed_dirs],
            "max_bytes": self.max_bytes,
            "seconds": self.seconds,
            "ocr": self.ocr,
        }


@dataclass
class _Read:
    """A file read and parsed, waiting to be written."""

    path: Path
    doc: Document
    prepared: list[Prepared | None]
    size: int


@dataclass
class _Outcome:
    """What reading a file gave: the file parsed, or the reason it is skipped; and the
    bytes read with their format, for the run's log."""

    read: _Read | None = None
    skip: str | None = None
    #: The file's size, sha256 and format, for the run's log.
    logged: tuple[int, str, str] | None = None
    #: A manifest checked whole, to be read a chunk at a time (``manifest``).
    stream: ManifestStream | None = None


@dataclass
class _Group:
    """Documents read and not yet written (see the module docstring)."""

    docs: deque[_Read] = field(default_factory=deque)
    items: int = 0
    size: int = 0
    started: float = 0.0

    def add(self, read: _Read) -> None:
        if not self.docs:
            self.items, self.size, self.started = 0, 0, time.monotonic()
        self.docs.append(read)
        self.items += len(read.doc.items)
        self.size += read.size

    def full(self) -> bool:
        return bool(self.docs) and (
            self.items >= WRITE_GROUP_ITEMS
            or self.size >= WRITE_GROUP_BYTES
            or time.monotonic() - self.started >= WRITE_GROUP_SECONDS
        )


class Importer:
    """One import run over a catalogue (see the module docstring)."""

    def __init__(
        self,
        catalogue: Catalogue,
        options: ImportOptions | None = None,
        progress: Callable[[Path], None] | None = None,
    ) -> None:
        self.options = options or ImportOptions()
        # A dry run works on a private copy of the authority file, so the caller's catalogue
        # is left exactly as it was.
        self.catalogue = Catalogue(catalogue.home) if self.options.dry_run else catalogue
        self.progress = progress
        self.summary = ImportSummary(dry_run=self.options.dry_run)
        self.known = KnownRecords(self.catalogue)
        self.log: RunLog | None = None
        self.writer = DocumentWriter(self.catalogue, self.known, self.options, self.summary)
        self._parse_options = ParseOptions(
            read_author_line=self.catalogue.organizations.read_author_line,
            resolve_organization=lambda n: self.catalogue.organizations.resolve(n) is not None,
            ignore_extra=self.options.ignore_extra,
            allowed_dirs=tuple(self.options.allowed_dirs),
            max_bytes=self.options.max_bytes,
            seconds=self.options.seconds,
            key_column=self.options.key or "",
            ocr=self.options.ocr,
            ocr_progress=self.options.ocr_progress,
            imported_as=self._imported_as,
        )
        self._stopped_writing = False
        self._written_groups = 0

    # -- the run -----------------------------------------------------------------------------
    def run(self, paths: Iterable[str | Path]) -> ImportSummary:
        given = [Path(p) for p in paths]
        if not self.options.dry_run:
            self.log = self.writer.log = RunLog(
                self.catalogue.home, self.options.for_log(given), self.options.by
            )
        try:
            return self._run(given)
        finally:
            gc.unfreeze()
            self._finish_log()

    def _finish_log(self) -> None:
        if self.log is None:
            return
        try:
            if self.log.finish(self.summary) is not None:
                self.summary.run = self.log.run_id
        finally:
            self.log.close()

    def _run(self, given: list[Path]) -> ImportSummary:
        files = collect_files(given, self.summary)
        group = _Group()
        try:
            self.known.load()
            reads = ordered_reads(
                files, self._parse, workers(), _crashed, warm_up, read_here=self._parse_here
            )
            for path, outcome in reads:
                read = self._take(path, outcome)
                if read is not None:
                    group.add(read)
                elif outcome.stream is not None:
                    self._stream(outcome.stream, group, reads)
                if self.progress:
                    self.progress(path)
                self._write_if_full(group, reads)
            self._write_group(group)
        except KeyboardInterrupt:
            self.summary.interrupted = True
            if not self._stopped_writing:
                # Interrupted while reading: what was read is written, then the run stops.
                with contextlib.suppress(KeyboardInterrupt):
                    self._write_group(group)
        except Conflict as exc:
            if not self._written_groups:
                raise  # Nothing written: the lock error is the command's answer, as it was.
            for read in group.docs:
                self.summary.skip(str(read.path), f"not imported: {exc.message}")
            self.summary.notes.append("the run stopped: the library lock could not be had")
        return self.summary

    def _write_if_full(self, group: _Group, reads: OrderedReads[_Outcome]) -> None:
        if group.full():
            authority = self._authority_version()
            self._write_group(group)
            if self._authority_version() != authority:
                reads.restart()  # files read ahead saw the authority file before it

    def _stream(self, stream: ManifestStream, group: _Group, reads: OrderedReads[_Outcome]) -> None:
        """A manifest's chunks read, prepared and written as they come (``manifest``)."""
        chunks = stream.chunks()
        try:
            while (read := self._next_chunk(stream, chunks)) is not None:
                group.add(read)
                self._write_if_full(group, reads)
        finally:
            chunks.close()
            stream.close()

    def _next_chunk(self, stream: ManifestStream, chunks: Iterator[Document]) -> _Read | None:
        """The next chunk parsed and prepared under the file's time budget; None at the
        end, or when the file stops (the reason is in the summary)."""
        try:
            with time_limit(self.options.seconds):
                doc = next(chunks, None)
                if doc is None:
                    return None
                if self.options.key:
                    apply_key(doc, self.options.key)
                prepared = prepare_document(doc, self.options)
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:  # as ``_parse``: the file stops, the run goes on
            self.summary.skip(str(stream.path), stream.stopped(_reason(exc)))
            return None
        return _Read(stream.path, doc, prepared, size=0)

    def _imported_as(self, key: str) -> Record | None:
        """The record an item of import key ``key`` was imported as (``ParseOptions``)."""
        record_id = self.known.match(Item(key=key, title=""))
        if record_id is None:
            return None
        try:
            return self.known.get(record_id)
        except ReslibError:
            return None  # An unreadable record: 'reslib check' reports it.

    def _authority_version(self) -> int:
        """When the authority file was last written (0: never)."""
        try:
            return self.catalogue.organizations.path.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    def _parse_here(self, path: Path) -> _Outcome:
        """``_parse`` in the command's process: a manifest is checked whole and left to be
        read a chunk at a time (``_stream``)."""
        return self._parse(path, stream=True)

    def _parse(self, path: Path, *, stream: bool = False) -> _Outcome:
        """The file parsed and its items prepared, or the reason it is skipped; touches
        nothing of the run, so a worker process can do it (``reading``)."""
        outcome = _Outcome()
        try:
            with time_limit(self.options.seconds):
                if stream and (manifest := self._manifest(path)) is not None:
                    try:
                        manifest.check(self.options.max_bytes)
                    finally:
                        if self.log is not None and manifest.sha256:
                            outcome.logged = (manifest.size, manifest.sha256, manifest.fmt)
                    outcome.stream = manifest
                    return outcome
                data = read_file(path, self.options.max_bytes)
                size = len(data)
                fmt = self.options.format or detect_format(path, data[:8192])
                if self.log is not None:
                    outcome.logged = (size, hashlib.sha256(data).hexdigest(), fmt)
                document = FORMATS[fmt](path, data, self._parse_options)
                del data  # the bytes, not held while the items are prepared and written
                if self.options.key:
                    apply_key(document, self.options.key)
                prepared = prepare_document(document, self.options)
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:  # One strange file must not end a run of thousands.
            outcome.skip = _reason(exc)
            return outcome
        outcome.read = _Read(path, document, prepared, size)
        return outcome

    def _manifest(self, path: Path) -> ManifestStream | None:
        """``path`` to be read a chunk at a time, if it is a manifest; else None."""
        head = read_head(path, self.options.max_bytes)
        fmt = self.options.format or detect_format(path, head)
        if fmt not in MANIFEST_FORMATS:
            return None
        return ManifestStream(path, fmt, self._parse_options)

    def _take(self, path: Path, outcome: _Outcome) -> _Read | None:
        """Count a file parsed (``_parse``), log it, and note or skip it in the summary."""
        self.summary.files += 1
        if self.log is not None and outcome.logged is not None:
            self.log.file(path, *outcome.logged)
        if outcome.stream is not None:
            return None  # Read a chunk at a time by the run (``_stream``).
        if outcome.read is None:
            self.summary.skip(str(path), outcome.skip or "could not be read")
            return None
        self.summary.notes += [f"{path}: {n}" for n in outcome.read.doc.notes]
        return outcome.read

    def _write_group(self, group: _Group) -> None:
        """Write the group's documents under one hold of the lock, one index commit.

        The record files are staged and made durable together (``staging``); the run's log
        is written after each flush, so it names only records renamed into place.
        """
        if not group.docs:
            return
        if self.options.dry_run:
            with self.catalogue.batch():
                self._write_documents(group, None)
            return
        # The staged records are flushed (and every folder fsynced) before the batch ends,
        # so the index reads them from their files and commits after they are durable.
        with self.catalogue.locked(), self.catalogue.batch(), synced_together():
            with staged_records(self.catalogue) as staged:
                self._write_documents(group, staged)
                staged.flush()
            if self.log is not None:
                self.log.flush(sync=True)
        self._written_groups += 1

    def _write_documents(self, group: _Group, staged: StagedRecordFiles | None) -> None:
        def after_item() -> None:
            if staged is not None and staged.full():
                staged.flush()
                if self.log is not None:
                    self.log.flush()

        self.writer.after_item = after_item
        self.known.load()  # Records other writers created since the last group.
        # What the group holds (its parsed items, prepared records, the records known) lives
        # until it is written: the garbage collections of a large group need not walk it
        # again and again. Collected once first, so no garbage is kept; ``run`` lets go of
        # the frozen objects at its end.
        gc.collect()
        gc.freeze()
        try:
            while group.docs:
                read = group.docs.popleft()
                with deferred_interrupt():
                    self.writer.write(read.path, read.doc, read.prepared)
        except KeyboardInterrupt:
            self._stopped_writing = True
            raise
        finally:
            self.writer.after_item = None


def _reason(exc: Exception) -> str:
    """Why a file is skipped, from what reading it raised."""
    if isinstance(exc, SkipFile):
        return exc.reason
    if isinstance(exc, ReslibError):
        return exc.message
    return f"could not be read ({type(exc).__name__}: {one_line(str(exc))})"


def _crashed(path: Path, error: BaseException) -> _Outcome:
    """A file whose reading killed its worker process (``reading``)."""
    return _Outcome(skip=f"could not be read (its reader process died: {one_line(str(error))})")


def import_paths(
    catalogue: Catalogue,
    paths: Iterable[str | Path],
    options: ImportOptions | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportSummary:
    """Import files and folders into ``catalogue``; see ``Importer``."""
    return Importer(catalogue, options, progress).run(paths)
