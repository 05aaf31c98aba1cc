"""Writing the response tree: qualified names written as they are (elements are built with
``reslib.xmlbuild.sub``, which drops what XML cannot hold).

Elements carry their prefixed names (``dc:title``) and ``xmlns`` declarations as plain
attributes, as ``web/feeds.py`` does, so ElementTree writes exactly the prefixes harvesters
expect and no global namespace registry is touched.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def utc_seconds(moment: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ssZ``: the protocol's finest granularity, which reslib supports."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def serialize(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
