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
import functools
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


@functools.lru_cache(maxsize=1024)
def column_name(name: str) -> str:
    """``Source URL`` and ``source-url`` both name ``source_url``. Remembered: every row of
    a JSON manifest names its columns again."""
    return re.sub(r"[\s-]+", "_", name.strip().lower().lstrip("\ufeff"))


def _rows_csv(text: str, path: Path) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    columns, rows = csv_rows(io.StringIO(text), path)
    return columns, list(rows)


def csv_rows(
    lines: Iterable[str], path: Path
) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """The header's columns, and the rows under it as they are read from ``lines`` (lines
    ended by ``\n`` only, as ``io.StringIO`` gives them); SkipFile for an empty or broken
    file (a broken row may be found only when it is reached)."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise SkipFile("empty manifest") from None
    except csv.Error as exc:
        raise SkipFile(f"unreadable CSV: {exc}") from None
    columns = [column_name(c) for c in header]

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(columns):
                    yield reader.line_num, {"__error__": "more values than columns"}
                    continue
                yield reader.line_num, dict(zip(columns, values, strict=False))
        except csv.Error as exc:
            raise SkipFile(f"unreadable CSV at line {reader.line_num}: {exc}") from None

    return columns, rows()


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
    seen = ColumnsSeen()
    if lines:
        rows = list(seen.track(jsonl_rows(_json_lines(data))))
    else:
        rows = list(seen.track(json_rows(_load_json(decode(data)))))
    return seen.columns(), rows


def jsonl_rows(lines: Iterable[tuple[int, str | None]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of JSON Lines (line number, text or None when not UTF-8): a line that is
    not a JSON object is a row in error, the others are read."""
    for n, line in lines:
        if line is None:
            yield n, {"__error__": "not UTF-8 text"}
            continue
        if not line.strip():
            continue
        try:
            obj = _load_json(line)
        except SkipFile as exc:
            yield n, {"__error__": exc.reason.replace(" at line 1", "")}
            continue
        yield n, normalized(obj) if isinstance(obj, dict) else {"__error__": "not an object"}


def json_rows(data: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a JSON manifest (a list of objects, or ``{"records": [...]}``)."""
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise SkipFile('JSON manifest must be a list of objects or {"records": [...]}')
    for n, obj in enumerate(data, start=1):
        yield n, normalized(obj) if isinstance(obj, dict) else {"__error__": "not an object"}


def normalized(values: dict[Any, Any]) -> dict[str, Any]:
    """A JSON row with its column names spelt as columns are (``column_name``)."""
    return {column_name(str(k)): v for k, v in values.items()}


class ColumnsSeen:
    """The columns of JSON rows, in the order first seen (a JSON manifest has no header)."""

    def __init__(self) -> None:
        # A dict, not a list: a row with 100,000 keys must not cost 100,000 list scans each.
        self._columns: dict[str, None] = {}

    def track(
        self, rows: Iterable[tuple[int, dict[str, Any]]]
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        for n, values in rows:
            self._columns.update(dict.fromkeys(values))
            yield n, values

    def columns(self) -> list[str]:
        return [c for c in self._columns if c != "__error__"]


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
    check_columns(columns, fmt, options)
    if not rows:
        raise SkipFile(no_rows(fmt))
    label = row_label(fmt)
    doc = Document(key=file_key(path), format=fmt)
    repeats = Repeats(label, keyed=bool(options.key_column))
    links = RowLinks()
    for i, (n, row) in enumerate(rows):
        item, translations, related = row_item(path, n, label, row, doc.key, options)
        repeats.check(n, item)
        links.add(i, item, translations, related)
        doc.items.append(item)
    doc.translations, doc.related, outside = links.resolve()
    for i, (translations, related) in outside.items():
        doc.items[i].translation_refs += translations
        doc.items[i].related_refs += related
    return doc


def check_columns(columns: list[str], fmt: str, options: ParseOptions) -> None:
    """SkipFile (the whole file) for an unknown column, a missing required one (CSV) or a
    missing ``--key`` column."""
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


def no_rows(fmt: str) -> str:
    """Why a manifest without rows is skipped."""
    if fmt == "csv":
        return "no rows under the header: nothing to import"
    return "no records in the manifest: nothing to import"


def row_label(fmt: str) -> str:
    """What a manifest's rows are called in messages: lines, or a JSON list's records."""
    return "line" if fmt != "json" else "record"


class Repeats:
    """A later row with the id, URL or (lacking both) title of an earlier one is skipped:
    both would land in one record, the later silently overwriting the earlier. With a
    ``--key`` column (``keyed``) that column tells rows apart, so titles may repeat. Rows
    are checked in file order, each against the rows before it."""

    def __init__(self, label: str, *, keyed: bool) -> None:
        self.label = label
        self.keyed = keyed
        self._first_by_id: dict[str, int] = {}
        self._first_by_key: dict[str, int] = {}

    def check(self, n: int, item: Item) -> None:
        """Mark ``item`` (row ``n``) to skip when it repeats an earlier row."""
        label = self.label
        if item.skip_reason:
            return
        if item.record_id:
            earlier = self._first_by_id.setdefault(item.record_id, n)
            if earlier != n:
                item.skip_reason = (
                    f"{label} {n}: id {item.record_id!r} is given to {label} {earlier} already"
                )
                return
        if self.keyed and not item.source_url and not item.record_id:
            return
        if not item.key:
            return  # A title still to be read from the row's file (``row_item``).
        earlier = self._first_by_key.setdefault(item.key, n)
        if earlier == n:
            return
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


def row_item(
    path: Path,
    n: int,
    label: str,
    row: dict[str, Any],
    doc_key: str,
    options: ParseOptions,
    *,
    read_files: bool = True,
) -> tuple[Item, list[str], list[str]]:
    """Row ``n``'s item (marked to skip, with its reason, when the row is bad) and the refs
    of its ``translations`` and ``related`` columns.

    ``read_files=False`` leaves the file a row names unread (``ManifestStream``'s first
    look at a file): such a row's title and date may be the file's, so a row lacking them
    is not refused for it, and its title, when the manifest gives none, is unknown
    (``Item.key`` empty).
    """
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
        item = _fill_item(path, texts, lists, item, doc_key, options, read_files)
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
    read_files: bool = True,
) -> Item:
    unread = bool(texts["file"]) and not read_files
    if texts["file"] and read_files:
        item = _item_from_file(path, texts["file"], options, item)
    title = texts["title"] or item.title
    if not title and not unread:
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
    if not item.date and not unread:
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
        item.key = f"{doc_key}#{title_key(title)}" if title else ""
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


#: Pairs of linked rows, ``(i, j)`` with ``i < j`` (``RowLinks``).
Pairs = list[tuple[int, int]]
#: By row, its translations and related refs that name no row of the file.
Unnamed = dict[int, tuple[list[str], list[str]]]


class RowLinks:
    """Refs naming another row (by id or exact title) become links between the rows: pairs
    ``(i, j)`` of row indexes, ``i < j``, in the order the refs were read. A ref naming no
    row is left for the writer to find among the records (an id or a URL)."""

    def __init__(self) -> None:
        self._by_ref: dict[str, int] = {}
        self._refs: list[tuple[int, list[str], list[str]]] = []

    def add(self, i: int, item: Item, translations: list[str], related: list[str]) -> None:
        """Row ``i``: what it may be named by (unless skipped), and the refs it gives."""
        if not item.skip_reason:
            if item.record_id:
                self._by_ref.setdefault(item.record_id, i)
            if item.title:  # Empty: a title still to be read from the row's file.
                self._by_ref.setdefault("title:" + title_key(item.title), i)
        if translations or related:
            self._refs.append((i, translations, related))

    def resolve(
        self,
    ) -> tuple[
        list[tuple[int, int]], list[tuple[int, int]], dict[int, tuple[list[str], list[str]]]
    ]:
        """Translation pairs, related pairs, and by row the refs that name no row."""
        translation_pairs: list[tuple[int, int]] = []
        related_pairs: list[tuple[int, int]] = []
        outside: dict[int, tuple[list[str], list[str]]] = {}
        for i, translations, related in self._refs:
            out: tuple[list[str], list[str]] = ([], [])
            for values, pairs, unnamed in (
                (translations, translation_pairs, out[0]),
                (related, related_pairs, out[1]),
            ):
                for ref in values:
                    j = self._by_ref.get(ref, self._by_ref.get("title:" + title_key(ref)))
                    if j is None:
                        unnamed.append(ref)
                    elif j != i:
                        pairs.append((min(i, j), max(i, j)))
            if out[0] or out[1]:
                outside[i] = out
        return translation_pairs, related_pairs, outside
