"""The import run: files in, records out, the same way every time.

For each file: detect the format, parse it into items (nothing written yet), then write the
document's records as one unit. Each item is matched to an existing record by its import key;
a match is updated field by field, a new item becomes a new record, and links between items
are carried by whichever record is written second (the catalogue writes the reverse link).

Provenance lives in ``Record.imported``::

    {"source": item key, "origin": key of the document whose fields the record holds,
     "format": ..., "file": file name, "checksums": {field: sha256 of the imported value}}

A re-import compares a record's fields with those checksums: a field that no longer matches was
edited by a librarian and is never overwritten (a changed source value is reported as a
conflict). A record found again in a *different* document (a listing repeated in a later
update) gets the link and any blank field filled, nothing else: the first document stays its
origin, so its date is the date of its first listing.

Ctrl-C is deferred while a document's records are being written, so an interrupted import
leaves whole documents (records and their links) and nothing half-done.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue
from ..errors import InvalidInput, ReslibError
from ..models import Record, normalize_language, normalize_type
from ..storage import library_lock
from .base import (
    Document,
    Item,
    ParseOptions,
    SkipFile,
    detect_language,
    language_neutral_url,
    url_key,
)
from .detect import FORMATS, IGNORED_SUFFIXES, detect_format
from .duplicates import TitleIndex
from .summary import ImportSummary

#: Files above this size are skipped: nothing a librarian imports is this big, and reading
#: one into memory would stall the run.
MAX_BYTES = 100 * 1024 * 1024

#: Fields an importer sets, and so the fields whose hand edits it must detect.
IMPORTED_FIELDS = (
    "type",
    "title",
    "language",
    "date",
    "organizations",
    "summary",
    "body",
    "source_url",
    "places",
    "topics",
    "flags",
)


@dataclass
class ImportOptions:
    """The choices of one run (the CLI's options)."""

    type: str | None = None
    language: str | None = None
    organizations: list[str] = field(default_factory=list)
    format: str | None = None
    dry_run: bool = False
    ignore_extra: bool = False
    max_bytes: int = MAX_BYTES

    def __post_init__(self) -> None:
        if self.type:
            self.type = normalize_type(self.type)
        if self.language:
            self.language = normalize_language(self.language)
        if self.format and self.format not in FORMATS:
            raise InvalidInput(f"unknown format {self.format!r}: use one of {', '.join(FORMATS)}")


def checksum(value: Any) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    # 64 bits tell an edit from the imported value; the full digest would only bloat files.
    return hashlib.sha256(data).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Hold back Ctrl-C until the block ends, then raise it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def collect_files(paths: Iterable[Path], summary: ImportSummary) -> list[Path]:
    """The files to import: named files as given, folders walked in name order.

    A folder walk passes over hidden files and the assets of saved pages (``*_files/``,
    stylesheets, images); a named file is always tried.
    """
    out: list[Path] = []
    ignored = 0
    for path in paths:
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not d.endswith("_files")
                )
                for name in sorted(files):
                    p = Path(root) / name
                    if name.startswith(".") or p.suffix.lower() in IGNORED_SUFFIXES:
                        ignored += 1
                        continue
                    out.append(p)
        else:
            summary.skip(str(path), "no such file or folder")
    if ignored:
        summary.notes.append(f"{ignored} hidden or asset file(s) in folders ignored")
    return out


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
        self._virtual: dict[str, Record] = {}
        self._by_key: dict[str, str] = {}
        self._by_neutral_url: dict[str, list[str]] = {}
        self._titles = TitleIndex()
        self._parse_options = ParseOptions(
            split_authors=self.catalogue.organizations.split_authors,
            resolve_organization=lambda n: self.catalogue.organizations.resolve(n) is not None,
            ignore_extra=self.options.ignore_extra,
        )

    # -- the run -----------------------------------------------------------------------------
    def run(self, paths: Iterable[str | Path]) -> ImportSummary:
        files = collect_files([Path(p) for p in paths], self.summary)
        lock = (
            contextlib.nullcontext()
            if self.options.dry_run
            else library_lock(self.catalogue.home.library)
        )
        try:
            with lock, self.catalogue.batch():
                self._load_existing()
                for path in files:
                    self._import_file(path)
                    if self.progress:
                        self.progress(path)
        except KeyboardInterrupt:
            self.summary.interrupted = True
        return self.summary

    def _load_existing(self) -> None:
        for record_id in self.catalogue.ids():
            try:
                record = self.catalogue.get(record_id)
            except ReslibError:
                continue  # 'reslib check' reports unreadable records; the import goes on.
            self._remember(record)

    def _remember(self, record: Record) -> None:
        source = record.imported.get("source")
        if isinstance(source, str):
            self._by_key.setdefault(source, record.id)
        if record.source_url:
            self._by_key.setdefault(url_key(record.source_url), record.id)
            neutral = self._by_neutral_url.setdefault(language_neutral_url(record.source_url), [])
            if record.id not in neutral:
                neutral.append(record.id)
        self._titles.add(record.id, record.title, record.language)

    def _import_file(self, path: Path) -> None:
        self.summary.files += 1
        try:
            document = self._parse(path)
        except SkipFile as exc:
            self.summary.skip(str(path), exc.reason)
            return
        except ReslibError as exc:
            self.summary.skip(str(path), exc.message)
            return
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:  # One strange file must not end a run of thousands.
            self.summary.skip(str(path), f"could not be read ({type(exc).__name__}: {exc})")
            return
        self.summary.notes += [f"{path}: {n}" for n in document.notes]
        with deferred_interrupt():
            self._write_document(path, document)

    def _parse(self, path: Path) -> Document:
        size = path.stat().st_size
        if size > self.options.max_bytes:
            raise SkipFile(
                f"too large ({size / 2**20:.0f} MB; the limit is "
                f"{self.options.max_bytes / 2**20:.0f} MB)"
            )
        data = path.read_bytes()
        if not data.strip():
            raise SkipFile("empty file")
        fmt = self.options.format or detect_format(path, data[:8192])
        if fmt == "pdf":
            from .pdf import parse_pdf

            return parse_pdf(path, data, self._parse_options)
        if fmt == "html":
            from .htmlpage import parse_html

            return parse_html(path, data, self._parse_options)
        if fmt in ("csv", "json", "jsonl"):
            from .tabular import parse_tabular

            return parse_tabular(path, data, fmt, self._parse_options)
        if fmt == "wxr":
            from .wxr import parse_wxr

            return parse_wxr(path, data, self._parse_options)
        from .encoding import decode
        from .textdump import parse_text

        return parse_text(path, decode(data), self._parse_options)

    # -- writing one document ----------------------------------------------------------------
    def _write_document(self, path: Path, doc: Document) -> None:
        ids: list[str | None] = [None] * len(doc.items)
        for i, item in enumerate(doc.items):
            where = f"{path}" if len(doc.items) == 1 else f"{path} [{item.title[:60]}]"
            if item.skip_reason:
                self.summary.skip(str(path), item.skip_reason)
                continue
            try:
                ids[i] = self._write_item(path, doc, i, ids)
            except SkipFile as exc:
                self.summary.skip(where, exc.reason)
            except ReslibError as exc:
                self.summary.skip(where, exc.message)

    def _links_for(
        self, doc: Document, i: int, ids: list[str | None]
    ) -> tuple[list[str], list[str]]:
        """Links of item ``i`` to items written before it (later ones carry their own)."""
        translations = [str(ids[a]) for a, b in doc.translations if b == i and ids[a]]
        translations += [str(ids[b]) for a, b in doc.translations if a == i and ids[b]]
        related = [str(ids[a]) for a, b in doc.related if b == i and ids[a]]
        related += [str(ids[b]) for a, b in doc.related if a == i and ids[b]]
        item = doc.items[i]
        for refs, out in ((item.translation_refs, translations), (item.related_refs, related)):
            for ref in refs:
                target = self._resolve_ref(ref)
                if target:
                    out.append(target)
                else:
                    self.summary.notes.append(f"{item.title[:60]}: no record {ref!r} to link")
        return translations, related

    def _resolve_ref(self, ref: str) -> str | None:
        if self._exists(ref):
            return ref
        if ref.startswith(("http://", "https://")):
            return self._by_key.get(url_key(ref))
        return None

    def _candidate(self, doc: Document, i: int, ids: list[str | None]) -> Record:
        """The record item ``i`` describes: defaults applied, text normalized, names mapped."""
        item = doc.items[i]
        original_type = None
        for a, b in doc.translations:
            if b == i and ids[a]:
                original_type = self._get(str(ids[a])).type
        if item.type and not item.type_guessed:
            type_key = item.type
        elif item.type_guessed and original_type:
            type_key = original_type
        else:
            type_key = self.options.type or item.type or "other"
        organizations = item.organizations or self.options.organizations
        if not organizations and item.publisher:
            organizations = [item.publisher]
        if not item.date:
            raise SkipFile("no date")
        record = Record(
            id="pending",
            type=type_key,
            title=item.title,
            language=item.language
            or self.options.language
            or detect_language(item.title, item.summary, item.body),
            date=item.date,
            organizations=list(organizations),
            summary=item.summary,
            body=item.body,
            source_url=item.source_url,
            places=list(item.places),
            topics=list(item.topics),
            flags=list(item.flags),
        )
        record.validate(f"{item.title[:60]!r}")
        new_orgs = self.catalogue.prepare(record)
        if new_orgs:
            if not self.options.dry_run:
                self.catalogue.organizations.save()
            self.summary.new_organizations += [
                n for n in new_orgs if n not in self.summary.new_organizations
            ]
        return record

    def _provenance(self, path: Path, doc: Document, item: Item, record: Record) -> dict[str, Any]:
        imported: dict[str, Any] = {
            "source": item.key,
            "origin": doc.key,
            "format": doc.format,
            "file": path.name,
        }
        imported.update(item.provenance)
        if item.documents:
            imported["documents"] = item.documents
        if item.attach is not None:
            imported["file_sha256"] = file_sha256(item.attach)
        imported["checksums"] = {f: checksum(getattr(record, f)) for f in IMPORTED_FIELDS}
        return imported

    def _write_item(self, path: Path, doc: Document, i: int, ids: list[str | None]) -> str:
        item = doc.items[i]
        candidate = self._candidate(doc, i, ids)
        translations, related = self._links_for(doc, i, ids)
        translations = self._url_translations(candidate, translations)
        existing_id = self._by_key.get(item.key)
        if existing_id is None and item.source_url:
            existing_id = self._by_key.get(url_key(item.source_url))
        if existing_id is not None and not self._exists(existing_id):
            existing_id = None
        if existing_id is None:
            return self._create(path, doc, item, candidate, translations, related)
        return self._update(path, doc, item, existing_id, candidate, translations, related)

    def _url_translations(self, candidate: Record, translations: list[str]) -> list[str]:
        """Records whose URL is this one's with another language marker are translations."""
        if not candidate.source_url:
            return translations
        own = url_key(candidate.source_url)
        for other_id in self._by_neutral_url.get(language_neutral_url(candidate.source_url), []):
            other = self._get(other_id)
            if (
                other.language != candidate.language
                and url_key(other.source_url) != own
                and other_id not in translations
            ):
                translations.append(other_id)
        return translations

    def _create(
        self,
        path: Path,
        doc: Document,
        item: Item,
        record: Record,
        translations: list[str],
        related: list[str],
    ) -> str:
        if item.record_id:
            if self._exists(item.record_id) or self.catalogue.is_retired(item.record_id):
                raise SkipFile(f"record {item.record_id} exists already (not from this source)")
            record.id = item.record_id
        else:
            record.id = self._new_id(record.date, record.title)
        record.translations = list(dict.fromkeys(translations))
        record.related = list(dict.fromkeys(r for r in related if r not in record.translations))
        record.imported = self._provenance(path, doc, item, record)
        duplicates = self._titles.similar(record.id, record.title, record.language)
        self._store(record, item.attach, new=True)
        self.summary.mark(record.id, "created")
        for other in duplicates:
            self.summary.possible_duplicates.append(
                {
                    "id": record.id,
                    "other": other,
                    "title": record.title,
                    "other_title": self._get(other).title,
                }
            )
        return record.id

    def _update(
        self,
        path: Path,
        doc: Document,
        item: Item,
        record_id: str,
        candidate: Record,
        translations: list[str],
        related: list[str],
    ) -> str:
        old = self._get(record_id)
        record = copy.deepcopy(old)
        imported = copy.deepcopy(old.imported)
        sums: dict[str, str] = dict(imported.get("checksums") or {})
        same_origin = imported.get("origin") == doc.key
        for name in IMPORTED_FIELDS:
            new, current = getattr(candidate, name), getattr(record, name)
            stored = sums.get(name)
            edited = stored is not None and checksum(current) != stored
            if not imported:
                edited = True  # A record made by hand: every value in it is the librarian's.
            if new == current:
                if not edited:
                    sums[name] = checksum(new)
                continue
            if not same_origin:
                # Another document mentions this record: it may fill a blank, nothing more.
                if current in ("", []) and not edited and new not in ("", []):
                    setattr(record, name, new)
                    sums[name] = checksum(new)
                continue
            if edited:
                if checksum(new) != stored:
                    self.summary.conflict(
                        record.id,
                        name,
                        "edited by hand since the last import and changed in the source: "
                        "kept the edit",
                    )
                continue
            setattr(record, name, new)
            sums[name] = checksum(new)
        for name, refs in (("translations", translations), ("related", related)):
            links = getattr(record, name)
            for ref in refs:
                if ref != record.id and ref not in links:
                    links.append(ref)
        record.related = [r for r in record.related if r not in record.translations]
        attach = None
        if same_origin or not imported:
            fresh = self._provenance(path, doc, item, candidate)
            fresh["checksums"] = sums
            if item.attach is not None and fresh.get("file_sha256") != imported.get("file_sha256"):
                attach = item.attach
            record.imported = fresh if imported or attach else imported
        else:
            imported["checksums"] = sums
            record.imported = imported
        if record.to_dict() == old.to_dict() and attach is None:
            self.summary.mark(record.id, "unchanged")
            return record.id
        self._store(record, attach, new=False)
        self.summary.mark(record.id, "updated")
        return record.id

    # -- the catalogue, or the dry run's stand-in --------------------------------------------
    def _exists(self, record_id: str) -> bool:
        return record_id in self._virtual or self.catalogue.exists(record_id)

    def _get(self, record_id: str) -> Record:
        if record_id in self._virtual:
            return self._virtual[record_id]
        return self.catalogue.get(record_id)

    def _new_id(self, date: str, title: str) -> str:
        base = self.catalogue.new_id(date, title)
        candidate, n = base, 2
        while candidate in self._virtual:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _store(self, record: Record, attach: Path | None, *, new: bool) -> None:
        # Links the other side does not have yet: the catalogue writes them back, which
        # updates those records too.
        for name in ("translations", "related"):
            for ref in getattr(record, name):
                other = self._get(ref)
                if record.id not in getattr(other, name):
                    self.summary.mark(ref, "updated")
                    if name == "translations":
                        self.summary.translations.append(sorted([ref, record.id]))
        if self.options.dry_run:
            self._virtual[record.id] = record
        elif new:
            self.catalogue.add(record, attach=attach, prepared=True)
        else:
            self.catalogue.save(record, attach=attach, prepared=True)
        self._remember(record)


def import_paths(
    catalogue: Catalogue,
    paths: Iterable[str | Path],
    options: ImportOptions | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportSummary:
    """Import files and folders into ``catalogue``; see ``Importer``."""
    return Importer(catalogue, options, progress).run(paths)
