"""The catalogue record: its fields, controlled vocabularies and validation.

Standard library only. A ``Record`` is what one file in ``library/records/`` holds; its JSON
form (``to_dict``) has a stable key order so that files diff cleanly. Validation errors name
the record and the field, in one line, and are ``InvalidInput`` (exit code 1).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .errors import InvalidInput

#: Record types: the key is stored, the labels are shown (English, Burmese).
TYPES: dict[str, tuple[str, str]] = {
    "statement": ("Statement", "ထုတ်ပြန်ချက်"),
    "press-release": ("Press release", "သတင်းထုတ်ပြန်ချက်"),
    "open-letter": ("Open letter", "အိတ်ဖွင့်ပေးစာ"),
    "report": ("Report", "အစီရင်ခံစာ"),
    "update": ("Update", "အပတ်စဉ်သတင်းလွှာ"),
    "news": ("News", "သတင်း"),
    "other": ("Other", "အခြား"),
}

#: ``en``, ``my``, ``en+my`` for a bilingual item (which matches either language filter), or
#: the ISO 639-1 code of another language: those ``reslib.analysis.language`` can tell apart.
#: Labels: English, Burmese. Only English text is stemmed as English (``stems_english``).
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "အင်္ဂလိပ်"),
    "my": ("Burmese", "မြန်မာ"),
    "en+my": ("English and Burmese", "အင်္ဂလိပ်နှင့် မြန်မာ"),
    "ar": ("Arabic", "အာရဗီ"),
    "bn": ("Bengali", "ဘင်္ဂါလီ"),
    "cs": ("Czech", "ချက်"),
    "da": ("Danish", "ဒိန်းမတ်"),
    "de": ("German", "ဂျာမန်"),
    "el": ("Greek", "ဂရိ"),
    "es": ("Spanish", "စပိန်"),
    "fa": ("Persian", "ပါရှန်"),
    "fi": ("Finnish", "ဖင်လန်"),
    "fr": ("French", "ပြင်သစ်"),
    "he": ("Hebrew", "ဟီဘရူး"),
    "hi": ("Hindi", "ဟိန္ဒီ"),
    "hu": ("Hungarian", "ဟန်ဂေရီ"),
    "id": ("Indonesian", "အင်ဒိုနီးရှား"),
    "it": ("Italian", "အီတလီ"),
    "ja": ("Japanese", "ဂျပန်"),
    "km": ("Khmer", "ခမာ"),
    "ko": ("Korean", "ကိုရီးယား"),
    "lo": ("Lao", "လာအို"),
    "ms": ("Malay", "မလေး"),
    "ne": ("Nepali", "နီပေါ"),
    "nl": ("Dutch", "ဒတ်ချ်"),
    "no": ("Norwegian", "နော်ဝေ"),
    "pl": ("Polish", "ပိုလန်"),
    "pt": ("Portuguese", "ပေါ်တူဂီ"),
    "ro": ("Romanian", "ရိုမေးနီးယား"),
    "ru": ("Russian", "ရုရှား"),
    "si": ("Sinhala", "သီဟိုဠ်"),
    "sk": ("Slovak", "ဆလိုဗက်"),
    "sv": ("Swedish", "ဆွီဒင်"),
    "ta": ("Tamil", "တမီးလ်"),
    "th": ("Thai", "ထိုင်း"),
    "tl": ("Tagalog", "တဂါလော့"),
    "tr": ("Turkish", "တူရကီ"),
    "uk": ("Ukrainian", "ယူကရိန်း"),
    "ur": ("Urdu", "အူရဒူ"),
    "vi": ("Vietnamese", "ဗီယက်နမ်"),
    "zh": ("Chinese", "တရုတ်"),
}
#: Record languages whose Latin-script words are stemmed as English: English, and Burmese
#: text, whose Latin words are English names and acronyms.
ENGLISH_STEMMED = frozenset({"en", "my", "en+my"})


def stems_english(language: str) -> bool:
    """Whether a record in ``language`` has its Latin-script words stemmed as English
    (porter2 would make the French ``pays``, country, the English ``pay``)."""
    return language in ENGLISH_STEMMED


# ``\Z``, not ``$``: ``$`` also matches before a final newline, which would let ``"id\n"``
# through and name a record file with a control character in it.
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}\Z")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
#: The ``date`` of a record whose date is unknown (an imported page that names none): such a
#: record is valid, sorts after every dated one, and has the year facet value ``UNDATED_YEAR``.
UNDATED = ""
#: The year facet and filter value of undated records (``year=undated``).
UNDATED_YEAR = "undated"
URL_RE = re.compile(r"^https?://\S+$")

#: Fields a librarian may set with ``edit --set``; list fields take comma-separated values.
TEXT_FIELDS = ("title", "summary", "body")
LIST_FIELDS = ("organizations", "translations", "related", "places", "topics")
#: Kept by reslib itself: timestamps, provenance and the pre-conversion text.
BOOKKEEPING_FIELDS = ("id", "added", "updated", "original", "imported", "flags")
#: Written to every record file even when empty, so a librarian sees what can be filled in.
ALWAYS_WRITTEN = ("id", "type", "title", "language", "date", "organizations", "summary", "body")


def type_label(key: str, lang: str) -> str:
    """A record type's name in the interface language ``lang`` (the key if unknown)."""
    labels = TYPES.get(key)
    return labels[lang == "my"] if labels else key


def language_label(key: str, lang: str) -> str:
    """A language code's name in the interface language ``lang`` (the code if unknown)."""
    labels = LANGUAGES.get(key)
    return labels[lang == "my"] if labels else key


def normalize_type(value: str) -> str:
    """Accept ``Press release``, ``press_release`` or ``press-release``; return the key."""
    key = re.sub(r"[\s_]+", "-", value.strip().lower())
    if key not in TYPES:
        raise InvalidInput(
            f"unknown type {value!r}: use one of {', '.join(TYPES)} (see 'reslib types')"
        )
    return key


_LANGUAGE_ALIASES = {
    "burmese": "my",
    "myanmar": "my",
    "my+en": "en+my",
    "bilingual": "en+my",
    "en,my": "en+my",
    "my,en": "en+my",
    "both": "en+my",
    # English names: "French" is fr, "english" en.
    **{en.lower().replace(" ", ""): code for code, (en, _) in LANGUAGES.items()},
}


def normalize_language(value: str) -> str:
    """A language code from a code or an English name (``French`` -> ``fr``)."""
    v = value.strip().lower().replace(" ", "")
    v = _LANGUAGE_ALIASES.get(v, v)
    if v not in LANGUAGES:
        raise InvalidInput(
            f"unknown language {value!r}: use en, my, en+my or another ISO 639-1 code "
            "(see 'reslib types')"
        )
    return v


def check_language_filter(value: str) -> str:
    """A language filter value as the API and ``reslib search --lang`` take it: a code."""
    if value not in LANGUAGES:
        raise InvalidInput(
            f"unknown language {value!r}: use en, my, en+my or another ISO 639-1 code "
            "such as fr (see 'reslib types')"
        )
    return value


def validate_date(value: str) -> str:
    """An ISO date, possibly partial: ``2023``, ``2023-09`` or ``2023-09-15``."""
    m = DATE_RE.match(value.strip())
    if not m:
        raise InvalidInput(f"invalid date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise InvalidInput(f"invalid date {value!r}: no such day") from None
    return m.group(0)


def validate_record_date(value: str) -> str:
    """A record's date: ``validate_date``'s forms, or blank for a date not known (``UNDATED``).

    Filters and ranges keep using ``validate_date``: a range needs a real date."""
    if not value.strip():
        return UNDATED
    return validate_date(value)


_YEAR_FILTER_RE = re.compile(rf"^(\d{{4}}|{UNDATED_YEAR})\Z")


def check_year_filter(value: str) -> str:
    """A year filter value (the API's and ``reslib search --year``): four digits, or
    ``undated`` for the records whose date is unknown."""
    if not _YEAR_FILTER_RE.match(value):
        raise InvalidInput(f"year {value!r} must be four digits, e.g. 2023, or {UNDATED_YEAR!r}")
    return value


def now() -> str:
    return _stamp(datetime.now(UTC))


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def next_stamp(previous: str) -> str:
    """The ``updated`` stamp of a record saved over the version stamped ``previous``.

    The stamp is the record's version (a write states the version it read), so every save
    must change it. Stamps have whole seconds, except for a save within the same second as
    ``previous`` (or earlier, when the clock went back): that one gets microseconds
    (``2023-09-15T10:00:00.250000Z``, still ISO 8601), later than ``previous`` without
    claiming a time in the future. A stamp that cannot be read (a hand edit) is replaced.
    """
    current = datetime.now(UTC)
    whole = current.replace(microsecond=0)
    try:
        last = datetime.fromisoformat(previous)
    except ValueError:
        return _stamp(whole)
    last = last.replace(tzinfo=UTC) if last.tzinfo is None else last.astimezone(UTC)
    if whole > last:
        return _stamp(whole)
    precise = max(current, last + timedelta(microseconds=1))
    return precise.isoformat(timespec="microseconds").replace("+00:00", "Z")


def encodes_as_utf8(value: Any) -> bool:
    """Whether every string in ``value`` (a field's value: text, or lists and mappings of
    it) can be written as UTF-8. Imports validate each record several times, so this walks
    the strings rather than encoding the whole value as JSON (what a record file is)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list | tuple):
        return all(map(encodes_as_utf8, value))
    if isinstance(value, dict):
        return all(encodes_as_utf8(k) and encodes_as_utf8(v) for k, v in value.items())
    if value is None or isinstance(value, bool | int | float):
        return True
    # Anything else is written the way JSON writes it: check that. A value JSON cannot
    # write at all (a command-line option's file object) holds no text to check.
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    except (TypeError, ValueError):
        return True
    return True


@dataclass
class Record:
    """One catalogue item."""

    id: str
    type: str
    title: str
    language: str
    date: str
    organizations: list[str] = field(default_factory=list)
    summary: str = ""
    body: str = ""
    source_url: str = ""
    source_file: str = ""
    translations: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    added: str = ""
    updated: str = ""
    #: Text fields as they were before Zawgyi conversion changed them.
    original: dict[str, str] = field(default_factory=dict)
    #: Left by an importer: where the record came from and a checksum of each field as
    #: imported, so a re-import can tell a librarian's edit from a changed source.
    imported: dict[str, Any] = field(default_factory=dict)
    #: Importer notes such as "needs OCR".
    flags: list[str] = field(default_factory=list)

    @property
    def year(self) -> str:
        """The year, or ``""`` when the date is unknown."""
        return self.date[:4]

    @property
    def undated(self) -> bool:
        return self.date == UNDATED

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            # Keep files small and diffs quiet: empty optional fields are left out.
            if value in ("", [], {}) and f.name not in ALWAYS_WRITTEN:
                continue
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "record") -> Record:
        """Build and validate a record from its JSON form; errors name ``where`` and the field."""
        if not isinstance(data, dict):
            raise InvalidInput(f"{where}: expected a JSON object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidInput(f"{where}: unknown field {unknown[0]!r}")
        for name in ("id", "type", "title", "language"):
            if not isinstance(data.get(name), str) or not data[name].strip():
                raise InvalidInput(f"{where}: field {name!r} is missing or empty")
        # A date may be unknown: written as "" (ALWAYS_WRITTEN), or left out of a hand-made file.
        data = {"date": UNDATED, **data}
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name in LIST_FIELDS or f.name == "flags":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise InvalidInput(f"{where}: field {f.name!r} must be a list of strings")
            elif f.name in ("original", "imported"):
                if not isinstance(value, dict):
                    raise InvalidInput(f"{where}: field {f.name!r} must be an object")
            elif not isinstance(value, str):
                raise InvalidInput(f"{where}: field {f.name!r} must be a string")
            kwargs[f.name] = value
        record = cls(**kwargs)
        record.validate(where)
        return record

    def validate(self, where: str | None = None) -> None:
        """Raise InvalidInput naming the record and field of the first problem found."""
        if not ID_RE.match(self.id):
            # Named only escaped: a bad id may hold a newline or a bidi control.
            raise InvalidInput(
                f"{where or 'record'}: field 'id' {self.id!r} must be lowercase letters, "
                "digits and hyphens"
            )
        where = where or f"record {self.id}"
        for name, check in (
            ("type", normalize_type),
            ("language", normalize_language),
            ("date", validate_record_date),
        ):
            try:
                setattr(self, name, check(getattr(self, name)))
            except InvalidInput as exc:
                raise InvalidInput(f"{where}: field {name!r}: {exc.message}") from None
        if not self.title.strip():
            raise InvalidInput(f"{where}: field 'title' is empty")
        if self.source_url and not URL_RE.match(self.source_url):
            raise InvalidInput(f"{where}: field 'source_url' {self.source_url!r} is not a URL")
        for name in ("translations", "related"):
            for ref in getattr(self, name):
                if ref == self.id:
                    raise InvalidInput(f"{where}: field {name!r} links the record to itself")
        self._require_utf8(where)

    def _require_utf8(self, where: str) -> None:
        """Refuse text that cannot be written as UTF-8: a lone surrogate, which is how Python
        hands over command-line bytes that were not UTF-8. Checked before anything is
        written, so a save never fails half-way (after the authority file was written)."""
        for f in fields(self):
            if not encodes_as_utf8(getattr(self, f.name)):
                raise InvalidInput(
                    f"{where}: field {f.name!r} is not valid UTF-8 text: type it again"
                )

    def with_changes(self, **changes: Any) -> Record:
        return replace(self, **changes)


#: Fields a librarian may set with ``edit --set``: every field but the bookkeeping ones.
EDITABLE_FIELDS = tuple(f.name for f in fields(Record) if f.name not in BOOKKEEPING_FIELDS)


def field_names(*, without: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The record's field names in file order, less ``without``: modules that list fields
    (public views, exports, import columns) derive their lists here, so a new field is
    added in one place."""
    return tuple(f.name for f in fields(Record) if f.name not in without)


#: Fields kept for the librarian only: never shown on the public site or API.
PRIVATE_FIELDS = ("source_file", "translations", "related", "original", "imported", "flags")
#: Fields a visitor sees.
PUBLIC_FIELDS = field_names(without=PRIVATE_FIELDS)
