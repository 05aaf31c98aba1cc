"""Organization and glossary changes: the part of ``Catalogue`` that writes the authority
file and the glossary, each under the library lock and read again once the lock is held.

A mixin of ``Catalogue``: it uses the catalogue's ``locked``, ``batch``, ``records``,
``organizations``, ``glossary`` and ``_commit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..authority import Organization
from ..errors import InvalidInput
from ..glossary import GlossaryEntry
from ..models import next_stamp


class NameOperations:
    """Organizations and glossary entries added, merged and imported (mixed into
    ``Catalogue``)."""

    def add_organization(
        self,
        name: str,
        *,
        name_my: str = "",
        acronyms: Sequence[str] = (),
        aliases: Sequence[str] = (),
    ) -> Organization:
        """Add an organization to the authority file and save it."""
        with self.locked():
            org = self.organizations.add(
                name, name_my=name_my, acronyms=list(acronyms), aliases=list(aliases)
            )
            self.organizations.save()
            return org

    def merge_organizations(self, source: str, target: str) -> list[str]:
        """Merge two organizations and rename the source in every record; returns ids changed."""
        with self.locked(), self.batch():
            src, tgt = self.organizations.merge(source, target)
            changed = []
            for record in list(self.records()):
                if src.name in record.organizations:
                    record.organizations = list(
                        dict.fromkeys(
                            tgt.name if o == src.name else o for o in record.organizations
                        )
                    )
                    record.updated = next_stamp(record.updated)
                    self._commit(record)
                    changed.append(record.id)
            self.organizations.save()
            return changed

    def add_glossary_entry(
        self, en: Sequence[str], my: Sequence[str], kind: str = "term"
    ) -> GlossaryEntry:
        """Add variants (they join an entry that has one of them already) and save."""
        with self.locked():
            entry = self.glossary.add(list(en), list(my), kind)
            self.glossary.save()
            return entry

    def import_glossary(self, path: Path, kind: str = "term") -> tuple[int, int]:
        """Add a file's ``English<TAB>Burmese`` lines and save; returns (lines read, entries).

        A bad line stops the import with nothing saved.
        """
        if not path.is_file():
            raise InvalidInput(f"{path}: no such file")
        with self.locked():
            read, total = self.glossary.import_tsv(path, kind)
            self.glossary.save()
            return read, total
