"""Saved HTML pages: what a page says about itself, its main text and the PDFs it links.

The parts are each a module's job: ``pagemeta`` reads ``<meta>`` and JSON-LD, ``titles`` picks
the title, ``pagedates`` the date, ``extract`` the main text (a WordPress post's
``entry-content``, else trafilatura, else reslib's own reading in ``blocks``). What is left here
is WordPress's post metadata (author byline, ``rel="category tag"`` links), the page's URL
and site name, and the links to PDFs in the content, kept in the record's provenance.

A weekly update (a post with a "Resources from the past week" heading) is split as its text
dump is: ``pagelines`` gives the post's paragraphs after the heading, each with its link, to
``resources``, the reading both importers share; the page is the ``update`` and every listing
a record related to it, its link the ``source_url``. The WordPress export (``wxr``) reads a
post's content with the same functions (``may_hold_resources``, ``resource_blocks``,
``update_body``).

A page is skipped only when it holds no article text at all (a menu, a stub). A page that
names no date is imported with its date unknown, and one whose text only reslib's fallback
found is imported with a note saying so.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from .base import (
    Document,
    Item,
    ParseOptions,
    SkipFile,
    clean_space,
    file_key,
    guess_type,
    title_key,
    url_key,
)
from .blocks import html_to_text, in_chrome, remove_chrome, values, wordpress_content
from .encoding import declared_charset, decode
from .extract import MIN_ARTICLE_CHARS, main_text, substance
from .pagedates import page_date
from .pagelines import page_blocks
from .pagemeta import read_page_meta
from .resources import Block, add_listings, is_boilerplate, is_resources_heading
from .titles import choose_title

__all__ = ["MIN_ARTICLE_CHARS", "html_to_text", "parse_html"]

#: The record's date when the page names none (``reslib.models.UNDATED``).
UNDATED = ""

# A cheap look at the raw page before any walk: could it hold the list's heading at all?
_RESOURCES_HINT_RE = re.compile(
    r"resources(?:\s|&nbsp;|&#160;|<[^<>]{0,200}>)+from(?:\s|&nbsp;|&#160;|<[^<>]{0,200}>)+the",
    re.IGNORECASE,
)


def _is_heading_or_meta(tag: Tag) -> bool:
    classes = values(tag, "class")
    return tag.name == "h1" or bool(
        {"entry-title", "entry-meta", "post-meta", "entry-footer"} & set(classes)
    )


def _byline(scope: Tag) -> Tag | None:
    """The first element naming the author: ``.author`` (or a ``.fn``/link inside one),
    ``a[rel~=author]``; in one pass, without CSS selectors."""
    # An element inside an ``.author`` comes after it, so an ``.author`` in the scope wins;
    # a ``.fn`` or link only counts when the ``.author`` around it is outside the scope.
    around = any("author" in values(parent, "class") for parent in scope.parents)
    for tag in scope.find_all(True):
        classes = values(tag, "class")
        if "author" in classes or (tag.name == "a" and "author" in values(tag, "rel")):
            return tag
        if around and ("fn" in classes or tag.name == "a"):
            return tag
    return None


def _without_title(body: str, title: str) -> str:
    """``body`` without a first paragraph that only repeats the title (the extractor keeps
    the article's heading; the record has its title already)."""
    first, _, rest = body.partition("\n\n")
    return rest if rest and title_key(first) == title_key(title) else body


def _pdf_links(root: Tag, url: str) -> list[str]:
    """Links to PDFs in ``root`` (the post or article; a page without one is searched whole),
    but not in its navigation, sidebars, footers or comments."""
    links = []
    for a in root.find_all("a", href=True):
        href = str(a["href"]).strip()
        if re.search(r"\.pdf($|[?#])", href, re.IGNORECASE) and not in_chrome(a):
            links.append(urljoin(url, href) if url else href)
    return links


def may_hold_resources(html: str) -> bool:
    """Whether raw HTML could hold the list's heading at all: a cheap look before any walk
    (also the WordPress export's, ``wxr``)."""
    return _RESOURCES_HINT_RE.search(html) is not None


def resource_blocks(root: Tag, url: str, *, chrome_removed: bool) -> list[Block] | None:
    """The blocks under the "Resources from the past week" heading in ``root``, or None
    when it has no such heading (the page is not a weekly update)."""
    if not chrome_removed:
        remove_chrome(root)
    blocks = page_blocks(root, url)
    for i, block in enumerate(blocks):
        if is_resources_heading(block.text):
            return blocks[i + 1 :]
    return None


def update_body(body: str) -> str:
    """A weekly update's text: its paragraphs before the list, without the site's
    boilerplate (as the text dump's)."""
    paragraphs = body.split("\n\n")
    end = next((i for i, p in enumerate(paragraphs) if is_resources_heading(p)), len(paragraphs))
    return "\n\n".join(p for p in paragraphs[:end] if not is_boilerplate(p))


def parse_html(path: Path, data: bytes, options: ParseOptions) -> Document:
    text = decode(data, declared_charset(data))
    soup = BeautifulSoup(text, "html.parser")
    if soup.find(["html", "body", "p", "div", "article"]) is None:
        raise SkipFile("no HTML elements: not an HTML page")

    meta = read_page_meta(soup)
    canonical = soup.find("link", rel="canonical")
    url = (canonical.get("href") if isinstance(canonical, Tag) else "") or meta.meta(
        "property", "og:url"
    )
    url = url.strip() if isinstance(url, str) else ""
    if not re.match(r"^https?://", url):
        url = ""
    site_name = meta.meta("property", "og:site_name")
    summary = meta.meta("property", "og:description") or meta.meta("name", "description")

    content = wordpress_content(soup)
    wordpress = content is not None
    articles = soup.find_all("article", limit=2)
    # The post's <article>: the one around its content, or the page's only one (a listing's
    # first <article> is a teaser).
    article = next((p for p in content.parents if p.name == "article"), None) if content else None
    if article is None and len(articles) == 1:
        article = articles[0]
    scope: Tag = article or content or soup

    title = choose_title(soup, scope, meta, site_name, url)

    authors: list[str] = []
    byline = _byline(scope)
    if byline:
        authors = [clean_space(byline.get_text(" "))]
    elif meta.meta("name", "author"):
        authors = [meta.meta("name", "author")]

    categories = [
        clean_space(a.get_text(" "))
        for a in scope.find_all("a", rel=True)
        if {"category", "tag"} & set(values(a, "rel"))
    ]
    links = _pdf_links(content or article or soup.find("main") or soup, url)
    head = clean_space((content or article or soup.find("main") or soup).get_text(" "))[:400]
    date = page_date(meta, soup, scope, url, head)

    found = main_text(text, soup, content, _is_heading_or_meta)
    body = found.body
    if substance(body) < MIN_ARTICLE_CHARS:
        raise SkipFile(f"no article in the page (only {substance(body)} characters of text)")
    if not title:
        raise SkipFile("no title in the page")
    body = _without_title(body, title)

    organizations = [a for a in authors if a]
    provenance: dict[str, object] = {"wordpress": wordpress, "extracted_by": found.source}
    if site_name:
        provenance["site"] = site_name
    item = Item(
        key=url_key(url) if url else file_key(path),
        title=title,
        date=date or UNDATED,
        type="",
        organizations=organizations,
        publisher=site_name,
        summary=summary,
        body=body,
        source_url=url,
        topics=list(dict.fromkeys(c for c in categories if c)),
        documents=list(dict.fromkeys(links)),
        provenance=provenance,
    )
    item.type = guess_type(*categories, title, default="")
    item.type_guessed = True
    doc = Document(key=item.key, format="html", items=[item])
    listed = None
    if may_hold_resources(text):
        root = content or article or soup.find("main") or soup.body or soup
        # A WordPress post's content was cleared of chrome by ``main_text`` already.
        if isinstance(root, Tag):
            listed = resource_blocks(root, url, chrome_removed=root is content)
    if listed is not None:
        # A weekly update: split as its text dump is (``resources``).
        item.type, item.type_guessed = "update", False
        item.body = update_body(item.body)
        add_listings(listed, doc, options)
    if found.note:
        doc.notes.append(found.note)
    if not date:
        doc.notes.append("no date in the page: imported with its date unknown")
    return doc
