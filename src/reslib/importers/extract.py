"""A page's main text: the post a WordPress page declares, else trafilatura's reading, else
reslib's own (``blocks``), in paragraphs.

trafilatura is the reference extractor of published comparisons, and on Zyte's article
extraction benchmark it scores 0.948 body F1 where reslib's own reading scored 0.68 (see
``benchmarks/import_quality.py``). A WordPress post's ``entry-content`` is read by reslib
itself: the site says where its text is, and trafilatura drops what reslib keeps there (the
link lists of weekly updates; on a short post, it falls back to the whole page's text). When
trafilatura finds nothing, reslib's own reading is taken and the page imported with a note.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from .blocks import densest, element_text, remove, remove_chrome

#: Below this much text (lines of three characters or more) the "article" is a menu, a stub
#: or stray letters, not something to catalogue.
MIN_ARTICLE_CHARS = 80

# trafilatura logs each page it finds nothing in; the importer says so in its summary.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


@dataclass
class MainText:
    body: str
    #: "wordpress", "trafilatura" or "fallback" (reslib's own reading of the page).
    source: str
    #: Said in the import summary when the text was found only by the fallback.
    note: str = ""


def substance(text: str) -> int:
    """Characters of ``text`` in lines of three or more (bullets and stray letters do not count)."""
    return sum(len(line) for line in text.split("\n") if len(line.strip()) >= 3)


def trafilatura_text(html: str) -> str:
    """trafilatura's main text of ``html``, one paragraph per line made a paragraph here."""
    import trafilatura

    try:
        found = trafilatura.extract(
            html,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
            with_metadata=False,
        )
    except Exception:
        # Whatever a third-party parser trips on in a hostile page, the page is not lost:
        # reslib's own reading takes over (and the summary says so).
        return ""
    if not found:
        return ""
    return "\n\n".join(line.strip() for line in found.split("\n") if line.strip())


def _own_text(content: Tag, drop: object, *, chrome_removed: bool = False) -> str:
    if not chrome_removed:
        remove_chrome(content)
    remove(content, drop)  # type: ignore[arg-type]
    return element_text(content)


def main_text(html: str, soup: BeautifulSoup, wordpress: Tag | None, drop: object) -> MainText:
    """The main text of the page ``html`` (parsed as ``soup``); ``wordpress`` is the post body
    the page declares, if any; ``drop(tag)`` says which elements of it are title or metadata."""
    if wordpress is not None:
        body = _own_text(wordpress, drop)
        if substance(body) >= MIN_ARTICLE_CHARS:
            return MainText(body, "wordpress")
    body = trafilatura_text(html)
    if substance(body) >= MIN_ARTICLE_CHARS:
        return MainText(body, "trafilatura")
    remove_chrome(soup)
    articles = soup.find_all("article")
    content = articles[0] if len(articles) == 1 else None
    content = content or soup.find("main") or soup.find(attrs={"role": "main"}) or densest(soup)
    body = _own_text(content, drop, chrome_removed=True) if isinstance(content, Tag) else ""
    return MainText(body, "fallback", "main text found by reslib's own reading (trafilatura none)")
