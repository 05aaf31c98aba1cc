"""PDF reports: text per page with pypdf, title and date from the metadata or the first page.

Every PDF that opens without a password imports: an empty user password (print or copy
protection, often with AES: pypdf decrypts it with ``cryptography``) is no obstacle, and bytes
after the last ``%%EOF`` (padding, an error page a download tool appended) are ignored as
every reader ignores them. A PDF that needs a real password is skipped, saying what to do.

Metadata is read by rule, not trusted: a value a program wrote about itself (an object's
memory address such as ``ARRAY(0x2c7cf020)``, a hex identifier, a value wholly in brackets,
no letter at all) names nobody and titles nothing. The date is the metadata's creation date,
else its modification date (either only when a PDF could have been written then), else a
date on the first page, else the file's time (flagged).

The page content may decompress to ``RESLIB_IMPORT_PDF_MB`` at most, all streams together
(pypdf caps each stream by itself): a PDF of a megabyte can hold gigabytes of compressed
spaces, which took half a minute and hundreds of megabytes to extract before being imported
as a record. A PDF beyond the cap is skipped with its reason.

A page without a text layer that draws an image (a scan) is read by OCR (``ocr``:
Tesseract, Burmese and English), unless ``--no-ocr``; its text then goes the importer's normal
way (normalized like any other), the record is flagged ``OCR`` and keeps each page's
confidence and the mean in ``imported["ocr"]``. A page OCR could not read (Tesseract crashed
or timed out, or the page is beyond ``RESLIB_OCR_MAX_PAGES``) is reported in the run's notes
and the rest of the file is imported. A PDF that still holds no text, or has pages left
unread, is imported with whatever its metadata says and flagged ``needs OCR``: the librarian
wants it in the catalogue, and the flag lists it for another pass.

OCR is slow (seconds per page), and its text may be all a librarian has of a scan: a PDF
imported again unchanged (the sha256 its record keeps, ``imported["file_sha256"]``) whose
record holds what OCR read from it is not read again. The record's values that came of that
reading (body, and title and date when they came from the first page; its language and
flags) are offered as the source's, so the re-import rule (``merge``) leaves them as they are,
hand corrections included, and ``imported["ocr"]`` is kept; the run's notes say so. So it is
with ``--no-ocr``, which would otherwise empty the body. A changed file, a reading with a
failed page or pages beyond the bound, one in other languages than ``RESLIB_OCR_LANGUAGES``
now, or one made with other models than Tesseract would use now (``RESLIB_OCR_TESSDATA``;
``ocr.complete``) is read again (unless ``--no-ocr``). The record comes from the
run (``ParseOptions.imported_as``); the parser never opens the catalogue itself.

A truncated (no ``%%EOF`` at all, or an update after it cut short) or unreadable PDF is
skipped. The PDF itself is kept with the record (``library/files/ID/``).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from .. import settings
from ..models import Record
from . import ocr
from .base import (
    Document,
    Item,
    ParseOptions,
    SkipFile,
    clean_paragraphs,
    clean_space,
    file_key,
    one_line,
)
from .budget import time_limit
from .dates import parse_date

NEEDS_OCR = "needs OCR"
_NEEDS_PASSWORD = (
    "encrypted PDF that needs a password to open: open it with the password, save a copy "
    "without one (or print it to PDF), and import that copy"
)
DATE_FROM_FILE = "date from file time"
#: Less text than this over all pages means there is no text layer, only stray marks.
MIN_TEXT_CHARS = 20

# Metadata titles that only name the program that made the file.
_JUNK_TITLE_RE = re.compile(
    r"^(untitled|microsoft word - .*|document\d*|.*\.(docx?|indd|pdf))$", re.IGNORECASE
)
# What programs write when they print an object instead of its value: a memory address
# (Perl's ARRAY(0x2c7cf020), Python's <object at 0x7f...>) or a hex identifier (a UUID, a
# digest): a run of eight or more hex digits holding both digits and letters.
_MACHINE_TOKEN_RE = re.compile(
    r"(?<![0-9a-z])(?:0x[0-9a-f]{2,}"
    r"|(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}(?![0-9a-z]))",
    re.IGNORECASE,
)
_BRACKETED_RE = re.compile(r"^\s*(\[.*\]|<.*>|\{.*\})\s*$", re.DOTALL)
# PDF 1.0 appeared in 1993: a metadata date before it is a zeroed or default clock.
_FIRST_PDF_YEAR = 1993
# Bytes after the last %%EOF that begin another revision (an incremental update: objects,
# a cross-reference table, a trailer): if they are there, the update was cut short, and the
# file is truncated rather than padded. PDF syntax, not the bare words, so that an appended
# page mentioning a "trailer" is still padding.
_REVISION_START_RE = re.compile(rb"\d+\s+\d+\s+obj\b|[\r\n]xref\s|\btrailer\s*<<|\bstartxref\s+\d")
# How much of a trailing tail is searched for the start of a revision.
_TAIL_CHECKED = 1 << 20


def machine_value(value: str) -> bool:
    """True when a metadata value was written by a program about itself, not by a person:
    no letter at all, a memory address or hex identifier, or a value wholly in brackets
    (``[object Object]``). Such a value is ignored wherever a title or author is wanted."""
    if not any(ch.isalpha() for ch in value):
        return True
    return bool(_MACHINE_TOKEN_RE.search(value) or _BRACKETED_RE.match(value))


def _metadata(reader: Any) -> dict[str, str]:
    try:
        meta = reader.metadata or {}
        return {str(k).lstrip("/").lower(): str(v) for k, v in meta.items() if v}
    except Exception:  # Broken Info dictionaries are common and never worth a skip.
        return {}


def metadata_date(meta: dict[str, str], today: date | None = None) -> str | None:
    """The creation date, else the modification date, of the Info dictionary, as
    ``YYYY-MM-DD``; a date no PDF could have been written on (before 1993, after tomorrow)
    is a wrong clock and skipped."""
    latest = (today or datetime.now(UTC).date()) + timedelta(days=1)
    for key in ("creationdate", "moddate"):
        found = parse_date(meta.get(key, ""))
        if found and int(found[:4]) >= _FIRST_PDF_YEAR and found <= latest.isoformat():
            return found
    return None


def _check_ending(data: bytes) -> None:
    """SkipFile when the file was cut short: no ``%%EOF`` at all, or bytes after the last
    one that begin another revision. Other trailing bytes are padding, ignored."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise SkipFile("truncated PDF (no %%EOF at the end): download it again")
    tail = data[end + 5 : end + 5 + _TAIL_CHECKED]
    if tail.strip() and _REVISION_START_RE.search(tail):
        raise SkipFile(
            "truncated PDF (an update after its last %%EOF is cut short): download it again"
        )


def _stream_limits(cap: int) -> contextlib.AbstractContextManager[Any]:
    """pypdf's own per-stream decompression limits set to ``cap``, where this pypdf has them
    (``apply_configuration``, pypdf 6+); the total is checked by ``_check_decompressed``."""
    try:
        from pypdf import Configuration, apply_configuration
    except ImportError:
        return contextlib.nullcontext()
    names = {f.name for f in dataclasses.fields(Configuration)}
    return apply_configuration(**{name: cap for name in _PYPDF_LIMITS if name in names})


_PYPDF_LIMITS = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "brotli_maximum_output_length",
    "array_based_stream_maximum_output_length",
    "maximum_declared_stream_length",
)


def _resolved(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _content_streams(page: Any) -> Iterator[Any]:
    """The streams text extraction decodes for a page: its contents and the forms it draws
    (and theirs), each once."""
    from pypdf.generic import StreamObject

    todo = [(page.get("/Contents"), page.get("/Resources"))]
    while todo:
        contents, resources = todo.pop()
        contents = _resolved(contents)
        for stream in contents if isinstance(contents, list) else [contents]:
            stream = _resolved(stream)
            if isinstance(stream, StreamObject):
                yield stream
        resources = _resolved(resources)
        xobjects = _resolved(resources.get("/XObject")) if isinstance(resources, dict) else None
        if isinstance(xobjects, dict):
            for xobject in xobjects.values():
                xobject = _resolved(xobject)
                if isinstance(xobject, StreamObject) and xobject.get("/Subtype") == "/Form":
                    todo.append((xobject, xobject.get("/Resources")))


def _over_cap(cap: int) -> SkipFile:
    return SkipFile(
        f"its pages decompress to more than {cap // 2**20} MB (the limit is "
        "RESLIB_IMPORT_PDF_MB): a compression bomb, or raise the limit"
    )


def _check_decompressed(reader: Any, cap: int) -> None:
    """SkipFile when the page content of the whole PDF decompresses to more than ``cap``.

    pypdf caps each stream; a bomb spreads itself over many. Each stream is decoded here
    once, and pypdf keeps the decoded copy, so text extraction does not decode it again.
    """
    total = 0
    seen: set[int] = set()
    for page in reader.pages:
        for stream in _content_streams(page):
            if id(stream) in seen:
                continue
            seen.add(id(stream))
            try:
                total += len(stream.get_data())
            except Exception as exc:
                if type(exc).__name__ == "LimitReachedError":
                    raise _over_cap(cap) from None
                continue  # A damaged stream: extraction copes with it, or says so.
            if total > cap:
                raise _over_cap(cap)


# An inline image in a content stream: BI, its dictionary, ID, the data, EI.
_INLINE_IMAGE_RE = re.compile(rb"(?:^|\s)BI\s.*?\sID\s", re.DOTALL)


def _draws_image(page: Any) -> bool:
    """True when the page draws an image (an image XObject, directly or in a form it draws,
    or an inline image): only such a page can hold a scan worth OCR."""
    from pypdf.generic import StreamObject

    todo = [page.get("/Resources")]
    seen: set[int] = set()
    while todo:
        resources = _resolved(todo.pop())
        xobjects = _resolved(resources.get("/XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict):
            continue
        for xobject in xobjects.values():
            xobject = _resolved(xobject)
            if not isinstance(xobject, StreamObject):
                continue
            if xobject.get("/Subtype") == "/Image":
                return True
            if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
                seen.add(id(xobject))
                todo.append(xobject.get("/Resources"))
    for stream in _content_streams(page):
        with contextlib.suppress(Exception):  # A damaged stream draws nothing readable.
            if _INLINE_IMAGE_RE.search(stream.get_data()):
                return True
    return False


def extract_pdf(data: bytes, cap: int | None = None) -> tuple[list[str], dict[str, str]]:
    """The text of each page and the metadata (lowercase keys), or SkipFile.

    ``cap``: bytes the page content may decompress to (default: ``RESLIB_IMPORT_PDF_MB``).
    """
    pages, meta, _ = read_pdf(data, cap)
    return pages, meta


def read_pdf(data: bytes, cap: int | None = None) -> tuple[list[str], dict[str, str], set[int]]:
    """``extract_pdf``'s text and metadata, and the (1-based) numbers of the pages that hold
    too little text and draw an image: the pages OCR may read."""
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-"):
        raise SkipFile("not a PDF (no %PDF- header)")
    _check_ending(data)
    if cap is None:
        cap = settings.get("import_pdf_mb") * 2**20
    # pypdf reports recoverable damage through logging; the skip reason says enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with _stream_limits(cap):
            reader = PdfReader(io.BytesIO(data), strict=False)
            # An empty user password opens the file in any reader: so it does here.
            if reader.is_encrypted and not reader.decrypt(""):
                raise SkipFile(_NEEDS_PASSWORD)
            _check_decompressed(reader, cap)
            pages = [page.extract_text() or "" for page in reader.pages]
            scanned = {
                n
                for n, (page, text) in enumerate(zip(reader.pages, pages, strict=True), 1)
                if len(clean_paragraphs(text)) < MIN_TEXT_CHARS and _draws_image(page)
            }
    except SkipFile:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files; all mean "unreadable".
        if type(exc).__name__ == "LimitReachedError":
            raise _over_cap(cap) from None
        raise SkipFile(f"unreadable PDF: {one_line(str(exc))}") from None
    return pages, _metadata(reader), scanned


def _read_scanned(
    path: Path, data: bytes, texts: list[str], scanned: set[int], options: ParseOptions
) -> tuple[dict[str, Any] | None, list[str]]:
    """OCR of the ``scanned`` pages, their text put into ``texts``: ``imported["ocr"]``
    (None when nothing was read) and the notes for the run's summary."""
    todo = sorted(scanned)
    if not todo or not options.ocr:
        return None, []
    missing = ocr.missing_tools()
    if missing:
        return None, [
            f"{len(todo)} page(s) without a text layer not read by OCR: "
            f"{' and '.join(missing)} not installed (scripts/setup.sh installs them)"
        ]
    limit = int(settings.get("ocr_max_pages"))
    run, beyond = todo[:limit], todo[limit:]
    notes = []
    if beyond:
        notes.append(
            f"{len(beyond)} page(s) not read by OCR "
            f"(pages {', '.join(ocr.page_ranges(beyond))}): "
            f"OCR reads {limit} pages of a PDF at most (RESLIB_OCR_MAX_PAGES)"
        )
    results: list[ocr.PageResult] = []
    # Each page has its own timeouts: the file's reading clock pauses meanwhile.
    with time_limit(ocr.time_bound(len(run))):
        if run:
            results = ocr.ocr_pages(data, run, path.name, options.ocr_progress)
        read = ocr.summary(results, beyond)  # Asks Tesseract its version: OCR time too.
    for result in results:
        if result.error:
            notes.append(f"page {result.number} not read by OCR: {result.error}")
        elif result.text:
            texts[result.number - 1] = clean_paragraphs(result.text)
    return read, notes


def _kept_reading(path: Path, data: bytes, options: ParseOptions) -> Record | None:
    """The record this file was imported as, when what OCR read then stands for this
    reading (see the module docstring); None when OCR is to be run as usual."""
    if options.imported_as is None:
        return None
    record = options.imported_as(file_key(path))
    if record is None:
        return None
    read = record.imported.get("ocr")
    if not isinstance(read, dict):
        return None
    if _can_read(options) and not ocr.complete(read, str(settings.get("ocr_languages"))):
        return None
    if record.imported.get("file_sha256") != hashlib.sha256(data).hexdigest():
        return None
    return record


def _can_read(options: ParseOptions) -> bool:
    """Whether this run reads pages by OCR (not ``--no-ocr``, and the programs installed)."""
    return options.ocr and not ocr.missing_tools()


def _kept_note(options: ParseOptions) -> str:
    if _can_read(options):
        why = "not read again"
    else:
        why = "--no-ocr" if not options.ocr else "OCR is not installed"
    return f"unchanged since its last import: its OCR text kept ({why})"


def parse_pdf(path: Path, data: bytes, options: ParseOptions) -> Document:
    pages, meta, scanned = read_pdf(data)
    texts = [clean_paragraphs(p) for p in pages]
    kept = _kept_reading(path, data, options) if scanned else None
    if kept is not None:
        read_by_ocr, notes = copy.deepcopy(kept.imported["ocr"]), [_kept_note(options)]
    else:
        read_by_ocr, notes = _read_scanned(path, data, texts, scanned, options)
    has_text = sum(len(t) for t in texts) >= MIN_TEXT_CHARS
    unread = bool(
        read_by_ocr and (read_by_ocr.get("failed_pages") or read_by_ocr.get("pages_not_read"))
    )
    read_any = read_by_ocr and any(page["chars"] for page in read_by_ocr["pages"])
    flags = [ocr.OCR_FLAG] if read_any else []
    if not has_text or unread:
        flags.append(NEEDS_OCR)
    first_lines = [clean_space(line) for line in (texts[0] if texts else "").split("\n")]
    first_lines = [line for line in first_lines if line]

    title = clean_space(meta.get("title", ""))
    if not title or _JUNK_TITLE_RE.match(title) or machine_value(title):
        title = next((line for line in first_lines if len(line) <= 200), "")
    if not title:
        title = re.sub(r"[_-]+", " ", path.stem).strip() or path.name

    found = metadata_date(meta) or parse_date(" ".join(first_lines[:15]))
    if not found:
        stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        found = stamp.date().isoformat()
        flags.append(DATE_FROM_FILE)

    item = Item(
        key=file_key(path),
        title=title,
        date=found,
        type="report",
        type_guessed=True,
        body="\n\n".join(t for t in texts if t),
        flags=flags,
        attach=path,
        provenance={"pages": len(pages)},
    )
    if read_by_ocr is not None:
        item.provenance["ocr"] = read_by_ocr
    if kept is not None:
        # What the last import's OCR gave, as the record holds it: offered as the source's,
        # the re-import rule leaves each as it is (a hand correction too).
        item.title, item.date, item.language = kept.title, kept.date, kept.language
        item.body, item.flags = kept.body, list(kept.flags)
    author = clean_space(meta.get("author", ""))
    if author and not machine_value(author):
        # A PDF's Author is usually a person (whoever typed it): it names the organization
        # only when the authority file knows it as one.
        if options.resolve_organization(author):
            item.organizations = [author]
        else:
            item.provenance["pdf_author"] = author
    return Document(key=item.key, format="pdf", items=[item], notes=notes)
