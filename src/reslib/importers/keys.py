"""Upserts: ``--key COLUMN`` names the manifest column that says which record a row is.

With a key, a row whose key value belongs to a record updates that record (the re-import
rule of ``merge`` applies, so hand edits still win) and a row with a new value creates one.
The key is ``id`` (the record's id), ``source_url`` (compared as URLs: scheme, ``www.`` and
a trailing slash do not count) or any other column, a field's or the librarian's own (an
accession number); its value is kept in the record's provenance
(``Record.imported["key"]``), so a corrected spreadsheet, renamed or not, finds its records
again.

A key must tell rows apart, so a manifest in which two rows share a key value is refused
whole: nothing of that file is written, and the message names the value and both rows. A
row without a key value is skipped with its reason (it could never be matched again).
Other formats hold no columns: only ``source_url`` applies to them, read from each item.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..errors import InvalidInput
from .base import Document, SkipFile, url_key
from .tabular import column_name

#: Formats whose items come from rows with columns.
MANIFEST_FORMATS = ("csv", "json", "jsonl")


def key_column(name: str) -> str:
    """The column ``--key`` names, spelt as manifests' columns are (``Source URL`` is
    ``source_url``)."""
    column = column_name(name)
    if not column:
        raise InvalidInput("--key: give the name of a column (or id, or source_url)")
    return column


def key_value(column: str, raw: Any) -> str:
    """A row's key value as compared: text (or a whole number, as JSON may give), NFC,
    without surrounding spaces; ``""`` when the row has none."""
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InvalidInput(f"the key column {column!r} holds a value that is not text")
    return unicodedata.normalize("NFC", str(raw)).strip()


def identity(column: str, value: str) -> str:
    """What two key values must share to name one record."""
    return url_key(value) if column == "source_url" else value


def apply_key(doc: Document, column: str) -> None:
    """Check and settle every item's key value (``Item.provenance["key"]``).

    Raises ``SkipFile`` (the whole file) when two rows share a value, or when the file is
    not a manifest and the key is not ``source_url``; marks a row without a value to skip.
    """
    if doc.format not in MANIFEST_FORMATS:
        if column != "source_url":
            raise SkipFile(
                f"--key {column} applies to manifests (CSV, JSON, JSON Lines); "
                f"this is a {doc.format} file"
            )
        for item in doc.items:
            item.provenance["key"] = {"column": column, "value": item.source_url}
    repeats = KeyRepeats(column)
    for n, item in enumerate(doc.items, start=1):
        key = item.provenance.get("key")
        if key is None:  # A row the parser could not read at all: skipped already.
            continue
        where = key.pop("where", f"item {n}")
        try:
            value = key_value(column, key.get("value"))
        except InvalidInput as exc:
            item.skip_reason = item.skip_reason or f"{where}: {exc.message}"
            continue
        key["value"] = value
        if not value:
            item.skip_reason = item.skip_reason or (
                f"{where}: no value in the key column {column!r} (--key): "
                "a row without one could never be matched again"
            )
            continue
        repeats.check(value, where)


class KeyRepeats:
    """The key values of a file's rows so far: a value given to two rows refuses the file."""

    def __init__(self, column: str) -> None:
        self.column = column
        self._first: dict[str, str] = {}

    def check(self, value: str, where: str) -> None:
        """SkipFile when ``value`` (of the row ``where``) was an earlier row's."""
        earlier = self._first.setdefault(identity(self.column, value), where)
        if earlier != where:
            raise SkipFile(
                f"the key column {self.column!r} repeats {value[:80]!r} ({earlier} and {where}): "
                "each row must have its own value; nothing imported from this file"
            )

    def check_raw(self, raw: Any, where: str) -> None:
        """``check`` a row's raw value; a value that is not text, or none, is the row's
        problem (``apply_key`` skips that row), not the file's."""
        try:
            value = key_value(self.column, raw)
        except InvalidInput:
            return
        if value:
            self.check(value, where)


def item_key(provenance: dict[str, Any]) -> tuple[str, str] | None:
    """``(column, value)`` of an item's or a record's key, if it has one."""
    key = provenance.get("key")
    if not isinstance(key, dict):
        return None
    column, value = key.get("column"), key.get("value")
    if isinstance(column, str) and isinstance(value, str) and value:
        return column, value
    return None
