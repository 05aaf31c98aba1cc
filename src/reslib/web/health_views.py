"""``/healthz``: whether this process answers, from which index generation, how many records.

For load balancers (``deploy/haproxy.cfg`` checks it): 200 when ready, 503 while a replica
has warmed no generation yet or a library has no usable index. JSON only: it is for
machines, so it has no page twin.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app

from ..index import index_status
from . import deps
from .render import json_response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    replica = current_app.extensions.get("reslib_replica")
    if replica is not None:
        status = replica.status()
    else:
        found = index_status(deps.home())
        status = {"ready": False, "generation": None, "records": 0, "replica": False}
        if found.get("usable"):
            name = Path(found["index"]).name
            status.update(ready=True, generation=name, records=found.get("documents", 0))
    response = json_response(status, 200 if status["ready"] else 503)
    response.headers["Cache-Control"] = "no-store"
    return response
