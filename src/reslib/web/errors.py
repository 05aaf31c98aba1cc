"""Every error, one shape: ``{"ok": false, "status", "error", "message"}`` or its HTML page.

A ``ReslibError`` keeps its own message and HTTP status (the same one the CLI prints); Werkzeug's
HTTP errors (unknown route, wrong method) keep theirs; anything else is a 500 whose details go
to the log only. API paths and ``.json`` twins answer JSON, everything else an HTML page in the
visitor's language. No stack trace ever reaches a visitor.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, g
from werkzeug.exceptions import HTTPException

from ..errors import ReslibError
from .render import json_response, render_page, wants_json

log = logging.getLogger("reslib.web")


def error_body(status: int, message: str) -> dict[str, Any]:
    return {
        "ok": False,
        "status": status,
        "error": HTTPStatus(status).phrase,
        "message": message,
    }


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = error_body(status, message)
    if wants_json() or "ui" not in g:
        response = json_response(body, status)
    else:
        try:
            response = render_page("error.html", body, status=status)
        except Exception:
            # A broken template must not turn an error page into a traceback.
            log.exception("error page failed to render")
            response = json_response(body, status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(ReslibError)
    def reslib_error(exc: ReslibError) -> Response:
        return error_response(exc.http_status, exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        if status == 404:
            message = "there is no page at this address"
        elif status == 405:
            message = "this address does not accept that method"
        else:
            message = HTTPStatus(status).description or HTTPStatus(status).phrase
        headers = {}
        allow = exc.get_response().headers.get("Allow")
        if allow:
            headers["Allow"] = allow
        return error_response(status, message, headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(500, "something went wrong on our side; it has been logged")
