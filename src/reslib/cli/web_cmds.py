"""``reslib serve``: the site and API under gunicorn, a production WSGI server.

Not Flask's development server: gunicorn forks worker processes (one per core by default,
since searching holds the interpreter lock) with two threads each by default. Each process reads the
index generation on every search, so an import or reindex shows up without a restart.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Home
from ..errors import InvalidInput
from ..publish import current_generation
from .base import cli, get_home


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Server processes (default: one per core, at most 8).",
)
@click.option(
    "--threads",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per process answering requests at once.",
)
@click.option(
    "--replica",
    type=click.Path(file_okay=False),
    default=None,
    help="Serve read-only the directory 'reslib publish' writes, switching to each newly "
    "published generation once warmed (no --home needed).",
)
@click.option(
    "--primary",
    default=None,
    metavar="URL",
    help="With --replica: the main site's address, where requests that write (alerts) go.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    replica: str | None,
    primary: str | None,
) -> None:
    """Serve the search site, its JSON API and the partner widget."""
    try:
        from ..web import create_app
        from ..web.server import default_workers
        from ..web.server import serve as run_server
    except ImportError as exc:  # the web extra is optional
        raise click.ClickException(
            f"the web server needs the 'web' extra ({exc.name} is missing): pip install -e '.[web]'"
        ) from None
    if replica is not None:
        root = Path(replica).resolve()
        if current_generation(root) is None:
            raise InvalidInput(
                f"nothing published in {root}: run 'reslib publish {root}' on the primary first"
            )
        app = create_app(Home(root), {"RESLIB_REPLICA": str(root), "RESLIB_PRIMARY": primary})
    else:
        if primary is not None:
            raise click.UsageError("--primary goes with --replica")
        app = create_app(get_home(ctx))
    workers = workers or default_workers()
    click.echo(
        f"reslib: serving on http://{host}:{port}/ with {workers} processes of {threads} threads",
        err=True,
    )
    run_server(app, host, port, workers, threads)
