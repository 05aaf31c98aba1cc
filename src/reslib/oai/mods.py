"""``mods``: a record as MODS 3.6 (Library of Congress), for library harvesters.

3.6 rather than the newest, 3.8: the 3.8 schema declares one attribute twice, so libxml2 (and
lxml, which many harvesters validate with) refuses to load it; nothing written here needs 3.7
or 3.8.

What it keeps that Dublin Core flattens:

- titles: the record's, and each translation's as ``titleInfo type="translated"``, each with
  its language as MODS codes it (``lang``, ISO 639-2/B: ``eng``, ``bur``) and as XML does
  (``xml:lang``);
- organizations as corporate names with the MARC relator role ``creator`` (``cre``);
- the date as ``dateIssued encoding="w3cdtf" keyDate="yes"``, which an aggregator can compare
  and range over (none for an undated record);
- places as ``subject/geographic``, topics as ``subject/topic``;
- languages as ``languageTerm`` codes (``iso639-2b``);
- translations as ``relatedItem type="otherVersion"`` with their own title and address; for a
  weekly update, the items it lists (``references``); for any other item, the updates that
  list it (``isReferencedBy``);
- the item's page as ``identifier type="uri"`` and primary ``location/url``, the publisher's
  copy as a second ``url``; when the record was made and last changed (``recordInfo``).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..models import Record
from ..xmlbuild import sub
from .view import RecordView
from .xml import XSI_NS

NAMESPACE = "http://www.loc.gov/mods/v3"
SCHEMA = "http://www.loc.gov/standards/mods/v3/mods-3-6.xsd"
#: ISO 639-2/B, the codes MODS and MARC use, for reslib's language codes.
ISO_639_2B = {"en": "eng", "my": "bur"}


def _lang(language: str) -> dict[str, str]:
    """Both language attributes for one-language text; none for a bilingual item's."""
    if language not in ISO_639_2B:
        return {}
    return {"lang": ISO_639_2B[language], "xml_lang": language}


def _title(parent: ET.Element, record: Record, **attrs: str) -> None:
    info = sub(parent, "titleInfo", **attrs, **_lang(record.language))
    sub(info, "title", record.title)


def _related(parent: ET.Element, kind: str, other: Record, view: RecordView) -> None:
    item = sub(parent, "relatedItem", type=kind)
    _title(item, other)
    url = view.item_url(other.id)
    sub(item, "identifier", url, type="uri")
    sub(sub(item, "location"), "url", url)


def mods(view: RecordView) -> ET.Element:
    """The ``<mods>`` element of ``view.record``."""
    record = view.record
    root = ET.Element(
        "mods",
        {
            "xmlns": NAMESPACE,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{NAMESPACE} {SCHEMA}",
            "version": "3.6",
        },
    )
    _title(root, record)
    for other in view.translations:
        _title(root, other, type="translated")
    for organization in record.organizations:
        name = sub(root, "name", type="corporate")
        sub(name, "namePart", organization)
        role = sub(name, "role")
        sub(role, "roleTerm", "creator", type="text", authority="marcrelator")
        sub(role, "roleTerm", "cre", type="code", authority="marcrelator")
    sub(root, "typeOfResource", "text")
    sub(root, "genre", record.type, authority="local")
    if record.date:
        origin = sub(root, "originInfo", eventType="publication")
        sub(origin, "dateIssued", record.date, encoding="w3cdtf", keyDate="yes")
    language = sub(root, "language")
    for code in record.language.split("+"):
        sub(language, "languageTerm", ISO_639_2B[code], type="code", authority="iso639-2b")
    if record.summary:
        sub(root, "abstract", record.summary, **_lang(record.language))
    for place in record.places:
        sub(sub(root, "subject"), "geographic", place)
    for topic in record.topics:
        sub(sub(root, "subject"), "topic", topic)
    for other in view.translations:
        _related(root, "otherVersion", other, view)
    for other in view.related:
        if record.type == "update":
            _related(root, "references", other, view)
        elif other.type == "update":
            _related(root, "isReferencedBy", other, view)
    page = view.item_url(record.id)
    sub(root, "identifier", page, type="uri")
    location = sub(root, "location")
    sub(location, "url", page, usage="primary", access="object in context")
    if record.source_url:
        sub(location, "url", record.source_url, displayLabel="publisher's copy")
    info = sub(root, "recordInfo")
    sub(info, "recordContentSource", "reslib")
    if record.added:
        sub(info, "recordCreationDate", record.added, encoding="w3cdtf")
    if record.updated:
        sub(info, "recordChangeDate", record.updated, encoding="w3cdtf")
    sub(info, "recordIdentifier", record.id)
    return root
