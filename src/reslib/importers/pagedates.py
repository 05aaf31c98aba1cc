"""A page's publication date, from every place real pages keep one, in order of trust.

1. What the page declares: JSON-LD ``datePublished`` / ``dateCreated``, ``<meta>``
   ``article:published_time`` and kin, Dublin Core (``dc.date``, ``dcterms.issued``, ...),
   Highwire (``citation_publication_date``, ...), ``itemprop="datePublished"`` on any element.
2. A ``<time datetime>`` in the article (one marked ``published`` first), then in the page.
3. The URL's path: ``/2023/11/20/slug`` (or ``/2023/11/slug``: the month).
4. A visible date line: a short element whose class says date, time, posted or meta, then
   the first lines of the article (English or Burmese, Burmese digits, Zawgyi too:
   ``dates.parse_date``).
5. A modification date the page declares (``dateModified``, ``og:updated_time``).

None of these is an answer: a page that names no date is imported with its date unknown.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from .base import clean_space
from .blocks import values
from .dates import parse_date
from .pagemeta import PageMeta

_DECLARED = [
    "article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
]
_MODIFIED = ["article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"]
_URL_DATE_RE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])(?:/(0?[1-9]|[12]\d|3[01]))?/")
_DATE_CLASS_RE = re.compile(r"date|time|posted|published|byline|meta", re.IGNORECASE)
#: An element this long is a paragraph, not a date line.
MAX_DATE_LINE = 120
#: How much of the article's start may hold its date line.
HEAD_CHARS = 300
#: Elements whose class looks like a date line looked at, at most.
MAX_DATE_ELEMENTS = 50


def declared_date(meta: PageMeta, soup: BeautifulSoup) -> str:
    for key in ("datePublished", "dateCreated"):
        found = parse_date(meta.json_ld(key))
        if found:
            return found
    for name in _DECLARED:
        found = parse_date(meta.any_meta(name))
        if found:
            return found
    tag = soup.find(attrs={"itemprop": "datePublished"})
    if isinstance(tag, Tag):
        stamp = tag.get("datetime") or tag.get("content")
        return (
            parse_date(stamp if isinstance(stamp, str) else "")
            or parse_date(tag.get_text(" "))
            or ""
        )
    return ""


def _time_date(scope: Tag) -> str:
    times = scope.find_all("time", limit=MAX_DATE_ELEMENTS)
    marked = [t for t in times if {"published", "entry-date", "pubdate"} & set(values(t, "class"))]
    for tag in [*marked, *times]:
        stamp = tag.get("datetime")
        found = parse_date(stamp if isinstance(stamp, str) else "") or parse_date(tag.get_text(" "))
        if found:
            return found
    return ""


def url_date(url: str) -> str:
    """The date in a URL's path: ``/2023/11/20/`` gives the day, ``/2023/11/`` the month."""
    m = _URL_DATE_RE.search(urlsplit(url).path + "/")
    if not m:
        return ""
    year, month, day = m.group(1), int(m.group(2)), m.group(3)
    if day:
        return parse_date(f"{year}-{month:02d}-{int(day):02d}") or ""
    return f"{year}-{month:02d}"


def _date_line(scope: Tag) -> str:
    for tag in scope.find_all(class_=_DATE_CLASS_RE, limit=MAX_DATE_ELEMENTS):
        text = clean_space(tag.get_text(" "))
        if text and len(text) <= MAX_DATE_LINE:
            date = parse_date(text)
            if date:
                return date
    return ""


def page_date(meta: PageMeta, soup: BeautifulSoup, scope: Tag, url: str, head: str) -> str:
    """The page's date (see the module docstring), or ``""`` when it names none.

    ``scope``: the article (or the page); ``head``: the start of the article's text."""
    return (
        declared_date(meta, soup)
        or _time_date(scope)
        or (_time_date(soup) if scope is not soup else "")
        or url_date(url)
        or _date_line(scope)
        or parse_date(head[:HEAD_CHARS])
        or next((d for d in map(parse_date, map(meta.any_meta, _MODIFIED)) if d), "")
        or parse_date(meta.json_ld("dateModified"))
        or ""
    )
