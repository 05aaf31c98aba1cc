"""The mails: a confirmation request and a digest, each plain text and HTML.

Both are ``multipart/alternative`` (``EmailMessage``: text first, then HTML) in the interface
language the alert was made in, with the UI strings of ``web/i18n`` and the HTML templates
``web/templates/alerts_mail_*.html``. Every mail carries the alert's unsubscribe link (also as
``List-Unsubscribe`` with RFC 8058 one-click POST) and the link to the address's own page.
Links are absolute: ``RESLIB_ALERTS_SITE_URL``, else the address the alert was made at.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from .. import settings
from ..models import Record, type_label
from . import tokens
from .query import describe, search_path
from .store import Alert, parse_stamp
from .strings import MailStrings

#: Longest query quoted in a subject line; the mail's body has it whole.
_SUBJECT_QUERY = 80


def site_url(alert: Alert) -> str:
    return (settings.get("alerts_site_url") or alert.site).rstrip("/")


@dataclass(frozen=True)
class Links:
    """Every absolute link a mail about ``alert`` gives."""

    site: str
    confirm: str
    unsubscribe: str
    manage: str
    search: str

    @classmethod
    def of(cls, alert: Alert, key: bytes) -> Links:
        site = site_url(alert)
        subject = bytes.fromhex(alert.id)
        created = parse_stamp(alert.created)
        start = created.timestamp() if created else time.time()
        expires = start + settings.get("alerts_confirm_hours") * 3600
        return cls(
            site=site,
            confirm=f"{site}/alerts/confirm/{tokens.make(key, 'confirm', subject, expires)}",
            unsubscribe=f"{site}/alerts/unsubscribe/{tokens.make(key, 'unsubscribe', subject)}",
            manage=f"{site}/alerts/manage/"
            + tokens.make(key, "manage", tokens.address_key(key, alert.address)),
            search=site + search_path(alert.query),
        )

    def item(self, record_id: str) -> str:
        return f"{self.site}/items/{record_id}"


def _short(text: str) -> str:
    return text if len(text) <= _SUBJECT_QUERY else text[: _SUBJECT_QUERY - 1] + "…"


def _is_new(record: Record, since: datetime | None) -> bool:
    """Added since the last mail (not only updated)."""
    added = parse_stamp(record.added)
    return since is None or added is None or added >= since.replace(microsecond=0)


def _envelope(alert: Alert, sender: str, subject: str, links: Links) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = alert.address
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    msg["Auto-Submitted"] = "auto-generated"
    msg["List-Unsubscribe"] = f"<{links.unsubscribe}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return msg


def confirmation(alert: Alert, key: bytes, sender: str, strings: MailStrings) -> EmailMessage:
    """The mail that asks the address to confirm ``alert``."""
    lang, links = alert.ui, Links.of(alert, key)
    t = lambda k, **v: strings.get(lang, k, **v)  # noqa: E731
    query = describe(alert.query, lang, t)
    hours = f"{settings.get('alerts_confirm_hours'):g}"
    msg = _envelope(alert, sender, t("alerts.mail.confirm_subject", query=_short(query)), links)
    text = [
        t("alerts.mail.confirm_intro", query=query),
        "",
        links.confirm,
        "",
        t("alerts.mail.confirm_expires", hours=hours),
        t("alerts.mail.confirm_ignore"),
        "",
        "-- ",
        f"{t('alerts.mail.manage')}: {links.manage}",
        f"{t('alerts.mail.unsubscribe')}: {links.unsubscribe}",
    ]
    msg.set_content("\n".join(text) + "\n")
    html = strings.render("alerts_mail_confirm.html", lang, query=query, links=links, hours=hours)
    msg.add_alternative(html, subtype="html")
    # After the content: setting it clears every Content-* header.
    msg["Content-Language"] = alert.ui
    return msg


def digest(
    alert: Alert, records: list[Record], key: bytes, sender: str, strings: MailStrings
) -> EmailMessage:
    """The mail listing ``records``, the alert's new results (at most
    ``RESLIB_ALERTS_DIGEST_LIMIT`` of them; the rest are counted)."""
    lang, links = alert.ui, Links.of(alert, key)
    t = lambda k, **v: strings.get(lang, k, **v)  # noqa: E731
    query = describe(alert.query, lang, t)
    shown = records[: settings.get("alerts_digest_limit")]
    more = len(records) - len(shown)
    since = parse_stamp(alert.since)
    items = [
        {
            "title": r.title,
            "lang": "my" if r.language == "my" else "en",
            "kind": t("alerts.mail.new" if _is_new(r, since) else "alerts.mail.updated"),
            "details": " · ".join(
                p for p in (type_label(r.type, lang), r.date, ", ".join(r.organizations)) if p
            ),
            "url": links.item(r.id),
        }
        for r in shown
    ]
    subject = t("alerts.mail.digest_subject", n=len(records), query=_short(query))
    msg = _envelope(alert, sender, subject, links)
    text = [t("alerts.mail.digest_intro", n=len(records), query=query), ""]
    for number, item in enumerate(items, 1):
        text += [
            f"{number}. {item['title']} ({item['kind']})",
            f"   {item['details']}",
            f"   {item['url']}",
            "",
        ]
    if more:
        text += [t("alerts.mail.more", n=more), links.search, ""]
    text += [
        f"{t('alerts.mail.see_search')}: {links.search}",
        "",
        "-- ",
        t("alerts.mail.why"),
        f"{t('alerts.mail.manage')}: {links.manage}",
        f"{t('alerts.mail.unsubscribe')}: {links.unsubscribe}",
    ]
    msg.set_content("\n".join(text) + "\n")
    html = strings.render(
        "alerts_mail_digest.html",
        lang,
        query=query,
        items=items,
        more=more,
        total=len(records),
        links=links,
    )
    msg.add_alternative(html, subtype="html")
    # After the content: setting it clears every Content-* header.
    msg["Content-Language"] = alert.ui
    return msg
