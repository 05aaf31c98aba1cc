"""Sets: by type (``type:report``), language (``lang:en``, ``lang:my``) and organization.

``type``, ``lang`` and ``org`` are sets too, holding their children (the protocol's set
hierarchy). A bilingual record (``en+my``) is in both language sets. An organization's setSpec
is its first acronym in the authority file that a setSpec can spell and no other organization
uses (``org:KHRG``), otherwise its authority-file id (``org:karen-human-rights-group``); a name
missing from the authority file gets a slug of itself. A request may name an organization by
any of its names the setSpec alphabet allows, in any case (``org:khrg``); answers always use
the setSpec above.

A tombstone that does not record what the record was belongs to every set the repository has
(not to a setSpec it does not know): a harvester told of a deletion it never harvested loses
nothing, one never told keeps a removed record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..authority import Organizations, slug
from ..models import LANGUAGES, TYPES
from .listing import Item

_SPEC_PART_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+\Z")
#: The languages a set stands for; ``en+my`` is in both.
SET_LANGUAGES = ("en", "my")


@dataclass(frozen=True)
class SetInfo:
    spec: str
    name: str


class SetMap:
    """The setSpecs of one request's authority file."""

    def __init__(self, organizations: Organizations) -> None:
        self.organizations = organizations
        self._by_name: dict[str, str] = {}
        chosen: dict[str, str] = {}
        for org in organizations:
            spec = next((a for a in org.acronyms if _SPEC_PART_RE.match(a)), "")
            if not spec or spec in chosen.values():
                spec = org.id if _SPEC_PART_RE.match(org.id) else slug(org.name)
            chosen[org.name] = spec
        self._by_name = chosen

    def org_spec(self, name: str) -> str:
        found = self._by_name.get(name)
        if found:
            return found
        org = self.organizations.resolve(name)
        return self._by_name[org.name] if org is not None else slug(name)

    def specs(self, item: Item) -> list[str]:
        """The setSpecs an item's header lists (the leaves; the parents follow from them)."""
        if item.type is None:
            return []
        out = [f"type:{item.type}"]
        out += [f"lang:{code}" for code in SET_LANGUAGES if code in item.language.split("+")]
        out += [f"org:{self.org_spec(name)}" for name in item.organizations]
        return list(dict.fromkeys(out))

    def canonical(self, spec: str) -> str:
        """The setSpec ``spec`` names (``org:khrg`` is ``org:KHRG``); unknown ones unchanged."""
        top, _, rest = spec.partition(":")
        if top != "org" or not rest or ":" in rest:
            return spec
        if rest in self._by_name.values():
            return spec
        org = self.organizations.resolve(rest) or next(
            (o for o in self.organizations if o.id == rest), None
        )
        return f"org:{self._by_name[org.name]}" if org is not None else spec

    def exists(self, spec: str, items: list[Item]) -> bool:
        """Whether ``spec`` (already ``canonical``) is a set of this repository: a parent, a
        type, a language, or an organization of the authority file or of a record."""
        top, _, rest = spec.partition(":")
        if not rest:
            return top in ("type", "lang", "org")
        if top == "type":
            return rest in TYPES
        if top == "lang":
            return rest in SET_LANGUAGES
        if top != "org":
            return False
        if rest in self._by_name.values():
            return True
        return any(spec in self.specs(item) for item in items if item.organizations)

    def contains(self, spec: str, item: Item) -> bool:
        """Whether ``item`` is in set ``spec`` (already ``canonical``, and one that
        ``exists``)."""
        if item.type is None:
            return True
        specs = self.specs(item)
        return spec in specs or any(s.startswith(spec + ":") for s in specs)

    def all_sets(self, items: list[Item]) -> list[SetInfo]:
        """ListSets: the three parents, every type and language, organizations with items."""
        out = [
            SetInfo("type", "Type"),
            *(SetInfo(f"type:{key}", f"{en} ({my})") for key, (en, my) in TYPES.items()),
            SetInfo("lang", "Language"),
            *(
                SetInfo(f"lang:{code}", f"{LANGUAGES[code][0]} ({LANGUAGES[code][1]})")
                for code in SET_LANGUAGES
            ),
            SetInfo("org", "Organization"),
        ]
        names = sorted({n for item in items if not item.deleted for n in item.organizations})
        seen: set[str] = set()
        for name in names:
            spec = f"org:{self.org_spec(name)}"
            if spec in seen:
                continue
            seen.add(spec)
            org = self.organizations.resolve(name)
            label = f"{name} ({org.name_my})" if org is not None and org.name_my else name
            out.append(SetInfo(spec, label))
        return out
