"""The order of results: by score or by date, one result per translation group.

Every match is scored (``evaluate``); ranking only picks the page's leaders: the top ``need``
groups, found with a heap over a few more documents than the page needs (widened when
translations fold many of them into few groups). Which member of a group is shown follows the
query's language.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Container

import numpy as np

from .combine import Hits
from .facets import Tables
from .model import SearchRequest


def group_leaders(ordered: list[int], groups: list[str], need: int) -> list[int]:
    """The first document of each translation group, in order, up to ``need``."""
    seen: set[str] = set()
    out: list[int] = []
    for d in ordered:
        g = groups[d]
        if g not in seen:
            seen.add(g)
            out.append(d)
            if len(out) >= need:
                break
    return out


def by_date(matched: list[int], tabs: Tables, need: int) -> list[int]:
    """The leaders of the ``need`` newest groups (ties: index order). A record whose date
    is unknown (``""``, less than any date) comes after every dated one."""
    dates = tabs.dates
    k = need * 2 + 10
    while True:
        ordered = heapq.nlargest(k, matched, key=lambda d: (dates[d], -d))
        leaders = group_leaders(ordered, tabs.groups, need)
        if len(leaders) >= need or k >= len(matched):
            return leaders
        k *= 4


def by_score(found: Hits, tabs: Tables, need: int) -> list[int]:
    """The leaders of the ``need`` best-scoring groups of ``found``."""
    n = len(found)
    descending = -found.scores
    k = need * 2 + 10
    while True:
        if k >= n:
            top = np.arange(n)
        else:
            # Every document scoring at least the k-th best score (ties included).
            kth = np.partition(descending, k - 1)[k - 1]
            top = np.flatnonzero(descending <= kth)
        # Highest score first, then index order (as Whoosh's collector breaks ties).
        top = top[np.lexsort((found.docs[top], descending[top]))]
        leaders = group_leaders(found.docs[top].tolist(), tabs.groups, need)
        if len(leaders) >= need or k >= n:
            return leaders
        k *= 4


_FIELD_FILTER_RE = re.compile(r'\b[a-z]+:(?:"[^"]*"|\S+)')
_MYANMAR_RE = re.compile("[\u1000-\u109f]")
_LATIN_RE = re.compile("[A-Za-z]")


def query_language(request: SearchRequest) -> str | None:
    """``en`` or ``my`` when the query's words are in one script only, else None."""
    if request.lang:
        return None  # the filter already chose
    words = _FIELD_FILTER_RE.sub(" ", request.q)
    has_my, has_latin = bool(_MYANMAR_RE.search(words)), bool(_LATIN_RE.search(words))
    if has_my != has_latin:
        return "my" if has_my else "en"
    return None


def in_query_language(
    page: list[int], matched: Container[int], tabs: Tables, language: str | None
) -> list[int]:
    """Show each translation group by its member in the query's language, when that member
    matched too: an English query lists the English original with the Burmese version one
    click away, and the other way round (the group keeps its leader's place and score)."""
    preferred = tabs.bitmaps.get("language", {}).get(language or "", 0)
    if not preferred:
        return page
    shown = []
    for d in page:
        if not preferred >> d & 1:
            members = tabs.members.get(tabs.groups[d], ())
            d = next((m for m in members if m in matched and preferred >> m & 1), d)
        shown.append(d)
    return shown


__all__ = ["by_date", "by_score", "group_leaders", "in_query_language", "query_language"]
