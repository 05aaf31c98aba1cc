"""The normalization policy: what a record looks like once it is ready to be stored.

Text fields are stored normalized (Zawgyi converted, Burmese rules applied) with the text as
typed kept in ``original`` when a conversion changed it; organization names become the
authority file's preferred names, and names it does not know are added to it; list fields
lose blanks and repeats. The same steps serve ``reslib add``/``edit`` and the importers.
"""

from __future__ import annotations

from ..analysis import normalize
from ..authority import Organizations
from ..models import TEXT_FIELDS, Record


def normalize_texts(record: Record) -> None:
    """Normalize the text fields in place, keeping any Zawgyi original."""
    for name in TEXT_FIELDS:
        value = getattr(record, name)
        result = normalize(value, report_probability=False)
        if result.converted_from_zawgyi:
            record.original.setdefault(name, value)
        setattr(record, name, result.text)


def map_organizations(record: Record, organizations: Organizations) -> list[str]:
    """Replace each name by its preferred form; returns the names new to the authority file.

    New names are added to ``organizations`` in memory: the caller saves it with the record.
    """
    new_orgs = []
    names = []
    for raw in record.organizations:
        raw = raw.strip()
        if not raw:
            continue
        if not organizations.resolve(raw):
            organizations.add(raw)
            new_orgs.append(raw)
        names.append(organizations.canonical(raw))
    record.organizations = list(dict.fromkeys(names))
    return new_orgs


def tidy_lists(record: Record) -> None:
    """Places and topics without surrounding spaces or repeats, in their first order."""
    for name in ("places", "topics"):
        setattr(record, name, list(dict.fromkeys(v.strip() for v in getattr(record, name))))


def prepare(
    record: Record, organizations: Organizations, *, normalize_text: bool = True
) -> list[str]:
    """Every step above; returns the organization names that were new to the authority file.

    ``normalize_text=False`` skips the text fields, for records prepared once already.
    """
    if normalize_text:
        normalize_texts(record)
    new_orgs = map_organizations(record, organizations)
    tidy_lists(record)
    return new_orgs
