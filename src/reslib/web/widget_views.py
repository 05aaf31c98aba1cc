"""The partner search box: the ``/embed`` snippet builder, the iframe variant and the widget's
strings.

``web/static/widget.js`` is the script variant; it reads its UI strings from ``/api/i18n/LANG``
(so both languages live only in ``web/i18n/``) and searches through ``/api/search``. The iframe
variant ``/widget/frame`` is a server-rendered page that works without JavaScript and takes the
search parameters plus ``ui`` as its query string.

``/embed`` builds a partner's snippet: interface language (``w_ui``), scope (``w_lang``,
``w_type``, ``w_org``) and variant (``variant``: ``script`` or ``iframe``) are a GET form, so
without JavaScript a click on "Update" rebuilds the page with the snippet and its preview.
``web/static/embed.js`` asks ``/embed.json`` with the same parameters on every change, so the
snippet is written in one place only (``snippets`` here), and redraws the preview live.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, request

from ..errors import NotFound
from ..index import IndexUnavailable
from ..models import LANGUAGES, TYPES, language_label, type_label
from ..search import SearchRequest, search
from . import deps, i18n
from .params import parse_search, query_string
from .render import json_response, render_page

bp = Blueprint("widget", __name__)

VARIANTS = ("script", "iframe")
#: Scope languages a partner may choose: items in English or in Burmese (bilingual items
#: are in both).
SCOPE_LANGUAGES = ("en", "my")
#: Longest organization name taken from the builder's query string.
MAX_ORG = 200


@dataclass(frozen=True)
class Options:
    """A partner's choices: the widget's interface language, its scope and the variant."""

    ui: str
    lang: str = ""
    type: str = ""
    org: str = ""
    variant: str = "script"

    def scope(self) -> list[tuple[str, str]]:
        """The chosen scope as widget options (``data-NAME``, or the iframe's parameters)."""
        pairs = [("lang", self.lang), ("type", self.type), ("org", self.org)]
        return [(name, value) for name, value in pairs if value]


def read_options(args: Any, page_ui: str) -> Options:
    """The builder's choices from a query string; anything unknown falls back to the default
    (the builder never refuses: a partner tinkering with the address still gets a snippet)."""
    ui = args.get("w_ui", "")
    lang = args.get("w_lang", "")
    kind = args.get("w_type", "")
    org = " ".join(args.get("w_org", "").split())[:MAX_ORG]
    variant = args.get("variant", "")
    return Options(
        ui=ui if ui in i18n.UI_LANGUAGES else page_ui,
        lang=lang if lang in SCOPE_LANGUAGES else "",
        type=kind if kind in TYPES else "",
        org=org,
        variant=variant if variant in VARIANTS else "script",
    )


def _attr(value: str) -> str:
    return escape(value, quote=True)


def frame_query(options: Options) -> str:
    return urlencode([("ui", options.ui), *options.scope()])


def snippets(base: str, options: Options) -> dict[str, str]:
    """Both variants' snippets for ``options``, with ``base`` the site's address."""
    data = "".join(f' data-{name}="{_attr(value)}"' for name, value in options.scope())
    script = (
        f'<div id="reslib-search"></div>\n'
        f'<script src="{_attr(base)}/static/widget.js" data-target="#reslib-search"\n'
        f'        data-ui="{options.ui}"{data} async></script>'
    )
    iframe = (
        f'<iframe src="{_attr(base)}/widget/frame?{_attr(frame_query(options))}"\n'
        f'        title="reslib search" width="100%" height="480"'
        f' style="border:0"></iframe>'
    )
    return {"script": script, "iframe": iframe}


def _organizations() -> list[str]:
    """The organizations with items, most items first (the library's facet)."""
    try:
        found = search(deps.home(), SearchRequest(limit=1))
    except IndexUnavailable:
        return []
    return [f.value for f in found.facets.get("organizations", [])]


@bp.get("/embed")
@bp.get("/embed.json")
def embed() -> Response:
    base = request.host_url.rstrip("/")
    options = read_options(request.args, g.get("ui", i18n.DEFAULT))
    built = snippets(base, options)
    data = {
        "options": asdict(options),
        "snippet": built[options.variant],
        "snippets": built,
        "widget": f"{base}/static/widget.js",
        "preview": {
            "data": {"ui": options.ui, **dict(options.scope())},
            "frame": f"/widget/frame?{frame_query(options)}",
        },
        "choices": {
            "ui": list(i18n.UI_LANGUAGES),
            "lang": list(SCOPE_LANGUAGES),
            "type": list(TYPES),
            "org": _organizations(),
            "variant": list(VARIANTS),
        },
    }
    # The page's own language when it was asked for (``ui``), kept through the form.
    page_ui = request.args.get("ui", "")
    return render_page("embed.html", data, page_ui=page_ui if page_ui in i18n.UI_LANGUAGES else "")


@bp.get("/widget/frame")
def frame() -> Response:
    req = parse_search(request.args)
    data = search(deps.home(), req).to_dict() if req.q.strip() else None
    return render_page(
        "frame.html",
        {"search": data},
        req=req,
        qs=lambda **c: query_string(req, **c),
        hidden=[
            (name, value)
            for name, value in request.args.items(multi=True)
            if name in ("type", "lang", "org", "year", "place", "ui", "limit")
        ],
    )


@bp.get("/api/i18n/<lang>")
def strings(lang: str) -> Response:
    if lang not in i18n.UI_LANGUAGES:
        raise NotFound(f"no interface language {lang!r}: use en or my")
    table: i18n.Strings = current_app.extensions["reslib_strings"]
    return json_response(
        {
            "lang": lang,
            "strings": table.table(lang, "widget."),
            "types": {key: type_label(key, lang) for key in TYPES},
            "languages": {key: language_label(key, lang) for key in LANGUAGES},
        }
    )
