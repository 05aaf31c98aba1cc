"""Dates as sources write them, turned into the catalogue's ISO form (``YYYY-MM-DD``).

Covers what the supported formats produce: ``September 15th, 2023`` (WordPress themes and the
text dumps), ``15 September 2023``, ISO timestamps (``<time datetime>``, ``<meta>``, WXR
``wp:post_date``), ``2023/11/20`` and ``20.11.2023``, RFC 822 (RSS ``pubDate``), PDF dates
(``D:20230915...``) and Burmese date lines: ``နိုဝင်ဘာ ၂၀၊ ၂၀၂၃``, ``၂၀ နိုဝင်ဘာ ၂၀၂၃`` and
``၂၀၂၃ ခုနှစ် နိုဝင်ဘာလ ၂၀ ရက်``, in Burmese or ASCII digits, typed in Unicode or Zawgyi.
Anything else is "no date", never a guess: ``11/20/2023`` and ``20/11/2023`` are left alone
(which is the month is the writer's habit, not the text's).
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

from ..analysis import fold_digits, zawgyi_to_unicode
from ..analysis.normalize import MYANMAR_RE

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
#: Burmese month names as Unicode text spells them, with the spellings in common use.
BURMESE_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("ဇန်နဝါရီ", "ဇန်နါဝါရီ", "ဇန္နဝါရီ"),
            ("ဖေဖော်ဝါရီ", "ဖေဖေါ်ဝါရီ", "ဖေဖော်ဝါရိ"),
            ("မတ်",),
            ("ဧပြီ",),
            ("မေ",),
            ("ဇွန်",),
            ("ဇူလိုင်",),
            ("ဩဂုတ်", "သြဂုတ်", "ဪဂုတ်", "ဩဂုက်"),
            ("စက်တင်ဘာ",),
            ("အောက်တိုဘာ", "အောက်တိုဗာ"),
            ("နိုဝင်ဘာ", "နိုဝဘ်ဘာ"),
            ("ဒီဇင်ဘာ",),
        ],
        start=1,
    )
    for name in names
}

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
# A Burmese month may carry လ ("month"); a day ရက် ("day"); ၊ is the Burmese comma.
_MY_MONTH = "(" + "|".join(sorted(BURMESE_MONTHS, key=len, reverse=True)) + ")(?:လ)?"
_MY_SEP = r"[\s,၊]*"

# Burmese typists often write the letter wa (ဝ) for the digit zero (၀) they look like.
_WA_AS_ZERO_RE = re.compile("(?<=[၀-၉])ဝ|ဝ(?=[၀-၉])")
_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")
_YMD_RE = re.compile(r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")
_DMY_DOTS_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_PDF_RE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_MDY_RE = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
_DMY_RE = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE)
_MY_YMD_RE = re.compile(rf"{_YEAR}\s*(?:ခုနှစ်)?{_MY_SEP}{_MY_MONTH}{_MY_SEP}(\d{{1,2}})\s*(?:ရက်)?")
_MY_MDY_RE = re.compile(rf"{_MY_MONTH}{_MY_SEP}(\d{{1,2}})\s*(?:ရက်)?{_MY_SEP}{_YEAR}")
_MY_DMY_RE = re.compile(rf"(\d{{1,2}})\s*(?:ရက်)?{_MY_SEP}{_MY_MONTH}{_MY_SEP}{_YEAR}")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _burmese(text: str) -> str | None:
    m = _MY_YMD_RE.search(text)
    if m:
        return _iso(int(m.group(1)), BURMESE_MONTHS[m.group(2)], int(m.group(3)))
    m = _MY_MDY_RE.search(text)
    if m:
        return _iso(int(m.group(3)), BURMESE_MONTHS[m.group(1)], int(m.group(2)))
    m = _MY_DMY_RE.search(text)
    if m:
        return _iso(int(m.group(3)), BURMESE_MONTHS[m.group(2)], int(m.group(1)))
    return None


def parse_date(text: str) -> str | None:
    """The first date found in ``text`` as ``YYYY-MM-DD``, or None."""
    if not text:
        return None
    text = fold_digits(_WA_AS_ZERO_RE.sub("၀", text.strip()))
    m = _PDF_RE.match(text)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        if month and day:
            return _iso(int(year), int(month), int(day))
        return None
    for pattern in (_ISO_RE, _YMD_RE):
        m = pattern.search(text)
        if m:
            return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _MDY_RE.search(text)
    if m:
        return _iso(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    m = _DMY_RE.search(text)
    if m:
        return _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _DMY_DOTS_RE.search(text)
    if m:
        return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if MYANMAR_RE.search(text):
        # A Zawgyi month name matches no Unicode spelling; the converter's reading of a
        # Unicode one is a misspelling, so the second try can only find a Zawgyi date.
        return _burmese(text) or _burmese(fold_digits(zawgyi_to_unicode(text)))
    if re.search(r"\d{1,2}:\d{2}", text):
        try:
            return parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError, IndexError):
            return None
    return None
