"""The library files a search reads besides the index: the glossary and the authority file.

Each is loaded once per version of its file (modification time and size) and shared by every
thread: the glossary may hold 14,000 entries, and most searches read it. The authority file
is kept twice: as ``Organizations`` (filters resolve ``org:`` values through it) and as the
``NameIndex`` that query expansion looks names up in (``names``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..authority import Organizations
from ..config import Home
from ..glossary import Glossary
from .names import NameIndex

T = TypeVar("T")
_file_cache: dict[tuple[str, Path], tuple[tuple[int, int], Any]] = {}
_file_lock = threading.Lock()


def _cached(kind: str, path: Path, load: Callable[[Path], T]) -> T:
    """``load(path)``, reused until the file changes."""
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        stamp = (0, -1)
    with _file_lock:
        hit = _file_cache.get((kind, path))
    if hit is not None and hit[0] == stamp:
        return hit[1]  # type: ignore[no-any-return]
    value = load(path)
    with _file_lock:
        _file_cache[(kind, path)] = (stamp, value)
    return value


def load_glossary(home: Home) -> Glossary:
    return _cached("glossary", home.library / "glossary.json", Glossary.load)


def load_organizations(home: Home) -> Organizations:
    return _cached("organizations", home.library / "organizations.json", Organizations.load)


def load_names(home: Home) -> NameIndex:
    return _cached(
        "names", home.library / "organizations.json", lambda p: NameIndex(Organizations.load(p))
    )


__all__ = ["load_glossary", "load_names", "load_organizations"]
