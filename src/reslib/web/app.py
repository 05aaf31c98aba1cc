"""The app factory: one Flask app per library root, with its assets, hooks and routes.

``create_app(home, test_config)`` follows the Flask tutorial: no global app, so every test gets
a fresh one over a fresh library. The app keeps no searcher and no records in memory: each
request asks ``reslib.search`` and ``reslib.catalogue``, which notice a new index generation
or an edited record by themselves, so a librarian's import or reindex shows without a restart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, g, redirect, request
from jinja2 import ChoiceLoader, FileSystemLoader

from ..config import Home
from . import errors, i18n, security
from .assets import locate
from .replica import READ_METHODS, WRITING_PREFIXES, Replica
from .templating import install as install_templating


def create_app(home: Home | None = None, test_config: dict[str, Any] | None = None) -> Flask:
    home = home or Home.resolve()
    assets = locate(home)
    app = Flask(
        "reslib.web",
        static_folder=str(assets.static_dir),
        static_url_path="/static",
        template_folder=None,
    )
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(d)) for d in assets.template_dirs])
    app.config.update(
        RESLIB_HOME=home,
        JSON_AS_ASCII=False,
        # Our own handlers answer every error; nothing may propagate to a debugger page.
        PROPAGATE_EXCEPTIONS=False,
        TRAP_HTTP_EXCEPTIONS=False,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["reslib_strings"] = i18n.Strings(assets.i18n_dir)
    if app.config.get("RESLIB_REPLICA"):
        # Serves a published directory (``reslib publish``), read-only.
        app.extensions["reslib_replica"] = Replica(
            Path(app.config["RESLIB_REPLICA"]), app.config.get("RESLIB_PRIMARY")
        )

        @app.before_request
        def read_only() -> Response | None:
            return refuse_writes(app.extensions["reslib_replica"])

    @app.before_request
    def choose_language() -> None:
        g.ui = i18n.choose_language(request)

    @app.after_request
    def headers(response: Response) -> Response:
        security.apply_security_headers(request, response)
        security.apply_cors(request, response)
        if "ui" in g and not security.is_api(request.path):
            # The page depends on the cookie and Accept-Language, so caches must key on them.
            response.vary.add("Cookie")
            response.vary.add("Accept-Language")
        return response

    errors.register(app)
    install_templating(app)

    from . import (
        alerts_views,
        browse_views,
        discovery_views,
        health_views,
        item_views,
        oai_views,
        openapi,
        search_views,
        widget_views,
    )

    for module in (search_views, item_views, browse_views, discovery_views, widget_views, openapi):
        app.register_blueprint(module.bp)
    app.register_blueprint(oai_views.bp)
    app.register_blueprint(alerts_views.bp)
    app.register_blueprint(health_views.bp)
    return app


def refuse_writes(replica: Replica) -> Response | None:
    """A replica changes nothing: what would write goes to the primary (307 keeps the method
    and body), or is refused with the site's message when the primary is not known."""
    writes = request.method not in READ_METHODS or request.path.startswith(WRITING_PREFIXES)
    if not writes:
        return None
    if replica.primary:
        target = replica.primary + request.full_path.rstrip("?")
        return redirect(target, code=307)  # type: ignore[return-value]
    return errors.error_response(
        403, "this copy of the library is read-only: subscribe or make changes on its main site"
    )
