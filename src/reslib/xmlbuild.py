"""Building XML answers (Atom, OpenSearch, sitemaps, OAI-PMH) from catalogue text safely.

XML 1.0 cannot hold most C0 control characters or U+FFFE/U+FFFF at all, escaped or not, and a
record's text may carry them (an imported page, a pasted title): ``clean`` drops them from
every text and attribute ``sub`` writes, so no answer is ever malformed.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _XML_INVALID.sub("", text)


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element with cleaned text and attributes; ``xml_lang`` becomes ``xml:lang``."""
    names = {("xml:lang" if k == "xml_lang" else k): clean(v) for k, v in attrs.items()}
    element = ET.SubElement(parent, tag, names)
    if text is not None:
        element.text = clean(text)
    return element


__all__ = ["clean", "sub"]
