"""A manifest (CSV, JSON Lines, JSON) imported a chunk of rows at a time.

Read whole, a manifest held every row, item and prepared record at once (20,000 rows of
JSON Lines, 66 MB: a peak of 356 MB, and 321 MB in each worker forked from it).
``ManifestStream`` reads the file twice instead, and holds one chunk at a time:

- ``check``, the first look, reads every row but keeps only what the whole file decides:
  its size and sha256 (for the run's log), its columns, its ``--key`` values (a value
  given to two rows refuses the file before anything is written: ``keys``), the rows that
  repeat the id, URL or title of an earlier row (``tabular.Repeats``) and the rows that
  link to each other (``tabular.RowLinks``). What refuses the whole file refuses it here,
  with the message reading it whole gave.
- ``chunks`` reads it again, ``CHUNK_ROWS`` rows (or ``CHUNK_BYTES`` of their text) at a
  time, each chunk a ``Document`` that the run prepares and writes as its own group
  (``run``). A link between rows of two chunks is carried by the later row, as any link
  within a file is, to the record the earlier row was written as
  (``Document.written_ids``).

The first look reads no file a row names (a scanned PDF is not OCR'd twice). So a row whose
title comes from its file is named by no other row's title, and a row whose file turns out
unreadable still counts as the first of its id, URL and title; every other row is decided
as when the file was read whole.

What the file costs beyond its chunk: a few strings per row during the first look (ids,
URLs, titles, key values), and afterwards the links between rows and the rows refused.
A JSON manifest (not JSON Lines) has no rows before it is parsed whole: its parsed list is
held until its last chunk is made (within ``RESLIB_IMPORT_FILE_MB``, as before); its items,
prepared records and writes are chunked all the same.

The file stays open between the looks, so one saved again under the same name meanwhile is
read as it was checked; one changed in place stops at the next chunk, with its reason.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .base import Document, ParseOptions, SkipFile, file_key
from .budget import too_large
from .encoding import BOMS
from .keys import KeyRepeats
from .tabular import (
    ColumnsSeen,
    Pairs,
    Repeats,
    RowLinks,
    Unnamed,
    _load_json,
    check_columns,
    csv_rows,
    json_rows,
    jsonl_rows,
    no_rows,
    row_item,
    row_label,
)

#: A chunk ends at this many rows, ... (each chunk is a group, with its own index commit and
#: a pipeline of index workers filling and draining: 5,000 made a re-import of 20,000 rows
#: 643 records/s against 830 with 10,000, for 50 MB less at the peak; see the commit)
CHUNK_ROWS = 10000
#: ... or this many characters of its rows' text, whichever comes first.
CHUNK_BYTES = 16 * 2**20
#: Bytes read at a time.
BLOCK = 1 << 20


Row = tuple[int, dict[str, Any]]

#: What ``str.splitlines`` (and ``tabular._LINE_END_RE``) ends a line at.
_LINE_ENDS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass
class _Look:
    """What the first look keeps of the whole file."""

    rows: int = 0
    #: Row index -> why it is skipped: it repeats an earlier row (``tabular.Repeats``).
    refused: dict[int, str] = field(default_factory=dict)
    translations: Pairs = field(default_factory=list)
    related: Pairs = field(default_factory=list)
    #: Row index -> its refs that name no row (found among the records when written).
    unnamed: Unnamed = field(default_factory=dict)


class _LinkedIds(dict[int, str]):
    """The ids of the rows written so far that a later row links to (and only those)."""

    def __init__(self, needed: set[int]) -> None:
        super().__init__()
        self.needed = needed

    def __setitem__(self, i: int, record_id: str) -> None:
        if i in self.needed:
            super().__setitem__(i, record_id)


class ManifestStream:
    """One manifest file, checked whole (``check``), then read in chunks (``chunks``)."""

    def __init__(self, path: Path, fmt: str, options: ParseOptions) -> None:
        self.path = path
        self.fmt = fmt
        self.options = options
        self.label = row_label(fmt)
        self.key = file_key(path)
        self.size = 0
        self.sha256 = ""
        #: The line (or record) number of the first row, and of the chunk's first row.
        self.first_row = 0
        self.next_row = 0
        self._fd: int | None = None
        self._stat: tuple[int, int] = (0, 0)
        #: The text's codec; None: JSON Lines whose lines are read as UTF-8 one by one.
        self._codec: str | None = "utf-8"
        self._json: Any = None
        self._look = _Look()
        #: Rows handed out in chunks so far.
        self.rows_done = 0

    # -- the first look ----------------------------------------------------------------------
    def check(self, max_bytes: int) -> None:
        """Read the whole file once, keeping what it decides (module docstring); SkipFile
        when it is refused whole. The file stays open for ``chunks`` (``close``)."""
        if not self.path.is_file():
            raise SkipFile("not a regular file")  # A FIFO or a device would never end.
        self._fd = os.open(self.path, os.O_RDONLY)
        try:
            info = os.fstat(self._fd)
            if not stat.S_ISREG(info.st_mode):
                raise SkipFile("not a regular file")
            self._stat = (info.st_size, info.st_mtime_ns)
            if info.st_size > max_bytes:
                raise too_large(info.st_size, max_bytes)
            self._read_bytes(max_bytes)
            self._look_at_rows()
        except BaseException:
            self.close()
            raise

    def _read_bytes(self, max_bytes: int) -> None:
        """Size, sha256, empty or not, and the codec the whole file decodes with."""
        digest = hashlib.sha256()
        blank = True
        decoder: codecs.IncrementalDecoder | None = None
        codec = "utf-8"
        error: str | None = None
        fed = 0
        with self._binary() as fh:
            for block in iter(lambda: fh.read(BLOCK), b""):
                digest.update(block)
                if decoder is None:
                    codec = next((c for bom, c in BOMS if block.startswith(bom)), "utf-8")
                    decoder = codecs.getincrementaldecoder(codec)()
                blank = blank and not block.strip()
                if error is None:
                    error = _decode_error(decoder, block, fed, codec, final=False)
                fed += len(block)
                if fed > max_bytes:  # It grew since the size was read.
                    raise too_large(None, max_bytes)
        if blank:
            raise SkipFile("empty file")
        if error is None and decoder is not None:
            error = _decode_error(decoder, b"", fed, codec, final=True)
        self.size, self.sha256 = fed, digest.hexdigest()
        self._codec = codec
        if error is not None:
            if self.fmt != "jsonl" or codec not in ("utf-8", "utf-8-sig"):
                raise SkipFile(error)
            self._codec = None  # Lines that are not UTF-8 are rows in error, the rest read.

    def _look_at_rows(self) -> None:
        options = self.options
        look = self._look
        repeats = Repeats(self.label, keyed=bool(options.key_column))
        links = RowLinks()
        keys = KeyRepeats(options.key_column) if options.key_column else None
        repeated_key: SkipFile | None = None
        rows, columns = self._rows()
        count = 0
        for count, (n, row) in enumerate(rows, start=1):
            if keys is not None and repeated_key is None and "__error__" not in row:
                try:
                    keys.check_raw(row.get(options.key_column), f"{self.label} {n}")
                except SkipFile as exc:
                    repeated_key = exc
            item, translations, related = row_item(
                self.path, n, self.label, row, self.key, options, read_files=False
            )
            own = item.skip_reason
            repeats.check(n, item)
            if item.skip_reason and not own:
                look.refused[count - 1] = item.skip_reason
            links.add(count - 1, item, translations, related)
        check_columns(columns(), self.fmt, options)
        if not count:
            raise SkipFile(no_rows(self.fmt))
        if repeated_key is not None:
            raise repeated_key
        look.rows = count
        look.translations, look.related, look.unnamed = links.resolve()

    # -- the chunks --------------------------------------------------------------------------
    def chunks(self) -> Iterator[Document]:
        """The file's rows as items, a chunk at a time, each decided as in the whole file."""
        look = self._look
        needed = {a for a, _ in look.translations} | {a for a, _ in look.related}
        ids = _LinkedIds(needed)
        items: list[Any] = []
        size = 0
        rows, _ = self._rows()
        for i, (n, row) in enumerate(rows):
            if not items:
                self.next_row = n
                self.first_row = self.first_row or n
            item, _, _ = row_item(self.path, n, self.label, row, self.key, self.options)
            if not item.skip_reason and i in look.refused:
                item.skip_reason = look.refused[i]
            if i in look.unnamed:
                translations, related = look.unnamed[i]
                item.translation_refs += translations
                item.related_refs += related
            items.append(item)
            size += _text_size(row)
            if len(items) >= CHUNK_ROWS or size >= CHUNK_BYTES:
                yield self._chunk(items, ids)
                items, size = [], 0
        if items:
            yield self._chunk(items, ids)
        self._json = None

    def _chunk(self, items: list[Any], ids: _LinkedIds) -> Document:
        self._unchanged()
        look = self._look
        start, end = self.rows_done, self.rows_done + len(items)
        self.rows_done = end
        return Document(
            key=self.key,
            format=self.fmt,
            items=items,
            translations=[p for p in look.translations if start <= p[1] < end],
            related=[p for p in look.related if start <= p[1] < end],
            offset=start,
            written_ids=ids,
            chunked=(start, end) != (0, look.rows),
        )

    def _unchanged(self) -> None:
        """SkipFile when the file was changed in place since the first look."""
        if self._fd is None or self.fmt == "json":
            return  # A JSON manifest's chunks come from the list parsed at the first look.
        info = os.fstat(self._fd)
        if (info.st_size, info.st_mtime_ns) != self._stat:
            raise SkipFile("the file changed while it was imported: import it again")

    def stopped(self, reason: str) -> str:
        """Why the file stopped before its end, saying what of it was imported."""
        if self.next_row == self.first_row:
            return reason
        where = f"{self.label} {self.next_row}"
        return f"{reason} (from {where} on; the {self.label}s before it were imported)"

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._json = None

    # -- reading the rows --------------------------------------------------------------------
    def _binary(self) -> IO[bytes]:
        """The file from its start, on a descriptor of its own (closed with it)."""
        assert self._fd is not None
        fh = os.fdopen(os.dup(self._fd), "rb")
        fh.seek(0)
        return fh

    def _rows(self) -> tuple[Iterator[Row], Any]:
        """The rows (line number, values), and a function giving the columns seen."""
        if self.fmt == "json":
            if self._json is None:
                with self._binary() as fh:
                    self._json = _load_json(fh.read().decode(str(self._codec)))
            seen = ColumnsSeen()
            return seen.track(json_rows(self._json)), seen.columns
        if self.fmt == "csv":
            text = self._text(newline="\n")
            try:
                columns, rows = csv_rows(text, self.path)
            except BaseException:
                text.close()
                raise
            return _closing(rows, text), lambda: columns
        seen = ColumnsSeen()
        if self._codec is None:
            binary = self._binary()
            return _closing(seen.track(jsonl_rows(_byte_lines(binary))), binary), seen.columns
        text = self._text(newline="")
        lines = enumerate(_split_blocks(_blocks(text)), start=1)
        return _closing(seen.track(jsonl_rows(lines)), text), seen.columns

    def _text(self, newline: str) -> io.TextIOWrapper:
        return io.TextIOWrapper(self._binary(), encoding=self._codec, newline=newline)


def _decode_error(
    decoder: codecs.IncrementalDecoder, block: bytes, fed: int, codec: str, *, final: bool
) -> str | None:
    """The message reading the file whole gives (``encoding.decode``) when ``block`` does
    not decode, else None."""
    held = len(decoder.getstate()[0])
    try:
        decoder.decode(block, final)
    except UnicodeDecodeError as exc:
        at = fed - held + exc.start
        if codec == "utf-8":
            return (
                f"not UTF-8 (byte {at}) and no charset declared: an unknown 8-bit "
                "encoding; re-save the file as UTF-8"
            )
        return f"invalid {codec} at byte {at}"
    return None


def _blocks(text: IO[str]) -> Iterator[str]:
    """The text in blocks, none ending inside ``\\r\\n``."""
    while block := text.read(BLOCK):
        if block.endswith("\r"):
            block += text.read(1)
        yield block


def _split_blocks(blocks: Iterable[str]) -> Iterator[str]:
    """``tabular._split_lines`` over text read in blocks: the same lines (``str.splitlines``
    ends lines where its pattern does, and is faster)."""
    pending: list[str] = []  # the start of a line not ended yet
    for block in blocks:
        for line in block.splitlines(keepends=True):
            if line[-1] not in _LINE_ENDS:
                pending.append(line)  # the block ends inside this line
                continue
            line = line[:-2] if line.endswith("\r\n") else line[:-1]
            if pending:
                pending.append(line)
                line = "".join(pending)
                pending = []
            yield line
    if pending:
        yield "".join(pending)


def _byte_lines(binary: IO[bytes]) -> Iterator[tuple[int, str | None]]:
    """Lines of a file that is not all UTF-8, as ``tabular._json_lines`` reads them."""
    for n, raw in enumerate(binary, start=1):
        line = raw.removesuffix(b"\n")
        if n == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            yield n, line.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            yield n, None


def _closing(rows: Iterator[Row], fh: IO[Any]) -> Iterator[Row]:
    try:
        yield from rows
    finally:
        fh.close()


def _text_size(row: dict[str, Any]) -> int:
    """Characters of text in a row (its values and lists of values)."""
    size = 0
    for value in row.values():
        if isinstance(value, str):
            size += len(value)
        elif isinstance(value, list):
            size += sum(len(v) for v in value if isinstance(v, str))
    return size


__all__ = ["CHUNK_BYTES", "CHUNK_ROWS", "ManifestStream"]
