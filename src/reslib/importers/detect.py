"""Which importer reads a file: from its first bytes first, its extension second.

Content wins because saved files are often misnamed (a PDF served as ``download.php``, a
page saved as ``.txt``); the extension breaks ties between formats that look alike (CSV and
plain text). A binary file that claims a text format is refused here, with a reason.

``FORMATS`` is the one table of formats: each name (as ``--format`` takes it) to its parser.
A new format is a parser module and a row here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .base import Parse, SkipFile
from .encoding import head_as_utf8, looks_binary
from .htmlpage import parse_html
from .pdf import parse_pdf
from .tabular import parse_csv, parse_json, parse_jsonl
from .textdump import parse_text_file
from .wxr import is_wxr, parse_wxr

FORMATS: Mapping[str, Parse] = {
    "text": parse_text_file,
    "html": parse_html,
    "pdf": parse_pdf,
    "csv": parse_csv,
    "json": parse_json,
    "jsonl": parse_jsonl,
    "wxr": parse_wxr,
}

_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "wxr",
    ".wxr": "wxr",
}

#: Files a folder import passes over without a word: the assets of saved web pages.
IGNORED_SUFFIXES = frozenset(
    {
        ".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg",
        ".ico", ".woff", ".woff2", ".ttf", ".eot", ".otf", ".mp4", ".mp3", ".webm",
    }
)  # fmt: skip


def detect_format(path: Path, head: bytes) -> str:
    """The format of a file from its first kilobytes and name, or SkipFile."""
    ext = _BY_EXTENSION.get(path.suffix.lower())
    head = head_as_utf8(head)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = stripped[:2048].lower()
    if stripped.startswith(b"%PDF-"):
        return "pdf"
    if looks_binary(head):
        claimed = f" with a {path.suffix} name" if path.suffix else ""
        raise SkipFile(f"binary file{claimed}, not a document this importer reads")
    if is_wxr(head):
        return "wxr"
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:1024]:
        return "html"
    if ext in ("json", "jsonl"):
        return ext
    if stripped.startswith((b"[", b"{")):
        first_line = stripped.split(b"\n", 1)[0].strip()
        return "jsonl" if first_line.startswith(b"{") and first_line.endswith(b"}") else "json"
    if ext:
        return ext
    if lowered.startswith(b"<"):
        return "html"
    return "text"
