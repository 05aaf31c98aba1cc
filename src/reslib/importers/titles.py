"""A page's title from its most reliable source, without the site's name.

Headings agree with the page's declared title when they are the title: a visible ``<h1>`` (or
a theme's ``entry-title``) that ``og:title``, the JSON-LD ``headline`` or ``<title>`` also
says is taken as written. Otherwise the declared title (``og:title``, ``twitter:title``, JSON-LD
``headline``) beats ``<title>``, and a heading that agrees with none of them comes last: on
real pages such headings are the site's name, a section ("Latest news") or a photo caption.
A heading that is the site's name is never the title. The site's name is cut from a title's
ends (``Title | Site``, ``Site – Title``) when it is the page's ``og:site_name``, its host
name, or a short last segment after a separator.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from .base import clean_space, title_key
from .pagemeta import PageMeta

_SEPARATOR_RE = re.compile(r"\s+[|–—•·»-]{1,2}\s+|\s*\|\s*")
_ELLIPSIS_RE = re.compile(r"(…|\.\.\.)$")
#: Headings looked at: the title is among the first few, never the hundredth.
MAX_HEADINGS = 5
#: A segment after the last separator this short may be a site's name when nothing else says.
MAX_SITE_CHARS = 40


def _segments(title: str) -> tuple[list[str], list[str]]:
    parts = _SEPARATOR_RE.split(title)
    seps = _SEPARATOR_RE.findall(title)
    return parts, seps


def _is_site(segment: str, sites: list[str]) -> bool:
    key = title_key(segment)
    return bool(key) and any(key == s or key.replace(" ", "") == s.replace(" ", "") for s in sites)


def cut_site(title: str, site_name: str, url: str) -> str:
    """``title`` without the site's name at either end (see the module docstring)."""
    title = clean_space(title)
    parts, seps = _segments(title)
    if len(parts) < 2:
        return title
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    sites = [title_key(s) for s in (site_name, host, host.rsplit(".", 1)[0]) if s]
    start, end = 0, len(parts)
    while end - start > 1 and _is_site(parts[end - 1], sites):
        end -= 1
    while end - start > 1 and _is_site(parts[start], sites):
        start += 1
    nothing_named = (start, end) == (0, len(parts))
    last, rest = len(parts[-1]), len(" ".join(parts[:-1]))
    if nothing_named and last <= MAX_SITE_CHARS and last < rest:
        # Nothing named the site: a short last segment is the usual place for it.
        end -= 1
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return out.strip()


def _agrees(heading: str, declared: str) -> bool:
    """The heading is the declared title, or most of it (the rest being the site's name)."""
    h, d = title_key(heading), title_key(declared)
    if not h or not d:
        return False
    if h == d:
        return True
    shorter, longer = (h, d) if len(h) <= len(d) else (d, h)
    return shorter in longer and len(shorter) * 2 >= len(longer)


def _headings(scope: Tag) -> list[str]:
    found = []
    for tag in scope.find_all(class_="entry-title", limit=1) + scope.find_all(
        "h1", limit=MAX_HEADINGS
    ):
        text = clean_space(tag.get_text(" "))
        if text and text not in found:
            found.append(text)
    return found


def choose_title(soup: BeautifulSoup, scope: Tag, meta: PageMeta, site_name: str, url: str) -> str:
    """The page's title (``scope``: the article, whose headings are looked at first)."""
    page_title = clean_space(soup.title.get_text()) if soup.title else ""
    declared = [
        clean_space(t)
        for t in (
            meta.any_meta("og:title"),
            meta.json_ld("headline"),
            meta.any_meta("twitter:title"),
        )
        if t and t.strip()
    ]
    references = [*declared, page_title]
    headings = _headings(scope) if scope is not soup else []
    headings += [h for h in _headings(soup) if h not in headings]
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    sites = [title_key(s) for s in (site_name, host) if s]
    for heading in headings:
        if _is_site(heading, sites):
            continue  # the site's logo, marked up as a heading
        agreeing = [
            cut_site(r, site_name, url)
            for r in references
            if r and (_agrees(heading, cut_site(r, site_name, url)) or _agrees(heading, r))
        ]
        if agreeing:
            if _ELLIPSIS_RE.search(heading):
                # A heading the theme cut short ("... as Wild…"): the declared title is whole.
                return max([heading, *agreeing], key=len)
            return heading
    for title in (*declared, page_title):
        cut = cut_site(title, site_name, url)
        if cut:
            return cut
    return headings[0] if headings else ""
