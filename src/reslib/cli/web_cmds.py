"""``reslib serve``: the site and API under waitress, a production WSGI server.

Not Flask's development server: waitress is pure Python, multi-threaded and safe to face the
internet behind a proxy. The app reads the index generation on every search, so an import or
reindex shows up without restarting the server.
"""

from __future__ import annotations

import click

from .base import cli, get_home


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker threads answering requests at once.",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the search site, its JSON API and the partner widget."""
    try:
        import waitress

        from ..web import create_app
    except ImportError as exc:  # the web extra is optional
        raise click.ClickException(
            f"the web server needs the 'web' extra ({exc.name} is missing): pip install -e '.[web]'"
        ) from None
    app = create_app(get_home(ctx))
    click.echo(f"reslib: serving on http://{host}:{port}/ with {workers} worker threads", err=True)
    waitress.serve(app, host=host, port=port, threads=workers, ident="reslib")
