"""The bilingual glossary (``library/glossary.json``): names with their variants in both languages.

Each entry groups the spellings of one name: English variants (Burma, Myanmar) and Burmese ones
(မြန်မာ, ဗမာ), with a kind (place, group, term). Search uses it to expand queries both ways.
Burmese variants are stored normalized, so a Zawgyi-typed or ``၀``-for-``ဝ`` query finds them.
``import_tsv`` reads a user-supplied ``English<TAB>Burmese`` file (such as a transliteration
dictionary, whose Burmese side may be split into syllables by spaces).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .analysis import normalize_text
from .authority import name_key, slug
from .errors import InvalidInput
from .filecopy import FileCopy, file_stamp
from .storage import read_json_object, write_json

KINDS = ("place", "group", "term", "person")


@dataclass
class GlossaryEntry:
    id: str
    kind: str
    en: list[str] = field(default_factory=list)
    my: list[str] = field(default_factory=list)

    def variants(self) -> list[str]:
        return [*self.en, *self.my]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "en": self.en, "my": self.my}


def variant_key(text: str) -> str:
    """Comparison form: normalized, casefolded, spaces removed from Burmese."""
    norm = name_key(normalize_text(text))
    if re.search("[\u1000-\u109f]", norm):
        norm = re.sub(r"\s+", "", norm)
    return norm


class Glossary(FileCopy):
    """The glossary, loaded in memory; ``save`` writes it back atomically.

    Writers refresh their copy under the library lock before changing it (``FileCopy``).
    """

    def __init__(self, path: Path, entries: list[GlossaryEntry] | None = None) -> None:
        self.path = path
        self.entries: list[GlossaryEntry] = entries or []
        #: Changed in memory since it was loaded or saved.
        self.dirty = False
        self._index: dict[str, list[GlossaryEntry]] = {}
        self._ids = {e.id for e in self.entries}
        self._reindex()

    @classmethod
    def load(cls, path: Path) -> Glossary:
        stamp = file_stamp(path)
        if stamp is None:
            return cls(path)
        data = read_json_object(path)
        entries = []
        for i, item in enumerate(data.get("entries", [])):
            if not isinstance(item, dict) or not item.get("id"):
                raise InvalidInput(f"{path}: entry #{i + 1} needs an 'id'")
            entries.append(
                GlossaryEntry(
                    id=item["id"],
                    kind=item.get("kind", "term"),
                    en=list(item.get("en", [])),
                    my=[normalize_text(v) for v in item.get("my", [])],
                )
            )
        loaded = cls(path, entries)
        loaded._read_at(stamp)
        return loaded

    def save(self) -> None:
        self.entries.sort(key=lambda e: e.id)
        write_json(self.path, {"entries": [e.to_dict() for e in self.entries]})
        self._written()

    def _reindex(self) -> None:
        self._index = {}
        for entry in self.entries:
            self._index_entry(entry)

    def _index_entry(self, entry: GlossaryEntry) -> None:
        for v in entry.variants():
            bucket = self._index.setdefault(variant_key(v), [])
            if entry not in bucket:
                bucket.append(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, text: str) -> list[GlossaryEntry]:
        """Entries that have ``text`` as one of their variants."""
        return list(self._index.get(variant_key(text), []))

    def variants_of(self, text: str) -> list[str]:
        """Every other spelling of ``text`` in either language (empty when unknown)."""
        key = variant_key(text)
        out: list[str] = []
        for entry in self._index.get(key, []):
            for v in entry.variants():
                if variant_key(v) != key and v not in out:
                    out.append(v)
        return out

    def add(self, en: list[str], my: list[str], kind: str = "term") -> GlossaryEntry:
        """Add variants; merges into an existing entry that shares any variant."""
        if kind not in KINDS:
            raise InvalidInput(f"unknown glossary kind {kind!r}: use one of {', '.join(KINDS)}")
        my = [normalize_text(v) for v in my if v.strip()]
        en = [v.strip() for v in en if v.strip()]
        if not en and not my:
            raise InvalidInput("a glossary entry needs at least one variant")
        existing = next((e for v in [*en, *my] for e in self.lookup(v)), None)
        self.dirty = True
        if existing:
            for v in en:
                if variant_key(v) not in map(variant_key, existing.en):
                    existing.en.append(v)
            for v in my:
                if variant_key(v) not in map(variant_key, existing.my):
                    existing.my.append(v)
            self._index_entry(existing)
            return existing
        base = slug(en[0]) if en else "my-" + hashlib.sha1(my[0].encode()).hexdigest()[:8]
        new_id, i = base, 2
        while new_id in self._ids:
            new_id, i = f"{base}-{i}", i + 1
        entry = GlossaryEntry(new_id, kind, en, my)
        self.entries.append(entry)
        self._ids.add(new_id)
        self._index_entry(entry)
        return entry

    def import_tsv(self, path: Path, kind: str = "term") -> tuple[int, int]:
        """Read ``English<TAB>Burmese`` lines; returns (lines read, entries now in glossary)."""
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{path}: not UTF-8 (byte {exc.start}): convert it first") from None
        read = 0
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise InvalidInput(f"{path}:{n}: expected English<TAB>Burmese")
            en, my = parts[0].strip(), "".join(parts[1].split())
            self.add([en], [my], kind)
            read += 1
        return read, len(self.entries)
