"""The organizations authority file (``library/organizations.json``) and author-line splitting.

Each organization has a stable id, a preferred name, its Burmese name where known, acronyms
and other spellings. ``resolve`` maps any of those to the organization, so "FORUM-ASIA" and
"Asian Forum for Human Rights and Development" are one. ``split_authors`` splits a line such as
"ALTSEAN-Burma, Asia Justice and Rights, FORUM-ASIA and YAPPIKA" by the grammar of such lines
(``authorline``) without ever cutting a name the file knows in two.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .authorline import AuthorLine, read_author_line
from .errors import Conflict, InvalidInput, NotFound
from .filecopy import FileCopy, file_stamp
from .storage import read_json_object, write_json

_MYANMAR_RE = re.compile("[\u1000-\u109f]")


def name_key(name: str) -> str:
    """The comparison form of a name: NFKC, casefolded, straight quotes, single spaces."""
    name = unicodedata.normalize("NFKC", name)
    name = name.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    name = re.sub(r"\s+", " ", name).strip(" .").casefold()
    return re.sub(r"^the ", "", name)


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60] or "org"


@dataclass
class Organization:
    id: str
    name: str
    name_my: str = ""
    acronyms: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def all_names(self) -> list[str]:
        return [n for n in [self.name, self.name_my, *self.acronyms, *self.aliases] if n]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_my": self.name_my,
            "acronyms": self.acronyms,
            "aliases": self.aliases,
        }


class Organizations(FileCopy):
    """The authority file, loaded in memory; ``save`` writes it back atomically.

    Writers refresh their copy under the library lock before changing it (``FileCopy``).
    """

    def __init__(self, path: Path, orgs: list[Organization] | None = None) -> None:
        self.path = path
        self.orgs: list[Organization] = orgs or []
        #: Changed in memory since it was loaded or saved.
        self.dirty = False
        self._index: dict[str, Organization] = {}
        self._reindex()

    @classmethod
    def load(cls, path: Path) -> Organizations:
        stamp = file_stamp(path)
        if stamp is None:
            return cls(path)
        data = read_json_object(path)
        orgs = []
        for i, item in enumerate(data.get("organizations", [])):
            if not isinstance(item, dict) or not item.get("id") or not item.get("name"):
                raise InvalidInput(f"{path}: organization #{i + 1} needs an 'id' and a 'name'")
            orgs.append(
                Organization(
                    id=item["id"],
                    name=item["name"],
                    name_my=item.get("name_my", ""),
                    acronyms=list(item.get("acronyms", [])),
                    aliases=list(item.get("aliases", [])),
                )
            )
        loaded = cls(path, orgs)
        loaded._read_at(stamp)
        return loaded

    def save(self) -> None:
        self.orgs.sort(key=lambda o: o.name.casefold())
        write_json(self.path, {"organizations": [o.to_dict() for o in self.orgs]})
        self._written()

    def _reindex(self) -> None:
        self._index = {}
        for org in self.orgs:
            for n in org.all_names():
                self._index.setdefault(name_key(n), org)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.orgs)

    def __len__(self) -> int:
        return len(self.orgs)

    def get(self, org_id: str) -> Organization:
        for org in self.orgs:
            if org.id == org_id:
                return org
        found = self.resolve(org_id)
        if found:
            return found
        raise NotFound(f"no organization {org_id!r}: see 'reslib orgs list'")

    def resolve(self, name: str) -> Organization | None:
        """The organization that ``name`` (any spelling, acronym or Burmese name) stands for."""
        return self._index.get(name_key(name))

    def canonical(self, name: str) -> str:
        """The preferred name for ``name``, or ``name`` itself (tidied) when unknown."""
        org = self.resolve(name)
        return org.name if org else re.sub(r"\s+", " ", name).strip()

    def add(
        self,
        name: str,
        *,
        name_my: str = "",
        acronyms: list[str] | None = None,
        aliases: list[str] | None = None,
        org_id: str | None = None,
    ) -> Organization:
        name = re.sub(r"\s+", " ", name).strip()
        if not name:
            raise InvalidInput("an organization needs a name")
        for n in [name, name_my, *(acronyms or []), *(aliases or [])]:
            if n and self.resolve(n):
                raise Conflict(f"{n!r} already names {self.resolve(n).name!r}")  # type: ignore[union-attr]
        base = org_id or slug(name)
        new_id, i = base, 2
        while any(o.id == new_id for o in self.orgs):
            new_id, i = f"{base}-{i}", i + 1
        org = Organization(new_id, name, name_my, list(acronyms or []), list(aliases or []))
        self.orgs.append(org)
        self._reindex()
        self.dirty = True
        return org

    def merge(self, source_id: str, target_id: str) -> tuple[Organization, Organization]:
        """Fold ``source`` into ``target``: its names become aliases of the target."""
        source, target = self.get(source_id), self.get(target_id)
        if source is target:
            raise InvalidInput("cannot merge an organization into itself")
        for n in [source.name, *source.aliases]:
            if n not in target.aliases and n != target.name:
                target.aliases.append(n)
        for a in source.acronyms:
            if a not in target.acronyms:
                target.acronyms.append(a)
        if source.name_my and not target.name_my:
            target.name_my = source.name_my
        elif source.name_my and source.name_my != target.name_my:
            target.aliases.append(source.name_my)
        self.orgs.remove(source)
        self._reindex()
        self.dirty = True
        return source, target

    def known_name(self, text: str) -> str | None:
        """The preferred name of the organization ``text`` names in an author line, or None.

        A one-word Latin name counts only as the authority file spells it or written in
        capitals (``TWO`` is the Ta'ang Women's Organization; "Two" is a number)."""
        org = self.resolve(text)
        if org is None:
            return None
        text = unicodedata.normalize("NFKC", text).strip()
        latin = not _MYANMAR_RE.search(text)
        if latin and len(text.split()) == 1 and not text.isupper():
            spelled = {unicodedata.normalize("NFKC", n) for n in org.all_names()}
            if text not in spelled:
                return None
        return org.name

    def read_author_line(self, line: str) -> AuthorLine:
        """The organizations an author line names, and the names to check (``authorline``)."""
        return read_author_line(line, self.known_name)

    def split_authors(self, line: str) -> list[str]:
        """Split an author line into preferred organization names, keeping known names whole."""
        return self.read_author_line(line).names
