"""Bytes to text: byte-order marks, declared charsets, UTF-8, and nothing else.

There is no guessing among 8-bit code pages: any byte string decodes as windows-1252 or
KOI8-R, so a guess would write mojibake into the catalogue without a word. A file that is not
UTF-8 (or UTF-16 or UTF-32 with a BOM) and declares no charset is skipped with a reason
instead; the librarian can re-save it as UTF-8. Zawgyi is not an encoding problem (it is
UTF-8 text with a different use of the code points) and is converted later, by
``reslib.analysis.normalize``.
"""

from __future__ import annotations

import codecs
import re

from .base import SkipFile

# UTF-32 first: its little-endian mark begins with UTF-16's (FF FE), so the other order
# reads UTF-32 text as UTF-16 full of NULs.
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_DECL_RE = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: not text in any encoding we read."""
    if any(head.startswith(bom) for bom, _ in BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


def head_as_utf8(head: bytes) -> bytes:
    """The first bytes of a file with a UTF-16 or UTF-32 mark, re-encoded as UTF-8, so
    format detection can look for ``<html`` or ``{``; other bytes are returned as they are."""
    for bom, codec in BOMS:
        if head.startswith(bom) and codec != "utf-8-sig":
            # The head may end inside a character: drop what cannot be decoded.
            return head.decode(codec, "ignore").encode("utf-8")
    return head


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` (charset or http-equiv) or XML declaration names."""
    head = data[:4096]
    m = _XML_DECL_RE.match(head) or _META_CHARSET_RE.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, declared: str | None = None) -> str:
    """Text of ``data``: BOM, else the declared charset, else UTF-8, else skip the file."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SkipFile(f"invalid {codec} at byte {exc.start}") from None
    if declared and declared not in ("utf-8", "ascii"):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # A wrong declaration is common (copied templates): fall through to UTF-8.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SkipFile(
            f"not UTF-8 (byte {exc.start}) and no charset declared: an unknown 8-bit "
            "encoding; re-save the file as UTF-8"
        ) from None
