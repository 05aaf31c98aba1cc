"""Dates as sources write them, turned into the catalogue's ISO form (``YYYY-MM-DD``).

Covers what the supported formats produce: ``September 15th, 2023`` (WordPress themes and the
text dumps), ``15 September 2023``, ISO timestamps (``<time datetime>``, ``<meta>``, WXR
``wp:post_date``), RFC 822 (RSS ``pubDate``) and PDF dates (``D:20230915...``). Burmese digits
count as digits. Anything else is "no date", never a guess.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

from ..analysis import fold_digits

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"

_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")
_PDF_RE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_MDY_RE = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
_DMY_RE = re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first date found in ``text`` as ``YYYY-MM-DD``, or None."""
    if not text:
        return None
    text = fold_digits(text.strip())
    m = _PDF_RE.match(text)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        if month and day:
            return _iso(int(year), int(month), int(day))
        return None
    m = _ISO_RE.search(text)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _MDY_RE.search(text)
    if m:
        return _iso(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    m = _DMY_RE.search(text)
    if m:
        return _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    if re.search(r"\d{1,2}:\d{2}", text):
        try:
            return parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError, IndexError):
            return None
    return None
