"""Resumption tokens: the query and the place reached, carried by the harvester, not the server.

A token holds the verb, the list's arguments (format, set, ``from``, ``until`` as typed), the
``(updated, id)`` of the last item sent and when it was issued. The next page is every item
after that place in ``(updated, id)`` order, computed afresh from the library as it is then;
nothing is kept on the server, so a token survives a restart and any number of processes.
While the library changes, a token stays valid: an item saved meanwhile moves to the end of the
order (its ``updated`` grew), so it comes later in the same harvest; a removed item comes back
as a deleted record; nothing is skipped.

A token expires ``RESLIB_OAI_TOKEN_HOURS`` after it was issued (the response's
``expirationDate`` says when). Its last part is a digest of the rest: a token altered or cut
short is ``badResumptionToken``, as is one for another verb, an expired one, or one whose
query no longer parses. The digest is not a secret: a made-up token that passes can only ask
what the harvester could ask with ordinary arguments.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .. import settings
from ..models import ID_RE
from .errors import BAD_RESUMPTION_TOKEN, OAIError
from .request import Selection, selection

_VERSION = "1"
_DIGEST_CHARS = 16
#: A token issued this far in the future is forged or from a clock far ahead of ours.
_CLOCK_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class Place:
    """The last item sent: its ``updated`` instant (to the microsecond) and id."""

    stamp: datetime
    id: str

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.stamp, self.id)


@dataclass(frozen=True)
class Token:
    verb: str
    selection: Selection
    place: Place
    issued: datetime

    @property
    def expires(self) -> datetime:
        return self.issued + lifetime()


def lifetime() -> timedelta:
    return timedelta(hours=float(settings.get("oai_token_hours")))


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("ascii")).hexdigest()[:_DIGEST_CHARS]


def encode(token: Token) -> str:
    s = token.selection
    payload = {
        "v": token.verb,
        "p": s.prefix,
        "s": s.set_spec,
        "f": s.start.text if s.start else "",
        "u": s.until.text if s.until else "",
        "t": token.place.stamp.astimezone(UTC).isoformat(timespec="microseconds"),
        "i": token.place.id,
        "x": int(token.issued.timestamp()),
    }
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    body = _VERSION + "." + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    return body + "." + _digest(body)


def _bad(why: str) -> OAIError:
    return OAIError(BAD_RESUMPTION_TOKEN, f"the resumption token {why}")


def decode(text: str, verb: str, now: datetime) -> Token:
    """The token ``text`` for ``verb``, or ``badResumptionToken`` saying what is wrong."""
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != _VERSION:
        raise _bad("is not one this repository issued")
    body = parts[0] + "." + parts[1]
    if parts[2] != _digest(body):
        raise _bad("was altered or cut short")
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        data = json.loads(raw)
        fields = (data["v"], data["p"], data["s"], data["f"], data["u"], data["t"], data["i"])
        issued_at = data["x"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise _bad("is not one this repository issued") from None
    if not all(isinstance(f, str) for f in fields) or not isinstance(issued_at, int):
        raise _bad("is not one this repository issued")
    token_verb, prefix, set_spec, start, until, stamp, last_id = fields
    if token_verb != verb:
        raise _bad(f"belongs to {token_verb}, not {verb}")
    try:
        issued = datetime.fromtimestamp(issued_at, UTC)
        moment = datetime.fromisoformat(stamp)
        chosen = selection(prefix, set_spec, start, until)
    except (ValueError, OverflowError, OSError, OAIError):
        raise _bad("is not one this repository issued") from None
    if moment.tzinfo is None or not ID_RE.match(last_id) or issued > now + _CLOCK_SLACK:
        raise _bad("is not one this repository issued")
    token = Token(verb, chosen, Place(moment.astimezone(UTC), last_id), issued)
    if now > token.expires:
        raise _bad(f"expired at {token.expires:%Y-%m-%dT%H:%M:%SZ}: start the list again")
    return token
