"""``reslib import``: files and folders into catalogue records (see ``reslib.importers``)."""

from __future__ import annotations

from pathlib import Path

import click

from ..importers import FORMATS, ImportOptions, import_paths
from ..models import LANGUAGES, TYPES
from .base import cli, echo_json, get_catalogue, show_progress


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--type",
    "type_",
    type=click.Choice(list(TYPES)),
    help="Type of records whose source does not state one (overrides guesses).",
)
@click.option(
    "--language",
    type=click.Choice(list(LANGUAGES)),
    help="Language of records whose source does not state one (instead of detecting it).",
)
@click.option(
    "--organization",
    "organizations",
    multiple=True,
    help="Organization of records whose source names none (repeat for several).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Read every file as this format instead of detecting it.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--ignore-extra", is_flag=True, help="Ignore unknown columns in CSV/JSON manifests.")
@click.option(
    "--files-from",
    "files_from",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder (besides each manifest's own) whose files a manifest's file column may "
    "name; repeatable.",
)
@click.option(
    "--key",
    metavar="COLUMN",
    help="Match manifest rows to records by this column (id, source_url, or any column, "
    "e.g. an accession number): matching records are updated, the rest created. A "
    "manifest whose key column repeats a value is refused whole.",
)
@click.option(
    "--by",
    metavar="NAME",
    help="Who runs the import, for its log in library/imports/ (default: the login name).",
)
@click.option(
    "--no-ocr",
    is_flag=True,
    help="Do not read PDF pages without a text layer by OCR (Tesseract, Burmese and English); "
    "such PDFs are flagged 'needs OCR'.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no per-item lines.")
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    type_: str | None,
    language: str | None,
    organizations: tuple[str, ...],
    fmt: str | None,
    dry_run: bool,
    as_json: bool,
    ignore_extra: bool,
    files_from: tuple[Path, ...],
    key: str | None,
    by: str | None,
    no_ocr: bool,
    quiet: bool,
) -> None:
    """Import text dumps, saved HTML pages, PDFs, CSV/JSON manifests and WordPress exports.

    PATHS are files or folders (walked recursively). Importing the same files again changes
    nothing; records edited by hand keep their edits. A manifest's file column may name files
    in the manifest's folder, or in a folder given with --files-from. A run that changes the
    library is logged in library/imports/ ('reslib imports list'; 'reslib imports undo RUN'
    takes it back). Exits with 1 if anything was skipped.
    """
    options = ImportOptions(
        type=type_,
        language=language,
        organizations=list(organizations),
        format=fmt,
        dry_run=dry_run,
        ignore_extra=ignore_extra,
        allowed_dirs=list(files_from),
        key=key,
        by=by,
        ocr=not no_ocr,
    )
    catalogue = get_catalogue(ctx)
    if show_progress(quiet):
        from ..importers.ocr import stderr_progress

        options.ocr_progress = stderr_progress
        from ..importers.run import collect_files
        from ..importers.summary import ImportSummary

        total = len(collect_files(paths, ImportSummary()))
        with click.progressbar(
            length=total, label="Importing", file=click.get_text_stream("stderr")
        ) as bar:
            summary = import_paths(catalogue, paths, options, progress=lambda _p: bar.update(1))
    else:
        summary = import_paths(catalogue, paths, options)
    if as_json:
        echo_json(summary.to_dict())
    else:
        lines = summary.lines()
        click.echo(lines[0])
        for line in lines[1:]:
            problem = line.startswith(("skipped", "conflict", "Interrupted"))
            # --quiet keeps what needs acting on: skips, conflicts, an interruption.
            if problem or not quiet:
                click.echo(line, err=problem)
    if summary.interrupted:
        ctx.exit(130)
    ctx.exit(summary.exit_code)
