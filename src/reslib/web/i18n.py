"""The interface language: UI strings, choosing English or Burmese, and labels of vocabularies.

UI strings live in ``web/i18n/en.json`` and ``web/i18n/my.json``; a key missing from Burmese
falls back to English, so a new string never shows as a bare key. A count string ``key`` may
have a ``key_one`` form for a count of 1 ("1 result", not "1 results"). The language is, in order:
a ``ui`` query parameter (used by the iframe widget and never remembered), the ``reslib_ui``
cookie set by the language switch, then the browser's ``Accept-Language``.

Record text keeps its own language whatever the interface language is, so templates mark it
with ``lang`` from ``text_lang``, which reads the script of the text itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Request

from ..models import LANGUAGES, TYPES

UI_LANGUAGES = ("en", "my")
DEFAULT = "en"
COOKIE = "reslib_ui"
#: A year: the choice is a preference, not a session.
COOKIE_MAX_AGE = 365 * 24 * 3600

_MYANMAR = re.compile(r"[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")
_LATIN = re.compile(r"[A-Za-z]")


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
        return text.format(**values) if values else text

    def _lookup(self, lang: str, key: str, n: Any) -> str | None:
        """``key`` in one language, or its ``key_one`` form when ``n`` is 1 and the language
        has one (English does; Burmese nouns do not change with number, so it has none and
        must not borrow the English singular)."""
        table = self.tables.get(lang, {})
        if n == 1 and table.get(key + "_one"):
            return table[key + "_one"]
        return table.get(key)

    def table(self, lang: str, prefix: str = "") -> dict[str, str]:
        """Every string of ``lang`` whose key starts with ``prefix`` (English filling gaps)."""
        merged = {**self.tables[DEFAULT], **self.tables.get(lang, {})}
        return {k: v for k, v in merged.items() if k.startswith(prefix)}


def choose_language(request: Request) -> str:
    asked = request.args.get("ui", "")
    if asked in UI_LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    if remembered in UI_LANGUAGES:
        return remembered
    return request.accept_languages.best_match(UI_LANGUAGES, default=DEFAULT) or DEFAULT


def type_label(key: str, lang: str) -> str:
    labels = TYPES.get(key)
    return labels[lang == "my"] if labels else key


def language_label(key: str, lang: str) -> str:
    labels = LANGUAGES.get(key)
    return labels[lang == "my"] if labels else key


def text_lang(text: str) -> str:
    """``my`` when a text is mostly Burmese script, else ``en`` (the only two we hold)."""
    burmese = len(_MYANMAR.findall(text))
    return "my" if burmese and burmese >= len(_LATIN.findall(text)) else "en"
