"""The root click group and what every command shares: the home, errors, output options.

Only the ``cli`` package imports click. A ``ReslibError`` from any command becomes
``Error: <message>`` on stderr and its exit code (1); click's usage errors exit with 2.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from .. import __version__
from ..catalogue import Catalogue
from ..config import Home
from ..errors import ReslibError
from ..library import open_library


class ReslibGroup(click.Group):
    """Turns a ReslibError raised by any command into its message and exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReslibError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=ReslibGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reslib")
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="RESLIB_HOME",
    help="Library root holding library/, indexes/ and web/ (default: current directory; "
    "also RESLIB_HOME).",
)
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    """reslib: a bilingual (English and Burmese) resource library and search engine."""
    ctx.obj = {"home": home}


def get_home(ctx: click.Context) -> Home:
    return Home.resolve((ctx.find_root().obj or {}).get("home"))


def get_catalogue(ctx: click.Context) -> Catalogue:
    """The library the command works on, opened as every caller opens it: changes reach
    the search index (``reslib.library.open_library``)."""
    return open_library(get_home(ctx))


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def echo_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    click.echo(buf.getvalue(), nl=False)


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--json`` and ``--csv``: the shared machine-readable output switches."""
    f = click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print JSON.")(f)
    return f


def show_progress(quiet: bool) -> bool:
    """Progress bars only on a terminal, and never with --quiet."""
    return not quiet and sys.stderr.isatty()
