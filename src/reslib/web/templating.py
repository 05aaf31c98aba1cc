"""What templates may call: UI strings, labels, language marking, safe snippets, URLs.

Jinja2 autoescaping is on for every template; the only markup that passes through unescaped is
the ``<mark>`` of a search snippet, rebuilt here from escaped text rather than trusted.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, g, request
from markupsafe import Markup, escape

from ..models import language_label, type_label
from . import deps, i18n

_MARK = re.compile(r"(</?mark>)")


def t(key: str, **values: Any) -> str:
    strings: i18n.Strings = current_app.extensions["reslib_strings"]
    return strings.get(g.get("ui", i18n.DEFAULT), key, **values)


def safe_snippet(snippet: str) -> Markup:
    """The snippet with only ``<mark>`` kept: every other character escaped exactly once."""
    out = []
    for part in _MARK.split(snippet or ""):
        if part in ("<mark>", "</mark>"):
            out.append(part)
        else:
            out.append(str(escape(html.unescape(part))))
    text = "".join(out)
    # Balance the marks so a snippet cut mid-match cannot swallow the rest of the page.
    opened = text.count("<mark>") - text.count("</mark>")
    return Markup(text + "</mark>" * max(opened, 0))


def t_in(lang: str, key: str, **values: Any) -> str:
    strings: i18n.Strings = current_app.extensions["reslib_strings"]
    return strings.get(lang, key, **values)


def lang_switch_url(code: str) -> str:
    """The switch link; ``ui`` is dropped from the way back so the cookie decides there."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "ui"]
    here = request.path + ("?" + urlencode(args) if args else "")
    return f"/lang/{code}?" + urlencode({"next": here})


def install(app: Flask) -> None:
    app.jinja_env.autoescape = True
    app.jinja_env.filters["text_lang"] = i18n.text_lang
    app.jinja_env.filters["snippet"] = safe_snippet

    @app.context_processor
    def helpers() -> dict[str, Any]:
        ui = g.get("ui", i18n.DEFAULT)
        return {
            "t": t,
            "t_in": t_in,
            "ui": ui,
            "other_ui": "my" if ui == "en" else "en",
            "type_label": lambda key: type_label(key, ui),
            "language_label": lambda key: language_label(key, ui),
            "lang_switch_url": lang_switch_url,
            **i18n.template_helpers(ui, deps.home()),
        }
