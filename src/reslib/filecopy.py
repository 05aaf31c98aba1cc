"""An in-memory copy of a library file that can tell when the file changed under it.

The authority file and the glossary are read once and written back whole. A writer that read
one before taking the library lock could write back a stale copy over what another writer
saved meanwhile; so every write path refreshes its copy after taking the lock (``refresh``),
and a copy with unsaved changes is never silently replaced.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import Conflict

#: What identifies one version of a file: inode (a rename-over gives a new one), size and
#: modification/change times in nanoseconds.
Stamp = tuple[int, int, int, int]


def file_stamp(path: Path) -> Stamp | None:
    """The file's version, or None when there is no file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class FileCopy:
    """Mixin for classes with a ``path``, a ``load(path)`` classmethod and a ``save()``.

    ``load`` calls ``_read_at`` with the stamp taken before reading and ``save`` calls
    ``_written``; ``dirty`` says the copy has changes not yet saved.
    """

    path: Path
    dirty: bool = False
    _stamp: Stamp | None = None

    @classmethod
    def load(cls, path: Path) -> Any:
        raise NotImplementedError

    def _read_at(self, stamp: Stamp | None) -> None:
        self._stamp = stamp
        self.dirty = False

    def _written(self) -> None:
        self._stamp = file_stamp(self.path)
        self.dirty = False

    def changed_on_disk(self) -> bool:
        return file_stamp(self.path) != self._stamp

    def reload(self) -> None:
        """Read the file again, in place: methods of this object handed out earlier (an
        importer keeps ``split_authors``) see the new contents too."""
        fresh = type(self).load(self.path)
        vars(self).clear()
        vars(self).update(vars(fresh))

    def refresh(self) -> bool:
        """Reload when the file changed since it was read or saved; returns whether it did.

        Call it holding the library lock, before changing the copy. Raises Conflict when the
        copy has unsaved changes and the file changed too: saving it would lose the other
        writer's work.
        """
        if not self.changed_on_disk():
            return False
        if self.dirty:
            raise Conflict(
                f"{self.path} changed on disk while this process had unsaved changes to it: "
                "nothing saved; try again"
            )
        self.reload()
        return True
