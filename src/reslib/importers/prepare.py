"""Items made ready to write, before the library lock is taken.

Everything about an item that does not depend on the catalogue is done here, while the file's
time budget runs and no other writer waits: the run's defaults applied (``--type``,
``--language``, ``--organization``), the language detected, control characters removed, the
text normalized (Zawgyi converted, the typed text kept in ``original``), the attached
document's checksum taken. What depends on the catalogue is left to the write, under the lock
(``write``): organizations mapped through the authority file, the record matched and merged,
and a translation's type taken from its original when its own was guessed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalogue.prepare import normalize_texts
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


def prepare_document(doc: Document, options: Any) -> list[Prepared | None]:
    """Every item of ``doc`` prepared; None for the items the parser marked to skip."""
    return [None if item.skip_reason else prepare_item(item, options) for item in doc.items]
