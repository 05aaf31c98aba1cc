"""Repacking in the background: a rebuild started when incremental commits left too many segments.

Incremental commits never merge large segments (``reslib.index.merge``), so they gather:
import groups, huge records, merges of small ones. Once the live index has more than
``merge.SEGMENT_LIMIT``, the index updater starts ``python -m reslib.index.repack ROOT`` as a
detached process of low priority. It rebuilds the index (``reslib.index.build.rebuild``) into
a few large segments: the build holds no lock, writers go on meanwhile and the catch-up
takes in their changes; only the catch-up and the swap hold the library lock, as in any
``reslib reindex``. It does nothing when a rebuild is running already or the index has few
segments again.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from ..config import Home
from ..storage import LockBusy, file_lock
from .build import REINDEX_LOCK, BuildReport, RebuildBusy, rebuild
from .consistency import live_segments
from .layout import live_dir
from .merge import needs_repacking


def start_repack(home: Home) -> bool:
    """Start ``repack`` in a detached process, unless a rebuild is running; True if started."""
    try:
        with file_lock(home.indexes / REINDEX_LOCK, wait=False):
            pass
    except LockBusy:
        return False
    try:
        subprocess.Popen(
            [sys.executable, "-m", "reslib.index.repack", str(home.root)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False  # the next commit tries again; searches work meanwhile
    return True


def repack(home: Home) -> BuildReport | None:
    """Rebuild the index if it still has too many segments and no rebuild is running."""
    path = live_dir(home)
    if path is None or not needs_repacking(len(live_segments(path))):
        return None
    try:
        return rebuild(home, wait=False)
    except RebuildBusy:
        return None


def main(argv: list[str]) -> int:
    with contextlib.suppress(OSError):
        os.nice(10)
    repack(Home(Path(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
