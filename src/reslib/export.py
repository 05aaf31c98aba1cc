"""Record export: JSON Lines, CSV, and BibTeX and RIS for citation managers.

Pure functions from records to text, shared by ``reslib export`` and the web layer's item and
result-list downloads; ``iter_export`` gives the same text a record at a time, so the web
streams a long result list without holding it; ``destination``/``write_export`` is where
``reslib export -o`` writes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidInput
from .models import TYPES, Record, field_names
from .storage import write_atomic

FORMATS = ("jsonl", "csv", "bibtex", "ris")

#: Every field but the long text and reslib's own bookkeeping, in record file order.
CSV_COLUMNS = list(field_names(without=("body", "original", "imported", "flags")))

# BibTeX and RIS have no "statement": the closest entry types citation managers import well.
_BIBTEX_TYPE = {"report": "techreport", "news": "article"}
_RIS_TYPE = {"report": "RPRT", "news": "NEWS", "press-release": "PRESS", "open-letter": "PAMP"}
_BIB_SPECIAL = re.compile(r"([\\{}&%$#_^~])")


def to_jsonl(records: Iterable[Record]) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)


def to_csv(records: Iterable[Record]) -> str:
    return "".join(_csv_lines(records))


def _csv_lines(records: Iterable[Record]) -> Iterator[str]:
    """The header, then one row per record (a row may span lines: quoted newlines)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for r in records:
        writer.writerow(
            {k: "; ".join(v) if isinstance(v, list) else v for k, v in r.to_dict().items()}
        )
        yield _drain(buf)
    yield _drain(buf)


def _drain(buf: io.StringIO) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text


def _bib_escape(text: str) -> str:
    text = _BIB_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) != "\\" else "", text)
    return re.sub(r"\s+", " ", text).strip()


def _bib_key(record: Record) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "", record.id)


def to_bibtex(records: Iterable[Record]) -> str:
    out = []
    for r in records:
        kind = _BIBTEX_TYPE.get(r.type, "misc")
        fields = [("title", _bib_escape(r.title))]
        if r.organizations:
            # Braces keep an organization a single "corporate" author, not First Last.
            authors = " and ".join("{" + _bib_escape(o) + "}" for o in r.organizations)
            fields.append(("author", authors))
            if kind == "techreport":
                fields.append(("institution", _bib_escape(r.organizations[0])))
        if r.year:  # an undated record gives no year, not an empty one
            fields.append(("year", r.year))
        if len(r.date) >= 7:
            fields.append(("month", str(int(r.date[5:7]))))
        if len(r.date) == 10:
            fields.append(("date", r.date))
        if r.source_url:
            fields.append(("url", r.source_url))
        fields.append(("language", {"en": "english", "my": "burmese"}.get(r.language, r.language)))
        fields.append(("note", _bib_escape(TYPES[r.type][0])))
        if r.summary:
            fields.append(("abstract", _bib_escape(r.summary)))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        out.append(f"@{kind}{{{_bib_key(r)},\n{body}\n}}\n")
    return "\n".join(out)


def to_ris(records: Iterable[Record]) -> str:
    out = []
    for r in records:
        lines = [f"TY  - {_RIS_TYPE.get(r.type, 'GEN')}", f"ID  - {r.id}", f"TI  - {r.title}"]
        lines += [f"AU  - {o}" for o in r.organizations]
        if r.date:  # an undated record gives no year and no date, not empty ones
            lines.append(f"PY  - {r.year}")
            lines.append(f"DA  - {r.date.replace('-', '/')}")
        if r.source_url:
            lines.append(f"UR  - {r.source_url}")
        lines.append(f"LA  - {r.language}")
        if r.summary:
            lines.append(f"AB  - {' '.join(r.summary.split())}")
        lines += [f"KW  - {k}" for k in [*r.places, *r.topics]]
        lines.append(f"M3  - {TYPES[r.type][0]}")
        lines.append("ER  - ")
        out.append("\r\n".join(lines) + "\r\n")
    return "\r\n".join(out)


def export(records: Iterable[Record], fmt: str) -> str:
    return {"jsonl": to_jsonl, "csv": to_csv, "bibtex": to_bibtex, "ris": to_ris}[fmt](records)


#: What comes between two entries (``to_bibtex`` and ``to_ris`` join them with it).
_BETWEEN = {"jsonl": "", "bibtex": "\n", "ris": "\r\n"}


def iter_export(records: Iterable[Record], fmt: str) -> Iterator[str]:
    """``export(records, fmt)`` in pieces, one record at a time (the CSV header first): each
    record is read from ``records`` only when its piece is asked for."""
    if fmt == "csv":
        yield from (piece for piece in _csv_lines(records) if piece)
        return
    one = {"jsonl": to_jsonl, "bibtex": to_bibtex, "ris": to_ris}[fmt]
    for n, record in enumerate(records):
        yield (_BETWEEN[fmt] if n else "") + one([record])


#: Names of this process's open file descriptors: ``/dev/stdout`` is descriptor 1.
_DESCRIPTOR_NAMES = {Path("/dev/stdin"): 0, Path("/dev/stdout"): 1, Path("/dev/stderr"): 2}


def _descriptor(path: Path) -> int | None:
    """The open descriptor ``path`` names, following symbolic links one hop at a time.

    Such a name leads to whatever the process holds open (a terminal, a pipe, the file a
    shell opened with ``>>``): writing to the descriptor itself keeps its offset and append
    mode, where opening the name again would truncate, and a rename would cut it off.
    """
    folders = (Path("/dev/fd"), Path("/proc/self/fd"), Path(f"/proc/{os.getpid()}/fd"))
    for _ in range(40):
        if path in _DESCRIPTOR_NAMES:
            return _DESCRIPTOR_NAMES[path]
        if path.parent in folders and path.name.isdigit():
            return int(path.name)
        if not path.is_symlink():
            return None
        path = Path(os.path.normpath(path.parent / os.readlink(path)))
    return None


@dataclass(frozen=True)
class Destination:
    """Where ``reslib export -o PATH`` puts its bytes, and how.

    ``descriptor``: PATH names one of this process's open descriptors (``/dev/stdout``);
    the bytes go to it. ``through``: PATH is a FIFO, a character device or another node that
    is not a regular file: it is opened and written into (no truncation, no temporary
    file, no rename), since replacing the node would break it. Otherwise ``target`` is a
    regular file, or a new one, replaced atomically (temporary file, then rename) so a
    reader never sees half an export; when PATH is a symbolic link, ``target`` is the file
    it leads to, and the link stays.
    """

    path: Path
    target: Path
    through: bool = False
    descriptor: int | None = None

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        try:
            if self.descriptor is not None:
                with open(self.descriptor, "wb", closefd=False) as fh:
                    fh.write(data)
            elif self.through:
                with open(os.open(self.target, os.O_WRONLY | os.O_NOCTTY), "wb") as fh:
                    fh.write(data)
            else:
                write_atomic(self.target, data)
        except OSError as exc:
            raise InvalidInput(f"{self.path}: {exc.strerror or exc}") from None


def destination(path: Path) -> Destination:
    """How to write ``path``; refuses (nothing created) when its folder does not exist."""
    absolute = Path(os.path.abspath(path))
    descriptor = _descriptor(absolute)
    if descriptor is not None:
        return Destination(path, absolute, descriptor=descriptor)
    try:
        mode: int | None = os.stat(absolute).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InvalidInput(f"{path}: {exc.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise InvalidInput(f"{path} is a folder: name a file in it")
    if mode is not None and not stat.S_ISREG(mode):
        return Destination(path, absolute, through=True)
    # A regular file, a new one, or a symbolic link to either: the file itself is replaced.
    target = absolute.resolve() if absolute.is_symlink() else absolute
    if not target.parent.is_dir():
        raise InvalidInput(f"{path}: no folder {target.parent}: create it first")
    return Destination(path, target)


def write_export(path: Path, text: str) -> None:
    """Write an export to ``path`` (``reslib export -o``); see ``Destination``."""
    destination(path).write(text)
