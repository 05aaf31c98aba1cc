"""The authority file and glossary are read under the lock that writes them.

Each test opens two catalogues on one library: the first reads a file, the second changes
it, then the first writes. Without a refresh under the lock the first writer's stale copy
would overwrite the second's change (issue 11, item 6).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reslib.authority import Organizations
from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.errors import Conflict, InvalidInput
from reslib.glossary import Glossary
from reslib.importers import ImportOptions, import_paths
from reslib.models import Record


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path / "lib")
    Catalogue(h).init()
    return h


def on_disk(home: Home) -> Organizations:
    return Organizations.load(home.library / "organizations.json")


def glossary_on_disk(home: Home) -> Glossary:
    return Glossary.load(home.library / "glossary.json")


def record(title: str, *orgs: str) -> Record:
    return Record(
        id=title.lower().replace(" ", "-"),
        type="report",
        title=title,
        language="en",
        date="2023",
        organizations=list(orgs),
    )


def test_a_save_keeps_organizations_another_writer_added_after_it_read_the_file(
    home: Home,
) -> None:
    stale = Catalogue(home)
    assert stale.organizations.resolve("Added Meanwhile") is None  # read before the change
    Catalogue(home).add_organization("Added Meanwhile")
    report = stale.add(record("Report", "Brand New Group"))
    assert report.new_organizations == ["Brand New Group"]
    names = {o.name for o in on_disk(home)}
    assert names == {"Added Meanwhile", "Brand New Group"}


def test_organization_commands_keep_each_others_additions(home: Home) -> None:
    first, second = Catalogue(home), Catalogue(home)
    first.add_organization("Asian Forum for Human Rights and Development")
    second.add_organization("Forum Asia Typo")
    first.add_organization("Progressive Voice")
    second.merge_organizations("Forum Asia Typo", "Asian Forum for Human Rights and Development")
    orgs = on_disk(home)
    assert sorted(o.name for o in orgs) == [
        "Asian Forum for Human Rights and Development",
        "Progressive Voice",
    ]
    assert orgs.resolve("Forum Asia Typo") is orgs.resolve(
        "Asian Forum for Human Rights and Development"
    )


def test_an_import_that_read_the_authority_file_early_keeps_later_additions(
    home: Home, tmp_path: Path
) -> None:
    importing = Catalogue(home)
    importing.organizations  # noqa: B018 - read before the other writer, as a waiting import did
    Catalogue(home).add_organization("Added Meanwhile")
    manifest = tmp_path / "in.csv"
    manifest.write_text("title,type,date,organizations\nA report,report,2023,New From Import\n")
    summary = import_paths(importing, [manifest], ImportOptions())
    assert summary.skipped == []
    assert {o.name for o in on_disk(home)} == {"Added Meanwhile", "New From Import"}


def test_glossary_writes_keep_entries_another_writer_added(home: Home, tmp_path: Path) -> None:
    stale = Catalogue(home)
    assert len(stale.glossary) == 0
    Catalogue(home).add_glossary_entry(["Sagaing"], ["စစ်ကိုင်း"], "place")
    tsv = tmp_path / "g.tsv"
    tsv.write_text("Magway\tမ ကွေး\n", "utf-8")
    assert stale.import_glossary(tsv) == (1, 2)
    stale.add_glossary_entry(["Karenni"], ["ကရင်နီ"], "place")
    glossary = glossary_on_disk(home)
    assert [e.id for e in glossary.entries] == ["karenni", "magway", "sagaing"]


def test_unsaved_changes_over_a_changed_file_are_refused_not_merged_away(home: Home) -> None:
    mine = Catalogue(home)
    mine.organizations.add("Unsaved Here")
    Catalogue(home).add_organization("Saved There")
    with pytest.raises(Conflict, match="changed on disk"):
        mine.add_organization("Third")
    assert {o.name for o in on_disk(home)} == {"Saved There"}


def test_a_failed_save_leaves_no_new_organization_for_the_next_one(
    home: Home, tmp_path: Path
) -> None:
    catalogue = Catalogue(home)
    with pytest.raises(InvalidInput, match="no such file"):
        catalogue.add(record("Failed", "Ghost Group"), attach=tmp_path / "missing.pdf")
    assert catalogue.organizations.resolve("Ghost Group") is None
    catalogue.add(record("Saved", "Real Group"))
    assert {o.name for o in on_disk(home)} == {"Real Group"}


def test_a_glossary_file_with_a_bad_line_adds_nothing(home: Home, tmp_path: Path) -> None:
    catalogue = Catalogue(home)
    tsv = tmp_path / "g.tsv"
    tsv.write_text("Magway\tမကွေး\nno tab on this line\n", "utf-8")
    with pytest.raises(InvalidInput, match=r"g.tsv:2: expected English<TAB>Burmese"):
        catalogue.import_glossary(tsv)
    assert len(glossary_on_disk(home)) == 0
    catalogue.add_glossary_entry(["Sagaing"], ["စစ်ကိုင်း"])
    assert [e.id for e in glossary_on_disk(home).entries] == ["sagaing"]


def test_a_refresh_reloads_in_place_for_methods_handed_out_earlier(home: Home) -> None:
    orgs = Catalogue(home).organizations
    split = orgs.split_authors
    Catalogue(home).add_organization("Burma Affairs and Conflict Study")
    assert orgs.refresh() is True
    assert split("Burma Affairs and Conflict Study and YAPPIKA") == [
        "Burma Affairs and Conflict Study",
        "YAPPIKA",
    ]
    assert orgs.refresh() is False
