"""``reslib analyze``: what the engine does with a text."""

from __future__ import annotations

import sys

import click

from ..errors import ReslibError
from .base import cli, echo_json


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
    from ..analysis import analyze as run_analysis

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
        echo_json(result)
        return
    p = result["zawgyi_probability"]
    click.echo(f"normalized: {result['normalized']}")
    click.echo("zawgyi probability: " + ("n/a (no Burmese)" if p is None else f"{p:.4f}"))
    click.echo(f"converted from Zawgyi: {'yes' if result['converted_from_zawgyi'] else 'no'}")
    for name, terms in result["fields"].items():
        click.echo(f"{name}: {' | '.join(terms)}")
