"""Plain-text dumps of web pages (the shape of ``../shared/seeds``).

The shape: a title line, a date/author line (``September 15th, 2023 • Author: Progressive
Voice • 7 minute read``), the body, ``[n]`` footnotes, then "Resources from the past week":
section headings and listings, each listing a title block followed by a ``By …`` block. A run
of two or more blank lines starts a new section; a section without a heading is the
publisher's list of reports.

The page becomes an ``update``; every listing becomes an item of its own, related to it.
Listings are keyed by title and organizations, not by page, so a resource listed in several
updates is one record with several ``related`` links. A Burmese listing right after an English
one with the same organizations is its translation.

Boilerplate that every update repeats (the "Featured image" caption, the Burma/Myanmar naming
footnote, the closing "Progressive Voice is a …" paragraph) is kept out of the body: it would
make every update match every query about it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import Document, Item, ParseOptions, SkipFile, detect_language, file_key, title_key
from .dates import parse_date
from .encoding import decode

_DATE_LINE_RE = re.compile(r"^(?P<date>[^•|]*?\d{4})\s*(?:[•|]\s*(?P<rest>.*))?$")
_AUTHOR_RE = re.compile(r"Author:\s*(?P<author>[^•|]+)", re.IGNORECASE)
_FOOTNOTE_RE = re.compile(r"^\[(\d+)\]\s*")
_RESOURCES_RE = re.compile(r"^resources from the (past|last) (week|month)s?:?$", re.IGNORECASE)
_BY_RE = re.compile(r"^by\s+\S", re.IGNORECASE)

#: Paragraphs dropped wherever they appear: they repeat on every page of the site.
BOILERPLATE = [
    re.compile(r"^featured image$", re.IGNORECASE),
    re.compile(r"changed the country.s name from Burma to Myanmar", re.IGNORECASE),
    re.compile(r"^Progressive Voice is a participatory, rights-based", re.IGNORECASE),
    re.compile(r"^(share|share this|tweet|print)(:| this)?$", re.IGNORECASE),
]

#: Section heading -> type of its listings ("" -> decided from each title).
SECTION_TYPES = [
    (re.compile(r"statement|press release", re.IGNORECASE), ""),
    (re.compile(r"report|publication|briefing", re.IGNORECASE), "report"),
    (re.compile(r"news|article", re.IGNORECASE), "news"),
    (re.compile(r"letter", re.IGNORECASE), "open-letter"),
]


def is_boilerplate(paragraph: str) -> bool:
    return any(p.search(paragraph) for p in BOILERPLATE)


def _listing_type(section: str | None, title: str) -> tuple[str, bool]:
    """The type of a listing and whether it was guessed from the title."""
    if section is None:
        return "report", False
    for pattern, type_key in SECTION_TYPES:
        if pattern.search(section):
            if type_key:
                return type_key, False
            break
    lowered = title.casefold()
    if "open letter" in lowered or "အိတ်ဖွင့်ပေးစာ" in title:
        return "open-letter", False
    if "press release" in lowered:
        return "press-release", False
    return "statement", True


def _blocks(lines: list[str]) -> list[tuple[int, str]]:
    """Blank-line separated blocks, each with the number of blank lines before it."""
    blocks: list[tuple[int, str]] = []
    gap, current = 0, []
    for line in lines:
        if line.strip():
            current.append(line.strip())
            continue
        if current:
            blocks.append((gap, " ".join(current)))
            current, gap = [], 0
        gap += 1
    if current:
        blocks.append((gap, " ".join(current)))
    return blocks


def parse_text_file(path: Path, data: bytes, options: ParseOptions) -> Document:
    """The file's bytes decoded (see ``encoding``), then read as a page dump."""
    return parse_text(path, decode(data), options)


def parse_text(path: Path, text: str, options: ParseOptions) -> Document:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.replace("\u00a0", " ") for line in text.split("\n")]
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise SkipFile("no text")
    title = re.sub(r"\s+", " ", lines[start]).strip()
    date, author, body_start = "", "", start + 1
    for i in range(start + 1, min(start + 6, len(lines))):
        m = _DATE_LINE_RE.match(lines[i].strip())
        found = parse_date(lines[i]) if m else None
        if found:
            date, body_start = found, i + 1
            a = _AUTHOR_RE.search(lines[i])
            author = re.sub(r"\s+", " ", a.group("author")).strip() if a else ""
            break
    if not date:
        raise SkipFile("plain text without a date line under the title: not a page dump")

    body_lines, resource_lines = lines[body_start:], []
    for i, line in enumerate(body_lines):
        if _RESOURCES_RE.match(line.strip()):
            body_lines, resource_lines = body_lines[:i], body_lines[i + 1 :]
            break

    paragraphs, footnotes = [], []
    for _gap, block in _blocks(body_lines):
        if is_boilerplate(block):
            continue
        (footnotes if _FOOTNOTE_RE.match(block) else paragraphs).append(block)
    body = "\n\n".join(paragraphs + footnotes)

    doc_key = file_key(path)
    update = Item(
        key=doc_key,
        title=title,
        date=date,
        type="update",
        organizations=[author] if author else [],
        body=body,
    )
    doc = Document(key=doc_key, format="text", items=[update])
    _parse_listings(resource_lines, doc, options)
    return doc


def _parse_listings(lines: list[str], doc: Document, options: ParseOptions) -> None:
    update = doc.items[0]
    blocks = [(gap, b) for gap, b in _blocks(lines) if not is_boilerplate(b)]
    section: str | None = None
    pending: tuple[int, str] | None = None
    seen_sections = 0
    for gap, block in blocks:
        if _BY_RE.match(block) and pending is not None:
            title = pending[1]
            pending = None
            authors = options.read_author_line(block)
            organizations = authors.names
            doc.notes += [
                f"name to check: {name!r} in {block!r} was kept whole (several 'and's and no "
                "comma, and the authority file does not know its parts)"
                for name in authors.to_check
            ]
            type_key, guessed = _listing_type(section, title)
            key = (
                "listing:" + title_key(title) + "|" + ";".join(title_key(o) for o in organizations)
            )
            doc.items.append(
                Item(
                    key=key,
                    title=title,
                    date=update.date,
                    type=type_key,
                    type_guessed=guessed,
                    organizations=organizations,
                )
            )
            continue
        if pending is not None:
            # A block not followed by "By …" was a heading: the section's name.
            section = pending[1]
            seen_sections += 1
        elif gap >= 2 and seen_sections:
            # Two or more blank lines with no heading: the untitled list of reports.
            section = None
        pending = (gap, block)

    for j in range(1, len(doc.items)):
        doc.related.append((0, j))
    # A Burmese listing right after its English original, by the same organizations.
    for j in range(2, len(doc.items)):
        prev, item = doc.items[j - 1], doc.items[j]
        if (
            detect_language(item.title) == "my"
            and detect_language(prev.title) == "en"
            and item.organizations
            and item.organizations == prev.organizations
        ):
            doc.translations.append((j - 1, j))
