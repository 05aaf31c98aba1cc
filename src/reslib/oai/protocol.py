"""The six verbs: a request's arguments and the library in, the response's XML tree out.

``respond(raw_args, site)`` never raises for anything a harvester sends: every protocol error
becomes the response's ``<error code="…">`` (``errors``). ``Site`` is what the web layer knows
and this package must not ask Flask for: the site's address and the moment of the request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

from .. import settings
from ..catalogue import Catalogue
from ..errors import NotFound, ReslibError
from ..models import ID_RE, Record
from ..xmlbuild import sub
from . import tokens
from .errors import (
    BAD_RESUMPTION_TOKEN,
    CANNOT_DISSEMINATE_FORMAT,
    ID_DOES_NOT_EXIST,
    NO_RECORDS_MATCH,
    UNREADABLE_REQUEST,
    OAIError,
)
from .formats import FORMATS
from .listing import Item, Listing, listing
from .request import Request, Selection, parse, selection
from .sets import SetMap
from .view import RecordView
from .xml import OAI_NS, OAI_SCHEMA, XSI_NS, utc_seconds

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
REPOSITORY_NAME = "reslib"


@dataclass(frozen=True)
class Site:
    """The library and where it is served: ``base_url`` like ``https://reslib.example``,
    ``host`` its host name (the namespace of OAI identifiers: ``oai:HOST:ID``)."""

    catalogue: Catalogue
    base_url: str
    host: str
    now: datetime

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/oai"

    def item_url(self, item_id: str) -> str:
        return f"{self.base_url}/items/{item_id}"

    def identifier(self, item_id: str) -> str:
        return f"oai:{self.host}:{item_id}"

    def local_id(self, identifier: str) -> str:
        """The record id an identifier names, or ``idDoesNotExist``."""
        prefix = f"oai:{self.host}:"
        item_id = identifier.removeprefix(prefix)
        if not identifier.startswith(prefix) or not ID_RE.match(item_id):
            raise OAIError(
                ID_DOES_NOT_EXIST, f"{identifier!r} is not an identifier of this repository"
            )
        return item_id

    @property
    def admin_email(self) -> str:
        return str(settings.get("oai_admin_email")) or f"webmaster@{self.host}"


def respond(raw: Mapping[str, Sequence[str]], site: Site) -> ET.Element:
    """The ``<OAI-PMH>`` response to a request with arguments ``raw``."""
    root = ET.Element(
        "OAI-PMH",
        {
            "xmlns": OAI_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{OAI_NS} {OAI_SCHEMA}",
        },
    )
    sub(root, "responseDate", utc_seconds(site.now))
    echo = sub(root, "request", site.endpoint)
    try:
        request = parse(raw)
        body = _HANDLERS[request.verb](request, site)
        _echo(echo, request.verb, request.args)
        root.append(body)
    except OAIError as error:
        if error.code not in UNREADABLE_REQUEST:
            _echo(echo, raw["verb"][0], {k: v[0] for k, v in raw.items() if k != "verb"})
        sub(root, "error", error.message, code=error.code)
    return root


def _echo(element: ET.Element, verb: str, args: Mapping[str, str]) -> None:
    element.set("verb", verb)
    for name, value in args.items():
        element.set(name, value)


# -- Identify, ListMetadataFormats, ListSets ------------------------------------------------


def identify(request: Request, site: Site) -> ET.Element:
    items = _listing(site).items()
    earliest = min((item.stamp for item in items), default=site.now)
    out = ET.Element("Identify")
    sub(out, "repositoryName", REPOSITORY_NAME)
    sub(out, "baseURL", site.endpoint)
    sub(out, "protocolVersion", "2.0")
    sub(out, "adminEmail", site.admin_email)
    sub(out, "earliestDatestamp", utc_seconds(earliest))
    sub(out, "deletedRecord", "persistent")
    sub(out, "granularity", GRANULARITY)
    return out


def list_metadata_formats(request: Request, site: Site) -> ET.Element:
    if request.get("identifier"):
        _find(site, site.local_id(request.get("identifier")))
    out = ET.Element("ListMetadataFormats")
    for fmt in FORMATS.values():
        entry = sub(out, "metadataFormat")
        sub(entry, "metadataPrefix", fmt.prefix)
        sub(entry, "schema", fmt.schema)
        sub(entry, "metadataNamespace", fmt.namespace)
    return out


def list_sets(request: Request, site: Site) -> ET.Element:
    if "resumptionToken" in request.args:
        raise OAIError(
            BAD_RESUMPTION_TOKEN, "ListSets answers every set at once: it issues no tokens"
        )
    out = ET.Element("ListSets")
    for info in SetMap(site.catalogue.organizations).all_sets(_listing(site).items()):
        entry = sub(out, "set")
        sub(entry, "setSpec", info.spec)
        sub(entry, "setName", info.name)
    return out


# -- GetRecord, ListIdentifiers, ListRecords ------------------------------------------------


def get_record(request: Request, site: Site) -> ET.Element:
    _require_format(request.get("metadataPrefix"))
    item = _find(site, site.local_id(request.get("identifier")))
    out = ET.Element("GetRecord")
    sets = SetMap(site.catalogue.organizations)
    _append_item(out, item, site, sets, prefix=request.get("metadataPrefix"), metadata=True)
    return out


def list_identifiers(request: Request, site: Site) -> ET.Element:
    return _list(request, site, metadata=False)


def list_records(request: Request, site: Site) -> ET.Element:
    return _list(request, site, metadata=True)


def _list(request: Request, site: Site, *, metadata: bool) -> ET.Element:
    token_text = request.args.get("resumptionToken")
    if token_text is not None:
        token = tokens.decode(token_text, request.verb, site.now)
        chosen, after = token.selection, token.place.key
    else:
        _require_format(request.get("metadataPrefix"))
        chosen = selection(
            request.get("metadataPrefix"),
            request.get("set"),
            request.get("from"),
            request.get("until"),
        )
        after = None
    _require_format(chosen.prefix)
    sets = SetMap(site.catalogue.organizations)
    matching = _select(_listing(site).items(), chosen, sets)
    remaining = [item for item in matching if after is None or item.key > after]
    if not remaining:
        raise OAIError(NO_RECORDS_MATCH, "no records match the request")
    size = int(settings.get("oai_page_size"))
    page = remaining[:size]
    out = ET.Element(request.verb)
    for item in page:
        _append_item(out, item, site, sets, prefix=chosen.prefix, metadata=metadata)
    cursor = len(matching) - len(remaining)
    more = len(remaining) > size
    if more or token_text is not None:
        attrs = {"completeListSize": str(len(matching)), "cursor": str(cursor)}
        text = ""
        if more:
            issued = site.now.replace(microsecond=0)
            place = tokens.Place(page[-1].stamp, page[-1].id)
            token = tokens.Token(request.verb, chosen, place, issued)
            text = tokens.encode(token)
            attrs["expirationDate"] = utc_seconds(token.expires)
        sub(out, "resumptionToken", text, **attrs)
    return out


def _select(items: list[Item], chosen: Selection, sets: SetMap) -> list[Item]:
    spec = sets.canonical(chosen.set_spec) if chosen.set_spec else ""
    if spec and not sets.exists(spec, items):
        return []
    # Bounds are whole seconds and a datestamp shows its stamp's whole second, so an item is
    # in range when start <= stamp < the second after until.
    start = chosen.start.moment if chosen.start else None
    end = chosen.until.last_second + timedelta(seconds=1) if chosen.until else None
    out = []
    for item in items:
        if (start and item.stamp < start) or (end and item.stamp >= end):
            continue
        if spec and not sets.contains(spec, item):
            continue
        out.append(item)
    return out


# -- shared -------------------------------------------------------------------------------


def _listing(site: Site) -> Listing:
    return listing(site.catalogue.files)


def _require_format(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OAIError(
            CANNOT_DISSEMINATE_FORMAT,
            f"metadataPrefix {prefix!r} is not offered: use {', '.join(FORMATS)}",
        )


def _find(site: Site, item_id: str) -> Item:
    """The item ``item_id`` (a record or a tombstone), or ``idDoesNotExist``."""
    for item in _listing(site).items():
        if item.id == item_id:
            return item
    raise OAIError(ID_DOES_NOT_EXIST, f"this repository has no item {item_id!r}")


def _append_item(
    parent: ET.Element, item: Item, site: Site, sets: SetMap, *, prefix: str, metadata: bool
) -> None:
    record: Record | None = None
    if not item.deleted:
        try:
            record = site.catalogue.get(item.id)
        except NotFound:
            return  # removed since the listing: its tombstone comes later in the order
        except ReslibError:
            return  # a broken record file: 'reslib check' names it
    holder = sub(parent, "record") if metadata else parent
    header = sub(holder, "header", **({"status": "deleted"} if item.deleted else {}))
    sub(header, "identifier", site.identifier(item.id))
    sub(header, "datestamp", utc_seconds(item.stamp))
    for spec in sets.specs(item):
        sub(header, "setSpec", spec)
    if metadata and record is not None:
        view = RecordView(
            record,
            site.item_url,
            translations=_existing(site, record.translations),
            related=_existing(site, record.related),
        )
        sub(holder, "metadata").append(FORMATS[prefix].build(view))


def _existing(site: Site, ids: list[str]) -> list[Record]:
    """The records ``ids`` names that are still in the library."""
    found = []
    for item_id in ids:
        try:
            found.append(site.catalogue.get(item_id))
        except NotFound:
            continue
    return found


_HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
