"""An item's original file as served: where it is, what it is, how big, and how it is sent.

A file is always offered as a download. A PDF may also open in the browser's own viewer
(``?inline=1``): only a file that both is named ``.pdf`` and starts with the PDF signature,
sent as ``application/pdf`` with ``nosniff``, so no stored file can ever run as HTML or SVG
on our origin, whatever its name or content.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any

from flask import Response, send_file

from ..catalogue import Catalogue
from ..models import Record

#: Control characters and the bidirectional/zero-width format characters: never in a header
#: (a newline is a header injection) nor in a name a visitor reads (U+202E can disguise
#: ``fdp.exe`` as ``exe.pdf``).
_UNSAFE_NAME = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
PDF_SIGNATURE = b"%PDF-"


def source_path(cat: Catalogue, record: Record) -> Path | None:
    """The original file, only if it exists and lies inside ``library/files/``."""
    if not record.source_file:
        return None
    path = (cat.home.library / record.source_file).resolve()
    files = cat.files_dir.resolve()
    if files not in path.parents or not path.is_file():
        return None
    return path


def download_name(item_id: str, name: str) -> str:
    """The file name offered for a download: the stored name without control or bidi
    characters, or the record id with the file's extension when nothing is left."""
    cleaned = _UNSAFE_NAME.sub("", name).strip(" ")
    if not cleaned.strip("."):
        return item_id
    # Nothing left but an extension: the record's id names the file.
    return item_id + cleaned if cleaned.startswith(".") else cleaned


def is_pdf(path: Path) -> bool:
    """Named ``.pdf`` and starting with the PDF signature (a renamed HTML page is not)."""
    if path.suffix.lower() != ".pdf":
        return False
    with path.open("rb") as fh:
        return fh.read(len(PDF_SIGNATURE)) == PDF_SIGNATURE


def mimetype_of(path: Path) -> str:
    """The file's MIME type by its name, but ``application/pdf`` only for a real PDF."""
    if is_pdf(path):
        return "application/pdf"
    guessed = mimetypes.guess_type(path.name)[0]
    return guessed if guessed and guessed != "application/pdf" else "application/octet-stream"


def describe(path: Path, url: str) -> dict[str, Any]:
    """The file as the item's JSON gives it: name, address, MIME type, size in bytes, and
    the address that opens it in the browser (PDFs only; else None)."""
    pdf = is_pdf(path)
    return {
        "name": path.name,
        "url": url,
        "type": mimetype_of(path),
        "size": path.stat().st_size,
        "preview": f"{url}?inline=1" if pdf else None,
    }


def kind_label(name: str) -> str:
    """What a reader calls the file: its extension in capitals (PDF, DOCX), or ``file``."""
    suffix = Path(name).suffix.lstrip(".")
    return suffix.upper() if suffix.isalnum() else ""


def send(path: Path, item_id: str, inline: bool) -> Response:
    """The file as a download; a PDF asked for ``inline`` opens in the browser instead."""
    name = download_name(item_id, path.name)
    if inline and is_pdf(path):
        response = send_file(
            path, mimetype="application/pdf", as_attachment=False, download_name=name
        )
    else:
        # A download: an HTML or SVG original must never run on our origin.
        response = send_file(
            path, mimetype=mimetype_of(path), as_attachment=True, download_name=name
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = [
    "describe",
    "download_name",
    "is_pdf",
    "kind_label",
    "mimetype_of",
    "send",
    "source_path",
]
