"""The site's UI strings and templates, for mails written outside a web request.

A digest is written by ``reslib alerts send`` from cron, where there is no Flask app, so this
finds ``web/i18n/*.json`` and ``web/templates`` the way ``reslib.web.assets`` does (the library
root's own ``web/`` first, then ours) without importing ``reslib.web``, which loads Flask. A
string missing in Burmese falls back to English; ``key_one`` is the form for a count of 1.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from ..config import Home

DEFAULT = "en"


def _package_web() -> Path:
    return Path(str(files("reslib") / "_web")).resolve()


class MailStrings:
    """UI strings of both languages, and the mail templates."""

    def __init__(self, home: Home) -> None:
        own, ours = home.web, _package_web()
        folder = own / "i18n" if (own / "i18n" / "en.json").is_file() else ours / "i18n"
        self.tables: dict[str, dict[str, str]] = {}
        for lang in ("en", "my"):
            path = folder / f"{lang}.json"
            self.tables[lang] = json.loads(path.read_text("utf-8")) if path.exists() else {}
        template_dirs = [ours / "templates"]
        if (own / "templates").is_dir() and own.resolve() != ours:
            template_dirs.insert(0, own / "templates")
        self.templates = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
            autoescape=True,
            undefined=StrictUndefined,
        )

    def get(self, lang: str, key: str, **values: Any) -> str:
        n = values.get("n")
        text = self._lookup(lang, key, n) or self._lookup(DEFAULT, key, n) or key
        return text.format(**values) if values else text

    def _lookup(self, lang: str, key: str, n: Any) -> str | None:
        table = self.tables.get(lang, {})
        if n == 1 and table.get(key + "_one"):
            return table[key + "_one"]
        return table.get(key)

    def render(self, template: str, lang: str, **context: Any) -> str:
        return self.templates.get_template(template).render(
            ui=lang, t=lambda key, **v: self.get(lang, key, **v), **context
        )
