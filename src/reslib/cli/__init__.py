"""The command line: thin click commands that call the library and format its output.

Commands live in one module per area and attach themselves to the ``cli`` group. Ctrl-C
while they load (most of a second) is one line, ``interrupted``, and exit code 130: see
``interrupt``, imported first because it needs nothing slow.
"""

from __future__ import annotations

from .interrupt import interrupts_exit

with interrupts_exit():
    from . import (  # noqa: F401
        alerts_cmds,
        analysis_cmds,
        catalogue_cmds,
        import_cmd,
        imports_cmds,
        names_cmds,
        publish_cmd,
        search_cmds,
        web_cmds,
    )
    from .base import cli


def main() -> None:
    """Console-script entry point."""
    # Until a command runs, Ctrl-C exits at once; ReslibGroup hands it back to the command.
    with interrupts_exit():
        cli(prog_name="reslib")


__all__ = ["cli", "main"]
