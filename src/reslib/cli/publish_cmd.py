"""``reslib publish DEST``: a read-only copy of the library and its index for replicas."""

from __future__ import annotations

import click

from ..publish import describe, publish
from .base import cli, get_home


@cli.command("publish")
@click.argument("destination")
@click.pass_context
def publish_cmd(ctx: click.Context, destination: str) -> None:
    """Publish the library and its live index to DESTINATION for replicas to serve.

    DESTINATION is a directory (created if missing) or HOST:PATH, reached with rsync over
    ssh (RESLIB_PUBLISH_SSH). The copy is a new generation, named in DESTINATION/CURRENT only
    once complete; files unchanged since the last publish are hard links, not copies; the
    last three generations are kept. Search alerts, import logs and other private files are
    never published. Serve it with 'reslib serve --replica DESTINATION'.
    """
    report = publish(get_home(ctx), destination)
    click.echo(describe(report))
