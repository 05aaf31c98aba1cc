"""One context, two renderings: every page is a template over a JSON-ready dict.

A view builds ``data`` (plain JSON types only) and calls ``render_page``. The ``.json`` twin of a
page and every ``/api/`` route get ``data`` itself; the HTML page gets the template rendered with
``data`` plus helpers that only make sense in HTML. So the two can never disagree.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, render_template, request

from .security import is_api


def wants_json() -> bool:
    return request.path.endswith(".json") or is_api(request.path)


def json_response(data: Any, status: int = 200) -> Response:
    # Burmese stays readable in the payload; Flask's jsonify would escape it.
    body = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return Response(body, status=status, mimetype="application/json")


def render_page(template: str, data: dict[str, Any], status: int = 200, **html: Any) -> Response:
    if wants_json():
        return json_response(data, status)
    return Response(render_template(template, data=data, **html), status=status)
