"""Writing one parsed document's records, under the library lock.

Each item is matched to an existing record by its import key (``matching``), or by its
``--key`` value (``keys``); a match is re-read and updated field by field by the re-import
rule (``merge``), saved stating the version it read; a new item becomes a new record. Links
between items are carried by whichever record is written second (the catalogue writes the
reverse link). Each record created or updated, and each link written back, is told to the
run's log (``log``), with the values it had before.

Provenance lives in ``Record.imported``::

    {"source": item key, "origin": key of the document whose fields the record holds,
     "format": ..., "file": file name, "checksums": {field: checksum of the imported value}}

A record found again in its origin document follows the rule in ``merge``; found in a
*different* document (a listing repeated in a later update) it gets the link and any blank
field filled, nothing else: the first document stays its origin, so its date is the date of
its first listing. A record found by its ``--key`` value counts as found in its origin: the
librarian said the row is the record (a corrected spreadsheet is often a renamed file).

An organization new to the authority file is saved with the first record that names it, and
only then: an item that is skipped, or whose record keeps a hand-edited list of
organizations, leaves the authority file as it was.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue
from ..errors import ReslibError
from ..models import Record, field_names
from .base import Document, Item, SkipFile
from .log import RunLog
from .matching import KnownRecords
from .merge import CONFLICT_MESSAGE, checksum, merge_fields, merge_links
from .prepare import Prepared, record_type
from .summary import ImportSummary

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


def provenance(
    path: Path, doc: Document, item: Item, record: Record, attach_sha256: str | None
) -> dict[str, Any]:
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
    if attach_sha256 is not None:
        imported["file_sha256"] = attach_sha256
    imported["checksums"] = {f: checksum(getattr(record, f)) for f in IMPORTED_FIELDS}
    return imported


#: Where a record was last imported from: with ``--key`` a row is its record wherever it
#: comes from, so a renamed spreadsheet alone changes nothing.
_WHERE_FROM = ("source", "origin", "format", "file")


def _same(record: Record, old: Record, *, ignore_origin: bool) -> bool:
    """True when saving ``record`` over ``old`` would change nothing that matters."""
    new_data, old_data = record.to_dict(), old.to_dict()
    if ignore_origin:
        for data in (new_data, old_data):
            imported = data.get("imported", {})
            data["imported"] = {k: v for k, v in imported.items() if k not in _WHERE_FROM}
    return new_data == old_data


class _Links:
    """A document's item links by item, built once: looking them up per item in the pair
    lists took time quadratic in the rows of a large manifest."""

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        self.incoming: defaultdict[int, list[int]] = defaultdict(list)
        self.outgoing: defaultdict[int, list[int]] = defaultdict(list)
        for a, b in pairs:
            self.incoming[b].append(a)
            self.outgoing[a].append(b)

    def written(self, i: int, ids: dict[int, str]) -> list[str]:
        """Ids of the items linked to ``i`` that were written already (pair order)."""
        out = [ids[a] for a in self.incoming[i] if a in ids]
        return out + [ids[b] for b in self.outgoing[i] if b in ids]


class DocumentWriter:
    """Writes documents' records into a catalogue (the caller holds the library lock)."""

    def __init__(
        self,
        catalogue: Catalogue,
        known: KnownRecords,
        options: Any,
        summary: ImportSummary,
        log: RunLog | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.known = known
        self.options = options
        self.summary = summary
        self.log = log
        #: Called after each item is written or skipped (the run flushes staged records).
        self.after_item: Callable[[], None] | None = None

    def write(self, path: Path, doc: Document, prepared: list[Prepared | None]) -> None:
        """Write every item of ``doc``; an item that cannot be written is skipped with its
        reason and the others are written.

        Items are numbered in their file (``Document.offset``: a chunk of a manifest), and
        the ids written are kept by that number, across chunks in ``Document.written_ids``:
        an item linked to one of an earlier chunk finds its record there.
        """
        ids: dict[int, str] = {} if doc.written_ids is None else doc.written_ids
        translations, related = _Links(doc.translations), _Links(doc.related)
        single = len(doc.items) == 1 and not doc.chunked
        for n, item in enumerate(doc.items):
            ready = prepared[n]
            if item.skip_reason or ready is None:
                self.summary.skip(str(path), item.skip_reason)
                continue
            where = f"{path}" if single else f"{path} [{ready.record.title[:60]}]"
            i = doc.offset + n
            new_orgs: list[str] = []
            final = None
            try:
                final, new_orgs = self._write_item(
                    path, doc, item, i, ids, ready, translations, related
                )
                ids[i] = final.id
            except SkipFile as exc:
                self.summary.skip(where, exc.reason)
            except ReslibError as exc:
                self.summary.skip(where, exc.message)
            finally:
                self._settle_organizations(new_orgs, final)
            if self.after_item is not None:
                self.after_item()

    def _settle_organizations(self, new_orgs: list[str], final: Record | None) -> None:
        """Keep the names new to the authority file that ``final`` (the record as written or
        kept) names, and forget the rest: those of a skipped item, or of a source whose
        organizations lost to a hand edit, must not ride on the next save."""
        organizations = self.catalogue.organizations
        kept = [
            n
            for n in new_orgs
            if final is not None and organizations.canonical(n) in final.organizations
        ]
        self.summary.new_organizations += [
            n for n in kept if n not in self.summary.new_organizations
        ]
        if self.options.dry_run or not organizations.dirty:
            return
        if final is None or len(kept) < len(new_orgs):
            organizations.reload()
            for name in kept:
                if organizations.resolve(name) is None:
                    organizations.add(name)
        if organizations.dirty:
            # A record that was unchanged names them: the authority file catches up.
            organizations.save()

    def _links_for(
        self, item: Item, i: int, ids: dict[int, str], translations: _Links, related: _Links
    ) -> tuple[list[str], list[str]]:
        """Links of item ``i`` to items written before it (later ones carry their own)."""
        own_translations = translations.written(i, ids)
        own_related = related.written(i, ids)
        for refs, out in (
            (item.translation_refs, own_translations),
            (item.related_refs, own_related),
        ):
            for ref in refs:
                target = self.known.resolve_ref(ref)
                if target:
                    out.append(target)
                else:
                    self.summary.notes.append(f"{item.title[:60]}: no record {ref!r} to link")
        return own_translations, own_related

    def _candidate(
        self, item: Item, i: int, ids: dict[int, str], ready: Prepared, translations: _Links
    ) -> tuple[Record, list[str]]:
        """The record item ``i`` describes, names mapped; and the organizations new to the
        authority file (added to it in memory, saved with the record)."""
        original_type = None
        for a in translations.incoming[i]:
            if a in ids:
                original_type = self.known.get(ids[a]).type
        # An item without a date is written with its date unknown (models.UNDATED): the
        # parser has said so in its notes, and 'reslib check' lists it to be completed.
        record = ready.record  # Each item is written once: its prepared record is its own.
        record.type = record_type(item, self.options.type, original_type)
        record.validate(f"{record.title[:60]!r}")
        new_orgs = self.catalogue.prepare(record, normalize_text=False)
        return record, new_orgs

    def _write_item(
        self,
        path: Path,
        doc: Document,
        item: Item,
        i: int,
        ids: dict[int, str],
        ready: Prepared,
        translations: _Links,
        related: _Links,
    ) -> tuple[Record, list[str]]:
        """The record as written (or found unchanged), and the names it made new to the
        authority file; ``i``: the item's number in its file."""
        candidate, new_orgs = self._candidate(item, i, ids, ready, translations)
        own_translations, own_related = self._links_for(item, i, ids, translations, related)
        own_translations = self.known.url_translations(candidate, own_translations)
        key = getattr(self.options, "key", None)
        existing_id = self.known.match_key(item, key) if key else self.known.match(item)
        if existing_id is None:
            final = self._create(path, doc, item, candidate, ready, own_translations, own_related)
        else:
            final = self._update(
                path,
                doc,
                item,
                existing_id,
                candidate,
                ready,
                own_translations,
                own_related,
                by_key=bool(key),
            )
        return final, new_orgs

    def _create(
        self,
        path: Path,
        doc: Document,
        item: Item,
        record: Record,
        ready: Prepared,
        translations: list[str],
        related: list[str],
    ) -> Record:
        if item.record_id:
            if self.catalogue.is_retired(item.record_id):
                raise SkipFile(
                    f"id {item.record_id} belonged to a removed record and is never used again"
                )
            if self.known.exists(item.record_id):
                raise SkipFile(f"record {item.record_id} exists already (not from this source)")
            record.id = item.record_id
        else:
            record.id = self.known.new_id(record.date, record.title)
        record.translations = list(dict.fromkeys(translations))
        record.related = list(dict.fromkeys(r for r in related if r not in record.translations))
        record.imported = provenance(path, doc, item, record, ready.attach_sha256)
        duplicates = self.known.similar_titles(record)
        self._store(record, item.attach, previous=None)
        self.summary.mark(record.id, "created")
        if self.log is not None:
            self.log.created(record, str(path))
        for other in duplicates:
            self.summary.possible_duplicates.append(
                {
                    "id": record.id,
                    "other": other,
                    "title": record.title,
                    "other_title": self.known.get(other).title,
                }
            )
        return record

    def _update(
        self,
        path: Path,
        doc: Document,
        item: Item,
        record_id: str,
        candidate: Record,
        ready: Prepared,
        translations: list[str],
        related: list[str],
        *,
        by_key: bool = False,
    ) -> Record:
        # Read under the lock: the version another writer may have saved since the run began.
        old = self.known.get(record_id)
        record = copy.deepcopy(old)
        imported = copy.deepcopy(old.imported)
        same_origin = by_key or imported.get("origin") == doc.key
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
            fresh = provenance(path, doc, item, candidate, ready.attach_sha256)
            fresh["checksums"] = merge.checksums
            if item.attach is not None and fresh.get("file_sha256") != imported.get("file_sha256"):
                attach = item.attach
            record.imported = fresh if imported or attach else imported
        else:
            imported["checksums"] = merge.checksums
            record.imported = imported
        if attach is None and _same(record, old, ignore_origin=by_key):
            self.summary.mark(record.id, "unchanged")
            return old
        self._store(record, attach, previous=old)
        self.summary.mark(record.id, "updated")
        if self.log is not None:
            self.log.updated(old, record, str(path))
        return record

    def _store(self, record: Record, attach: Path | None, *, previous: Record | None) -> None:
        # Links the other side does not have yet: the catalogue writes them back, which
        # updates those records too.
        written_back: list[tuple[str, str]] = []
        for name in ("translations", "related"):
            for ref in getattr(record, name):
                other = self.known.get(ref)
                if record.id not in getattr(other, name):
                    self.summary.mark(ref, "updated")
                    written_back.append((ref, name))
                    if name == "translations":
                        self.summary.translations.append(sorted([ref, record.id]))
        if self.options.dry_run:
            self.known.keep(record)
        elif previous is None:
            self.catalogue.add(record, attach=attach, prepared=True)
        else:
            self.catalogue.save(
                record, attach=attach, prepared=True, expected_updated=previous.updated
            )
        if self.log is not None and not self.options.dry_run:
            for ref, name in written_back:
                self.log.linked(ref, name, record.id)
        self.known.remember(record)
