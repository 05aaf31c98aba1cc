"""Where the site's assets live: templates, static files and UI strings.

The assets are kept in the repository's top-level ``web/`` folder (no build step) and ship as
package data: ``src/reslib/_web`` links to that folder, so a checkout, an editable install and an
installed wheel all find them at ``importlib.resources.files("reslib") / "_web"``. A library
root may override them with its own ``web/``: its templates are searched first (so one template
can be replaced alone), and its ``static/`` or ``i18n/`` folder, when present, replaces ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ..config import Home


def _package_web() -> Path:
    web = files("reslib") / "_web"
    if not isinstance(web, Path):
        # Flask and Jinja read folders from disk, which a zipped install does not have.
        raise RuntimeError(f"reslib's web assets must be installed as files, not in {web}")
    # Resolved through the link, so a library root that is this checkout is recognised below.
    return web.resolve()


#: Our own ``web/`` folder.
PACKAGE_WEB = _package_web()


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
