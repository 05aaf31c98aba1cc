"""Which files an import may follow from inside another file: a manifest's ``file`` column.

A manifest comes from a partner; its ``file`` values are data, not the librarian's choice. A
row naming ``../../etc/passwd`` or ``/proc/self/environ`` must not turn that file into a
public record, so a named file must resolve (symlinks followed) inside the manifest's own
folder or a folder the librarian allowed for the run (``ImportOptions.allowed_dirs``, the
CLI's ``--files-from``), and never inside ``/proc``, ``/dev`` or ``/sys``, even when allowed
(they hold the process's environment and devices, not documents).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .base import SkipFile

#: Never a document, whatever the librarian allowed.
FORBIDDEN = (Path("/proc"), Path("/dev"), Path("/sys"))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def confined_file(manifest: Path, name: str, allowed: Sequence[Path] = ()) -> Path:
    """The file a manifest row names, resolved, or SkipFile saying why it may not be read.

    ``name`` is taken relative to the manifest's folder (an absolute name stays absolute);
    the resolved path must lie in that folder or in one of ``allowed``.
    """
    shown = name if len(name) <= 80 else name[:77] + "..."
    try:
        folder = manifest.parent.resolve()
        target = (manifest.parent / name).resolve()
    except (OSError, ValueError) as exc:  # a NUL byte, a symlink loop
        raise SkipFile(f"file {shown!r} cannot be read: {exc}") from None
    for system in FORBIDDEN:
        if _inside(target, system):
            raise SkipFile(f"file {shown!r} is inside {system}: system folders are never imported")
    roots = [folder, *(Path(os.path.abspath(a)).resolve() for a in allowed)]
    if not any(_inside(target, root) for root in roots):
        raise SkipFile(
            f"file {shown!r} is outside the manifest's folder: move it beside the manifest "
            "or name its folder with --files-from"
        )
    if not target.exists():
        raise SkipFile(f"file {shown!r} not found next to the manifest")
    if not target.is_file():
        raise SkipFile(f"file {shown!r} is not a regular file")
    return target
