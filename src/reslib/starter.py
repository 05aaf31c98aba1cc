"""The starter glossary and authority file a new library begins with (``reslib init``).

A library with an empty glossary finds nothing for "Burma" in records that say "Myanmar", and
one with an empty authority file cuts names it has never seen. The starter files, compiled by
hand for this project and shipped in the package (``reslib/data``), give a new library what
every Myanmar collection needs on day one:

- ``starter_glossary.json``: the country's old and new names (Burma/Myanmar, Rangoon/Yangon,
  Arakan/Rakhine, Karenni/Kayah, Pegu/Bago, ...), its states and regions, major cities and
  townships, peoples, rivers and neighbours, the junta's names (SAC, State Administration
  Council, military council) and the resistance's, and common human-rights terms, each with
  its Burmese spellings where they are certain;
- ``starter_organizations.json``: UN agencies, ASEAN bodies, the major Myanmar and regional
  human-rights and civil-society organizations, the resistance government and parties and
  the main ethnic armed organizations, with acronyms and Burmese names where they are certain.

Both are in the library's own formats (``glossary``, ``authority``). ``install`` writes each
into a library only where the library has none, or an empty one: a librarian's entries are
never overwritten or mixed with the starter's, and installing twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from .authority import Organizations
from .catalogue import Catalogue
from .config import Home
from .glossary import Glossary

GLOSSARY_FILE = "starter_glossary.json"
ORGANIZATIONS_FILE = "starter_organizations.json"


@dataclass(frozen=True)
class Installed:
    """What ``install`` wrote: the number of glossary entries and organizations, 0 for a
    file the library already had entries in (kept as it was)."""

    glossary: int
    organizations: int


def starter_glossary() -> Glossary:
    """The starter glossary, read from the package (its ``path`` is the package file)."""
    with resources.as_file(resources.files("reslib") / "data" / GLOSSARY_FILE) as path:
        return Glossary.load(path)


def starter_organizations() -> Organizations:
    """The starter authority file, read from the package (its ``path`` is the package file)."""
    with resources.as_file(resources.files("reslib") / "data" / ORGANIZATIONS_FILE) as path:
        return Organizations.load(path)


def install(home: Home) -> Installed:
    """Write the starter glossary and authority file into ``home``'s library where it has
    none or an empty one, under the library lock; idempotent."""
    home.library.mkdir(parents=True, exist_ok=True)
    glossary_path = home.library / "glossary.json"
    organizations_path = home.library / "organizations.json"
    with Catalogue(home).locked():
        glossary_entries = 0
        if not len(Glossary.load(glossary_path)):
            starter = starter_glossary()
            Glossary(glossary_path, starter.entries).save()
            glossary_entries = len(starter)
        organizations = 0
        if not len(Organizations.load(organizations_path)):
            orgs = starter_organizations()
            Organizations(organizations_path, orgs.orgs).save()
            organizations = len(orgs)
    return Installed(glossary=glossary_entries, organizations=organizations)


__all__ = ["Installed", "install", "starter_glossary", "starter_organizations"]
