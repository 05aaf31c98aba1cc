"""Where the site's assets live: templates, static files and UI strings.

The assets ship in the repository's top-level ``web/`` folder (no build step). A library root
may override them with its own ``web/``: its templates are searched first (so one template
can be replaced alone), and its ``static/`` or ``i18n/`` folder, when present, replaces ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import reslib

from ..config import Home

#: The repository root: src/reslib/__init__.py -> parents[2].
PACKAGE_WEB = Path(reslib.__file__).resolve().parents[2] / "web"


@dataclass(frozen=True)
class Assets:
    """The folders one app reads its assets from."""

    template_dirs: tuple[Path, ...]
    static_dir: Path
    i18n_dir: Path


def locate(home: Home) -> Assets:
    """Our ``web/``, with the library root's ``web/`` taking precedence where it has a part."""
    own = home.web
    templates = [PACKAGE_WEB / "templates"]
    if (own / "templates").is_dir() and own.resolve() != PACKAGE_WEB:
        templates.insert(0, own / "templates")
    static = own / "static" if (own / "static" / "widget.js").is_file() else PACKAGE_WEB / "static"
    i18n = own / "i18n" if (own / "i18n" / "en.json").is_file() else PACKAGE_WEB / "i18n"
    return Assets(tuple(templates), static, i18n)
