"""What a forked worker process does as it starts: it never outlives the command that
forked it.

Import and reindex fork pools of workers (``concurrent.futures``) that wait on a pipe for
their next task. A worker holds both ends of that pipe (the fork copied them), so when the
command is killed (``kill -9``, the out-of-memory killer) the pipe never closes and the
worker waits for ever, with the command's memory as it was at the fork. ``exit_with_parent``
starts a thread that ends the worker once its parent is gone.
"""

from __future__ import annotations

import os
import threading
import time

#: Seconds between two looks at the parent.
POLL_SECONDS = 1.0


def exit_with_parent(interval: float = POLL_SECONDS) -> None:
    """End this (forked) process once the process that forked it is gone: call it first in
    a worker pool's initializer."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="reslib-exit-with-parent", daemon=True).start()


__all__ = ["POLL_SECONDS", "exit_with_parent"]
