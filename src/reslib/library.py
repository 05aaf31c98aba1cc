"""``open_library``: the one way to open a library for changing it.

The CLI, the web layer and the tests open a library here, and every catalogue opened here
has the index updater among its listeners, so every saved or removed record reaches the
search index without a reindex. It sits above both ``reslib.catalogue`` and ``reslib.index``
(the index reads records through the catalogue, so the catalogue cannot import the index).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from .catalogue import Catalogue, Listener
from .config import Home
from .index import IndexUpdater


def open_library(
    home: Home | str | os.PathLike[str] | None = None, *, listeners: Iterable[Listener] = ()
) -> Catalogue:
    """The catalogue of ``home`` (a ``Home``, a path, or None for ``$RESLIB_HOME`` or the
    current directory) with the index updater attached, then any ``listeners`` given."""
    if not isinstance(home, Home):
        home = Home.resolve(home)
    return Catalogue(home, listeners=[IndexUpdater(home), *listeners])
