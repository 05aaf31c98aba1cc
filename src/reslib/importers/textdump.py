"""Plain-text dumps of web pages (the shape of ``../shared/seeds``).

The shape: a title line, a date/author line (``September 15th, 2023 • Author: Progressive
Voice • 7 minute read``), the body, ``[n]`` footnotes, then "Resources from the past week":
section headings and listings, each listing a title block followed by a ``By …`` block. A run
of two or more blank lines starts a new section; a section without a heading is the
publisher's list of reports.

The page becomes an ``update``; the list is read by ``resources`` (shared with saved pages),
every listing an item of its own, related to it. A line holding only a URL is the link of
the listing block it ends or follows.

Boilerplate that every update repeats (the "Featured image" caption, the Burma/Myanmar naming
footnote, the closing "Progressive Voice is a …" paragraph) is kept out of the body: it would
make every update match every query about it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .base import Document, Item, ParseOptions, SkipFile, file_key
from .dates import parse_date
from .encoding import decode
from .resources import BOILERPLATE, Block, add_listings, is_boilerplate, is_resources_heading

_DATE_LINE_RE = re.compile(r"^(?P<date>[^•|]*?\d{4})\s*(?:[•|]\s*(?P<rest>.*))?$")
_AUTHOR_RE = re.compile(r"Author:\s*(?P<author>[^•|]+)", re.IGNORECASE)
_FOOTNOTE_RE = re.compile(r"^\[(\d+)\]\s*")
_URL_LINE_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)

__all__ = ["BOILERPLATE", "is_boilerplate", "parse_text", "parse_text_file"]


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


def _resource_blocks(lines: list[str]) -> list[Block]:
    """The list's blocks, a line holding only a URL made the link of the block it ends or
    follows (a dump that kept the listings' addresses)."""
    out: list[Block] = []
    gap, current, link = 0, [], ""

    def flush() -> None:
        if current:
            out.append(Block(" ".join(current), gap, link))

    for raw in lines:
        line = raw.strip()
        if _URL_LINE_RE.match(line) and (current or (out and not out[-1].link)):
            if current:
                link = link or line
            else:
                out[-1] = replace(out[-1], link=line)
            continue
        if line:
            current.append(line)
            continue
        if current:
            flush()
            current, gap, link = [], 0, ""
        gap += 1
    flush()
    return out


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
        if is_resources_heading(line):
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
    add_listings(_resource_blocks(resource_lines), doc, options)
    return doc
