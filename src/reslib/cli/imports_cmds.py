"""``reslib imports``: the import log (``library/imports/``): list runs, show one, undo one."""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import settings
from ..errors import InvalidInput
from ..importers import log as runlog
from ..importers.undo import Undo
from .base import cli, echo_json, get_catalogue, get_home


@cli.group()
def imports() -> None:
    """The import log: every import that changed the library, and how to undo one."""


def _status(log: dict[str, Any]) -> str:
    marks = []
    if log.get("interrupted"):
        marks.append("interrupted")
    undone = log.get("undone")
    if undone:
        left = len(undone.get("left", []))
        marks.append(f"undone {undone.get('at', '')}" + (f", {left} left" if left else ""))
    return f" [{'; '.join(marks)}]" if marks else ""


def _counts(log: dict[str, Any]) -> str:
    counts = log.get("counts", {})
    return ", ".join(f"{name} {counts.get(name, 0)}" for name in ("created", "updated", "skipped"))


@imports.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the logs without records).")
@click.pass_context
def imports_list(ctx: click.Context, as_json: bool) -> None:
    """List logged import runs, oldest first: run, start, who, counts, undone or not."""
    home = get_home(ctx)
    logs = [runlog.load(home, run_id) for run_id in runlog.run_ids(home)]
    if as_json:
        echo_json([{k: v for k, v in log.items() if k != "records"} for log in logs])
        return
    if not logs:
        click.echo("no import runs logged yet")
    for log in logs:
        by = log.get("by") or "?"
        click.echo(f"{log['run']}  {log.get('started', '')}  {by}  {_counts(log)}{_status(log)}")


@imports.command(name="show")
@click.argument("run_id", metavar="RUN")
@click.option("--json", "as_json", is_flag=True, help="Print the log as JSON.")
@click.pass_context
def imports_show(ctx: click.Context, run_id: str, as_json: bool) -> None:
    """Show what import run RUN did: options, files with checksums, and per record."""
    log = runlog.load(get_home(ctx), run_id)
    if as_json:
        echo_json(log)
        return
    click.echo(f"run {log['run']}{_status(log)}")
    click.echo(f"started {log.get('started')}, finished {log.get('finished') or '-'}")
    click.echo(f"by {log.get('by') or '?'}")
    options = {k: v for k, v in log.get("options", {}).items() if v not in (None, [], False)}
    for name, value in options.items():
        shown = "; ".join(map(str, value)) if isinstance(value, list) else value
        click.echo(f"option {name}: {shown}")
    for f in log.get("files", []):
        click.echo(f"file {f['path']} ({f['format']}, {f['bytes']} bytes, sha256 {f['sha256']})")
    click.echo(_counts(log))
    for entry in log["records"]:
        click.echo(_entry_line(entry))
    for conflict in log.get("conflicts", []):
        click.echo(f"conflict {conflict['id']} {conflict['field']}: {conflict['message']}")
    for left in (log.get("undone") or {}).get("left", []):
        click.echo(f"left by the undo: {left['id']}: {left['reason']}")


def _entry_line(entry: dict[str, Any]) -> str:
    action = entry["action"]
    if action == "skipped":
        return f"skipped {entry['where']}: {entry['reason']}"
    line = f"{action} {entry['id']}"
    changed = sorted(entry.get("previous", {}))
    links = sorted(entry.get("links_added", {}))
    if changed:
        line += f" (changed: {', '.join(changed)})"
    if links:
        line += f" (links added: {', '.join(links)})"
    return line


@imports.command(name="undo")
@click.argument("run_id", metavar="RUN")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--by", metavar="NAME", help="Who undoes it, for the log (default: login name).")
@click.option("--json", "as_json", is_flag=True, help="Print what was undone as JSON.")
@click.pass_context
def imports_undo(ctx: click.Context, run_id: str, yes: bool, by: str | None, as_json: bool) -> None:
    """Undo import run RUN: remove the records it created (their ids stay retired) and
    restore the fields it updated.

    A record changed since the run is left as it is and reported (exit code 1). Running it
    again finishes an undo that was interrupted.
    """
    catalogue = get_catalogue(ctx)
    undo = Undo(catalogue, run_id, by)
    if not yes:
        if not sys.stdin.isatty() or settings.get("no_prompt"):
            raise InvalidInput(f"run {run_id}: pass --yes to undo it without a prompt")
        created, updated = len(undo.entries("created")), len(undo.entries("updated"))
        click.confirm(
            f"Undo run {run_id}: remove {created} record(s) it created and restore "
            f"{updated} it updated?",
            abort=True,
        )
    report = undo.run()
    if as_json:
        echo_json(report.to_dict())
    else:
        lines = report.lines()
        click.echo(lines[0])
        for line in lines[1:]:
            click.echo(line, err=True)
    ctx.exit(130 if report.interrupted else report.exit_code)
