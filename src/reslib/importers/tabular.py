"""CSV, JSON and JSON Lines manifests: one row per record, columns named like record fields.

The mapping is documented in ``docs/importers.md``. ``title`` and ``date`` are required
columns; list fields (organizations, places, topics, translations, related) are separated by
``;`` in CSV (JSON may give lists). An unknown column is an error for the whole file, unless
``--ignore-extra``: a misspelt ``orgnaizations`` column must not silently drop every name.
A bad row is skipped with its row number; the other rows are imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..models import ID_RE, field_names, normalize_language, normalize_type, validate_date
from .base import Document, Item, ParseOptions, SkipFile, file_key, title_key, url_key
from .dates import parse_date
from .encoding import decode

#: The record's fields a librarian can give, in file order; ``file`` names the document kept
#: as ``source_file``. The catalogue's own fields and the importer's flags are not columns.
COLUMNS = tuple(
    "file" if name == "source_file" else name
    for name in field_names(without=("added", "updated", "original", "imported", "flags"))
)
REQUIRED = ("title", "date")


def column_name(name: str) -> str:
    """``Source URL`` and ``source-url`` both name ``source_url``."""
    return re.sub(r"[\s-]+", "_", name.strip().lower().lstrip("\ufeff"))


def _rows_csv(text: str, path: Path) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise SkipFile("empty manifest") from None
    except csv.Error as exc:
        raise SkipFile(f"unreadable CSV: {exc}") from None
    columns = [column_name(c) for c in header]
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns):
                rows.append((reader.line_num, {"__error__": "more values than columns"}))
                continue
            rows.append((reader.line_num, dict(zip(columns, values, strict=False))))
    except csv.Error as exc:
        raise SkipFile(f"unreadable CSV at line {reader.line_num}: {exc}") from None
    return columns, rows


def _rows_json(text: str, lines: bool) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    if lines:
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                rows.append((n, {"__error__": f"invalid JSON: {exc.msg}"}))
                continue
            rows.append((n, obj if isinstance(obj, dict) else {"__error__": "not an object"}))
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SkipFile(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
        if isinstance(data, dict) and isinstance(data.get("records"), list):
            data = data["records"]
        if not isinstance(data, list):
            raise SkipFile('JSON manifest must be a list of objects or {"records": [...]}')
        for n, obj in enumerate(data, start=1):
            rows.append((n, obj if isinstance(obj, dict) else {"__error__": "not an object"}))
    columns: list[str] = []
    normalized = []
    for n, row in rows:
        fixed = {column_name(k): v for k, v in row.items()}
        for k in fixed:
            if k not in columns:
                columns.append(k)
        normalized.append((n, fixed))
    return [c for c in columns if c != "__error__"], normalized


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value).strip()


def parse_csv(path: Path, data: bytes, options: ParseOptions) -> Document:
    return parse_tabular(path, data, "csv", options)


def parse_json(path: Path, data: bytes, options: ParseOptions) -> Document:
    return parse_tabular(path, data, "json", options)


def parse_jsonl(path: Path, data: bytes, options: ParseOptions) -> Document:
    return parse_tabular(path, data, "jsonl", options)


def parse_tabular(path: Path, data: bytes, fmt: str, options: ParseOptions) -> Document:
    text = decode(data)
    if fmt == "csv":
        columns, rows = _rows_csv(text, path)
    else:
        columns, rows = _rows_json(text, lines=fmt == "jsonl")
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown and not options.ignore_extra:
        raise SkipFile(
            f"unknown column {unknown[0]!r} (columns are {', '.join(COLUMNS)}; "
            "use --ignore-extra to ignore it)"
        )
    if fmt == "csv":
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise SkipFile(f"missing required column {missing[0]!r}")
    label = "line" if fmt != "json" else "record"
    doc = Document(key=file_key(path), format=fmt)
    refs: list[tuple[int, list[str], list[str]]] = []
    for n, row in rows:
        item, translations, related = _row_item(path, n, label, row, doc.key, options)
        refs.append((len(doc.items), translations, related))
        doc.items.append(item)
    _link_rows(doc, refs)
    return doc


def _row_item(
    path: Path, n: int, label: str, row: dict[str, Any], doc_key: str, options: ParseOptions
) -> tuple[Item, list[str], list[str]]:
    where = f"{label} {n}"
    values = {k: row.get(k) for k in COLUMNS}
    item = Item(key=f"{doc_key}#{label}{n}", title=_as_text(values["title"]))
    if "__error__" in row:
        item.skip_reason = f"{where}: {row['__error__']}"
        return item, [], []
    try:
        item = _fill_item(path, where, values, item, doc_key, options)
    except (InvalidInput, SkipFile) as exc:
        reason = exc.message if isinstance(exc, InvalidInput) else exc.reason
        item.skip_reason = f"{where}: {reason}"
    return item, _as_list(values["translations"]), _as_list(values["related"])


def _fill_item(
    path: Path,
    where: str,
    values: dict[str, Any],
    item: Item,
    doc_key: str,
    options: ParseOptions,
) -> Item:
    attached = values["file"] and _as_text(values["file"])
    if attached:
        item = _item_from_file(path.parent / attached, options, item)
    title = _as_text(values["title"]) or item.title
    if not title:
        raise InvalidInput("no title")
    raw_date = _as_text(values["date"])
    if raw_date:
        try:
            date = validate_date(raw_date)
        except InvalidInput:
            date = parse_date(raw_date) or ""
            if not date:
                raise InvalidInput(f"invalid date {raw_date!r}: use YYYY-MM-DD") from None
        item.date = date
        item.flags = [f for f in item.flags if f != "date from file time"]
    if not item.date:
        raise InvalidInput("no date")
    item.title = title
    record_id = _as_text(values["id"])
    if record_id and not ID_RE.match(record_id):
        raise InvalidInput(f"id {record_id!r} must be lowercase letters, digits and hyphens")
    item.record_id = record_id
    if values["type"]:
        item.type, item.type_guessed = normalize_type(_as_text(values["type"])), False
    elif not item.type:
        item.type_guessed = True  # Not stated: a translation may take its original's type.
    if values["language"]:
        item.language = normalize_language(_as_text(values["language"]))
    if values["organizations"]:
        item.organizations = _as_list(values["organizations"])
    for name in ("summary", "body"):
        if _as_text(values[name]):
            setattr(item, name, _as_text(values[name]))
    url = _as_text(values["source_url"])
    if url:
        if not re.match(r"^https?://\S+$", url):
            raise InvalidInput(f"source_url {url!r} is not a URL")
        item.source_url = url
    item.places = _as_list(values["places"]) or item.places
    item.topics = _as_list(values["topics"]) or item.topics
    if item.source_url:
        item.key = url_key(item.source_url)
    elif record_id:
        item.key = f"id:{record_id}"
    else:
        item.key = f"{doc_key}#{title_key(title)}"
    return item


def _item_from_file(target: Path, options: ParseOptions, row_item: Item) -> Item:
    """The item a row's ``file`` yields: its text and metadata, the file kept with the record."""
    from .pdf import parse_pdf

    if not target.is_file():
        raise SkipFile(f"file {target.name!r} not found next to the manifest")
    data = target.read_bytes()
    if data.startswith(b"%PDF-"):
        item = parse_pdf(target, data, options).items[0]
    elif target.suffix.lower() in (".html", ".htm"):
        from .htmlpage import parse_html

        item = parse_html(target, data, options).items[0]
        item.attach = target
    else:
        item = Item(key=row_item.key, title="", body=decode(data).strip(), attach=target)
    return item


def _link_rows(doc: Document, refs: list[tuple[int, list[str], list[str]]]) -> None:
    """Refs naming another row (by id or exact title) become links inside the document."""
    by_ref: dict[str, int] = {}
    for i, item in enumerate(doc.items):
        if item.skip_reason:
            continue
        if item.record_id:
            by_ref.setdefault(item.record_id, i)
        by_ref.setdefault("title:" + title_key(item.title), i)
    for i, translations, related in refs:
        for values, pairs, outside in (
            (translations, doc.translations, doc.items[i].translation_refs),
            (related, doc.related, doc.items[i].related_refs),
        ):
            for ref in values:
                j = by_ref.get(ref, by_ref.get("title:" + title_key(ref)))
                if j is None:
                    outside.append(ref)
                elif j != i:
                    pairs.append((min(i, j), max(i, j)))
