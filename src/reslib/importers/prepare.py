"""Items made ready to write, before the library lock is taken.

Everything about an item that does not depend on the catalogue is done here, while the file's
time budget runs and no other writer waits: the run's defaults applied (``--type``,
``--language``, ``--organization``), the language detected, control characters removed, the
text normalized (Zawgyi converted, the typed text kept in ``original``), the attached
document's checksum taken. What depends on the catalogue is left to the write, under the lock
(``write``): organizations mapped through the authority file, the record matched and merged,
and a translation's type taken from its original when its own was guessed.

A document of many items (a manifest of thousands of rows) is prepared in worker processes
(``RESLIB_IMPORT_WORKERS``): language detection and normalization are pure Python and ICU,
half of what an import spends before the index. The workers are forked with the document in
their memory and send back only the prepared records.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import re
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import settings
from ..catalogue.prepare import normalize_texts
from ..forked import exit_with_parent
from ..models import Record
from .base import Document, Item, detect_language, remove_controls

#: Half of a surrogate pair cannot be written as UTF-8 (a PDF's broken character map can
#: produce one); it becomes U+FFFD, the replacement character.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass
class Prepared:
    """One item ready to write: its record (id and links not yet decided), normalized."""

    record: Record
    #: sha256 of ``item.attach`` (the document kept with the record), taken here.
    attach_sha256: str | None = None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def record_type(item: Item, default: str | None, original_type: str | None) -> str:
    """The type of ``item``'s record: the source's, else its original's (for a translation
    whose type was guessed), else ``--type``, else a guess, else ``other``."""
    if item.type and not item.type_guessed:
        return item.type
    if item.type_guessed and original_type:
        return original_type
    return default or item.type or "other"


def imported_values(item: Item, options: Any, original_type: str | None) -> dict[str, Any]:
    """The value of every imported field for ``item``: the source's, else the run's options
    (``ImportOptions``), else a default (``original_type``: the type of the record this item
    translates)."""
    organizations = item.organizations or options.organizations
    if not organizations and item.publisher:
        organizations = [item.publisher]
    return {
        "type": record_type(item, options.type, original_type),
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


def clean(value: Any) -> Any:
    """A value with control characters removed and lone surrogates replaced, in strings and
    in lists and dicts of them (provenance)."""
    if isinstance(value, str):
        return _SURROGATE_RE.sub("\ufffd", remove_controls(value))
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


def prepare_item(item: Item, options: Any) -> Prepared:
    """``item``'s record, cleaned and normalized (see the module docstring)."""
    item.provenance = clean(item.provenance)
    item.documents = clean(item.documents)
    values = {name: clean(value) for name, value in imported_values(item, options, None).items()}
    record = Record(id="pending", **values)
    normalize_texts(record)
    sha = file_sha256(item.attach) if item.attach is not None else None
    return Prepared(record, sha)


#: Items in one document from which they are prepared in worker processes.
PARALLEL_ITEMS = 400


def workers() -> int:
    """Worker processes for a large document (``RESLIB_IMPORT_WORKERS``; 0: one per core)."""
    return int(settings.get("import_workers")) or os.cpu_count() or 1


#: Set once this process has loaded what preparing an item loads on first use.
_warm = False


def warm_up() -> None:
    """Load once, before forking workers, what preparing an item loads on first use (the
    language model, ICU's transliterators): each forked worker shares it instead of
    spending half a second loading its own."""
    global _warm
    if _warm:
        return
    for text in ("Airstrikes on villages in Sagaing this week.", "ကျေးရွာများကို တိုက်ခိုက်မှု"):
        prepare_item(Item(key="warm-up", title=text, summary=text), _NoOptions())
    _warm = True


class _NoOptions:
    type = language = None
    organizations: list[str] = []  # noqa: RUF012 (read only)


def prepare_document(doc: Document, options: Any) -> list[Prepared | None]:
    """Every item of ``doc`` prepared; None for the items the parser marked to skip."""
    procs = workers()
    if procs > 1 and len(doc.items) >= PARALLEL_ITEMS:
        return _prepare_in_workers(doc, options, procs)
    return [None if item.skip_reason else prepare_item(item, options) for item in doc.items]


#: What an item's preparation changes, sent back from a worker: the prepared record and the
#: item's cleaned provenance and documents (``prepare_item`` cleans them in place).
_Done = tuple[Prepared | None, dict[str, Any], Any]

#: The document and options the forked workers prepare (set in the parent before the fork).
_job: tuple[Document, Any] | None = None


def _ignore_interrupt() -> None:
    exit_with_parent()
    # Ctrl-C reaches the whole process group: the parent decides what it stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What the worker inherited lives as long as it does: its garbage collections need not
    # walk it (nor copy its pages, which a walk writes to).
    gc.freeze()


def _prepare_range(start: int, stop: int) -> list[_Done]:
    assert _job is not None
    doc, options = _job
    out: list[_Done] = []
    for item in doc.items[start:stop]:
        ready = None if item.skip_reason else prepare_item(item, options)
        out.append((ready, item.provenance, item.documents))
    return out


def _prepare_in_workers(doc: Document, options: Any, procs: int) -> list[Prepared | None]:
    global _job
    items = doc.items
    size = -(-len(items) // (procs * 4))
    warm_up()
    _job = (doc, options)
    pool = ProcessPoolExecutor(
        max_workers=procs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_ignore_interrupt,
    )
    try:
        futures = [
            pool.submit(_prepare_range, i, min(i + size, len(items)))
            for i in range(0, len(items), size)
        ]
        out: list[Prepared | None] = []
        for future in futures:
            for ready, provenance, documents in future.result():
                item = items[len(out)]
                item.provenance, item.documents = provenance, documents
                out.append(ready)
        pool.shutdown()
        return out
    except BaseException:
        # Out of time or interrupted: the workers finish their chunk and exit; nothing waits.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        _job = None
