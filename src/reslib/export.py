"""Record export: JSON Lines, CSV, and BibTeX and RIS for citation managers.

Pure functions from records to text, shared by ``reslib export`` and the web layer's item and
result-list downloads; ``write_export`` is where ``reslib export -o`` writes a file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path

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
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for r in records:
        writer.writerow(
            {k: "; ".join(v) if isinstance(v, list) else v for k, v in r.to_dict().items()}
        )
    return buf.getvalue()


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


def write_export(path: Path, text: str) -> None:
    """Write an export to ``path`` (``reslib export -o``): atomically, so a reader never
    sees half a file."""
    write_atomic(path, text)
