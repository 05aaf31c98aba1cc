"""What a page says about itself in machine-readable form: ``<meta>`` tags and JSON-LD.

Read once per page and asked by name: the title (``titles``) and date (``pagedates``) rules
take them from here. JSON-LD blocks are flattened (``@graph``, lists, a ``mainEntity``) into
one list of objects, article-like ones (``Article``, ``NewsArticle``, ``BlogPosting``,
``Report``, ...) first, so that a page's ``WebSite`` or ``Organization`` object never gives the
article's headline or date when the article's own object does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup

_ARTICLE_TYPE_RE = re.compile(r"article|posting|report|blog|news|creativework", re.IGNORECASE)
#: JSON-LD objects read from one page at most: a page is not a database.
MAX_OBJECTS = 200


@dataclass
class PageMeta:
    #: ``<meta>`` contents by (attribute, lowercased value): the first of each.
    metas: dict[tuple[str, str], str] = field(default_factory=dict)
    #: JSON-LD objects, article-like first.
    objects: list[dict[str, Any]] = field(default_factory=list)

    def meta(self, attr: str, value: str) -> str:
        return self.metas.get((attr, value.lower()), "")

    def any_meta(self, value: str) -> str:
        """A ``<meta>`` whichever attribute names it (``name``, ``property``, ``itemprop``)."""
        for attr in ("property", "name", "itemprop"):
            found = self.meta(attr, value)
            if found:
                return found
        return ""

    def json_ld(self, key: str) -> str:
        """The first string value of ``key`` in the page's JSON-LD objects."""
        for obj in self.objects:
            value = obj.get(key)
            if isinstance(value, list) and value:
                value = value[0]
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""


def _is_article(obj: dict[str, Any]) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and _ARTICLE_TYPE_RE.search(k) for k in kinds)


def _flatten(data: Any, out: list[dict[str, Any]]) -> None:
    stack = [data]
    while stack and len(out) < MAX_OBJECTS:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                if isinstance(item.get(key), list | dict):
                    stack.append(item[key])


def read_page_meta(soup: BeautifulSoup) -> PageMeta:
    found = PageMeta()
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not isinstance(content, str):
            continue
        for attr in ("property", "name", "itemprop"):
            value = tag.get(attr)
            if isinstance(value, str):
                found.metas.setdefault((attr, value.strip().lower()), content.strip())
    objects: list[dict[str, Any]] = []
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.IGNORECASE)):
        try:
            # strict=False: pages put raw newlines inside JSON-LD strings.
            _flatten(json.loads(script.get_text(), strict=False), objects)
        except (ValueError, RecursionError):
            continue
    found.objects = [o for o in objects if _is_article(o)] + [
        o for o in objects if not _is_article(o)
    ]
    return found
