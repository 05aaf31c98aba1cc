"""The partner search box: the ``/embed`` demo page, the iframe variant and the widget's strings.

``web/static/widget.js`` is the script variant; it reads its UI strings from ``/api/i18n/LANG``
(so both languages live only in ``web/i18n/``) and searches through ``/api/search``. The iframe
variant ``/widget/frame`` is a server-rendered page that works without JavaScript and takes the
search parameters plus ``ui`` as its query string.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..errors import NotFound
from ..models import LANGUAGES, TYPES
from ..search import search
from . import deps, i18n
from .params import parse_search, query_string
from .render import json_response, render_page

bp = Blueprint("widget", __name__)


def snippets(base: str) -> dict[str, str]:
    script = (
        f'<div id="reslib-search"></div>\n'
        f'<script src="{base}/static/widget.js" data-target="#reslib-search"\n'
        f'        data-ui="my" data-lang="my" data-org="Progressive Voice" async></script>'
    )
    iframe = (
        f'<iframe src="{base}/widget/frame?ui=my&amp;org=Progressive+Voice"\n'
        f'        title="reslib search" width="100%" height="480"'
        f' style="border:0"></iframe>'
    )
    return {"script": script, "iframe": iframe}


@bp.get("/embed")
@bp.get("/embed.json")
def embed() -> Response:
    base = request.host_url.rstrip("/")
    return render_page(
        "embed.html", {"snippets": snippets(base), "widget": f"{base}/static/widget.js"}
    )


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
            "types": {key: i18n.type_label(key, lang) for key in TYPES},
            "languages": {key: i18n.language_label(key, lang) for key in LANGUAGES},
        }
    )
