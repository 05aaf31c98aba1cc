"""CSV, JSON and JSON Lines manifests: one row per record, columns named like record fields.

The mapping is documented in ``docs/importers.md``. ``title`` and ``date`` are required
columns; list fields (organizations, places, topics, translations, related) are separated by
``;`` in CSV (JSON may give lists). An unknown column is an error for the whole file, unless
``--ignore-extra``: a misspelt ``orgnaizations`` column must not silently drop every name.
A bad row is skipped with its row number; the other rows are imported. A bad row is one
with a value of the wrong type (an object, a number or true/false where text is expected),
text that cannot be stored (a lone surrogate), or the id, URL or title of an earlier row (a
repeat would silently overwrite it). A ``file`` is read only from the manifest's folder or a
folder the librarian allowed (``paths``), under its own size and time budget (``budget``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..models import (
    ID_RE,
    LIST_FIELDS,
    field_names,
    normalize_language,
    normalize_type,
    validate_date,
)
from .base import Document, Item, ParseOptions, SkipFile, file_key, title_key, url_key
from .budget import read_limited, time_limit
from .dates import parse_date
from .encoding import decode
from .paths import confined_file

#: The record's fields a librarian can give, in file order; ``file`` names the document kept
#: as ``source_file``. The catalogue's own fields and the importer's flags are not columns.
COLUMNS = tuple(
    "file" if name == "source_file" else name
    for name in field_names(without=("added", "updated", "original", "imported", "flags"))
)
REQUIRED = ("title", "date")
_LIST_COLUMNS = frozenset(LIST_FIELDS)


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


#: What ``str.splitlines`` ends a line at.
_LINE_END_RE = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _split_lines(text: str) -> Iterator[str]:
    """``text.splitlines()`` one line at a time: a large manifest's lines are not all held
    as strings beside its text while they are parsed."""
    start = 0
    for m in _LINE_END_RE.finditer(text):
        yield text[start : m.start()]
        start = m.end()
    if start < len(text):
        yield text[start:]


def _json_lines(data: bytes) -> Iterable[tuple[int, str | None]]:
    """The lines of a JSON Lines file as text; a line that is not UTF-8 is None (that row is
    skipped, the others are read)."""
    try:
        return enumerate(_split_lines(decode(data)), start=1)
    except SkipFile:
        if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
            raise  # A broken UTF-16/32 file: its lines cannot be told apart.
    lines: list[tuple[int, str | None]] = []
    for n, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            lines.append((n, raw.decode("utf-8").rstrip("\r")))
        except UnicodeDecodeError:
            lines.append((n, None))
    return lines


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SkipFile(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise SkipFile("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # a number too long to convert
        raise SkipFile(f"invalid JSON: {exc}") from None


def _rows_json(data: bytes, lines: bool) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    rows = _Rows()
    if lines:
        for n, line in _json_lines(data):
            if line is None:
                rows.append((n, {"__error__": "not UTF-8 text"}))
                continue
            if not line.strip():
                continue
            try:
                obj = _load_json(line)
            except SkipFile as exc:
                rows.append((n, {"__error__": exc.reason.replace(" at line 1", "")}))
                continue
            rows.append((n, obj if isinstance(obj, dict) else {"__error__": "not an object"}))
    else:
        data = _load_json(decode(data))
        if isinstance(data, dict) and isinstance(data.get("records"), list):
            data = data["records"]
        if not isinstance(data, list):
            raise SkipFile('JSON manifest must be a list of objects or {"records": [...]}')
        for n, obj in enumerate(data, start=1):
            rows.append((n, obj if isinstance(obj, dict) else {"__error__": "not an object"}))
    return [c for c in rows.columns if c != "__error__"], rows


class _Rows(list[tuple[int, dict[str, Any]]]):
    """Rows with their column names normalized as they are added (no second copy of every
    row), and the columns seen."""

    def __init__(self) -> None:
        super().__init__()
        # A dict, not a list: a row with 100,000 keys must not cost 100,000 list scans each.
        self.columns: dict[str, None] = {}

    def append(self, row: tuple[int, dict[str, Any]]) -> None:
        n, values = row
        fixed = {column_name(str(k)): v for k, v in values.items()}
        self.columns.update(dict.fromkeys(fixed))
        super().append((n, fixed))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _checked(name: str, value: str) -> str:
    """``value`` if it can be stored as text; a lone surrogate (a JSON ``\\ud800`` escape)
    cannot be written as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"field {name!r} holds an invalid character (U+{ord(value[exc.start]):04X}, "
            "half of a surrogate pair): not text"
        ) from None
    return value


def _as_text(name: str, value: Any) -> str:
    """A column's text: a string or nothing; any other JSON value names the field."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"field {name!r} is {_kind(value)}: give text")
    return _checked(name, value).strip()


def _as_list(name: str, value: Any) -> list[str]:
    """A list column's values: a list of strings, or one string separated by ``;``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in _checked(name, value).split(";") if v.strip()]
    if isinstance(value, list):
        out = []
        for v in value:
            if not isinstance(v, str):
                raise InvalidInput(f"field {name!r} holds {_kind(v)}: give a list of text")
            if _checked(name, v).strip():
                out.append(v.strip())
        return out
    raise InvalidInput(f"field {name!r} is {_kind(value)}: give text or a list of text")


def parse_csv(path: Path, data: bytes, options: ParseOptions) -> Document:
    return parse_tabular(path, data, "csv", options)


def parse_json(path: Path, data: bytes, options: ParseOptions) -> Document:
    return parse_tabular(path, data, "json", options)


def parse_jsonl(path: Path, data: bytes, options: ParseOptions) -> Document:
    return parse_tabular(path, data, "jsonl", options)


def parse_tabular(path: Path, data: bytes, fmt: str, options: ParseOptions) -> Document:
    if fmt == "csv":
        columns, rows = _rows_csv(decode(data), path)
    else:
        columns, rows = _rows_json(data, lines=fmt == "jsonl")
    # The --key column may be one of the librarian's own (an accession number).
    unknown = [c for c in columns if c not in COLUMNS and c != options.key_column]
    if unknown and not options.ignore_extra:
        raise SkipFile(
            f"unknown column {unknown[0][:60]!r} (columns are {', '.join(COLUMNS)}; "
            "use --ignore-extra to ignore it)"
        )
    if fmt == "csv":
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise SkipFile(f"missing required column {missing[0]!r}")
    if options.key_column and options.key_column not in columns:
        raise SkipFile(f"no column {options.key_column[:60]!r} to match records by (--key)")
    if not rows:
        raise SkipFile(
            "no rows under the header: nothing to import"
            if fmt == "csv"
            else "no records in the manifest: nothing to import"
        )
    label = "line" if fmt != "json" else "record"
    doc = Document(key=file_key(path), format=fmt)
    refs: list[tuple[int, list[str], list[str]]] = []
    for n, row in rows:
        item, translations, related = _row_item(path, n, label, row, doc.key, options)
        refs.append((len(doc.items), translations, related))
        doc.items.append(item)
    _refuse_repeats(doc, [n for n, _ in rows], label, keyed=bool(options.key_column))
    _link_rows(doc, refs)
    return doc


def _refuse_repeats(doc: Document, numbers: list[int], label: str, *, keyed: bool) -> None:
    """A later row with the id, URL or (lacking both) title of an earlier one is skipped:
    both would land in one record, the later silently overwriting the earlier. With a
    ``--key`` column (``keyed``) that column tells rows apart, so titles may repeat."""
    first_by_id: dict[str, int] = {}
    first_by_key: dict[str, int] = {}
    for n, item in zip(numbers, doc.items, strict=True):
        if item.skip_reason:
            continue
        if item.record_id:
            earlier = first_by_id.setdefault(item.record_id, n)
            if earlier != n:
                item.skip_reason = (
                    f"{label} {n}: id {item.record_id!r} is given to {label} {earlier} already"
                )
                continue
        if keyed and not item.source_url and not item.record_id:
            continue
        earlier = first_by_key.setdefault(item.key, n)
        if earlier == n:
            continue
        if item.source_url:
            item.skip_reason = (
                f"{label} {n}: same source_url as {label} {earlier}: "
                "one record cannot come from two rows"
            )
        else:
            item.skip_reason = (
                f"{label} {n}: same title as {label} {earlier} and no id or source_url to tell "
                "them apart: give each an id"
            )


def _row_item(
    path: Path, n: int, label: str, row: dict[str, Any], doc_key: str, options: ParseOptions
) -> tuple[Item, list[str], list[str]]:
    where = f"{label} {n}"
    item = Item(key=f"{doc_key}#{label}{n}", title="")
    if options.key_column and "__error__" not in row:
        # Raw: ``importers.keys`` reads it, and refuses a file whose key values repeat.
        value = row.get(options.key_column)
        item.provenance["key"] = {"column": options.key_column, "value": value, "where": where}
    if "__error__" in row:
        item.skip_reason = f"{where}: {row['__error__']}"
        return item, [], []
    try:
        texts = {c: _as_text(c, row.get(c)) for c in COLUMNS if c not in _LIST_COLUMNS}
        lists = {c: _as_list(c, row.get(c)) for c in COLUMNS if c in _LIST_COLUMNS}
        item.title = texts["title"]
        item = _fill_item(path, texts, lists, item, doc_key, options)
    except (InvalidInput, SkipFile) as exc:
        reason = exc.message if isinstance(exc, InvalidInput) else exc.reason
        item.skip_reason = f"{where}: {reason}"
        return item, [], []
    return item, lists["translations"], lists["related"]


def _fill_item(
    path: Path,
    texts: dict[str, str],
    lists: dict[str, list[str]],
    item: Item,
    doc_key: str,
    options: ParseOptions,
) -> Item:
    if texts["file"]:
        item = _item_from_file(path, texts["file"], options, item)
    title = texts["title"] or item.title
    if not title:
        raise InvalidInput("no title")
    raw_date = texts["date"]
    if raw_date:
        try:
            date = validate_date(raw_date)
        except InvalidInput:
            date = parse_date(raw_date) or ""
            if not date:
                raise InvalidInput(f"invalid date {raw_date[:40]!r}: use YYYY-MM-DD") from None
        item.date = date
        item.flags = [f for f in item.flags if f != "date from file time"]
    if not item.date:
        raise InvalidInput("no date")
    item.title = title
    record_id = texts["id"]
    if record_id and not ID_RE.match(record_id):
        raise InvalidInput(f"id {record_id[:60]!r} must be lowercase letters, digits and hyphens")
    item.record_id = record_id
    if texts["type"]:
        item.type, item.type_guessed = normalize_type(texts["type"]), False
    elif not item.type:
        item.type_guessed = True  # Not stated: a translation may take its original's type.
    if texts["language"]:
        item.language = normalize_language(texts["language"])
    if lists["organizations"]:
        item.organizations = lists["organizations"]
    for name in ("summary", "body"):
        if texts[name]:
            setattr(item, name, texts[name])
    url = texts["source_url"]
    if url:
        if not re.match(r"^https?://\S+$", url):
            raise InvalidInput(f"source_url {url[:80]!r} is not a URL")
        item.source_url = url
    item.places = lists["places"] or item.places
    item.topics = lists["topics"] or item.topics
    if item.source_url:
        item.key = url_key(item.source_url)
    elif record_id:
        item.key = f"id:{record_id}"
    else:
        item.key = f"{doc_key}#{title_key(title)}"
    return item


def _item_from_file(manifest: Path, name: str, options: ParseOptions, row_item: Item) -> Item:
    """The item a row's ``file`` yields: its text and metadata, the file kept with the record.

    The file must lie beside the manifest or in an allowed folder (``paths``) and is read
    under its own budget of size and time (``budget``).
    """
    from .htmlpage import parse_html
    from .pdf import parse_pdf

    target = confined_file(manifest, name, options.allowed_dirs)
    try:
        with time_limit(options.seconds):
            data = read_limited(target, options.max_bytes)
            if data.startswith(b"%PDF-"):
                # The row is a record of its own: what another record (the PDF imported by
                # itself) holds of the file is not the row's to reuse (``pdf``).
                item = parse_pdf(target, data, replace(options, imported_as=None)).items[0]
            elif target.suffix.lower() in (".html", ".htm"):
                item = parse_html(target, data, options).items[0]
                item.attach = target
            else:
                item = Item(key=row_item.key, title="", body=decode(data).strip(), attach=target)
    except SkipFile as exc:
        raise SkipFile(f"file {name[:80]!r}: {exc.reason}") from None
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
