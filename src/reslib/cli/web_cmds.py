"""``reslib serve``: the site and API under gunicorn, a production WSGI server.

Not Flask's development server: gunicorn forks worker processes (one per core by default,
since searching holds the interpreter lock) with two threads each by default. Each process reads the
index generation on every search, so an import or reindex shows up without a restart.
"""

from __future__ import annotations

import click

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
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve the search site, its JSON API and the partner widget."""
    try:
        from ..web import create_app
        from ..web.server import default_workers
        from ..web.server import serve as run_server
    except ImportError as exc:  # the web extra is optional
        raise click.ClickException(
            f"the web server needs the 'web' extra ({exc.name} is missing): pip install -e '.[web]'"
        ) from None
    app = create_app(get_home(ctx))
    workers = workers or default_workers()
    click.echo(
        f"reslib: serving on http://{host}:{port}/ with {workers} processes of {threads} threads",
        err=True,
    )
    run_server(app, host, port, workers, threads)
