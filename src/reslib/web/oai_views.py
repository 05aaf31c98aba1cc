"""``/oai``: the OAI-PMH endpoint, by GET or by POST (a form body), as the protocol allows.

Protocol errors are answers, not HTTP errors: every response is 200 with an XML body
(``reslib.oai`` builds it); only a request the site refuses before that (an oversized body)
gets an HTTP error.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, Response, request

from ..oai import Site, respond, serialize
from . import deps

bp = Blueprint("oai", __name__)


@bp.route("/oai", methods=["GET", "POST"])
def oai() -> Response:
    values = request.form if request.method == "POST" else request.args
    raw = {name: values.getlist(name) for name in values}
    site = Site(
        catalogue=deps.catalogue(),
        base_url=request.host_url.rstrip("/"),
        host=urlsplit(request.host_url).hostname or "localhost",
        now=datetime.now(UTC),
    )
    return Response(serialize(respond(raw, site)), content_type="text/xml; charset=utf-8")
