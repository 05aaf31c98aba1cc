"""The command line: thin click commands that call the library and format its output.

Only this module imports click. Domain errors (``ReslibError``) become a one-line message and
the error's exit code (1); usage errors exit with 2, as click does.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from . import __version__
from .errors import ReslibError


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class _Group(click.Group):
    """Turns a ReslibError raised by any command into its message and exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReslibError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reslib")
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="RESLIB_HOME",
    help="Library root holding library/, indexes/ and web/ (default: current directory).",
)
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    """reslib: a bilingual (English and Burmese) resource library and search engine."""
    ctx.obj = {"home": home}


@cli.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@click.option(
    "--query", "query_mode", is_flag=True, help="Analyze as a query (drops English stop words)."
)
def analyze(text: str, as_json: bool, query_mode: bool) -> None:
    """Show what the engine does with TEXT (use - to read standard input).

    Prints the normalized text, the Zawgyi verdict and each index field's terms, like
    Elasticsearch's _analyze.
    """
    from .analysis import analyze as run_analysis

    if text == "-":
        raw = sys.stdin.buffer.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ReslibError(
                f"standard input is not UTF-8 (byte {exc.start}): convert it first, e.g. with iconv"
            ) from None
    result = run_analysis(text, mode="query" if query_mode else "index").to_dict()
    if as_json:
        _echo_json(result)
        return
    p = result["zawgyi_probability"]
    click.echo(f"normalized: {result['normalized']}")
    click.echo("zawgyi probability: " + ("n/a (no Burmese)" if p is None else f"{p:.4f}"))
    click.echo(f"converted from Zawgyi: {'yes' if result['converted_from_zawgyi'] else 'no'}")
    for name, terms in result["fields"].items():
        click.echo(f"{name}: {' | '.join(terms)}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="reslib")
