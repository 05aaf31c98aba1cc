"""The root click group and what every command shares: the home, errors, output options.

Only the ``cli`` package imports click. A ``ReslibError`` from any command becomes
``Error: <message>`` on stderr and its exit code (1); click's usage errors exit with 2; Ctrl-C
becomes ``interrupted`` and exit code 130 (see ``interrupt``). Arguments that were not UTF-8
are refused before a command runs, naming the option.
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
from ..errors import InvalidInput, ReslibError
from ..library import open_library
from ..models import encodes_as_utf8
from .interrupt import INTERRUPTED, INTERRUPTED_EXIT, interrupts_raise


def require_utf8_arguments(ctx: click.Context) -> None:
    """Refuse, naming the option, a text argument that was not UTF-8.

    File names (``click.Path``) may be any bytes the file system allows, so they pass.
    """
    for param in ctx.command.params:
        if isinstance(param.type, click.Path) or encodes_as_utf8(ctx.params.get(param.name or "")):
            continue
        if isinstance(param, click.Option):
            what = "option " + "/".join(param.opts)
        else:
            what = "argument " + param.human_readable_name
        raise InvalidInput(f"{what}: not valid UTF-8 text: type it again in UTF-8")


class ReslibCommand(click.Command):
    """A command whose text arguments are checked to be UTF-8 before it runs."""

    def invoke(self, ctx: click.Context) -> Any:
        require_utf8_arguments(ctx)
        return super().invoke(ctx)


class ReslibGroup(click.Group):
    """Turns a ReslibError raised by any command into its message and exit code, and Ctrl-C
    into ``interrupted`` (130). Its commands and subgroups are of the same kinds."""

    command_class = ReslibCommand
    group_class = type

    def invoke(self, ctx: click.Context) -> Any:
        try:
            require_utf8_arguments(ctx)
            # Commands get Ctrl-C as KeyboardInterrupt (an import stops between documents
            # and reports it); what they do not handle ends here in one line.
            with interrupts_raise():
                return super().invoke(ctx)
        except ReslibError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(INTERRUPTED, err=True)
            ctx.exit(INTERRUPTED_EXIT)


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


def get_home(ctx: click.Context, *, must_exist: bool = True) -> Home:
    """The library root of ``--home`` (or ``RESLIB_HOME``, or the current directory).

    A root without ``library/`` is refused: listing or searching it would report an empty
    library, as if everything had been lost, when the path is just wrong.
    """
    home = Home.resolve((ctx.find_root().obj or {}).get("home"))
    if must_exist and not home.library.is_dir():
        raise InvalidInput(
            f"no library at {home.root}: check --home (or RESLIB_HOME), "
            f"or run 'reslib init {home.root}' to create one"
        )
    return home


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
