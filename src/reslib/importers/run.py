"""The import run: files in, records out, the same way every time.

For each file (``walk``): pick its parser from ``detect.FORMATS``, parse it into items
(nothing written yet), then write the document's records as one unit. Each item is matched
to an existing record by its import key (``matching``); a match is updated field by field
by the re-import rule (``merge``), a new item becomes a new record, and links between items
are carried by whichever record is written second (the catalogue writes the reverse link).

Provenance lives in ``Record.imported``::

    {"source": item key, "origin": key of the document whose fields the record holds,
     "format": ..., "file": file name, "checksums": {field: checksum of the imported value}}

A record found again in its origin document follows the rule in ``merge``; found in a
*different* document (a listing repeated in a later update) it gets the link and any blank
field filled, nothing else: the first document stays its origin, so its date is the date of
its first listing.

Ctrl-C is deferred while a document's records are being written (``interrupt``), so an
interrupted import leaves whole documents (records and their links) and nothing half-done.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue
from ..errors import InvalidInput, ReslibError
from ..models import Record, field_names, normalize_language, normalize_type
from ..storage import library_lock
from .base import Document, Item, ParseOptions, SkipFile, detect_language
from .detect import FORMATS, detect_format
from .interrupt import deferred_interrupt
from .matching import KnownRecords
from .merge import CONFLICT_MESSAGE, checksum, merge_fields, merge_links
from .summary import ImportSummary
from .walk import MAX_BYTES, collect_files, read_file

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
]

#: Fields an importer sets, and so the fields whose hand edits it must detect: all of the
#: record's but its identity, its links (merged apart, never taken away), the file the
#: catalogue keeps, and what the catalogue itself writes (stamps, originals, provenance).
IMPORTED_FIELDS = field_names(
    without=(
        "id",
        "source_file",
        "translations",
        "related",
        "added",
        "updated",
        "original",
        "imported",
    )
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


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def imported_values(
    item: Item, options: ImportOptions, original_type: str | None
) -> dict[str, Any]:
    """The value of every imported field for ``item``: the source's, else the run's options,
    else a default (``original_type``: the type of the record this item translates)."""
    if item.type and not item.type_guessed:
        type_key = item.type
    elif item.type_guessed and original_type:
        type_key = original_type
    else:
        type_key = options.type or item.type or "other"
    organizations = item.organizations or options.organizations
    if not organizations and item.publisher:
        organizations = [item.publisher]
    return {
        "type": type_key,
        "title": item.title,
        "language": item.language
        or options.language
        or detect_language(item.title, item.summary, item.body),
        "date": item.date,
        "organizations": list(organizations),
        "summary": item.summary,
        "body": item.body,
        "source_url": item.source_url,
        "places": list(item.places),
        "topics": list(item.topics),
        "flags": list(item.flags),
    }


def provenance(path: Path, doc: Document, item: Item, record: Record) -> dict[str, Any]:
    """``Record.imported`` for ``record`` as imported from ``item`` of ``doc`` (file read)."""
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
                self.known.load()
                for path in files:
                    self._import_file(path)
                    if self.progress:
                        self.progress(path)
        except KeyboardInterrupt:
            self.summary.interrupted = True
        return self.summary

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
        data = read_file(path, self.options.max_bytes)
        fmt = self.options.format or detect_format(path, data[:8192])
        return FORMATS[fmt](path, data, self._parse_options)

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
                target = self.known.resolve_ref(ref)
                if target:
                    out.append(target)
                else:
                    self.summary.notes.append(f"{item.title[:60]}: no record {ref!r} to link")
        return translations, related

    def _candidate(self, doc: Document, i: int, ids: list[str | None]) -> Record:
        """The record item ``i`` describes: defaults applied, text normalized, names mapped."""
        item = doc.items[i]
        original_type = None
        for a, b in doc.translations:
            if b == i and ids[a]:
                original_type = self.known.get(str(ids[a])).type
        if not item.date:
            raise SkipFile("no date")
        record = Record(id="pending", **imported_values(item, self.options, original_type))
        record.validate(f"{item.title[:60]!r}")
        new_orgs = self.catalogue.prepare(record)
        if new_orgs:
            if not self.options.dry_run:
                self.catalogue.organizations.save()
            self.summary.new_organizations += [
                n for n in new_orgs if n not in self.summary.new_organizations
            ]
        return record

    def _write_item(self, path: Path, doc: Document, i: int, ids: list[str | None]) -> str:
        item = doc.items[i]
        candidate = self._candidate(doc, i, ids)
        translations, related = self._links_for(doc, i, ids)
        translations = self.known.url_translations(candidate, translations)
        existing_id = self.known.match(item)
        if existing_id is None:
            return self._create(path, doc, item, candidate, translations, related)
        return self._update(path, doc, item, existing_id, candidate, translations, related)

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
            if self.known.exists(item.record_id) or self.catalogue.is_retired(item.record_id):
                raise SkipFile(f"record {item.record_id} exists already (not from this source)")
            record.id = item.record_id
        else:
            record.id = self.known.new_id(record.date, record.title)
        record.translations = list(dict.fromkeys(translations))
        record.related = list(dict.fromkeys(r for r in related if r not in record.translations))
        record.imported = provenance(path, doc, item, record)
        duplicates = self.known.similar_titles(record)
        self._store(record, item.attach, new=True)
        self.summary.mark(record.id, "created")
        for other in duplicates:
            self.summary.possible_duplicates.append(
                {
                    "id": record.id,
                    "other": other,
                    "title": record.title,
                    "other_title": self.known.get(other).title,
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
        old = self.known.get(record_id)
        record = copy.deepcopy(old)
        imported = copy.deepcopy(old.imported)
        same_origin = imported.get("origin") == doc.key
        merge = merge_fields(
            {name: getattr(record, name) for name in IMPORTED_FIELDS},
            {name: getattr(candidate, name) for name in IMPORTED_FIELDS},
            # A record made by hand has no provenance: every value in it is the librarian's.
            (imported.get("checksums") or {}) if imported else None,
            same_origin=same_origin,
        )
        for name, value in merge.values.items():
            setattr(record, name, value)
        for name in merge.conflicts:
            self.summary.conflict(record.id, name, CONFLICT_MESSAGE)
        record.translations, record.related = merge_links(
            record.id, record.translations, record.related, translations, related
        )
        attach = None
        if same_origin or not imported:
            fresh = provenance(path, doc, item, candidate)
            fresh["checksums"] = merge.checksums
            if item.attach is not None and fresh.get("file_sha256") != imported.get("file_sha256"):
                attach = item.attach
            record.imported = fresh if imported or attach else imported
        else:
            imported["checksums"] = merge.checksums
            record.imported = imported
        if record.to_dict() == old.to_dict() and attach is None:
            self.summary.mark(record.id, "unchanged")
            return record.id
        self._store(record, attach, new=False)
        self.summary.mark(record.id, "updated")
        return record.id

    def _store(self, record: Record, attach: Path | None, *, new: bool) -> None:
        # Links the other side does not have yet: the catalogue writes them back, which
        # updates those records too.
        for name in ("translations", "related"):
            for ref in getattr(record, name):
                other = self.known.get(ref)
                if record.id not in getattr(other, name):
                    self.summary.mark(ref, "updated")
                    if name == "translations":
                        self.summary.translations.append(sorted([ref, record.id]))
        if self.options.dry_run:
            self.known.keep(record)
        elif new:
            self.catalogue.add(record, attach=attach, prepared=True)
        else:
            self.catalogue.save(record, attach=attach, prepared=True)
        self.known.remember(record)


def import_paths(
    catalogue: Catalogue,
    paths: Iterable[str | Path],
    options: ImportOptions | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportSummary:
    """Import files and folders into ``catalogue``; see ``Importer``."""
    return Importer(catalogue, options, progress).run(paths)
