"""A fresh library root per test, optionally with the project's shipped authority file."""

from __future__ import annotations

import shutil
from pathlib import Path

from reslib.catalogue import Catalogue
from reslib.config import Home

REPO = Path(__file__).resolve().parents[2]
AUTHORITY = REPO / "library" / "organizations.json"


def make_catalogue(root: Path, *, authority: bool = True) -> Catalogue:
    """``Home(root)`` initialised, with a copy of ``library/organizations.json`` if asked."""
    home = Home(root)
    if authority:
        home.library.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(AUTHORITY, home.library / "organizations.json")
    catalogue = Catalogue(home)
    catalogue.init()
    return catalogue
