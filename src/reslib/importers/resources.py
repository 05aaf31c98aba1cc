"""The "Resources from the past week" list of a weekly update, read into one item per listing.

One reading for every format that carries such a list: the text-dump importer (``textdump``)
and the saved-page importer (``htmlpage``) each turn the lines under the heading into
``Block``s (a paragraph's text, the blank lines before it, the link it holds) and hand them
to ``add_listings``, so a page and its text dump give the same records.

The list: section headings and listings, each listing a title block followed by a ``By …``
block. A block not followed by ``By …`` is a section's name; a run of two or more blank lines
with no heading starts the untitled list of reports. The type of a listing comes from its
section (``SECTION_TYPES``); in a statements section from its title.

Listings are keyed by title and organizations, not by page, so a resource listed in several
updates (or in a page and its text dump) is one record with several ``related`` links. A
Burmese listing right after an English one with the same organizations is its translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .base import Document, Item, ParseOptions, detect_language, title_key

RESOURCES_RE = re.compile(r"^resources from the (past|last) (week|month)s?:?$", re.IGNORECASE)
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


@dataclass(frozen=True)
class Block:
    """One paragraph of the list: its text (one line), the blank lines before it in the
    source (two or more with no heading start the untitled list), and the address it links
    to (a listing's page or document; "" when the source gives none)."""

    text: str
    gap: int = 1
    link: str = ""


def is_boilerplate(paragraph: str) -> bool:
    return any(p.search(paragraph) for p in BOILERPLATE)


def is_resources_heading(paragraph: str) -> bool:
    """Whether ``paragraph`` is the heading the list starts under."""
    return RESOURCES_RE.match(paragraph.strip()) is not None


def listing_type(section: str | None, title: str) -> tuple[str, bool]:
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


def _shared_links(blocks: list[Block]) -> set[str]:
    """Links given to more than one block: such a link (the site's home page, one PDF of the
    whole list) identifies none of its listings, and as a ``source_url`` would make them one
    record."""
    seen: set[str] = set()
    shared: set[str] = set()
    for block in blocks:
        if block.link:
            (shared if block.link in seen else seen).add(block.link)
    return shared


def add_listings(
    blocks: Iterable[Block], doc: Document, options: ParseOptions, update: int = 0
) -> None:
    """Append to ``doc`` an item per listing in ``blocks`` (the list under the heading), each
    related to the update (``doc.items[update]``; a document of several posts, a WordPress
    export's, names it), and the translations among them.

    A listing's link becomes its ``source_url`` (so a later import of that address finds the
    record), unless several listings share it."""
    page = doc.items[update]
    kept = [b for b in blocks if b.text and not is_boilerplate(b.text)]
    shared = _shared_links(kept)
    first = len(doc.items)
    section: str | None = None
    pending: Block | None = None
    seen_sections = 0
    for block in kept:
        if _BY_RE.match(block.text) and pending is not None:
            doc.items.append(_listing(pending, block, section, page, doc, options, shared))
            pending = None
            continue
        if pending is not None:
            # A block not followed by "By …" was a heading: the section's name.
            section = pending.text
            seen_sections += 1
        elif block.gap >= 2 and seen_sections:
            # Two or more blank lines with no heading: the untitled list of reports.
            section = None
        pending = block

    for j in range(first, len(doc.items)):
        doc.related.append((update, j))
    # A Burmese listing right after its English original, by the same organizations.
    for j in range(first + 1, len(doc.items)):
        prev, item = doc.items[j - 1], doc.items[j]
        if (
            detect_language(item.title) == "my"
            and detect_language(prev.title) == "en"
            and item.organizations
            and item.organizations == prev.organizations
        ):
            doc.translations.append((j - 1, j))


def _listing(
    title_block: Block,
    by_block: Block,
    section: str | None,
    update: Item,
    doc: Document,
    options: ParseOptions,
    shared: set[str],
) -> Item:
    title, by_line = title_block.text, by_block.text
    authors = options.read_author_line(by_line)
    organizations = authors.names
    doc.notes += [
        f"name to check: {name!r} in {by_line!r} was kept whole (several 'and's and no "
        "comma, and the authority file does not know its parts)"
        for name in authors.to_check
    ]
    type_key, guessed = listing_type(section, title)
    key = "listing:" + title_key(title) + "|" + ";".join(title_key(o) for o in organizations)
    # The title's link; a source that links the "By …" line only (or puts the address
    # after it) gives that one.
    link = title_block.link or by_block.link
    link = link if link not in shared else ""
    return Item(
        key=key,
        title=title,
        date=update.date,
        type=type_key,
        type_guessed=guessed,
        organizations=organizations,
        source_url=link,
    )
