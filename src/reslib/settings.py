"""Every tunable of reslib: its environment variable, default, type and help, read when used.

A setting is read from the environment each time ``get`` is called, never at import time, so a
test or a long-running server sees the value in force now. A value that cannot be read is an
``InvalidInput`` naming the variable and what it takes (the CLI prints it as one line, exit 1),
not a traceback. ``tests/test_settings.py`` checks that the README documents every setting, as
Datasette checks its settings against its documentation.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput


@dataclass(frozen=True)
class Setting:
    """One tunable: ``env`` is the variable that sets it."""

    env: str
    default: Any
    kind: type
    help: str
    minimum: float | None = None

    def parse(self, raw: str) -> Any:
        converter: Callable[[str], Any] = _CONVERTERS[self.kind]
        try:
            value = converter(raw.strip())
        except ValueError:
            raise InvalidInput(
                f"{self.env}={raw!r} is not {_KIND_NAMES[self.kind]}: {self.help} "
                f"(default {self.default})"
            ) from None
        if self.minimum is not None and value < self.minimum:
            raise InvalidInput(
                f"{self.env}={raw!r} is below {self.minimum:g}: {self.help} "
                f"(default {self.default})"
            )
        return value


def _flag(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(raw)


_CONVERTERS: dict[type, Callable[[str], Any]] = {int: int, float: float, bool: _flag, str: str}
_KIND_NAMES = {int: "a whole number", float: "a number", bool: "1 or 0", str: "text"}

#: Every setting, by short name. Keep README's "Settings" table in step (a test checks it).
SETTINGS: dict[str, Setting] = {
    s.env.removeprefix("RESLIB_").lower(): s
    for s in (
        Setting(
            "RESLIB_HOME",
            "",
            str,
            "the library root (holds library/ and indexes/); --home overrides it; "
            "empty means the current directory",
        ),
        Setting(
            "RESLIB_LOCK_TIMEOUT",
            30.0,
            float,
            "seconds a writer waits for the library lock before giving up",
            minimum=0,
        ),
        Setting(
            "RESLIB_CACHE_POSTINGS",
            8_000_000,
            int,
            "postings kept in each process's search leaf cache (16 bytes each)",
            minimum=0,
        ),
        Setting(
            "RESLIB_NO_PROMPT",
            False,
            bool,
            "1: never prompt for missing fields, even in a terminal",
        ),
        Setting(
            "RESLIB_IMPORT_FILE_MB",
            100,
            int,
            "megabytes a file given to 'reslib import' (or named by a manifest) may have; "
            "a larger one is skipped with its reason (a manifest is read a chunk of rows at a "
            "time, so its size no longer sets the import's memory)",
            minimum=1,
        ),
        Setting(
            "RESLIB_IMPORT_FILE_SECONDS",
            120.0,
            float,
            "seconds 'reslib import' may spend reading one file (each file a manifest names "
            "has its own, and so do a manifest's whole-file check and each chunk of its rows); "
            "past that the file is skipped with its reason (a manifest's chunks before it are "
            "kept); 0: no limit",
            minimum=0,
        ),
        Setting(
            "RESLIB_IMPORT_WORKERS",
            0,
            int,
            "worker processes 'reslib import' reads a folder's files, prepares a large file's "
            "records and indexes a large group in, and 'reslib reindex' builds segments in "
            "unless --procs says; 0: one per core; 1: none (all in the command's process)",
            minimum=0,
        ),
        Setting(
            "RESLIB_IMPORT_PDF_MB",
            100,
            int,
            "megabytes the page content of one PDF may decompress to; a PDF beyond it "
            "(a compression bomb) is skipped with its reason",
            minimum=1,
        ),
        Setting(
            "RESLIB_OCR_LANGUAGES",
            "mya+eng",
            str,
            "the Tesseract languages pages without a text layer are read in "
            "('reslib import'; '--no-ocr' skips OCR)",
        ),
        Setting(
            "RESLIB_OCR_TESSDATA",
            "",
            str,
            "a folder of Tesseract traineddata files to read with instead of the installed "
            "ones (a better Burmese model; scans read with other models are read again when "
            "imported again); empty: Tesseract's own",
        ),
        Setting(
            "RESLIB_OCR_WORKERS",
            0,
            int,
            "worker processes that OCR pages at once; 0: one per core",
            minimum=0,
        ),
        Setting(
            "RESLIB_OCR_PAGE_SECONDS",
            120.0,
            float,
            "seconds Tesseract may spend on one page; past that the page is reported as "
            "failed and the rest of the file is imported",
            minimum=1,
        ),
        Setting(
            "RESLIB_OCR_MAX_PAGES",
            300,
            int,
            "pages of one PDF read by OCR at most; the pages beyond are reported (and the "
            "record stays flagged 'needs OCR')",
            minimum=0,
        ),
        Setting(
            "RESLIB_EXPORT_MAX",
            5000,
            int,
            "records one export of a search's results holds (the site's BibTeX, RIS, CSV "
            "and JSON Lines downloads and /api/export); a longer list gives its first ones, "
            "and the results page says so",
            minimum=1,
        ),
        Setting(
            "RESLIB_OAI_PAGE_SIZE",
            100,
            int,
            "records or identifiers in one OAI-PMH list response (/oai); the rest follow "
            "through resumption tokens",
            minimum=1,
        ),
        Setting(
            "RESLIB_OAI_TOKEN_HOURS",
            24.0,
            float,
            "hours an OAI-PMH resumption token stays valid after it was issued",
            minimum=0.01,
        ),
        Setting(
            "RESLIB_OAI_ADMIN_EMAIL",
            "",
            str,
            "the address OAI-PMH's Identify gives harvesters to write to; "
            "empty means webmaster@ the site's host name",
        ),
        # Search alerts by email (reslib.alerts): the SMTP server, then the abuse limits.
        Setting(
            "RESLIB_SMTP_HOST",
            "",
            str,
            "the SMTP server search alerts are mailed through; empty: alerts are off (no form "
            "on the search page, POST /api/alerts answers 503)",
        ),
        Setting("RESLIB_SMTP_PORT", 25, int, "the SMTP server's port", minimum=1),
        Setting(
            "RESLIB_SMTP_USER",
            "",
            str,
            "the user name to log in to the SMTP server with (only over TLS); empty: no login",
        ),
        Setting("RESLIB_SMTP_PASSWORD", "", str, "the password of RESLIB_SMTP_USER"),
        Setting(
            "RESLIB_SMTP_FROM",
            "",
            str,
            "the From address of alert mails; empty: reslib@ the SMTP server's host name",
        ),
        Setting(
            "RESLIB_SMTP_STARTTLS",
            False,
            bool,
            "1: switch the SMTP connection to TLS with STARTTLS before anything is sent",
        ),
        Setting(
            "RESLIB_SMTP_SSL",
            False,
            bool,
            "1: connect to the SMTP server over TLS from the start (usually port 465)",
        ),
        Setting(
            "RESLIB_SMTP_TIMEOUT",
            30.0,
            float,
            "seconds to wait for the SMTP server at each step before the mail counts as not sent",
            minimum=0.1,
        ),
        Setting(
            "RESLIB_ALERTS_SITE_URL",
            "",
            str,
            "the site's address as alert mails link to it (e.g. https://reslib.example); "
            "empty: the address the subscription was made at",
        ),
        Setting(
            "RESLIB_ALERTS_CONFIRM_HOURS",
            48.0,
            float,
            "hours a confirmation link stays valid; an alert not confirmed by then is dropped",
            minimum=0.01,
        ),
        Setting(
            "RESLIB_ALERTS_UNCONFIRMED_PER_ADDRESS",
            3,
            int,
            "alerts awaiting confirmation one address may have; more are refused (429)",
            minimum=1,
        ),
        Setting(
            "RESLIB_ALERTS_UNCONFIRMED_PER_CLIENT",
            10,
            int,
            "alerts awaiting confirmation one client (IP address) may have asked for; more "
            "are refused (429)",
            minimum=1,
        ),
        Setting(
            "RESLIB_ALERTS_DIGEST_LIMIT",
            50,
            int,
            "records listed in one alert mail; more are counted, with a link to the search",
            minimum=1,
        ),
        Setting(
            "RESLIB_PUBLISH_SSH",
            "ssh",
            str,
            "the ssh command (and options) 'reslib publish HOST:PATH' reaches the host with",
        ),
    )
}


def get(name: str) -> Any:
    """The value of setting ``name`` (a key of ``SETTINGS``) in force now."""
    setting = SETTINGS[name]
    raw = os.environ.get(setting.env)
    if raw is None:
        return setting.default
    return setting.parse(raw)


__all__ = ["SETTINGS", "Setting", "get"]
