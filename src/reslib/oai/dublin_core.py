"""``oai_dc``: a record as unqualified Dublin Core, the format every harvester reads.

Its title and its translations' titles, each marked with its language (``xml:lang``), so a
harvester that shows English finds the Burmese title too and the other way round;
organizations as creators; places and topics as subjects; the summary as description; its
date (none for an undated record); the DCMI type ``Text`` and reslib's own type; its languages
(``en``, ``my``, both for a bilingual item); its page on this site as identifier (absolute,
the address item pages give as canonical); the publisher's copy as source; and each
translation's page as a relation.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..xmlbuild import sub
from .view import RecordView
from .xml import XSI_NS

NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"


def _lang(language: str) -> dict[str, str]:
    """``xml:lang`` for one-language text; a bilingual item's text may hold either."""
    return {"xml_lang": language} if language in ("en", "my") else {}


def oai_dc(view: RecordView) -> ET.Element:
    """The ``<oai_dc:dc>`` element of ``view.record``."""
    record = view.record
    dc = ET.Element(
        "oai_dc:dc",
        {
            "xmlns:oai_dc": NAMESPACE,
            "xmlns:dc": DC_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{NAMESPACE} {SCHEMA}",
        },
    )
    sub(dc, "dc:title", record.title, **_lang(record.language))
    for other in view.translations:
        sub(dc, "dc:title", other.title, **_lang(other.language))
    for name in record.organizations:
        sub(dc, "dc:creator", name)
    for subject in [*record.places, *record.topics]:
        sub(dc, "dc:subject", subject)
    if record.summary:
        sub(dc, "dc:description", record.summary, **_lang(record.language))
    if record.date:
        sub(dc, "dc:date", record.date)
    sub(dc, "dc:type", "Text")
    sub(dc, "dc:type", record.type)
    for code in record.language.split("+"):
        sub(dc, "dc:language", code)
    sub(dc, "dc:identifier", view.item_url(record.id))
    if record.source_url:
        sub(dc, "dc:source", record.source_url)
    for other in view.translations:
        sub(dc, "dc:relation", view.item_url(other.id))
    return dc
