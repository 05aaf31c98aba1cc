"""``reslib alerts``: search alerts by email, for librarians: list, remove, send.

``send`` is meant for cron (``*/30 * * * * reslib --home /srv/reslib alerts send``): it mails
each confirmed alert the records added or updated since its last mail that its search finds,
and exits 1 when any mail was not taken by the SMTP server (those are tried again next run).
Its report names alerts by id only; ``list`` shows addresses, to the librarian who asks.
"""

from __future__ import annotations

from email.message import EmailMessage

import click

from ..alerts import AlertStore, run
from ..alerts.query import describe
from ..alerts.strings import MailStrings
from ..errors import NotFound, ReslibError
from .base import cli, echo_json, get_home


@cli.group()
def alerts() -> None:
    """Search alerts by email: list, remove, send the digests."""


@alerts.command(name="list")
@click.option("--address", default="", help="Only this address's alerts.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def alerts_list(ctx: click.Context, address: str, as_json: bool) -> None:
    """List alerts: id, confirmed or waiting, address, language, search, last mail."""
    home = get_home(ctx)
    found = AlertStore(home).load()
    if address:
        found = [a for a in found if a.address.lower() == address.strip().lower()]
    strings = MailStrings(home)
    rows = []
    for a in found:
        row = a.to_dict()
        row.pop("client")
        row.pop("sent_versions")
        row["description"] = describe(a.query, "en", lambda k: strings.get("en", k))
        rows.append(row)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        state = "confirmed" if row["confirmed"] else "waiting"
        last = row["last_sent"][:19] if row["last_sent"] else "never"
        click.echo(
            f"{row['id']}  {state:9}  {row['address']}  {row['ui']}  "
            f"{row['description']}  (last mail: {last})"
        )
    click.echo(f"{len(rows)} alert(s)", err=True)


@alerts.command(name="remove")
@click.argument("alert_ids", metavar="[ID]...", nargs=-1)
@click.option("--address", default="", help="Remove every alert of this address.")
@click.pass_context
def alerts_remove(ctx: click.Context, alert_ids: tuple[str, ...], address: str) -> None:
    """Remove alerts by id, or every alert of an --address; nothing is mailed."""
    if not alert_ids and not address:
        raise click.UsageError("give alert ids or --address")
    store = AlertStore(get_home(ctx))
    wanted = list(alert_ids)
    if address:
        wanted += [a.id for a in store.load() if a.address.lower() == address.strip().lower()]
    gone = store.remove(wanted)
    removed = {a.id for a in gone}
    for a in gone:
        click.echo(f"removed {a.id}")
    missing = [i for i in alert_ids if i not in removed]
    if missing or (address and not gone):
        what = ", ".join(missing) if missing else "that address"
        raise NotFound(f"no alert for {what}: see 'reslib alerts list'")


@alerts.command(name="send")
@click.option(
    "--dry-run", is_flag=True, help="Print the mails that would be sent; send and change nothing."
)
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON.")
@click.pass_context
def alerts_send(ctx: click.Context, dry_run: bool, as_json: bool) -> None:
    """Mail each confirmed alert its new results (for cron); exit 1 if any was not sent."""

    def show(msg: EmailMessage) -> None:
        if as_json:
            return
        body = msg.get_body(("plain",))
        click.echo(f"To: {msg['To']}\nSubject: {msg['Subject']}\n")
        click.echo(body.get_content() if body else "")
        click.echo("=" * 72)

    report = run(get_home(ctx), dry_run=dry_run, show=show)
    if as_json:
        echo_json(report.to_dict())
    else:
        verb = "would be sent" if dry_run else "sent"
        for o in report.sent:
            click.echo(f"{verb}: alert {o.alert}, {o.records} record(s)")
        for o in report.failed:
            click.echo(f"failed: alert {o.alert}: {o.error}")
        for o in report.not_tried:
            click.echo(f"not tried: alert {o.alert}")
        click.echo(
            f"{len(report.sent)} digest(s) {verb}, {report.nothing_new} alert(s) with nothing "
            f"new, {len(report.failed)} failed, {len(report.not_tried)} not tried; "
            f"{report.expired} unconfirmed alert(s) expired"
            + (" (would be dropped)" if dry_run and report.expired else "")
        )
    if not report.ok:
        unsent = len(report.failed) + len(report.not_tried)
        raise ReslibError(f"{unsent} alert(s) not mailed: they will be tried again next run")
