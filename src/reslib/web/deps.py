"""What a request works on: the app's library root and a catalogue over it.

A catalogue is cheap to build (it reads files lazily), so each request gets its own and sees
edits made since the last one. It is opened as every caller opens one (``open_library``), so
a change made through it would reach the index too.
"""

from __future__ import annotations

from flask import current_app

from ..catalogue import Catalogue
from ..config import Home
from ..library import open_library


def home() -> Home:
    """The library root this request reads: the app's, or on a replica the published
    generation it serves now (``replica``)."""
    replica = current_app.extensions.get("reslib_replica")
    if replica is not None:
        served: Home = replica.home()
        return served
    found: Home = current_app.config["RESLIB_HOME"]
    return found


def catalogue() -> Catalogue:
    return open_library(home())
