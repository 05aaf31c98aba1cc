"""What every format parser produces, and the small decisions they share.

A parser turns one file into a ``Document``: a list of ``Item`` (one per future record) and the
links between them. Items carry raw, un-normalized values plus an import ``key`` that says what
the item *is*, so that a second import of the same thing finds the same record. The run
(``reslib.importers.run``) decides ids, normalization, matching and writing; parsers never
touch the catalogue.

Keys are URLs when the source knows one (so a saved page and a manifest row for the same URL
are one record), else derived from where the item came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

# The parsers' language decision lives with the analysis (issue 14): re-exported here, where
# the parsers and importers/__init__ have always found it.
from ..analysis.language import detect_language as detect_language
from ..authorline import AuthorLine

if TYPE_CHECKING:
    from ..models import Record


class SkipFile(Exception):
    """This file (or row) cannot be imported; the message is the reason shown in the summary."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Item:
    """One future record, as found in the source (values not yet normalized)."""

    key: str
    title: str
    date: str = ""
    type: str = ""  # "" -> --type, else "other"
    language: str = ""  # "" -> --language, else detected from the text
    organizations: list[str] = field(default_factory=list)
    #: The site or archive that published the item: its organization when neither the source
    #: nor ``--organization`` names one.
    publisher: str = ""
    summary: str = ""
    body: str = ""
    source_url: str = ""
    places: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    #: The id the source asks for (a manifest's ``id`` column); else one is made up.
    record_id: str = ""
    #: A document to keep with the record under ``library/files/ID/``.
    attach: Path | None = None
    #: Links to documents (PDFs, attachments) found in the source.
    documents: list[str] = field(default_factory=list)
    #: Existing record ids (or keys/titles of items of the same document) given by the source.
    translation_refs: list[str] = field(default_factory=list)
    related_refs: list[str] = field(default_factory=list)
    #: The source does not state the type (it is empty or guessed from keywords in a title):
    #: ``--type`` overrides it, and a translation takes its original's type instead.
    type_guessed: bool = False
    #: Extra provenance kept in ``Record.imported`` (e.g. authors, page count).
    provenance: dict[str, Any] = field(default_factory=dict)
    #: A reason to skip just this item (a bad manifest row); the rest of the file is imported.
    skip_reason: str = ""


@dataclass
class Document:
    """What one file holds: its items and the links a parser found between them."""

    key: str
    format: str
    items: list[Item] = field(default_factory=list)
    #: (i, j) pairs of item indexes: j is a translation of i (linked both ways).
    translations: list[tuple[int, int]] = field(default_factory=list)
    #: (i, j) pairs of item indexes related to each other (an update and what it lists).
    related: list[tuple[int, int]] = field(default_factory=list)
    #: Files skipped inside this document (manifest rows whose ``file`` is missing, ...).
    notes: list[str] = field(default_factory=list)
    #: A chunk of a large manifest (``manifest``): the number in its file of ``items[0]``
    #: (``translations`` and ``related`` pairs number items in the file), the ids written
    #: so far by item number, shared by the file's chunks (the writer keeps there the ids
    #: later chunks link to), and whether the file has more than this chunk.
    offset: int = 0
    written_ids: dict[int, str] | None = None
    chunked: bool = False


@dataclass
class ParseOptions:
    """What parsers need from the caller: the run's options and the authority file.

    ``allowed_dirs``: folders besides a manifest's own whose files its rows may name;
    ``max_bytes`` and ``seconds``: the budget of each file a manifest names (``budget``).
    """

    #: An author line read into organization names and the names to check (``authorline``).
    read_author_line: Callable[[str], AuthorLine]
    resolve_organization: Callable[[str], bool]
    ignore_extra: bool = False
    allowed_dirs: tuple[Path, ...] = ()
    max_bytes: int = 100 * 2**20
    seconds: float = 0.0
    #: ``--key``: the manifest column whose value says which record a row is (upserts);
    #: its raw value is passed on in ``Item.provenance["key"]`` (``importers.keys``).
    key_column: str = ""
    #: Read pages without a text layer by OCR (``--no-ocr``: False); ``ocr_progress`` is
    #: told each page done (file name, pages done, pages to do).
    ocr: bool = True
    ocr_progress: Callable[[str, int, int], None] | None = None
    #: The record an item key was imported as before, or None: what a parser may reuse from
    #: that import instead of doing it again (a scanned PDF's OCR, ``pdf``). None: no library.
    imported_as: Callable[[str], Record | None] | None = None


#: A format's parser: a file's path and bytes in, its items out (``detect.FORMATS``).
Parse = Callable[[Path, bytes, ParseOptions], Document]


# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates (U+202A-E, U+2066-9) that make text display as something it is not.
_CONTROLS_RE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")


def remove_controls(text: str) -> str:
    """``text`` without control characters (see ``_CONTROLS_RE``); line ends become ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS_RE.sub("", text)


def one_line(text: str, limit: int = 200) -> str:
    """A message from elsewhere (a library's exception) fit for one line of the summary."""
    text = clean_space(remove_controls(text))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clean_space(text: str) -> str:
    """One line: NBSPs and runs of white space become single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def clean_paragraphs(text: str) -> str:
    """Paragraphs separated by one blank line, each paragraph's white space tidied."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for p in paragraphs:
        lines = [clean_space(line) for line in p.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            out.append(joined)
    return "\n\n".join(out)


# Checked in order: the first match wins, so "press release" beats a bare "statement".
_TYPE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("open-letter", re.compile(r"\bopen\s+letter|အိတ်ဖွင့်ပေးစာ", re.IGNORECASE)),
    ("press-release", re.compile(r"\bpress\s+release|သတင်းထုတ်ပြန်ချက်", re.IGNORECASE)),
    ("statement", re.compile(r"\bstatement|ထုတ်ပြန်ချက်|ကြေညာချက်", re.IGNORECASE)),
    ("report", re.compile(r"\breports?\b|briefing\s+paper|အစီရင်ခံစာ", re.IGNORECASE)),
    ("update", re.compile(r"\bweekly\s+updates?\b|\bupdates?\b", re.IGNORECASE)),
    ("news", re.compile(r"\bnews\b|သတင်း", re.IGNORECASE)),
]


def guess_type(*hints: str, default: str = "other") -> str:
    """A record type from category names or a title; ``default`` when nothing matches."""
    for hint in hints:
        for type_key, pattern in _TYPE_WORDS:
            if pattern.search(hint):
                return type_key
    return default


def url_key(url: str) -> str:
    """The identity of a URL: scheme, ``www.``, fragment and trailing slash do not count."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return "url:" + urlunsplit(("", host, path, parts.query, "")).lstrip("/")


_LANG_SEGMENT_RE = re.compile(r"^(en|eng|english|my|mm|mya|burmese|myanmar)$", re.IGNORECASE)
_LANG_SUFFIX_RE = re.compile(r"[-_](en|eng|english|my|mm|mya|burmese)$", re.IGNORECASE)
_LANG_QUERY_RE = re.compile(r"(^|&)(lang|language|locale)=[^&]*", re.IGNORECASE)


def language_neutral_url(url: str) -> str:
    """A URL with its language markers removed: ``/my/report-mm.pdf`` ~ ``/en/report.pdf``.

    Two items of different languages whose URLs agree after this are translations.
    """
    parts = urlsplit(url.strip())
    segments = [s for s in parts.path.split("/") if s and not _LANG_SEGMENT_RE.match(s)]
    if segments:
        stem, dot, ext = segments[-1].rpartition(".")
        if dot:
            segments[-1] = _LANG_SUFFIX_RE.sub("", stem) + "." + ext
        else:
            segments[-1] = _LANG_SUFFIX_RE.sub("", ext)
    query = _LANG_QUERY_RE.sub("", parts.query).strip("&")
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}/{'/'.join(segments)}?{query}".lower()


def title_key(title: str) -> str:
    """The comparison form of a title: NFKC, casefolded, punctuation and spacing removed."""
    title = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", " ", title).strip()


def file_key(path: Path) -> str:
    """A file's identity without a URL: its folder's name and its own.

    Stable when a librarian moves the whole collection, and the folder name tells apart the
    many ``index.html`` of a site saved page by page.
    """
    return f"file:{path.parent.name}/{path.name}"
