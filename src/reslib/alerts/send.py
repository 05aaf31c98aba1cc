"""Mailing: the SMTP connection from the settings, and ``reslib alerts send``'s run.

A run drops alerts whose confirmation time passed, lists the records changed since the earliest
instant any confirmed alert needs, and mails each confirmed alert its digest (``digest``,
``messages``); an unconfirmed alert is never mailed anything but its confirmation request. An
alert is marked sent (``AlertStore.mark_sent``) only after the SMTP server accepted its mail, one
at a time, so a run cut short, a refused mail or a server that times out leaves the rest to be
mailed next run, and nothing is marked that was not sent. When the connection itself fails
(refused, timed out, dropped), the run stops trying: the remaining alerts are reported as not
tried and the command exits non-zero.

SMTP: ``RESLIB_SMTP_HOST`` (none: alerts are off), ``_PORT``, ``_STARTTLS`` or ``_SSL``,
``_USER``/``_PASSWORD`` (a login only over TLS), ``_FROM``, ``_TIMEOUT`` (each step). No message
or report names an address: a report names alerts by id.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from .. import settings
from ..catalogue import Catalogue
from ..config import Home
from ..errors import InvalidInput, ReslibError
from ..library import replay_journal
from . import messages, tokens
from .address import check_address
from .digest import changed_since, digest_for
from .store import AlertStore, expired, parse_stamp, stamp
from .strings import MailStrings


class NotConfigured(ReslibError):
    """Alerts are off, or their SMTP settings cannot work: 503 on the site."""

    http_status = 503


class MailError(ReslibError):
    """A mail the SMTP server did not take; ``connection`` when the server itself failed."""

    http_status = 503

    def __init__(self, message: str, *, connection: bool) -> None:
        super().__init__(message)
        self.connection = connection


def enabled() -> bool:
    """Whether this site offers alerts (an SMTP server is set)."""
    return bool(settings.get("smtp_host"))


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str
    password: str
    sender: str
    starttls: bool
    ssl: bool
    timeout: float

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def from_settings(cls) -> SmtpConfig:
        host = settings.get("smtp_host").strip()
        if not host:
            raise NotConfigured(
                "search alerts are not set up on this site: no SMTP server (RESLIB_SMTP_HOST)"
            )
        config = cls(
            host=host,
            port=settings.get("smtp_port"),
            user=settings.get("smtp_user"),
            password=settings.get("smtp_password"),
            sender=sender(),
            starttls=settings.get("smtp_starttls"),
            ssl=settings.get("smtp_ssl"),
            timeout=settings.get("smtp_timeout"),
        )
        if config.user and not (config.starttls or config.ssl):
            raise NotConfigured(
                "RESLIB_SMTP_USER is set without RESLIB_SMTP_STARTTLS or RESLIB_SMTP_SSL: "
                "the password would cross the network unencrypted"
            )
        return config


def sender() -> str:
    """The From address: ``RESLIB_SMTP_FROM``, else reslib@ the SMTP server's host."""
    chosen = settings.get("smtp_from").strip() or f"reslib@{settings.get('smtp_host').strip()}"
    try:
        return check_address(chosen)
    except InvalidInput as exc:
        raise NotConfigured(f"RESLIB_SMTP_FROM: {exc.message}") from None


class Mailer:
    """One SMTP connection, opened at the first mail and closed at the end of the block."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if c.ssl:
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=context)
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        try:
            if c.starttls and not c.ssl:
                smtp.starttls(context=context)
            if c.user:
                smtp.login(c.user, c.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, msg: EmailMessage) -> None:
        """Hand ``msg`` to the server, or raise ``MailError`` saying why it was not taken."""
        where = self.config.where
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            answers = "; ".join(f"{code} {_text(text)}" for code, text in exc.recipients.values())
            raise MailError(
                f"the SMTP server at {where} refused the address: {answers}", connection=False
            ) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise MailError(
                f"the SMTP server at {where} refused the mail: {exc.smtp_code} "
                f"{_text(exc.smtp_error)}",
                connection=False,
            ) from None
        except smtplib.SMTPResponseException as exc:
            self._drop()
            raise MailError(
                f"the SMTP server at {where} answered {exc.smtp_code} {_text(exc.smtp_error)}",
                connection=True,
            ) from None
        except (TimeoutError, smtplib.SMTPServerDisconnected) as exc:
            self._drop()
            # smtplib reports a server that says nothing as "Connection unexpectedly closed:
            # timed out"; a real disconnection falls through to the general case.
            if not isinstance(exc, TimeoutError) and not str(exc).endswith("timed out"):
                raise MailError(
                    f"could not mail through the SMTP server at {where}: {exc}", connection=True
                ) from None
            raise MailError(
                f"the SMTP server at {where} did not answer within "
                f"{self.config.timeout:g} seconds (RESLIB_SMTP_TIMEOUT)",
                connection=True,
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise MailError(
                f"could not mail through the SMTP server at {where}: {reason}", connection=True
            ) from None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def _text(answer: Any) -> str:
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", "replace")
    return " ".join(str(answer).split())


@dataclass
class Outcome:
    """What became of one alert in a run."""

    alert: str
    records: int = 0
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"alert": self.alert, "records": self.records}
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class RunReport:
    sent: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    not_tried: list[Outcome] = field(default_factory=list)
    nothing_new: int = 0
    expired: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_tried

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "sent": [o.to_dict() for o in self.sent],
            "failed": [o.to_dict() for o in self.failed],
            "not_tried": [o.to_dict() for o in self.not_tried],
            "nothing_new": self.nothing_new,
            "expired": self.expired,
        }


def send_confirmation(home: Home, alert_id: str) -> None:
    """Mail ``alert_id``'s confirmation request now (the site calls this on subscribing)."""
    alert = AlertStore(home).get(alert_id)
    if alert is None:
        return
    config = SmtpConfig.from_settings()
    msg = messages.confirmation(alert, tokens.secret(home), config.sender, MailStrings(home))
    with Mailer(config) as mailer:
        mailer.send(msg)


def run(
    home: Home,
    *,
    dry_run: bool = False,
    show: Callable[[EmailMessage], None] | None = None,
) -> RunReport:
    """Mail every confirmed alert its new records; ``dry_run``: build the mails and pass each
    to ``show``, send nothing and change nothing."""
    report = RunReport(dry_run=dry_run)
    started = datetime.now(UTC)
    store = AlertStore(home)
    if dry_run:
        alerts = store.load()
        report.expired = len(expired(alerts, started))
    else:
        report.expired = len(store.drop_expired(started))
        alerts = store.load()
    alerts = [a for a in alerts if a.is_confirmed and parse_stamp(a.since) is not None]
    if not alerts:
        return report
    config = None if dry_run else SmtpConfig.from_settings()
    from_address = config.sender if config else _dry_run_sender()
    replay_journal(home)
    key, strings = tokens.secret(home), MailStrings(home)
    earliest = min(parse_stamp(a.since) or started for a in alerts)
    changed = changed_since(Catalogue(home), earliest)
    stopped = ""
    with _mailer(config) as mailer:
        for alert in alerts:
            try:
                found = digest_for(home, alert, changed)
            except ReslibError as exc:
                report.failed.append(Outcome(alert.id, error=exc.message))
                continue
            if not found.records:
                report.nothing_new += 1
                continue
            outcome = Outcome(alert.id, len(found.records))
            msg = messages.digest(alert, found.records, key, from_address, strings)
            if mailer is None:
                if show:
                    show(msg)
                report.sent.append(outcome)
                continue
            if stopped:
                outcome.error = stopped
                report.not_tried.append(outcome)
                continue
            try:
                mailer.send(msg)
            except MailError as exc:
                outcome.error = exc.message
                report.failed.append(outcome)
                if exc.connection:
                    stopped = f"not tried after the SMTP server failed: {exc.message}"
                continue
            try:
                store.mark_sent(alert.id, stamp(started), found.versions_from(started))
            except ReslibError as exc:
                outcome.error = (
                    f"mailed, but not marked sent, so mailed again next run: {exc.message}"
                )
                report.failed.append(outcome)
                stopped = f"not tried after alerts.json could not be written: {exc.message}"
                continue
            report.sent.append(outcome)
    return report


def _dry_run_sender() -> str:
    try:
        return sender() if enabled() else "reslib@localhost"
    except NotConfigured:
        return "reslib@localhost"


class _NoMailer:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _mailer(config: SmtpConfig | None) -> Mailer | _NoMailer:
    return Mailer(config) if config else _NoMailer()
