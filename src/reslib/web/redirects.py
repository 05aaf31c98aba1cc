"""Where the site may send a visitor back to: paths on this site only.

A redirect target comes from the query string (``/lang/my?next=...``), so it is hostile input.
Browsers forgive a lot when they read a ``Location``: they drop tabs and newlines, read ``\\`` as
``/`` and take ``//host`` as another site, so ``/%09/evil.example`` arrives as
``//evil.example``. Rather than guess every quirk, a target is accepted only in a form no
browser can read as another host: no control characters or whitespace, no backslash, no
scheme or host, a path starting with exactly one ``/`` (also once percent-decoded, so an
encoded slash cannot make ``//``), no control character anywhere; and the header is rebuilt
from the parsed path and query, never copied from the raw input.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

#: Characters a target may not hold: C0/C1 controls, any whitespace, backslash, and the
#: bidirectional and zero-width format characters browsers also strip or reorder.
_UNSAFE = re.compile(
    r"[\x00-\x20\x7f-\x9f\\\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
#: Characters no header may carry, anywhere in the target.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Characters kept as they are when the path and query are re-quoted for the header.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def local_target(raw: str | None, default: str = "/") -> str:
    """``raw`` as a ``Location`` on this site, or ``default`` when it could lead elsewhere."""
    if not raw or _CONTROL.search(raw):
        return default
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return default
    # The path decides the host a browser goes to; the query cannot.
    for form in (parts.path, unquote(parts.path)):
        if _UNSAFE.search(form) or not form.startswith("/") or form.startswith("//"):
            return default
    target = quote(parts.path, safe=_PATH_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_QUERY_SAFE)
    return target


__all__ = ["local_target"]
