"""Building and writing the response tree: qualified names written as they are, text cleaned.

Elements carry their prefixed names (``dc:title``) and ``xmlns`` declarations as plain
attributes, as ``web/feeds.py`` does, so ElementTree writes exactly the prefixes harvesters
expect and no global namespace registry is touched. Characters XML 1.0 forbids (a stray control
character from an old import) are dropped, since no escaping can carry them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element; ``xml_lang`` in ``attrs`` becomes ``xml:lang``."""
    names = {("xml:lang" if k == "xml_lang" else k): clean(v) for k, v in attrs.items()}
    element = ET.SubElement(parent, tag, names)
    if text is not None:
        element.text = clean(text)
    return element


def utc_seconds(moment: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ssZ``: the protocol's finest granularity, which reslib supports."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def serialize(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
