"""The web front end: pages, their JSON twins, the API, feeds and the partner widget.

The only package that imports Flask. It asks ``reslib.search`` and ``reslib.catalogue`` for
everything and never touches the index directly.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
