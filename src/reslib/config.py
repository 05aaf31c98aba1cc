"""Where a library lives: the root that holds ``library/``, ``indexes/`` and ``web/``.

No work happens at import time; ``Home`` only computes paths.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import settings

ENV_HOME = "RESLIB_HOME"


@dataclass(frozen=True)
class Home:
    """The paths of one reslib library root."""

    root: Path

    def __post_init__(self) -> None:
        # Accept a str from callers and scripts; everything downstream wants a Path.
        object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def resolve(cls, path: str | os.PathLike[str] | None = None) -> Home:
        """``path``, else ``$RESLIB_HOME``, else the current directory."""
        chosen = path or settings.get("home") or os.getcwd()
        return cls(Path(chosen).resolve())

    @property
    def library(self) -> Path:
        return self.root / "library"

    @property
    def records(self) -> Path:
        return self.library / "records"

    @property
    def files(self) -> Path:
        return self.library / "files"

    @property
    def indexes(self) -> Path:
        return self.root / "indexes"

    @property
    def web(self) -> Path:
        return self.root / "web"
