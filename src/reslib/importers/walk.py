"""Which files an import reads, and their bytes.

Named files are taken as given; folders are walked in name order, passing over hidden files
and the assets of saved web pages (``*_files/`` folders, stylesheets, images, fonts). A file
over the size limit (``RESLIB_IMPORT_FILE_MB``), with nothing in it, or that is not a regular
file (a FIFO, a device) is refused with a reason before any parser sees it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .. import settings
from .budget import read_limited
from .detect import IGNORED_SUFFIXES
from .summary import ImportSummary

#: The default size limit (``RESLIB_IMPORT_FILE_MB``): nothing a librarian imports is this
#: big, and reading one into memory would stall the run.
MAX_BYTES = settings.SETTINGS["import_file_mb"].default * 2**20


def collect_files(paths: Iterable[Path], summary: ImportSummary) -> list[Path]:
    """The files to import: named files as given, folders walked in name order.

    A folder walk passes over hidden files and the assets of saved pages (``*_files/``,
    stylesheets, images); a named file is always tried.
    """
    out: list[Path] = []
    ignored = 0
    for path in paths:
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not d.endswith("_files")
                )
                for name in sorted(files):
                    p = Path(root) / name
                    if name.startswith(".") or p.suffix.lower() in IGNORED_SUFFIXES:
                        ignored += 1
                        continue
                    out.append(p)
        else:
            summary.skip(str(path), "no such file or folder")
    if ignored:
        summary.notes.append(f"{ignored} hidden or asset file(s) in folders ignored")
    return out


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or SkipFile when it is too large, empty or not a regular file."""
    return read_limited(path, max_bytes)
