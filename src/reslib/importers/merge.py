"""The re-import rule: what happens to each field of a record that an import finds again.

A record's provenance (``Record.imported["checksums"]``) holds a checksum of every field as it
was last imported. Comparing the record's value with that checksum tells a librarian's edit
from the importer's own value, and comparing the source's value with it tells a changed
source. Per field, when the item comes from the record's own document (its origin):

=====================  =====================  ==========================================
record value           source value           outcome
=====================  =====================  ==========================================
as imported            equal to the record    ``SAME`` (checksum refreshed)
as imported            changed                ``TAKE`` the source's value
edited by hand         as last imported       ``KEEP_EDIT``, quietly
edited by hand         changed                ``CONFLICT``: the edit stays, reported
=====================  =====================  ==========================================

An item found in *another* document (a listing repeated in a later update) may only
``FILL_BLANK``: a blank field that nobody edited takes its value; anything else is ``KEEP``.
A record made by hand (no provenance at all) counts as edited in every field.

Pure: values in, decisions out. No files, no catalogue; the import run applies the result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

#: The message of a conflict, as the summary reports it.
CONFLICT_MESSAGE = "edited by hand since the last import and changed in the source: kept the edit"


class Outcome(Enum):
    """What the rule decided for one field."""

    SAME = "same"
    TAKE = "take"
    KEEP_EDIT = "keep edit"
    CONFLICT = "conflict"
    FILL_BLANK = "fill blank"
    KEEP = "keep"


@dataclass
class FieldMerge:
    """The rule's decisions for one record: new values, checksums to store, outcomes."""

    values: dict[str, Any] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[str]:
        """Fields edited by hand whose source changed, in field order."""
        return [name for name, outcome in self.outcomes.items() if outcome is Outcome.CONFLICT]


#: A string as ``json.dumps(..., ensure_ascii=False)`` writes it.
_quoted = json.encoder.encode_basestring


def checksum(value: Any) -> str:
    """A short digest of a field's value, stable across runs and dict orders: of its JSON
    (``json.dumps`` with ``ensure_ascii=False, sort_keys=True``), written directly for text
    and lists of text, the values of nearly every field (an import checksums each field of
    each record, and ``json.dumps`` makes an encoder per call)."""
    if isinstance(value, str):
        text = _quoted(value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "[" + ", ".join(map(_quoted, value)) + "]"
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    data = text.encode("utf-8")
    # 64 bits tell an edit from the imported value; the full digest would only bloat files.
    return hashlib.sha256(data).hexdigest()[:16]


def _blank(value: Any) -> bool:
    return value in ("", [])


def merge_fields(
    current: Mapping[str, Any],
    imported: Mapping[str, Any],
    checksums: Mapping[str, str] | None,
    *,
    same_origin: bool,
) -> FieldMerge:
    """Decide every field of ``imported`` (see the module docstring).

    ``current`` holds the record's values, ``imported`` the source's, ``checksums`` the
    stored ones (``None``: the record was made by hand). ``same_origin`` says whether the
    item comes from the document the record was first imported from. The result's
    ``values`` are the fields to change; its ``checksums`` replace the stored ones.
    """
    merge = FieldMerge(checksums=dict(checksums or {}))
    sums = merge.checksums
    for name, new in imported.items():
        value = current[name]
        stored = sums.get(name)
        edited = checksums is None or (stored is not None and checksum(value) != stored)
        if new == value:
            outcome = Outcome.SAME
            if not edited:
                sums[name] = checksum(new)
        elif not same_origin:
            outcome = Outcome.KEEP
            if _blank(value) and not edited and not _blank(new):
                outcome = Outcome.FILL_BLANK
        elif edited:
            outcome = Outcome.CONFLICT if checksum(new) != stored else Outcome.KEEP_EDIT
        else:
            outcome = Outcome.TAKE
        if outcome in (Outcome.TAKE, Outcome.FILL_BLANK):
            merge.values[name] = new
            sums[name] = checksum(new)
        merge.outcomes[name] = outcome
    return merge


def merge_links(
    record_id: str,
    translations: list[str],
    related: list[str],
    new_translations: list[str],
    new_related: list[str],
) -> tuple[list[str], list[str]]:
    """The record's links with the import's added: nothing removed, no link to itself, and
    a translation is never also listed as related."""
    merged = []
    for links, refs in ((translations, new_translations), (related, new_related)):
        out = list(links)
        for ref in refs:
            if ref != record_id and ref not in out:
                out.append(ref)
        merged.append(out)
    kept_translations, kept_related = merged
    return kept_translations, [r for r in kept_related if r not in kept_translations]
