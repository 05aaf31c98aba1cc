"""Snippets: the best passage of a record's text with the query's matches marked.

The text is tokenized with the same unified analyzer as the query, so a mark covers exactly
the tokens that matched: for Burmese whole syllables (a syllable token carries its marks and
stacked consonants), never half a cluster; for English the whole word whose stem matched.
A phrase is marked from its first token to its last. The output is HTML-safe: everything is
escaped and only ``<mark>`` is added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..analysis import normalize_text
from ..analysis.terms import unified_analyzer
from .parse import Unit

#: Characters of text shown around the matches.
SNIPPET_CHARS = 240
_UNIFIED = unified_analyzer()
_SPACE_RE = re.compile(r"\s+")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in _UNIFIED(text, chars=True, mode="index")]


def find_marks(text: str, units: Iterable[Unit]) -> list[tuple[int, int, int]]:
    """(start, end, unit number) of every match of the units in normalized ``text``."""
    toks = _tokens(text)
    by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for n, unit in enumerate(units):
        by_first.setdefault(unit.terms[0], []).append((n, unit.terms))
    marks: list[tuple[int, int, int]] = []
    for i, (term, start, _) in enumerate(toks):
        for n, terms in by_first.get(term, ()):
            j = i + len(terms)
            if j <= len(toks) and all(toks[i + k][0] == terms[k] for k in range(1, len(terms))):
                marks.append((start, toks[j - 1][2], n))
    marks.sort()
    # Merge overlapping marks (a phrase and a word inside it) into one.
    merged: list[tuple[int, int, int]] = []
    for s, e, n in marks:
        if merged and s <= merged[-1][1]:
            ps, pe, pn = merged[-1]
            merged[-1] = (ps, max(pe, e), pn)
        else:
            merged.append((s, e, n))
    return merged


def _window(text: str, marks: list[tuple[int, int, int]], size: int) -> tuple[int, int]:
    """The span of ``size`` characters that holds the most distinct units' matches."""
    if not marks:
        return 0, min(len(text), size)
    best, best_score = (0, 0), (-1, -1)
    for s, _, _ in marks:
        lo = max(0, s - size // 4)
        hi = lo + size
        inside = [m for m in marks if m[0] >= lo and m[1] <= hi]
        score = (len({m[2] for m in inside}), len(inside))
        if score > best_score:
            best, best_score = (lo, hi), score
    return best


def _snap(text: str, lo: int, hi: int, toks: list[tuple[str, int, int]]) -> tuple[int, int]:
    """Move the window edges onto token boundaries so no syllable or word is cut."""
    if lo > 0:
        lo = next((s for _, s, _ in toks if s >= lo), len(text))
    if hi < len(text):
        ends = [e for _, _, e in toks if e <= hi]
        hi = ends[-1] if ends and ends[-1] > lo else hi
    return lo, min(hi, len(text))


def snippet(raw_text: str, units: list[Unit], size: int = SNIPPET_CHARS) -> str:
    """An HTML-safe passage of ``raw_text`` with matches wrapped in ``<mark>``."""
    # One line: paragraph breaks mean nothing in a snippet (offsets are taken after this).
    text = _SPACE_RE.sub(" ", normalize_text(raw_text)).strip()
    if not text:
        return ""
    marks = find_marks(text, units) if units else []
    lo, hi = _window(text, marks, size)
    lo, hi = _snap(text, lo, hi, _tokens(text) if (lo > 0 or hi < len(text)) else [])
    out: list[str] = ["…"] if lo > 0 else []
    pos = lo
    for s, e, _ in marks:
        if s < lo or e > hi:
            continue
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:hi]))
    if hi < len(text):
        out.append("…")
    return "".join(out).strip()
