"""The command line: thin click commands that call the library and format its output.

Commands live in one module per area and attach themselves to the ``cli`` group.
"""

from __future__ import annotations

from . import (  # noqa: F401
    analysis_cmds,
    catalogue_cmds,
    import_cmd,
    names_cmds,
    search_cmds,
    web_cmds,
)
from .base import cli


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="reslib")


__all__ = ["cli", "main"]
