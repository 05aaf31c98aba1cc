"""Catalogue commands: init, types, add, edit, remove, show, list, check, export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import settings
from ..catalogue import RecordFilter, select
from ..config import Home
from ..errors import InvalidInput
from ..export import FORMATS, destination, export
from ..library import check_library, open_library
from ..models import (
    LANGUAGES,
    TYPES,
    UNDATED,
    Record,
    normalize_language,
    normalize_type,
    validate_date,
)
from ..starter import install as install_starter
from ..storage import parse_json
from .base import cli, echo_csv, echo_json, get_catalogue, output_options
from .editor import edit_in_editor

LIST_COLUMNS = ["id", "date", "type", "language", "title", "organizations"]


def _read_utf8(path: Path, what: str) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{what} {path}: not UTF-8 (byte {exc.start}): convert it first"
        ) from None
    except OSError as exc:
        raise InvalidInput(f"{what} {path}: {exc.strerror}") from None


def _print_records(records: list[Record], as_json: bool, as_csv: bool) -> None:
    if as_json:
        echo_json([r.to_dict() for r in records])
    elif as_csv:
        echo_csv((r.to_dict() for r in records), LIST_COLUMNS)
    else:
        for r in records:
            orgs = "; ".join(r.organizations)
            click.echo(
                f"{r.id}  [{r.type}, {r.language}]  {r.title}" + (f"  — {orgs}" if orgs else "")
            )
        click.echo(f"{len(records)} record(s)", err=True)


def _report_new_orgs(names: list[str]) -> None:
    for name in names:
        click.echo(f"note: added {name!r} to the organizations authority file", err=True)


@cli.command()
@click.argument("path", type=click.Path(file_okay=False), required=False)
@click.option(
    "--empty", is_flag=True, help="Start with an empty glossary and authority file (no starter)."
)
def init(path: str | None, empty: bool) -> None:
    """Create a library at PATH (default: --home or the current directory).

    It starts with the starter glossary (Burma/Myanmar, states and regions, townships, the
    junta's names, in English and Burmese) and authority file (UN agencies, ASEAN bodies,
    Myanmar and regional organizations), unless --empty. A library's own files are kept.
    """
    home = Home.resolve(path or click.get_current_context().find_root().obj.get("home"))
    open_library(home).init()
    if empty:
        click.echo(f"initialized an empty library at {home.root}")
        return
    installed = install_starter(home)
    click.echo(
        f"initialized a library at {home.root} (starter: {installed.glossary} glossary "
        f"entries, {installed.organizations} organizations; 0: the library's own file kept)"
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def types(as_json: bool) -> None:
    """List the record types (the controlled vocabulary) and languages (codes)."""
    if as_json:
        echo_json(
            {
                "types": [{"key": k, "en": en, "my": my} for k, (en, my) in TYPES.items()],
                "languages": [{"key": k, "en": en, "my": my} for k, (en, my) in LANGUAGES.items()],
            }
        )
        return
    for key, (en, my) in TYPES.items():
        click.echo(f"{key:<14} {en} / {my}")
    click.echo("\nlanguages:")
    for key, (en, my) in LANGUAGES.items():
        click.echo(f"{key:<14} {en} / {my}")


def _interactive() -> bool:
    return sys.stdin.isatty() and not settings.get("no_prompt")


def _prompt_missing(values: dict[str, Any]) -> None:
    """In a terminal, ask for the required fields that were not given as options."""
    interactive = _interactive()
    checks = {
        "title": lambda v: v,
        "type": normalize_type,
        "language": normalize_language,
        "date": validate_date,
    }
    for name, check in checks.items():
        if values.get(name):
            continue
        if name == "date" and values.get("undated"):
            continue
        if not interactive:
            hint = " (or --undated when it is unknown)" if name == "date" else ""
            raise InvalidInput(f"new record: field {name!r} is required: pass --{name}{hint}")
        while True:
            answer = click.prompt(name.capitalize(), default="", show_default=False).strip()
            try:
                if answer:
                    check(answer)
                    values[name] = answer
                    break
            except InvalidInput as exc:
                click.echo(exc.message, err=True)


@cli.command()
@click.option("--title", help="Title, in its own language.")
@click.option("--type", "type_", help="Record type: see 'reslib types'.")
@click.option(
    "--language",
    help="en, my, en+my (bilingual) or another ISO 639-1 code such as fr (see 'reslib types').",
)
@click.option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option(
    "--undated",
    is_flag=True,
    help="The date is unknown: the record is listed by 'reslib list --undated' and "
    "'reslib check' until a date is set.",
)
@click.option(
    "--organization", "organizations", multiple=True, help="Author organization (repeat)."
)
@click.option("--summary", default="", help="A short summary.")
@click.option("--body", default="", help="Full text (or @FILE to read a UTF-8 file).")
@click.option("--source", "source_url", default="", help="Where it was published (URL).")
@click.option("--file", "attach", type=click.Path(dir_okay=False), help="Original file to keep.")
@click.option(
    "--translation", "translations", multiple=True, help="Id of the other-language version."
)
@click.option("--related", multiple=True, help="Id of a related record (repeat).")
@click.option("--place", "places", multiple=True, help="Place (repeat).")
@click.option("--topic", "topics", multiple=True, help="Topic (repeat).")
@click.option("--id", "record_id", help="Use this id instead of one derived from date and title.")
@click.option(
    "--from-json",
    "from_json",
    type=click.Path(dir_okay=False),
    help="Read one record from a JSON file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the saved record as JSON.")
@click.pass_context
def add(ctx: click.Context, **opts: Any) -> None:
    """Add a record. Prompts for missing required fields when run in a terminal."""
    catalogue = get_catalogue(ctx)
    if opts["from_json"]:
        path = Path(opts["from_json"])
        data = parse_json(_read_utf8(path, "record file"), f"record file {path}")
        if not isinstance(data, dict):
            raise InvalidInput(f"record file {path}: expected one JSON object")
        if not data.get("id") and data.get("title"):
            data["id"] = catalogue.new_id(str(data.get("date") or UNDATED), str(data["title"]))
        record = Record.from_dict(data, f"record file {path}")
    else:
        values = {
            "title": opts["title"],
            "type": opts["type_"],
            "language": opts["language"],
            "date": opts["date"],
            "undated": opts["undated"],
        }
        if opts["undated"] and opts["date"]:
            raise click.UsageError("give --date or --undated, not both")
        _prompt_missing(values)
        body = opts["body"]
        if body.startswith("@"):
            body = _read_utf8(Path(body[1:]), "body file")
        record = Record(
            id="pending",
            type=values["type"],
            title=values["title"],
            language=values["language"],
            date=values["date"] or UNDATED,
            organizations=list(opts["organizations"]),
            summary=opts["summary"],
            body=body,
            source_url=opts["source_url"],
            translations=list(opts["translations"]),
            related=list(opts["related"]),
            places=list(opts["places"]),
            topics=list(opts["topics"]),
        )
        record.validate("new record")
        record.id = opts["record_id"] or catalogue.new_id(record.date, record.title)
    attach = Path(opts["attach"]) if opts["attach"] else None
    report = catalogue.add(record, attach=attach)
    _report_new_orgs(report.new_organizations)
    if opts["as_json"]:
        echo_json(report.record.to_dict())
    else:
        click.echo(f"added {report.record.id}")


@cli.command()
@click.argument("record_id")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Set a field; FIELD+=V / FIELD-=V add to or remove from a list "
    "(list values are separated by ';').",
)
@click.option(
    "--editor",
    is_flag=True,
    help="Edit the record's JSON in $EDITOR; validated on save, and refused if someone "
    "saved the record meanwhile (your text is then kept in a file the message names).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the saved record as JSON.")
@click.pass_context
def edit(
    ctx: click.Context, record_id: str, assignments: tuple[str, ...], editor: bool, as_json: bool
) -> None:
    """Change fields of record RECORD_ID.

    source_file must name a file already in library/files/RECORD_ID/ (as files/RECORD_ID/NAME).
    """
    catalogue = get_catalogue(ctx)
    if not assignments and not editor:
        raise click.UsageError("give --set FIELD=VALUE (repeatable) or --editor")
    if editor:
        edited = edit_in_editor(catalogue, record_id, list(assignments))
        if edited is None:
            click.echo("no changes saved")
            return
        report = edited
    else:
        report = catalogue.update(record_id, list(assignments))
    _report_new_orgs(report.new_organizations)
    if as_json:
        echo_json(report.record.to_dict())
    else:
        click.echo(f"saved {record_id}")


@cli.command()
@click.argument("record_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def remove(ctx: click.Context, record_id: str, yes: bool) -> None:
    """Remove record RECORD_ID (its id stays retired and is never reused)."""
    catalogue = get_catalogue(ctx)
    record = catalogue.get(record_id)
    if not yes:
        if not sys.stdin.isatty():
            raise InvalidInput(f"record {record_id}: pass --yes to remove without a terminal")
        click.confirm(f"Remove {record.id} ({record.title})?", abort=True)
    # The version confirmed is the one removed: a save in between is refused, not lost.
    catalogue.remove(record_id, expected_updated=record.updated)
    click.echo(f"removed {record_id}")


@cli.command()
@click.argument("record_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show(ctx: click.Context, record_id: str, as_json: bool) -> None:
    """Show record RECORD_ID."""
    record = get_catalogue(ctx).get(record_id)
    if as_json:
        echo_json(record.to_dict())
        return
    for key, value in record.to_dict().items():
        if isinstance(value, list):
            value = "; ".join(value)
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False)
        if key == "body" and len(value) > 400:
            value = value[:400] + "…"
        click.echo(f"{key}: {value}")


def _filter_options(f: Any) -> Any:
    f = click.option(
        "--undated",
        is_flag=True,
        help="Only records whose date is unknown (listed last otherwise; never in a "
        "--from/--to range).",
    )(f)
    f = click.option("--to", "date_to", help="Dated on or before (YYYY[-MM[-DD]]).")(f)
    f = click.option("--from", "date_from", help="Dated on or after (YYYY[-MM[-DD]]).")(f)
    f = click.option("--organization", help="Only this organization (any spelling).")(f)
    f = click.option(
        "--language", help="en, my, fr… (bilingual items match en and my; see 'reslib types')."
    )(f)
    f = click.option("--type", "types_", multiple=True, help="Only this type (repeat).")(f)
    return f


def _make_filter(
    types_: tuple[str, ...],
    language: str | None,
    organization: str | None,
    date_from: str | None,
    date_to: str | None,
    undated: bool = False,
) -> RecordFilter:
    if undated and (date_from or date_to):
        raise click.UsageError("--undated lists records without a date: no --from/--to with it")
    return RecordFilter(
        types=[normalize_type(t) for t in types_],
        language=normalize_language(language) if language else None,
        organization=organization,
        date_from=validate_date(date_from) if date_from else None,
        date_to=validate_date(date_to) if date_to else None,
        undated=undated,
    )


@cli.command(name="list")
@_filter_options
@click.option(
    "--ocr-below",
    type=click.FloatRange(0, 100),
    metavar="CONFIDENCE",
    help="Only records read by OCR whose mean confidence (0-100) is below this, e.g. 70.",
)
@output_options
@click.pass_context
def list_(
    ctx: click.Context, as_json: bool, as_csv: bool, ocr_below: float | None, **filters: Any
) -> None:
    """List records, optionally filtered by type, language, organization and dates.

    Records by id; those whose date is unknown come last (--undated lists only them)."""
    catalogue = get_catalogue(ctx)
    records = select(catalogue, _make_filter(**filters))
    if ocr_below is not None:
        from ..importers.ocr import ocr_below as read_below

        records = [r for r in records if read_below(r.imported, ocr_below)]
    _print_records(records, as_json, as_csv)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.pass_context
def check(ctx: click.Context, as_json: bool) -> None:
    """Validate every record: fields, links, duplicate titles, organization names.

    Also compares the search index with library/ and puts it right (replaying what a
    command cut short left undone), reporting what it changed as a warning. Exits with 1
    when an error is found (warnings alone exit with 0).
    """
    catalogue = get_catalogue(ctx)
    problems = check_library(catalogue)
    errors = [p for p in problems if p.severity == "error"]
    if as_json:
        echo_json({"records": len(catalogue.ids()), "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            click.echo(f"{p.severity}: {p.where}: {p.field}: {p.message}")
        click.echo(
            f"{len(catalogue.ids())} record(s) checked, {len(errors)} error(s), "
            f"{len(problems) - len(errors)} warning(s)"
        )
    if errors:
        ctx.exit(1)


@cli.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl, csv, or bibtex / ris for citation managers.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write to this file instead of stdout: a file is replaced whole or not at all (a "
    "symbolic link stays and its file is replaced); a FIFO or device is written into; "
    "its folder must exist.",
)
@_filter_options
@click.pass_context
def export_(ctx: click.Context, fmt: str, output: str | None, **filters: Any) -> None:
    """Export all records, or a filtered set."""
    catalogue = get_catalogue(ctx)
    # Checked before the work: a missing folder is refused with nothing created.
    target = destination(Path(output)) if output else None
    text = export(select(catalogue, _make_filter(**filters)), fmt)
    if target:
        target.write(text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
