"""Response headers: the Content-Security-Policy, the other security headers, and CORS.

One ``after_request`` hook sets them all, so no view can forget. The CSP is strict: scripts,
styles, fonts and fetches from our own origin only, no inline script or style (JSON-LD is data,
which CSP does not execute), no plugins, no framing. Two exceptions, both deliberate:

- ``/widget/frame`` is the iframe variant of the partner search box, so any site may frame it;
- ``/api/`` is the public API, the only place CORS is open (``*``, read-only methods), so the
  script widget on a partner's page can call it. Pages and their ``.json`` twins stay
  same-origin.
"""

from __future__ import annotations

from flask import Request, Response

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        # The /embed demo page frames our own iframe widget.
        "frame-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "manifest-src 'self'",
    ]
)

FRAME_PATHS = ("/widget/frame",)


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def apply_cors(request: Request, response: Response) -> None:
    """Open the API to every origin: read-only, no credentials, so ``*`` is safe."""
    if not is_api(request.path):
        return
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "86400"


def apply_security_headers(request: Request, response: Response) -> None:
    frameable = request.path in FRAME_PATHS
    ancestors = "frame-ancestors *" if frameable else "frame-ancestors 'none'"
    response.headers["Content-Security-Policy"] = f"{CSP}; {ancestors}"
    if not frameable:
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    # widget.js, its stylesheet and the API are loaded by partners' pages.
    shared = is_api(request.path) or request.path.startswith("/static/")
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin" if shared else "same-origin"
