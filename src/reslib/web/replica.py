"""Replica mode: a published directory served read-only, each new generation once warmed.

``reslib publish`` writes whole generations and names the newest in ``CURRENT``
(``reslib.publish``). A replica serves the generation it has warmed (its facet and date
tables built by one search) and looks at ``CURRENT`` at most once every ``CHECK_EVERY``
seconds; a new generation is warmed in a background thread while requests go on being
answered from the old one, then every request after the switch reads the new one. No
restart, and no request ever waits for a cold generation or sees half of one.

Nothing is written: requests that would change something (any method but GET, HEAD and
OPTIONS, and the alert pages) are sent to the primary with a 307 when its address is known
(``--primary``), and refused with the site's own 403 message otherwise.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Home
from ..errors import ReslibError
from ..index import index_status
from ..publish import current_generation
from ..search import SearchRequest, search

log = logging.getLogger(__name__)

#: Seconds between two looks at ``CURRENT`` (one small file read).
CHECK_EVERY = 1.0
#: Paths that write (subscriptions and their confirmation change ``alerts.json``).
WRITING_PREFIXES = ("/alerts", "/api/alerts")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Served:
    """The generation a replica answers from."""

    home: Home
    name: str
    records: int


def warm(home: Home) -> None:
    """One empty search: builds the generation's per-index tables in this process."""
    search(home, SearchRequest())


class Replica:
    """The published directory ``root`` as one process serves it."""

    def __init__(self, root: Path, primary: str | None = None) -> None:
        self.root = root
        self.primary = primary.rstrip("/") if primary else None
        self._served: Served | None = None
        self._warming: str | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def _warm_and_switch(self, path: Path) -> None:
        home = Home(path)
        try:
            warm(home)
            # Counted once per generation, when it is new: not on every look at CURRENT.
            records = int(index_status(home).get("documents") or 0)
        except (ReslibError, OSError) as exc:
            log.warning("reslib replica: generation %s not served: %s", path.name, exc)
        else:
            with self._lock:
                self._served = Served(home, path.name, records)
        finally:
            with self._lock:
                self._warming = None

    def refresh(self, *, wait: bool = False) -> None:
        """Look at ``CURRENT`` (if not looked at within ``CHECK_EVERY``) and start warming a
        new generation; ``wait`` warms it in this thread (start-up)."""
        now = time.monotonic()
        with self._lock:
            if not wait and now - self._checked < CHECK_EVERY:
                return
            self._checked = now
        latest = current_generation(self.root)
        with self._lock:
            served = self._served
            if latest is None or (served is not None and served.name == latest.name):
                return
            if self._warming == latest.name:
                return
            self._warming = latest.name
        if wait:
            self._warm_and_switch(latest)
        else:
            threading.Thread(target=self._warm_and_switch, args=(latest,), daemon=True).start()

    def served(self) -> Served | None:
        """The warmed generation answering now (None before the first is warmed)."""
        self.refresh()
        with self._lock:
            return self._served

    def home(self) -> Home:
        """The library root requests read: the warmed generation, or before any is warmed
        the newest published one (answered, if slowly, rather than refused)."""
        served = self.served()
        if served is not None:
            return served.home
        latest = current_generation(self.root)
        return Home(latest if latest is not None else self.root / "nothing-published-yet")

    def status(self) -> dict[str, Any]:
        """What ``/healthz`` answers."""
        served = self.served()
        if served is None:
            return {"ready": False, "generation": None, "records": 0, "replica": True}
        return {
            "ready": True,
            "generation": served.name,
            "records": served.records,
            "replica": True,
        }


__all__ = ["CHECK_EVERY", "READ_METHODS", "WRITING_PREFIXES", "Replica", "warm"]
