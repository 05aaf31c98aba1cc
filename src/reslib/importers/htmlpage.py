"""Saved HTML pages: WordPress article pages, and a generic fallback for other sites.

WordPress themes agree on a few class names (``entry-title``, ``entry-content``,
``entry-date``, ``author``, ``hentry``); when they are present they are trusted. Otherwise the
main content is the ``<article>``, the ``<main>``, or the block holding the most paragraph
text, and title and date come from ``og:`` / ``<meta>`` tags and ``<title>``. Navigation, share
buttons, comments, sidebars and scripts are removed before any text is taken. Links to PDFs in
the content are kept in the record's provenance.
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
    clean_paragraphs,
    clean_space,
    file_key,
    guess_type,
    url_key,
)
from .dates import parse_date
from .encoding import declared_charset, decode

#: Below this much text the "article" is a menu or a stub, not something to catalogue.
MIN_ARTICLE_CHARS = 80

_STRIP_TAGS = ["script", "style", "noscript", "template", "iframe", "form", "svg", "button"]
_CHROME_TAGS = ["nav", "aside", "footer"]
_CHROME_RE = re.compile(
    r"(^|[\s_-])(share|sharing|sharedaddy|social|comments?|respond|sidebar|widget|"
    r"related|jp-relatedposts|breadcrumbs?|menu|navigation|nav-links|post-navigation|"
    r"cookie|newsletter|subscribe|advert|ads)([\s_-]|$)",
    re.IGNORECASE,
)
_BLOCK_TAGS = ["p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption"]
_TITLE_SUFFIX_RE = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_META_DATES = [
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "citation_publication_date"),
    ("name", "dc.date.issued"),
    ("name", "dc.date"),
    ("name", "date"),
    ("name", "pubdate"),
    ("property", "og:updated_time"),
]


def _meta(soup: BeautifulSoup, attr: str, value: str) -> str:
    tag = soup.find("meta", attrs={attr: re.compile(f"^{re.escape(value)}$", re.IGNORECASE)})
    if isinstance(tag, Tag):
        content = tag.get("content")
        if isinstance(content, str):
            return content.strip()
    return ""


def _remove_chrome(root: Tag) -> None:
    for tag in root.find_all(_STRIP_TAGS):
        tag.decompose()
    for tag in root.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed or tag.name in ("html", "body", "article", "main"):
            continue
        attrs = tag.attrs or {}
        marker = " ".join([*attrs.get("class", []), str(attrs.get("id", ""))])
        if marker and _CHROME_RE.search(marker):
            tag.decompose()


def element_text(root: Tag) -> str:
    """The readable text of an element: its block elements as paragraphs."""
    blocks = []
    for tag in root.find_all(_BLOCK_TAGS):
        # A list item or quote holding paragraphs is read through those paragraphs.
        if tag.find(_BLOCK_TAGS):
            continue
        text = clean_space(tag.get_text(" "))
        if text:
            blocks.append(text)
    if not blocks:
        return clean_paragraphs(root.get_text("\n"))
    return "\n\n".join(blocks)


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (WordPress post content), paragraphs kept."""
    # WordPress stores paragraphs as blank lines, not <p>, in post_content.
    fragment = re.sub(r"\n\s*\n", "</p><p>", fragment)
    soup = BeautifulSoup(f"<div><p>{fragment}</p></div>", "html.parser")
    _remove_chrome(soup)
    return element_text(soup)


def _densest(soup: BeautifulSoup) -> Tag | None:
    """The element whose own paragraphs hold the most text."""
    best, best_len = None, 0
    for tag in soup.find_all(["div", "section", "td"]):
        length = sum(len(p.get_text(strip=True)) for p in tag.find_all("p", recursive=False))
        if length > best_len:
            best, best_len = tag, length
    return best


def _wordpress_content(soup: BeautifulSoup) -> Tag | None:
    return soup.find(class_=re.compile(r"^(entry-content|post-content|td-post-content)$"))


def parse_html(path: Path, data: bytes, options: ParseOptions) -> Document:
    text = decode(data, declared_charset(data))
    soup = BeautifulSoup(text, "html.parser")
    if soup.find(["html", "body", "p", "div", "article"]) is None:
        raise SkipFile("no HTML elements: not an HTML page")

    canonical = soup.find("link", rel="canonical")
    url = (canonical.get("href") if isinstance(canonical, Tag) else "") or _meta(
        soup, "property", "og:url"
    )
    url = url.strip() if isinstance(url, str) else ""
    if not re.match(r"^https?://", url):
        url = ""
    site_name = _meta(soup, "property", "og:site_name")
    summary = _meta(soup, "property", "og:description") or _meta(soup, "name", "description")
    page_title = clean_space(soup.title.get_text()) if soup.title else ""

    article = soup.find("article")
    content = _wordpress_content(soup)
    wordpress = content is not None
    scope = article if isinstance(article, Tag) else soup

    title = ""
    for selector in (".entry-title", "h1.post-title", "h1"):
        found = scope.select_one(selector) or soup.select_one(selector)
        if found:
            title = clean_space(found.get_text(" "))
            break
    if not title:
        title = _meta(soup, "property", "og:title") or _TITLE_SUFFIX_RE.sub("", page_title)

    date = ""
    time_tag = scope.find("time") or soup.find("time")
    if isinstance(time_tag, Tag):
        stamp = time_tag.get("datetime")
        date = (
            parse_date(stamp if isinstance(stamp, str) else "")
            or parse_date(time_tag.get_text(" "))
            or ""
        )
    for attr, value in _META_DATES:
        if date:
            break
        date = parse_date(_meta(soup, attr, value)) or ""

    authors: list[str] = []
    byline = scope.select_one(".author .fn, .author a, a[rel~=author], .byline .author, .author")
    if byline:
        authors = [clean_space(byline.get_text(" "))]
    elif _meta(soup, "name", "author"):
        authors = [_meta(soup, "name", "author")]

    categories = [
        clean_space(a.get_text(" ")) for a in scope.select("a[rel~=category], a[rel~=tag]")
    ]

    if content is None:
        content = article if isinstance(article, Tag) else soup.find("main")
        if content is None:
            content = soup.find(attrs={"role": "main"}) or _densest(soup)
    if not isinstance(content, Tag):
        raise SkipFile("no article found in the page")
    links = []
    for a in content.find_all("a", href=True):
        href = str(a["href"]).strip()
        if re.search(r"\.pdf($|[?#])", href, re.IGNORECASE):
            links.append(urljoin(url, href) if url else href)

    if not date:
        # Themes without <time> print the date line under the title.
        head_text = clean_space(content.get_text(" "))[:300]
        date = parse_date(head_text) or ""
    _remove_chrome(content)
    for heading in content.select(".entry-title, h1"):
        heading.decompose()
    for meta_block in content.select(".entry-meta, .post-meta, .entry-footer"):
        meta_block.decompose()
    body = element_text(content)
    if len(body) < MIN_ARTICLE_CHARS:
        raise SkipFile(f"no article in the page (only {len(body)} characters of content)")
    if not title:
        raise SkipFile("no title in the page")
    if not date:
        raise SkipFile("no date in the page (<time>, <meta> or a date line under the title)")

    organizations = [a for a in authors if a]
    provenance: dict[str, object] = {"wordpress": wordpress}
    if site_name:
        provenance["site"] = site_name
    item = Item(
        key=url_key(url) if url else file_key(path),
        title=title,
        date=date,
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
    return Document(key=item.key, format="html", items=[item])
