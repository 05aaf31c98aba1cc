"""Authority commands: ``reslib orgs`` (the organizations file) and ``reslib glossary``.

Each command calls one catalogue method, which takes the library lock and reads the file
under it before changing it.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..glossary import KINDS
from .base import cli, echo_csv, echo_json, get_catalogue, output_options


@cli.group()
def orgs() -> None:
    """The organizations authority file: list, add, merge."""


@orgs.command(name="list")
@output_options
@click.pass_context
def orgs_list(ctx: click.Context, as_json: bool, as_csv: bool) -> None:
    """List organizations with their Burmese names, acronyms and other spellings."""
    organizations = get_catalogue(ctx).organizations
    rows = [o.to_dict() for o in organizations]
    if as_json:
        echo_json(rows)
    elif as_csv:
        echo_csv(rows, ["id", "name", "name_my", "acronyms", "aliases"])
    else:
        for o in organizations:
            extra = ", ".join([*o.acronyms, *o.aliases, *([o.name_my] if o.name_my else [])])
            click.echo(f"{o.id}: {o.name}" + (f" ({extra})" if extra else ""))


@orgs.command(name="add")
@click.argument("name")
@click.option("--burmese", "name_my", default="", help="The Burmese name.")
@click.option("--acronym", "acronyms", multiple=True, help="An acronym (repeat).")
@click.option("--alias", "aliases", multiple=True, help="Another spelling (repeat).")
@click.pass_context
def orgs_add(
    ctx: click.Context, name: str, name_my: str, acronyms: tuple[str, ...], aliases: tuple[str, ...]
) -> None:
    """Add organization NAME to the authority file."""
    org = get_catalogue(ctx).add_organization(
        name, name_my=name_my, acronyms=acronyms, aliases=aliases
    )
    click.echo(f"added {org.id}: {org.name}")


@orgs.command(name="merge")
@click.argument("source")
@click.argument("target")
@click.pass_context
def orgs_merge(ctx: click.Context, source: str, target: str) -> None:
    """Merge organization SOURCE into TARGET (ids or any known name); records are updated."""
    changed = get_catalogue(ctx).merge_organizations(source, target)
    click.echo(f"merged; {len(changed)} record(s) updated")


@cli.group()
def glossary() -> None:
    """The bilingual glossary used to expand searches: list, add, import."""


@glossary.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def glossary_list(ctx: click.Context, as_json: bool) -> None:
    """List glossary entries."""
    entries = get_catalogue(ctx).glossary.entries
    if as_json:
        echo_json([e.to_dict() for e in entries])
        return
    for e in entries:
        click.echo(f"{e.id} ({e.kind}): {' / '.join(e.en)} = {' / '.join(e.my)}")


@glossary.command(name="add")
@click.option("--en", multiple=True, help="An English variant (repeat).")
@click.option("--my", multiple=True, help="A Burmese variant (repeat).")
@click.option("--kind", default="term", type=click.Choice(KINDS))
@click.pass_context
def glossary_add(ctx: click.Context, en: tuple[str, ...], my: tuple[str, ...], kind: str) -> None:
    """Add variants; they join an entry that already has one of them."""
    entry = get_catalogue(ctx).add_glossary_entry(en, my, kind)
    click.echo(f"saved {entry.id}")


@glossary.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", default="term", type=click.Choice(KINDS))
@click.pass_context
def glossary_import(ctx: click.Context, file: str, kind: str) -> None:
    """Import FILE of English<TAB>Burmese lines into the glossary."""
    read, total = get_catalogue(ctx).import_glossary(Path(file), kind)
    click.echo(f"read {read} line(s); the glossary has {total} entries")
