"""What a harvester asked: the verb, its arguments checked against the protocol's table.

``parse`` turns the request's arguments (every value of every name, as the web layer read them
from the query string or the POST body) into a ``Request`` or raises the ``OAIError`` the
protocol names: ``badVerb`` for a missing, repeated or unknown verb; ``badArgument`` for an
argument the verb does not take, a required one missing, any argument repeated, a
``resumptionToken`` with anything but the verb, a date that is not ``YYYY-MM-DD`` or
``YYYY-MM-DDThh:mm:ssZ``, ``from`` and ``until`` of different granularities or ``from`` after
``until``, or a ``set`` that is not a setSpec.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import BAD_ARGUMENT, BAD_VERB, OAIError

#: Each verb's arguments: required, optional, and the exclusive one (which stands alone).
VERBS: dict[str, tuple[frozenset[str], frozenset[str], str | None]] = {
    "Identify": (frozenset(), frozenset(), None),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"}), None),
    "ListSets": (frozenset(), frozenset(), "resumptionToken"),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset(), None),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
}

PREFIX_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+\Z")
SETSPEC_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_SECONDS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")


@dataclass(frozen=True)
class DateBound:
    """A ``from`` or ``until`` as typed (kept for tokens) and the instant it stands for."""

    text: str
    moment: datetime
    day: bool

    @property
    def last_second(self) -> datetime:
        """The last whole second the bound covers: a day's ``until`` takes the whole day."""
        return self.moment + timedelta(days=1, seconds=-1) if self.day else self.moment


def parse_date(name: str, text: str) -> DateBound:
    """A ``from``/``until`` value at day or seconds granularity, both UTC."""
    try:
        if _DAY_RE.match(text):
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return DateBound(text, day, True)
        if _SECONDS_RE.match(text):
            moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return DateBound(text, moment, False)
    except ValueError:
        raise OAIError(BAD_ARGUMENT, f"{name}={text!r} is not a real date") from None
    raise OAIError(
        BAD_ARGUMENT, f"{name}={text!r} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC)"
    )


@dataclass(frozen=True)
class Selection:
    """What a list asks for: format, set, and the ``updated`` range (inclusive)."""

    prefix: str
    set_spec: str = ""
    start: DateBound | None = None
    until: DateBound | None = None


def selection(prefix: str, set_spec: str, start: str, until: str) -> Selection:
    """Check a list's arguments (from a request or a token) and return them parsed."""
    if set_spec and not SETSPEC_RE.match(set_spec):
        raise OAIError(BAD_ARGUMENT, f"set={set_spec!r} is not a setSpec (see ListSets)")
    start_bound = parse_date("from", start) if start else None
    until_bound = parse_date("until", until) if until else None
    if start_bound and until_bound:
        if start_bound.day != until_bound.day:
            raise OAIError(BAD_ARGUMENT, "from and until must have the same granularity")
        if start_bound.moment > until_bound.moment:
            raise OAIError(BAD_ARGUMENT, f"from={start} is after until={until}")
    return Selection(prefix, set_spec, start_bound, until_bound)


@dataclass(frozen=True)
class Request:
    """A request that passed the protocol's argument rules."""

    verb: str
    args: dict[str, str]

    def get(self, name: str) -> str:
        return self.args.get(name, "")


def parse(raw: Mapping[str, Sequence[str]]) -> Request:
    """The verb and its arguments, or the ``OAIError`` the protocol names."""
    verbs = list(raw.get("verb", ()))
    if not verbs:
        raise OAIError(BAD_VERB, "the request names no verb")
    if len(verbs) > 1:
        raise OAIError(BAD_VERB, "the verb is given more than once")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError(BAD_VERB, f"{verb!r} is not an OAI-PMH verb")
    required, optional, exclusive = VERBS[verb]
    args: dict[str, str] = {}
    for name, values in raw.items():
        if name == "verb":
            continue
        if name not in required | optional and name != exclusive:
            raise OAIError(BAD_ARGUMENT, f"{verb} takes no argument {name!r}")
        if len(values) != 1:
            raise OAIError(BAD_ARGUMENT, f"argument {name!r} is given more than once")
        args[name] = values[0]
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OAIError(BAD_ARGUMENT, f"{exclusive} must be the only argument besides verb")
        return Request(verb, args)
    missing = sorted(required - set(args))
    if missing:
        raise OAIError(BAD_ARGUMENT, f"{verb} needs the argument {missing[0]!r}")
    for name, value in args.items():
        if not value:
            raise OAIError(BAD_ARGUMENT, f"argument {name!r} is empty")
    if "metadataPrefix" in args and not PREFIX_RE.match(args["metadataPrefix"]):
        raise OAIError(BAD_ARGUMENT, f"metadataPrefix={args['metadataPrefix']!r} is malformed")
    return Request(verb, args)
