"""PDF reports: text per page with pypdf, title and date from the metadata or the first page.

A PDF whose pages hold no text (a scan) is still imported, with whatever its metadata says,
and flagged ``needs OCR``: the librarian wants it in the catalogue, and the flag lists it for
the OCR pass. A truncated or unreadable PDF is skipped. The PDF itself is kept with the record
(``library/files/ID/``).
"""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .base import Document, Item, ParseOptions, SkipFile, clean_paragraphs, clean_space, file_key
from .dates import parse_date

NEEDS_OCR = "needs OCR"
DATE_FROM_FILE = "date from file time"
#: Less text than this over all pages means there is no text layer, only stray marks.
MIN_TEXT_CHARS = 20

# Metadata titles that only name the program that made the file.
_JUNK_TITLE_RE = re.compile(
    r"^(untitled|microsoft word - .*|document\d*|.*\.(docx?|indd|pdf))$", re.IGNORECASE
)


def _metadata(reader: Any) -> dict[str, str]:
    try:
        meta = reader.metadata or {}
        return {str(k).lstrip("/").lower(): str(v) for k, v in meta.items() if v}
    except Exception:  # Broken Info dictionaries are common and never worth a skip.
        return {}


def extract_pdf(data: bytes) -> tuple[list[str], dict[str, str]]:
    """The text of each page and the metadata (lowercase keys), or SkipFile."""
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-"):
        raise SkipFile("not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise SkipFile("truncated PDF (no %%EOF at the end): download it again")
    # pypdf reports recoverable damage through logging; the skip reason says enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SkipFile("encrypted PDF: needs a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except SkipFile:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files; all mean "unreadable".
        raise SkipFile(f"unreadable PDF: {exc}") from None
    return pages, _metadata(reader)


def parse_pdf(path: Path, data: bytes, options: ParseOptions) -> Document:
    pages, meta = extract_pdf(data)
    texts = [clean_paragraphs(p) for p in pages]
    has_text = sum(len(t) for t in texts) >= MIN_TEXT_CHARS
    flags = [] if has_text else [NEEDS_OCR]
    first_lines = [clean_space(line) for line in (texts[0] if texts else "").split("\n")]
    first_lines = [line for line in first_lines if line]

    title = clean_space(meta.get("title", ""))
    if not title or _JUNK_TITLE_RE.match(title):
        title = next((line for line in first_lines if len(line) <= 200), "")
    if not title:
        title = re.sub(r"[_-]+", " ", path.stem).strip() or path.name

    date = parse_date(meta.get("creationdate", "")) or parse_date(" ".join(first_lines[:15]))
    if not date:
        stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        date = stamp.date().isoformat()
        flags.append(DATE_FROM_FILE)

    item = Item(
        key=file_key(path),
        title=title,
        date=date,
        type="report",
        type_guessed=True,
        body="\n\n".join(t for t in texts if t),
        flags=flags,
        attach=path,
        provenance={"pages": len(pages)},
    )
    author = clean_space(meta.get("author", ""))
    if author:
        # A PDF's Author is usually a person (whoever typed it): it names the organization
        # only when the authority file knows it as one.
        if options.resolve_organization(author):
            item.organizations = [author]
        else:
            item.provenance["pdf_author"] = author
    return Document(key=item.key, format="pdf", items=[item])
