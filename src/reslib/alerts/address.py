"""Email addresses: what a subscriber may type, and how an address is shown back.

An address is personal data, so no message here repeats it: a 10,000-character paste or a line
break (the way to smuggle a second header into a mail) is refused with a reason, never echoed.
The rules are those of RFC 5321's ``Mailbox`` that matter in practice: one ``@``, a local part
of printable ASCII without spaces or specials (at most 64 characters), a domain of dotted
labels (Unicode domains are checked in their IDNA form), 254 characters in all.
"""

from __future__ import annotations

import re

from ..errors import InvalidInput

MAX_LENGTH = 254
MAX_LOCAL = 64
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+\Z")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
_EXAMPLE = "like name@example.org"


def check_address(raw: str) -> str:
    """``raw`` without surrounding spaces, or ``InvalidInput`` saying what is wrong."""
    # A line break anywhere, even at the end, is refused rather than trimmed: it is how a
    # second header is smuggled in, and no address typed into a form has one.
    if any(ord(ch) < 32 or ord(ch) == 127 or ch in "\u2028\u2029\x85" for ch in raw):
        raise InvalidInput("an email address cannot contain spaces or line breaks")
    address = raw.strip(" ")
    if not address:
        raise InvalidInput(f"please give an email address, {_EXAMPLE}")
    if len(address) > MAX_LENGTH:
        raise InvalidInput(
            f"that email address is too long ({len(address)} characters): "
            f"an address has at most {MAX_LENGTH}"
        )
    if any(ch.isspace() for ch in address):
        raise InvalidInput("an email address cannot contain spaces or line breaks")
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise InvalidInput(
            f"that is not an email address: it needs a name, @ and a domain, {_EXAMPLE}"
        )
    if len(local) > MAX_LOCAL or not _LOCAL.match(local) or ".." in local:
        raise InvalidInput(
            "the part of that email address before @ has characters an address cannot have "
            f"(or more than {MAX_LOCAL}): type it again, {_EXAMPLE}"
        )
    if local.startswith(".") or local.endswith("."):
        raise InvalidInput("the part of an email address before @ cannot begin or end with a dot")
    _check_domain(domain)
    return address


def _check_domain(domain: str) -> None:
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        ascii_domain = ""
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidInput(
            f"the part of that email address after @ is not a domain: type it again, {_EXAMPLE}"
        )


def same_address(address: str) -> str:
    """The form under which two spellings count as one address (for the limits and the
    address's own page): case is ignored, as nearly every mail server does."""
    return address.strip().lower()


def masked(address: str) -> str:
    """The address as a page may show it to whoever holds its link: ``r•••@example.org``."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}•••@{domain}"
