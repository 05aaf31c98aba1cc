"""The records an import run can match items against, and the run's view of the catalogue.

An item is the record whose import key (``Record.imported["source"]``) or source URL it
shares; URLs equal but for a language marker (``/my/``, ``?lang=my``) mark translations;
titles are compared for possible duplicates. With ``--key`` (``keys``) an item is the record
whose key value it shares (``match_key``). A dry run writes nothing, so the records it would
create are kept here (``keep``) and read back as if they were in the catalogue.
"""

from __future__ import annotations

from ..catalogue import Catalogue
from ..errors import ReslibError
from ..models import Record
from .base import Item, language_neutral_url, url_key
from .duplicates import TitleIndex
from .keys import identity, item_key


class KnownRecords:
    """Every record of the catalogue by import key, URL and title, plus the dry run's own."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._virtual: dict[str, Record] = {}
        self._seen: set[str] = set()
        self._by_key: dict[str, str] = {}
        self._by_column: dict[tuple[str, str], str] = {}
        self._by_neutral_url: dict[str, list[str]] = {}
        self._titles = TitleIndex()

    def load(self) -> None:
        """Remember every readable record of the catalogue not remembered yet.

        Called once before the run and again each time the run takes the library lock: the
        records another writer created meanwhile are read then (one directory listing when
        there are none).
        """
        for record_id in self.catalogue.ids():
            if record_id in self._seen:
                continue
            self._seen.add(record_id)
            try:
                record = self.catalogue.get(record_id)
            except ReslibError:
                continue  # 'reslib check' reports unreadable records; the import goes on.
            self.remember(record)

    def remember(self, record: Record) -> None:
        """Make ``record`` findable by its import key, URL and title."""
        self._seen.add(record.id)
        source = record.imported.get("source")
        if isinstance(source, str):
            self._by_key.setdefault(source, record.id)
        key = item_key(record.imported)
        if key is not None:
            column, value = key
            self._by_column[column, identity(column, value)] = record.id
        if record.source_url:
            self._by_key.setdefault(url_key(record.source_url), record.id)
            neutral = self._by_neutral_url.setdefault(language_neutral_url(record.source_url), [])
            if record.id not in neutral:
                neutral.append(record.id)
        self._titles.add(record.id, record.title, record.language)

    def keep(self, record: Record) -> None:
        """Hold a record a dry run would have written."""
        self._virtual[record.id] = record

    # -- reads ---------------------------------------------------------------------------
    def exists(self, record_id: str) -> bool:
        return record_id in self._virtual or self.catalogue.exists(record_id)

    def get(self, record_id: str) -> Record:
        if record_id in self._virtual:
            return self._virtual[record_id]
        return self.catalogue.get(record_id)

    def new_id(self, date: str, title: str) -> str:
        """A fresh id, free in the catalogue and among the dry run's records."""
        base = self.catalogue.new_id(date, title)
        candidate, n = base, 2
        while candidate in self._virtual:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    # -- matching ------------------------------------------------------------------------
    def match(self, item: Item) -> str | None:
        """The id of the record ``item`` was imported as before (by key, then URL), if any."""
        existing_id = self._by_key.get(item.key)
        if existing_id is None and item.source_url:
            existing_id = self._by_key.get(url_key(item.source_url))
        if existing_id is not None and not self.exists(existing_id):
            return None
        return existing_id

    def match_key(self, item: Item, column: str) -> str | None:
        """The id of the record whose ``column`` key value ``item`` shares (``--key``).

        ``id`` names the record itself and ``source_url`` its URL. For another column a
        record imported before without a key is found as ``match`` finds it, unless that
        record holds a different value of the same key: then the item is another record.
        """
        key = item_key(item.provenance)
        if key is None:
            return None
        value = key[1]
        if column == "id":
            return value if self.exists(value) else None
        if column == "source_url":
            found = self._by_key.get(url_key(value))
        else:
            found = self._by_column.get((column, identity(column, value)))
            if found is None:
                found = self.match(item)
                if found is not None:
                    held = item_key(self.get(found).imported)
                    if held is not None and held[0] == column:
                        return None
        return found if found is not None and self.exists(found) else None

    def resolve_ref(self, ref: str) -> str | None:
        """The record a link names: an id, or the URL of an imported record."""
        if self.exists(ref):
            return ref
        if ref.startswith(("http://", "https://")):
            return self._by_key.get(url_key(ref))
        return None

    def url_translations(self, candidate: Record, translations: list[str]) -> list[str]:
        """Records whose URL is this one's with another language marker are translations."""
        if not candidate.source_url:
            return translations
        own = url_key(candidate.source_url)
        for other_id in self._by_neutral_url.get(language_neutral_url(candidate.source_url), []):
            other = self.get(other_id)
            if (
                other.language != candidate.language
                and url_key(other.source_url) != own
                and other_id not in translations
            ):
                translations.append(other_id)
        return translations

    def similar_titles(self, record: Record) -> list[str]:
        """Records whose titles are near-identical to ``record``'s (possible duplicates)."""
        return self._titles.similar(record.id, record.title, record.language)
