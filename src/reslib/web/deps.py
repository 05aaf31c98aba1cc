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
    found: Home = current_app.config["RESLIB_HOME"]
    return found


def catalogue() -> Catalogue:
    return open_library(home())
