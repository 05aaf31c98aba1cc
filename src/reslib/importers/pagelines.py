"""A saved page's post as ``resources.Block``s: its paragraphs as lines, each with its link.

What the saved-page importer gives ``resources`` to read a weekly update's list from, in the
shape a text dump has: one block per paragraph, heading, list item or ``<br>``-separated line
(a listing's title and its ``By …`` line are two blocks however the theme wrote them); the
block's link is the first link with text in it (a listing's title links to the resource);
empty paragraphs, ``<hr>`` and runs of three or more ``<br>`` are the blank lines that start
a list without a heading. One iterative walk, linear in the page's size, like ``blocks``.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import CData, NavigableString, Tag

from .base import clean_space
from .blocks import BREAK_TAGS, sizes
from .resources import Block

#: Elements that, holding no text, stand for a blank line of the page (a spacer).
_BLANK_TAGS = frozenset(["p", "div", "hr", "h1", "h2", "h3", "h4", "h5", "h6"])


def _absolute(href: str, base_url: str) -> str:
    """``href`` made absolute against the page's URL; "" unless it is a web address."""
    href = href.strip()
    if not href or href.startswith("#"):
        return ""
    full = urljoin(base_url, href) if base_url else href
    return full if urlsplit(full).scheme in ("http", "https") else ""


def page_blocks(root: Tag, base_url: str = "") -> list[Block]:
    """The blocks of ``root`` in reading order (scripts and chrome already removed)."""
    measured = sizes(root)
    out: list[Block] = []
    parts: list[str] = []
    link = ""
    blanks = 0  # blank lines (empty paragraphs) since the last block
    brs = 0  # <br>s in a row since the last text

    def flush() -> None:
        nonlocal parts, link, blanks, brs
        text = clean_space("".join(parts))
        if text:
            out.append(Block(text, 1 + blanks + max(0, brs - 1), link))
            blanks = brs = 0
            link = ""
        parts = []

    stack: list[tuple[Tag, Iterator[object]]] = [(root, iter(root.contents))]
    while stack:
        tag, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if tag.name in BREAK_TAGS:
                flush()
            continue
        if isinstance(child, Tag):
            if child.name == "br":
                if clean_space("".join(parts)):
                    flush()
                elif out:
                    brs += 1
                continue
            if child.name in BREAK_TAGS:
                flush()
                if measured.text[id(child)] == 0:
                    blanks += child.name in _BLANK_TAGS
                    continue
            if child.name == "a" and not link and measured.text[id(child)]:
                link = _absolute(str(child.get("href") or ""), base_url)
            stack.append((child, iter(child.contents)))
        elif type(child) in (NavigableString, CData):
            parts.append(str(child))
    flush()
    return out
