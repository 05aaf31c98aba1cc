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
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup, CData, NavigableString, Tag

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
_BLOCK_SET = frozenset(_BLOCK_TAGS)
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


def _metas(soup: BeautifulSoup) -> dict[tuple[str, str], str]:
    """The page's ``<meta>`` contents by (attribute, lowercased value): the first of each.

    Read in one pass: the page asks for a dozen of them, and a search each was a dozen
    passes over a large page.
    """
    found: dict[tuple[str, str], str] = {}
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not isinstance(content, str):
            continue
        for attr in ("property", "name", "itemprop"):
            value = tag.get(attr)
            if isinstance(value, str):
                found.setdefault((attr, value.strip().lower()), content.strip())
    return found


def _child_tags(tag: Tag) -> Iterator[Tag]:
    return (c for c in tag.contents if isinstance(c, Tag))


def _post_order(root: Tag) -> Iterator[Tag]:
    """Every element under ``root`` (and ``root`` last), each after all of its descendants.

    Iterative: a page nested 100,000 elements deep must not exhaust the stack.
    """
    stack = [(root, _child_tags(root))]
    while stack:
        tag, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield tag
        else:
            stack.append((child, _child_tags(child)))


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _STRIP_TAGS or tag.name in _CHROME_TAGS:
        return True
    if tag.name in ("html", "body", "article", "main"):
        return False
    marker = " ".join([*_values(tag, "class"), str(tag.get("id") or "")])
    return bool(marker.strip()) and _CHROME_RE.search(marker) is not None


def _remove(root: Tag, doomed: Callable[[Tag], bool]) -> None:
    """Remove every element under ``root`` for which ``doomed`` holds, with its subtree.

    One walk from the top that does not descend into what it removes, then the removals:
    checking each element for having been removed already (``Tag.decomposed``) searches its
    whole subtree in BeautifulSoup, which made nested pages take minutes.
    """
    found = []
    stack = list(_child_tags(root))
    while stack:
        tag = stack.pop()
        if doomed(tag):
            found.append(tag)
        else:
            stack.extend(_child_tags(tag))
    for tag in found:
        tag.decompose()


def _remove_chrome(root: Tag) -> None:
    """Remove scripts, navigation and blocks marked as sharing, comments, sidebars, ..."""
    _remove(root, _is_chrome)


def _values(tag: Tag, attr: str) -> list[str]:
    """A multi-valued attribute (``class``, ``rel``) as a list, however the page wrote it."""
    value = tag.get(attr)
    if value is None:
        return []
    return value.split() if isinstance(value, str) else list(value)


def _is_heading_or_meta(tag: Tag) -> bool:
    classes = _values(tag, "class")
    return tag.name == "h1" or bool(
        {"entry-title", "entry-meta", "post-meta", "entry-footer"} & set(classes)
    )


def _byline(scope: Tag) -> Tag | None:
    """The first element naming the author: ``.author`` (or a ``.fn``/link inside one),
    ``a[rel~=author]``; in one pass, without CSS selectors (see ``_remove``)."""
    # An element inside an ``.author`` comes after it, so an ``.author`` in the scope wins;
    # a ``.fn`` or link only counts when the ``.author`` around it is outside the scope.
    around = any("author" in _values(parent, "class") for parent in scope.parents)
    for tag in scope.find_all(True):
        classes = _values(tag, "class")
        if "author" in classes or (tag.name == "a" and "author" in _values(tag, "rel")):
            return tag
        if around and ("fn" in classes or tag.name == "a"):
            return tag
    return None


def element_text(root: Tag) -> str:
    """The readable text of an element: its block elements as paragraphs.

    A block holding other blocks (a list item or quote with paragraphs) is read through
    them, so only the innermost blocks give text; they are found in one pass from the
    bottom up, not by searching each block's subtree for more blocks.
    """
    holds_block: dict[int, bool] = {}
    blocks = []
    for tag in _post_order(root):
        below = any(holds_block[id(c)] or c.name in _BLOCK_SET for c in _child_tags(tag))
        holds_block[id(tag)] = below
        if tag is not root and tag.name in _BLOCK_SET and not below:
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


def _text_lengths(root: Tag) -> dict[int, int]:
    """Each element's ``len(get_text(strip=True))``, all computed in one bottom-up pass."""
    lengths: dict[int, int] = {}
    for tag in _post_order(root):
        total = 0
        for child in tag.contents:
            if isinstance(child, Tag):
                total += lengths[id(child)]
            elif type(child) in (NavigableString, CData):
                total += len(child.strip())
        lengths[id(tag)] = total
    return lengths


def _densest(soup: BeautifulSoup) -> Tag | None:
    """The element whose own paragraphs hold the most text."""
    lengths = _text_lengths(soup)
    best, best_len = None, 0
    for tag in soup.find_all(["div", "section", "td"]):
        length = sum(lengths[id(p)] for p in _child_tags(tag) if p.name == "p")
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
    metas = _metas(soup)

    def meta(attr: str, value: str) -> str:
        return metas.get((attr, value.lower()), "")

    url = (canonical.get("href") if isinstance(canonical, Tag) else "") or meta(
        "property", "og:url"
    )
    url = url.strip() if isinstance(url, str) else ""
    if not re.match(r"^https?://", url):
        url = ""
    site_name = meta("property", "og:site_name")
    summary = meta("property", "og:description") or meta("name", "description")
    page_title = clean_space(soup.title.get_text()) if soup.title else ""

    article = soup.find("article")
    content = _wordpress_content(soup)
    wordpress = content is not None
    scope = article if isinstance(article, Tag) else soup

    title = ""
    # find(), not CSS selectors: the same first match, several times faster on big pages.
    for name, class_ in ((None, "entry-title"), ("h1", "post-title"), ("h1", None)):
        found = scope.find(name, class_=class_) or soup.find(name, class_=class_)
        if found:
            title = clean_space(found.get_text(" "))
            break
    if not title:
        title = meta("property", "og:title") or _TITLE_SUFFIX_RE.sub("", page_title)

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
        date = parse_date(meta(attr, value)) or ""

    authors: list[str] = []
    byline = _byline(scope)
    if byline:
        authors = [clean_space(byline.get_text(" "))]
    elif meta("name", "author"):
        authors = [meta("name", "author")]

    categories = [
        clean_space(a.get_text(" "))
        for a in scope.find_all("a", rel=True)
        if {"category", "tag"} & set(_values(a, "rel"))
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
    _remove(content, _is_heading_or_meta)
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
