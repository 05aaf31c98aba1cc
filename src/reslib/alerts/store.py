"""``library/alerts.json``: the alerts, and every change made to them.

One JSON object, ``{"version": 1, "alerts": [...]}``, written atomically (``write_atomic``) and
only under the library lock, so a subscription made on the site while ``reslib alerts send``
marks digests sent loses neither. An alert holds its address, so the file is readable by its
owner's group only, and nothing here ever reaches an export, a feed, the search index or a log.

The abuse limits live here, where the counting is: an address may have
``RESLIB_ALERTS_UNCONFIRMED_PER_ADDRESS`` alerts awaiting confirmation, a client (kept only as
a keyed hash of its IP address, and only until the alert is confirmed)
``RESLIB_ALERTS_UNCONFIRMED_PER_CLIENT``; an alert not confirmed within
``RESLIB_ALERTS_CONFIRM_HOURS`` is dropped at the next change. Asking again for an alert the
address already has changes nothing and mails nothing.
"""

from __future__ import annotations

import contextlib
import copy
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .. import settings
from ..config import Home
from ..errors import InvalidInput, ReslibError
from ..storage import dumps_json, library_lock, read_json_object, write_atomic
from .address import same_address

FILE_NAME = "alerts.json"
FORMAT_VERSION = 1
UI_LANGUAGES = ("en", "my")


class TooMany(ReslibError):
    """An abuse limit reached: 429, and the message says when it will pass."""

    http_status = 429


def stamp(moment: datetime | None = None) -> str:
    """An instant as alerts keep it: ISO 8601 in UTC to the microsecond."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_stamp(value: str) -> datetime | None:
    """A stamp (ours, or a record's ``updated``) as an aware datetime; None if unreadable."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass
class Alert:
    """One subscription: an address, the search it follows and what was last mailed."""

    id: str
    address: str
    query: dict[str, Any]
    ui: str
    created: str
    site: str = ""
    confirmed: str = ""
    client: str = ""
    #: When the run that mailed the last digest began; the next digest starts from there.
    last_sent: str = ""
    #: The ``updated`` stamps of the records the last digest listed: a record saved in the
    #: second that run began is then neither missed nor mailed twice.
    sent_versions: dict[str, str] = field(default_factory=dict)

    @property
    def is_confirmed(self) -> bool:
        return bool(self.confirmed)

    @property
    def since(self) -> str:
        """Records updated from this instant on are new to this alert."""
        return self.last_sent or self.confirmed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def public(self) -> dict[str, Any]:
        """What a page may show about the alert to whoever holds its link (no address)."""
        return {
            "query": copy.deepcopy(self.query),
            "ui": self.ui,
            "created": self.created,
            "confirmed": self.confirmed or None,
            "last_sent": self.last_sent or None,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Alert:
        try:
            alert = cls(**data)
        except TypeError as exc:
            raise InvalidInput(f"{where}: an alert is not as reslib writes it ({exc})") from None
        if not isinstance(alert.query, dict) or not isinstance(alert.sent_versions, dict):
            raise InvalidInput(f"{where}: alert {alert.id!r} is not as reslib writes it")
        return alert


def new_id() -> str:
    return secrets.token_hex(16)


class AlertStore:
    """The alerts of one library."""

    def __init__(self, home: Home) -> None:
        self.home = home

    @property
    def path(self) -> Path:
        return self.home.library / FILE_NAME

    def load(self) -> list[Alert]:
        """Every alert, as the file holds them now (no lock: a reader)."""
        if not self.path.exists():
            return []
        data = read_json_object(self.path)
        alerts = data.get("alerts", [])
        if not isinstance(alerts, list):
            raise InvalidInput(f"{self.path}: 'alerts' must be a list: fix the file by hand")
        return [Alert.from_dict(a, str(self.path)) for a in alerts]

    def get(self, alert_id: str) -> Alert | None:
        return next((a for a in self.load() if a.id == alert_id), None)

    @contextlib.contextmanager
    def changing(self) -> Iterator[list[Alert]]:
        """The alerts under the library lock, to change in place; written back if changed."""
        with library_lock(self.home.library):
            alerts = self.load()
            before = [a.to_dict() for a in alerts]
            yield alerts
            if [a.to_dict() for a in alerts] != before:
                body = {"version": FORMAT_VERSION, "alerts": [a.to_dict() for a in alerts]}
                write_atomic(self.path, dumps_json(body), mode=0o660)

    # -- changes ---------------------------------------------------------------------------
    def subscribe(
        self,
        address: str,
        query: dict[str, Any],
        ui: str,
        *,
        client: str = "",
        site: str = "",
        now: datetime | None = None,
    ) -> tuple[Alert, bool]:
        """A new unconfirmed alert (and True), or the address's identical alert (and False).

        ``address`` and ``query`` must have been checked (``check_address``, ``query_of``);
        ``client`` is the client's key (``tokens.client_key``)."""
        now = now or datetime.now(UTC)
        key = same_address(address)
        with self.changing() as alerts:
            _drop_expired(alerts, now)
            for alert in alerts:
                if same_address(alert.address) == key and alert.query == query:
                    return alert, False
            waiting = [a for a in alerts if not a.is_confirmed]
            cap = settings.get("alerts_unconfirmed_per_address")
            if sum(same_address(a.address) == key for a in waiting) >= cap:
                raise TooMany(
                    f"this address already has {cap} alert(s) waiting for confirmation: "
                    "confirm them from your mailbox, or ask again when their links have expired"
                )
            cap = settings.get("alerts_unconfirmed_per_client")
            if client and sum(a.client == client for a in waiting) >= cap:
                raise TooMany(
                    f"{cap} alerts asked for from here are waiting for confirmation: "
                    "please confirm them, or try again later"
                )
            alert = Alert(
                id=new_id(),
                address=address,
                query=query,
                ui=ui if ui in UI_LANGUAGES else UI_LANGUAGES[0],
                created=stamp(now),
                site=site,
                client=client,
            )
            alerts.append(alert)
            return alert, True

    def confirm(self, alert_id: str, now: datetime | None = None) -> Alert | None:
        """Confirm an alert (again: no change); None when there is no such alert."""
        with self.changing() as alerts:
            for alert in alerts:
                if alert.id == alert_id:
                    if not alert.confirmed:
                        alert.confirmed = stamp(now)
                        alert.client = ""
                    return alert
        return None

    def remove(self, alert_ids: list[str]) -> list[Alert]:
        """Remove these alerts; the ones that were there are returned."""
        wanted = set(alert_ids)
        with self.changing() as alerts:
            gone = [a for a in alerts if a.id in wanted]
            alerts[:] = [a for a in alerts if a.id not in wanted]
        return gone

    def mark_sent(self, alert_id: str, run_started: str, versions: dict[str, str]) -> bool:
        """Record that a digest went out from a run begun at ``run_started``; False when the
        alert was removed meanwhile."""
        with self.changing() as alerts:
            for alert in alerts:
                if alert.id == alert_id:
                    alert.last_sent = run_started
                    alert.sent_versions = dict(versions)
                    return True
        return False

    def drop_expired(self, now: datetime | None = None) -> list[Alert]:
        """Remove the alerts whose confirmation time has passed; they are returned."""
        with self.changing() as alerts:
            return _drop_expired(alerts, now or datetime.now(UTC))


def expired(alerts: list[Alert], now: datetime) -> list[Alert]:
    """The unconfirmed alerts of ``alerts`` whose confirmation time has passed at ``now``."""
    limit = timedelta(hours=settings.get("alerts_confirm_hours"))
    out = []
    for alert in alerts:
        created = parse_stamp(alert.created)
        if not alert.is_confirmed and (created is None or now - created > limit):
            out.append(alert)
    return out


def _drop_expired(alerts: list[Alert], now: datetime) -> list[Alert]:
    gone = expired(alerts, now)
    ids = {a.id for a in gone}
    alerts[:] = [a for a in alerts if a.id not in ids]
    return gone
