"""Signed links: confirm an alert, unsubscribe from it, see what an address is subscribed to.

No accounts and no passwords: whoever holds a link the library signed may do what it says. A
token packs a version, what it is for, an expiry (0: none) and a 16-byte subject (an alert's id,
or an address's key), then the first 16 bytes of an HMAC-SHA256 of all that under the library's
secret; it is 56 URL-safe characters with no dot, so a page's ``.json`` twin can follow it. A
token never holds the address itself, since links end up in server logs.

The secret is 32 random bytes in ``library/.alerts-secret``, made on first need under the
library lock (two processes must not make two) and readable by the owner's group only, like
``alerts.json``; deleting it voids every link ever mailed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
import time
from pathlib import Path

from ..config import Home
from ..errors import NotFound, ReslibError
from ..storage import library_lock, write_atomic
from .address import same_address

SECRET_FILE = ".alerts-secret"
_VERSION = 1
PURPOSES = {"confirm": 1, "unsubscribe": 2, "manage": 3}
_HEAD = struct.Struct(">BBQ16s")
_MAC_BYTES = 16
TOKEN_LENGTH = 56  # base64 of 10 + 16 + 16 bytes, unpadded


class LinkExpired(ReslibError):
    """A genuine link past its time: 410, and the message says what to do instead."""

    http_status = 410


def invalid_link() -> NotFound:
    # One message for every forged, altered or unknown link: which check failed is no business
    # of whoever is trying links.
    return NotFound("this link is not valid: use the link in the most recent mail")


def secret(home: Home) -> bytes:
    """The library's link secret, made (once, under the lock) when there is none."""
    path = home.library / SECRET_FILE
    found = _read(path)
    if found:
        return found
    with library_lock(home.library):
        found = _read(path)
        if not found:
            found = secrets.token_bytes(32)
            write_atomic(path, found.hex() + "\n", mode=0o660)
    return found


def _read(path: Path) -> bytes | None:
    try:
        text = path.read_bytes().decode("ascii", "replace").strip()
    except FileNotFoundError:
        return None
    try:
        value = bytes.fromhex(text)
    except ValueError:
        value = b""
    if len(value) < 16:
        raise ReslibError(
            f"{path} is damaged: delete it (every alert link mailed so far stops working)"
        )
    return value


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, b"reslib alert link\0" + payload, hashlib.sha256).digest()[:_MAC_BYTES]


def make(key: bytes, purpose: str, subject: bytes, expires: float = 0) -> str:
    """A link token for ``purpose`` about ``subject`` (16 bytes), valid until ``expires``
    (seconds since the epoch; 0 for a link that does not expire)."""
    head = _HEAD.pack(_VERSION, PURPOSES[purpose], int(expires), subject)
    return base64.urlsafe_b64encode(head + _mac(key, head)).decode("ascii").rstrip("=")


def read(key: bytes, token: str, purpose: str, now: float | None = None) -> bytes:
    """The subject of a genuine, unexpired ``purpose`` token; ``NotFound`` for anything else
    (forged, altered, cut short, another purpose) and ``LinkExpired`` past its time."""
    if len(token) != TOKEN_LENGTH or not token.isascii():
        raise invalid_link()
    try:
        raw = base64.urlsafe_b64decode(token + "==")
    except (binascii.Error, ValueError):
        raise invalid_link() from None
    head, mac = raw[: _HEAD.size], raw[_HEAD.size :]
    if len(mac) != _MAC_BYTES or not hmac.compare_digest(mac, _mac(key, head)):
        raise invalid_link()
    version, code, expires, subject = _HEAD.unpack(head)
    if version != _VERSION or code != PURPOSES[purpose]:
        raise invalid_link()
    if expires and (time.time() if now is None else now) > expires:
        raise LinkExpired(
            "this confirmation link has expired: ask for the alert again from the search page"
        )
    return subject


def address_key(key: bytes, address: str) -> bytes:
    """An address's 16-byte key: what its own page's link names instead of the address."""
    return hmac.new(key, b"address\0" + same_address(address).encode(), hashlib.sha256).digest()[
        :16
    ]


def client_key(key: bytes, client: str) -> str:
    """A client's (IP address's) key, kept with an unconfirmed alert to count what one client
    asked for without keeping its address."""
    return hmac.new(key, b"client\0" + client.encode(), hashlib.sha256).hexdigest()[:24]
