"""Crawler-free importers: text dumps, saved HTML, PDF, manifests and WordPress exports.

``import_paths(catalogue, paths, ImportOptions(...))`` is the whole public API; it returns an
``ImportSummary``. One module per format turns a file into items (``base.Document``);
``detect`` picks the module from one table (``FORMATS``); ``walk`` finds the files;
``budget`` bounds what one file may cost (size, time) and ``paths`` which files a manifest
may name; ``prepare`` makes items ready to write (defaults, control characters,
normalization), outside the library lock; ``matching`` finds the record an item was imported
as; ``merge`` is the pure re-import rule (hand edits win, changed sources are taken or
reported); ``keys`` matches manifest rows by a ``--key`` column (upserts); ``write`` writes
one document's records under the lock; ``run`` ties them together; ``log`` keeps what each
run did in ``library/imports/RUN.json`` and ``undo`` takes a run back. No click here: the
``reslib import`` and ``reslib imports`` commands (``reslib.cli``) only parse options and
print.
"""

from .base import SkipFile, detect_language
from .detect import FORMATS, detect_format
from .run import Importer, ImportOptions, import_paths
from .summary import ImportSummary
from .walk import MAX_BYTES

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "ImportOptions",
    "ImportSummary",
    "Importer",
    "SkipFile",
    "detect_format",
    "detect_language",
    "import_paths",
]
