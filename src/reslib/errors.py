"""One exception family: a user-facing one-line message, an exit code and an HTTP status.

The CLI turns a ``ReslibError`` into its message and exit code; the web layer into its JSON
error shape and status. Nothing else needs to know which is which.
"""

from __future__ import annotations


class ReslibError(Exception):
    """A problem the user can fix: the message says what to do."""

    exit_code = 1
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ReslibError):
    """A record, organization or page that does not exist."""

    http_status = 404


class InvalidInput(ReslibError):
    """A value that fails validation (a date, a type, a file that is not UTF-8, ...)."""


class Conflict(ReslibError):
    """An id that exists already, or a lock held by another process."""

    http_status = 409
