"""``open_library``, the one way to open a library to change it; what spans catalogue and index.

The CLI, the web layer and the tests open a library here, and every catalogue opened here
has the index updater among its listeners, so every saved or removed record reaches the
search index without a reindex, and an index journal left by a session cut short is
replayed as soon as the catalogue takes the lock. It sits above both ``reslib.catalogue``
and ``reslib.index`` (the index reads records through the catalogue, so the catalogue cannot
import the index), which is why ``check_library`` (the catalogue's checks plus the index
compared with ``library/``) and ``replay_journal`` (for commands that only read) live here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from .catalogue import Catalogue, Listener, Problem
from .config import Home
from .errors import Conflict
from .index import IndexUnavailable, IndexUpdater, check_versions, live_dir
from .index.consistency import drift


def open_library(
    home: Home | str | os.PathLike[str] | None = None, *, listeners: Iterable[Listener] = ()
) -> Catalogue:
    """The catalogue of ``home`` (a ``Home``, a path, or None for ``$RESLIB_HOME`` or the
    current directory) with the index updater attached, then any ``listeners`` given."""
    if not isinstance(home, Home):
        home = Home.resolve(home)
    return Catalogue(home, listeners=[IndexUpdater(home), *listeners])


def replay_journal(home: Home) -> bool:
    """Replay an index journal a session left, if the library lock is free now.

    For commands that only read (``reslib search``): one ``stat`` when there is no journal,
    and nothing when there is no index (the search then says to run ``reslib reindex``).
    When a writer holds the lock, its session is under way (it clears the journal, or the
    next command replays it); a user who may not write to ``library/`` cannot replay it and
    searches what the index holds. True when a journal was replayed.
    """
    catalogue = open_library(home)
    if not catalogue.journal.exists() or live_dir(home) is None:
        return False  # with no index at all, the search says to build one: a full build
    try:
        with catalogue.locked(timeout=0):
            pass
    except (Conflict, PermissionError):
        return False
    return catalogue.recovered is not None


def check_library(catalogue: Catalogue) -> list[Problem]:
    """``reslib check``: the catalogue's checks, then the index compared with ``library/``.

    Under the library lock, an index journal is replayed (``Catalogue.locked``) and the ids
    in the index are compared with the record files (``reslib.index.consistency``); what
    differs is put right through the index updater and reported as a warning. The record
    checks run after the lock is let go: they read every record.
    """
    problems: list[Problem] = []
    catalogue.recovered = None
    try:
        with catalogue.locked():
            if catalogue.recovered is not None:
                problems.append(Problem("index", "-", catalogue.recovered.describe(), "warning"))
            problems += _index_problems(catalogue)
    except PermissionError:
        message = "this user may not write library/: the search index was not compared with it"
        problems.append(Problem("index", "-", message, "warning"))
    return catalogue.check() + problems


def _index_problems(catalogue: Catalogue) -> list[Problem]:
    home = catalogue.home
    on_disk = catalogue.files.mtimes()
    path = live_dir(home)
    if path is None:
        if not on_disk:
            return []
        return [Problem("index", "-", "there is no search index: run 'reslib reindex'", "warning")]
    try:
        check_versions(path)
    except IndexUnavailable as exc:
        return [Problem("index", "-", exc.message, "warning")]
    found = drift(path, on_disk)
    if not found:
        return []
    unreadable = catalogue.announce(saved=[*found.missing, *found.stale], removed=found.extra)
    message = f"the search index differed from library/: {found.describe()}: put right"
    if unreadable:
        message += f" (except {len(unreadable)} unreadable record file(s), listed above)"
    return [Problem("index", "-", message, "warning")]


__all__ = ["check_library", "open_library", "replay_journal"]
