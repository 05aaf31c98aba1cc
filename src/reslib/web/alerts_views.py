"""Search alerts on the site: the form's target, ``POST /api/alerts``, and the pages signed
links lead to (confirm, unsubscribe, an address's alerts), each with its ``.json`` twin.

A thin shell over ``reslib.alerts``. Links that change something (confirm, unsubscribe) show
a page with one button on GET and act on POST: mail scanners follow links, and must neither
confirm an alert nobody asked for nor stop one. The unsubscribe POST is also RFC 8058's
one-click (``List-Unsubscribe-Post``). No page or answer repeats an address: the address's own
page shows it masked. The form shows only when the site has an SMTP server
(``RESLIB_SMTP_HOST``) and the search is not empty; ``POST`` answers 503 otherwise.

The per-client limit counts by ``request.remote_addr``: behind a reverse proxy that is the
proxy's address for every visitor (so the limit applies to all of them together) unless the
WSGI app is wrapped to take the visitor's address from the proxy's header.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request
from werkzeug.datastructures import MultiDict

from .. import settings
from ..alerts import (
    AlertStore,
    MailError,
    NotConfigured,
    check_address,
    enabled,
    masked,
    query_of,
    send_confirmation,
    tokens,
)
from ..alerts import query as alert_query
from ..alerts.store import UI_LANGUAGES, Alert
from ..errors import InvalidInput
from ..search import SearchRequest
from . import deps
from .params import parse_search
from .render import render_page
from .templating import t

bp = Blueprint("alerts", __name__)


@bp.app_context_processor
def form_helpers() -> dict[str, Any]:
    return {"alerts_offered": offered, "alert_fields": fields}


def offered(req: SearchRequest | None) -> bool:
    """Whether the search page offers an alert for ``req``."""
    return req is not None and enabled() and not alert_query.is_empty(alert_query.kept(req))


def fields(req: SearchRequest) -> list[tuple[str, str]]:
    """The form's hidden fields: the search's words and filters."""
    return alert_query.params(alert_query.kept(req))


def _form() -> MultiDict[str, str]:
    """The request's fields: a JSON object (the API) or a form (the search page's)."""
    if not request.is_json:
        return request.form
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput('send a JSON object: {"email": …, "q": …, and any filters}')
    out: MultiDict[str, str] = MultiDict()
    for name, value in body.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                item = "1" if item else "0"
            if not isinstance(item, str | int):
                raise InvalidInput(f"{name!r} must be text or a list of texts")
            out.add(str(name), str(item))
    return out


def _describe(alert_or_query: Alert | dict[str, Any]) -> dict[str, Any]:
    query = alert_or_query.query if isinstance(alert_or_query, Alert) else alert_or_query
    return {
        "query": query,
        "description": alert_query.describe(query, g.ui, t),
        "search": alert_query.search_path(query),
    }


def _site() -> str:
    return (settings.get("alerts_site_url") or request.url_root).rstrip("/")


@bp.post("/alerts")
@bp.post("/alerts.json")
@bp.post("/api/alerts")
def subscribe() -> Response:
    if not enabled():
        raise NotConfigured("search alerts are not offered on this site")
    form = _form()
    address = check_address(form.get("email", ""))
    query = query_of(parse_search(form))
    ui = form.get("ui", "") if form.get("ui", "") in UI_LANGUAGES else g.ui
    home = deps.home()
    key = tokens.secret(home)
    store = AlertStore(home)
    client = tokens.client_key(key, request.remote_addr or "")
    alert, new = store.subscribe(address, query, ui, client=client, site=_site())
    if new:
        try:
            send_confirmation(home, alert.id)
        except (MailError, NotConfigured):
            store.remove([alert.id])
            raise MailError(
                "the confirmation mail could not be sent just now: please try again later",
                connection=True,
            ) from None
    hours = f"{settings.get('alerts_confirm_hours'):g}"
    data = {
        "ok": True,
        "status": "pending",
        "alert": {**_describe(query), "ui": ui},
        "confirm_hours": float(hours),
        "message": t("alerts.pending.text", hours=hours),
    }
    return render_page("alerts_pending.html", data, status=202)


def _alert(token: str, purpose: str) -> tuple[AlertStore, Alert | None]:
    home = deps.home()
    subject = tokens.read(tokens.secret(home), token, purpose)
    store = AlertStore(home)
    return store, store.get(subject.hex())


def _link(purpose: str, subject: bytes) -> str:
    return f"/alerts/{purpose}/{tokens.make(tokens.secret(deps.home()), purpose, subject)}"


def _manage_link(alert: Alert) -> str:
    key = tokens.secret(deps.home())
    return _link("manage", tokens.address_key(key, alert.address))


@bp.get("/alerts/confirm/<token>")
@bp.get("/alerts/confirm/<token>.json")
@bp.post("/alerts/confirm/<token>")
@bp.post("/alerts/confirm/<token>.json")
def confirm(token: str) -> Response:
    store, alert = _alert(token, "confirm")
    if alert is None:
        raise tokens.invalid_link()
    if request.method == "POST":
        alert = store.confirm(alert.id) or alert
    data: dict[str, Any] = {
        "status": "confirmed" if alert.is_confirmed else "unconfirmed",
        "alert": {**_describe(alert), **alert.public()},
    }
    if alert.is_confirmed:
        data["manage"] = _manage_link(alert)
    return render_page("alerts_confirm.html", data, token=token)


@bp.get("/alerts/unsubscribe/<token>")
@bp.get("/alerts/unsubscribe/<token>.json")
@bp.post("/alerts/unsubscribe/<token>")
@bp.post("/alerts/unsubscribe/<token>.json")
def unsubscribe(token: str) -> Response:
    store, alert = _alert(token, "unsubscribe")
    data: dict[str, Any] = {"status": "removed", "alert": None}
    if alert is not None:
        data["alert"] = {**_describe(alert), **alert.public()}
        data["manage"] = _manage_link(alert)
        if request.method == "POST":
            store.remove([alert.id])
        else:
            data["status"] = "subscribed"
    return render_page("alerts_unsubscribe.html", data, token=token)


@bp.get("/alerts/manage/<token>")
@bp.get("/alerts/manage/<token>.json")
def manage(token: str) -> Response:
    home = deps.home()
    key = tokens.secret(home)
    subject = tokens.read(key, token, "manage")
    mine = [a for a in AlertStore(home).load() if tokens.address_key(key, a.address) == subject]
    data = {
        "address": masked(mine[0].address) if mine else None,
        "alerts": [
            {
                **_describe(a),
                **a.public(),
                "unsubscribe": _link("unsubscribe", bytes.fromhex(a.id)),
            }
            for a in mine
        ],
    }
    return render_page("alerts_manage.html", data)
