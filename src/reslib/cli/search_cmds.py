"""Search commands: ``reslib reindex`` and ``reslib search``."""

from __future__ import annotations

import html
import re

import click

from ..errors import InvalidInput
from ..index import index_status, rebuild
from ..index.updater import workers
from ..library import replay_journal
from ..models import TYPES, check_language_filter, check_year_filter
from ..search import SearchRequest, SearchResponse, search
from ..search.model import MAX_LIMIT
from .base import cli, echo_json, get_catalogue, get_home, show_progress


@cli.command()
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--status", is_flag=True, help="Report on the live index instead of rebuilding.")
@click.option(
    "--procs",
    type=click.IntRange(1, 16),
    default=None,
    help="Indexing processes (default: RESLIB_IMPORT_WORKERS, one per core).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def reindex(
    ctx: click.Context, quiet: bool, status: bool, procs: int | None, as_json: bool
) -> None:
    """Rebuild the search index from library/ and swap it in atomically.

    Searches keep being answered from the old index until the new one is complete. Run it
    after upgrading reslib (when search says the index is outdated) or after editing
    library/ by hand.
    """
    home = get_home(ctx)
    if status:
        report = index_status(home)
        if as_json:
            echo_json(report)
        else:
            for key, value in report.items():
                click.echo(f"{key}: {value}")
        return
    bar_state: dict[str, int] = {"done": 0}
    with click.progressbar(
        length=max(len(get_catalogue(ctx).ids()), 1),
        label="Indexing",
        file=None if show_progress(quiet) else _Null(),
    ) as bar:

        def progress(done: int, total: int) -> None:
            bar.update(done - bar_state["done"])
            bar_state["done"] = done

        result = rebuild(
            home,
            procs=procs or workers(),
            progress=progress,
            waiting=None if quiet else _say_waiting,
        )
    for problem in result.skipped:
        click.echo(f"Warning: skipped {problem}", err=True)
    if as_json:
        echo_json(result.to_dict())
    elif not quiet:
        click.echo(
            f"Indexed {result.records} records in {result.seconds:.1f} s "
            f"({result.rate:.0f} records/s) into {result.path}"
        )


def _say_waiting() -> None:
    click.echo("Waiting for another 'reslib reindex' to finish…", err=True)


class _Null:
    """A file that swallows the progress bar when it should not show."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@cli.command("search")
@click.argument("query", nargs=-1)
@click.option("--limit", "-n", type=click.IntRange(1, MAX_LIMIT), default=10, show_default=True)
@click.option("--page", "-p", type=click.IntRange(1), default=1, show_default=True)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Order of results (date: newest first).",
)
@click.option("--exact", is_flag=True, help="Do not expand the query through the glossary.")
@click.option("--type", "types", multiple=True, help="Only records of this type (repeatable).")
@click.option(
    "--lang", help="Only records in this language (en, my, en+my, fr…: see 'reslib types')."
)
@click.option("--org", "orgs", multiple=True, help="Only records by this organization.")
@click.option(
    "--year", "years", multiple=True, help="Only records of this year (undated: date unknown)."
)
@click.option("--place", "places", multiple=True, help="Only records about this place.")
@click.option("--date", help="Only records dated in this range, e.g. 2023-09..2023-11.")
@click.option("--json", "as_json", is_flag=True, help="Print the response as JSON.")
@click.pass_context
def search_command(
    ctx: click.Context,
    query: tuple[str, ...],
    limit: int,
    page: int,
    sort: str,
    exact: bool,
    types: tuple[str, ...],
    lang: str | None,
    orgs: tuple[str, ...],
    years: tuple[str, ...],
    places: tuple[str, ...],
    date: str | None,
    as_json: bool,
) -> None:
    """Search the library in English or Burmese (Unicode or Zawgyi).

    \b
    QUERY language:
      bare words        all must match          karenni displacement
      "a phrase"        exact sequence          "Voice of America"
      OR                either side             Sagaing OR Magway
      -word             exclude                 junta -election
      type: org: lang: place: year: topic: date:2023-09..2023-11
    Names are expanded through the glossary (Karenni also finds Kayah and ကရင်နီ) unless
    --exact is given.
    """
    check_filters(types, lang, years, date)
    request = SearchRequest(
        q=" ".join(query),
        type=list(types),
        lang=lang,
        org=list(orgs),
        year=list(years),
        place=list(places),
        date=date,
        sort=sort,
        page=page,
        limit=limit,
        exact=exact,
    )
    home = get_home(ctx)
    # Changes a session cut short left out of the index go in first (when the lock is free).
    replay_journal(home)
    response = search(home, request)
    if as_json:
        echo_json(response.to_dict())
    else:
        _print(response)


# The API's checks and messages (reslib.web.params), so that a value the API answers with
# 400 fails here with exit code 1 and the same words, instead of finding "No results".
_DATE_RANGE = re.compile(
    r"^(\d{4}(-\d{2}){0,2}(\.\.(\d{4}(-\d{2}){0,2})?)?|\.\.\d{4}(-\d{2}){0,2})$"
)


def check_filters(
    types: tuple[str, ...], lang: str | None, years: tuple[str, ...], date: str | None
) -> None:
    """Refuse a filter value the API refuses, with the API's message."""
    for t in types:
        if t not in TYPES:
            raise InvalidInput(f"unknown type {t!r}: use one of {', '.join(TYPES)}")
    if lang is not None:
        check_language_filter(lang)
    for y in years:
        check_year_filter(y)
    if date is not None and not _DATE_RANGE.match(date):
        raise InvalidInput(f"date {date!r} must be a date or a range like 2023-09..2023-11")


def _print(response: SearchResponse) -> None:
    first = (response.page - 1) * response.limit + 1
    last = first + len(response.results) - 1
    if response.expanded:
        click.echo("Also searched: " + ", ".join(response.expanded))
    if not response.results:
        click.echo(f"No results (of {response.total}).")
    else:
        click.echo(f"Results {first}-{last} of {response.total}:")
    for n, r in enumerate(response.results, first):
        orgs = "; ".join(r.organizations)
        click.echo(f"\n{n}. {r.title}")
        click.echo(
            f"   {r.id} · {r.type} · {r.language} · {r.date}" + (f" · {orgs}" if orgs else "")
        )
        if r.snippet:
            click.echo("   " + _plain(r.snippet))
        for t in r.translations:
            click.echo(f"   also in {t.language}: {t.title} ({t.id})")
    if response.did_you_mean:
        click.echo(f"\nDid you mean: {response.did_you_mean}")


def _plain(snippet: str) -> str:
    """The HTML snippet for a terminal: marks as [brackets], entities decoded."""
    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))
