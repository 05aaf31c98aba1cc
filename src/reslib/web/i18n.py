"""The interface language: UI strings, choosing English or Burmese, and labels of vocabularies.

UI strings live in ``web/i18n/en.json`` and ``web/i18n/my.json``; a key missing from Burmese
falls back to English, so a new string never shows as a bare key. A count string ``key`` may
have a ``key_one`` form for a count of 1 ("1 result", not "1 results"). The language is, in order:
a ``ui`` query parameter (used by the iframe widget and never remembered), the ``reslib_ui``
cookie set by the language switch, then the browser's ``Accept-Language``.

Record text keeps its own language whatever the interface language is, so templates mark it
with ``lang`` from ``text_lang``, which reads the script of the text itself.

The Burmese interface goes all the way: numbers in UI strings (counts) are written in Burmese
digits, and templates show counts and dates through ``num`` and organization and place names
through ``org_label``/``place_label`` (the authority file's Burmese name, the glossary's
Burmese spelling, where known). Links and JSON keep the names and numbers as stored: only
what a reader sees changes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Request, current_app

from ..config import Home
from ..search.sources import load_glossary, load_organizations

UI_LANGUAGES = ("en", "my")
DEFAULT = "en"
COOKIE = "reslib_ui"
#: A year: the choice is a preference, not a session.
COOKIE_MAX_AGE = 365 * 24 * 3600

_MYANMAR = re.compile(r"[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")
_LATIN = re.compile(r"[A-Za-z]")
_BURMESE_DIGITS = str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉")


def digits(value: Any, lang: str) -> str:
    """``value`` as text, its ASCII digits written in Burmese digits when ``lang`` is ``my``."""
    text = "" if value is None else str(value)
    return text.translate(_BURMESE_DIGITS) if lang == "my" else text


class Strings:
    """The UI strings of both languages, loaded once per app."""

    def __init__(self, folder: Path) -> None:
        self.tables: dict[str, dict[str, str]] = {}
        for lang in UI_LANGUAGES:
            path = folder / f"{lang}.json"
            self.tables[lang] = json.loads(path.read_text("utf-8")) if path.exists() else {}

    def get(self, lang: str, key: str, **values: Any) -> str:
        n = values.get("n")
        text = self._lookup(lang, key, n) or self._lookup(DEFAULT, key, n) or key
        if not values:
            return text
        # Numbers read in the interface's digits ("ရလဒ် ၅ ခု"); other values stay as given.
        shown = {
            k: digits(v, lang) if isinstance(v, int | float) and not isinstance(v, bool) else v
            for k, v in values.items()
        }
        return text.format(**shown)

    def _lookup(self, lang: str, key: str, n: Any) -> str | None:
        """``key`` in one language, or its ``key_one`` form when ``n`` is 1 and the language
        has one (English does; Burmese nouns do not change with number, so it has none and
        must not borrow the English singular)."""
        table = self.tables.get(lang, {})
        if n == 1 and table.get(key + "_one"):
            return table[key + "_one"]
        return table.get(key)

    def table(self, lang: str, prefix: str = "") -> dict[str, str]:
        """Every string of ``lang`` whose key starts with ``prefix`` (English filling gaps,
        but never with its singular forms: a language without ``key_one`` has no singular)."""
        english = self.tables[DEFAULT]
        if lang != DEFAULT:
            english = {k: v for k, v in english.items() if not k.endswith("_one")}
        merged = {**english, **self.tables.get(lang, {})}
        return {k: v for k, v in merged.items() if k.startswith(prefix)}


def choose_language(request: Request) -> str:
    asked = request.args.get("ui", "")
    if asked in UI_LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    if remembered in UI_LANGUAGES:
        return remembered
    return request.accept_languages.best_match(UI_LANGUAGES, default=DEFAULT) or DEFAULT


def text_lang(text: str) -> str:
    """``my`` when a text is mostly Burmese script, else ``en`` (the only two we hold)."""
    burmese = len(_MYANMAR.findall(text))
    return "my" if burmese and burmese >= len(_LATIN.findall(text)) else "en"


class NameLabels:
    """Organization and place names as a Burmese reader knows them, where the library's
    files say: the authority file's Burmese name of an organization, the glossary's first
    Burmese spelling of a place (a place entry first, any entry with that spelling next).
    Both files are read through ``search.sources`` (cached until they change)."""

    def __init__(self, home: Home) -> None:
        self.home = home

    def organization(self, name: str, lang: str) -> str:
        if lang != "my" or not name:
            return name
        org = load_organizations(self.home).resolve(name)
        return org.name_my if org is not None and org.name_my else name

    def place(self, name: str, lang: str) -> str:
        if lang != "my" or not name or _MYANMAR.search(name):
            return name
        entries = load_glossary(self.home).lookup(name)
        entries.sort(key=lambda e: e.kind != "place")
        return next((e.my[0] for e in entries if e.my), name)


def size_parts(size: int) -> tuple[str, int | float]:
    """The UI string key and the number that say a file's size: bytes, KB (whole) or MB
    (one decimal), in units of 1,024."""
    if size < 1024:
        return "file.bytes", size
    if size < 1024 * 1024:
        return "file.kb", max(1, round(size / 1024))
    return "file.mb", round(size / (1024 * 1024), 1)


def template_helpers(ui: str, home: Home) -> dict[str, Any]:
    """What templates call to show numbers and names in the interface language."""
    labels = NameLabels(home)

    def file_size(size: int) -> str:
        strings: Strings = current_app.extensions["reslib_strings"]
        key, n = size_parts(size)
        return strings.get(ui, key, n=n)

    return {
        "num": lambda value: digits(value, ui),
        "file_size": file_size,
        "org_label": lambda name: labels.organization(name, ui),
        "place_label": lambda name: labels.place(name, ui),
    }
