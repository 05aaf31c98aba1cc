"""Importing ../shared/seeds: two weekly updates and the 22 resources they list.

The library is made as ``reslib init`` makes it, with the starter glossary and authority file
(``reslib.starter``); the organization lists are also checked against a library holding the
project's sample authority file, and the author lines against one with none (``--empty``).

The one resource listed twice ("In the Dark", once under statements with "disappearances and
their impacts", once among the reports with "disappearance and its impacts") is kept as two
records and reported as a possible duplicate: the titles differ, and the importer never merges
on a guess (docs/importers.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path
from import_fixtures.library import make_catalogue

from reslib.authority import Organizations
from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.importers import import_paths
from reslib.library import open_library
from reslib.models import Record
from reslib.starter import install, starter_organizations

PV = "Progressive Voice"
OCHA = "UN Office for the Coordination of Humanitarian Affairs"
ASEAN = "Association of Southeast Asian Nations (ASEAN)"
CMM = "Cluster Munition Monitor"
KHRG = "Karen Human Rights Group"

SEPTEMBER = [
    (
        "Open Letter to G20 Member Nations on the Urgency of the Myanmar Crisis",
        "open-letter",
        ["44 Regional and National Organizations"],
    ),
    (
        "Presentation of analysis, findings, and recommendations from Myanmar Day: Hearing "
        "from People on the Ground and Experts in the Region",
        "statement",
        [
            "ALTSEAN-Burma",
            "Asia Justice and Rights",
            "Asian Forum for Human Rights and Development",
            "Initiatives for International Dialogue",
            "KontraS",
            "Myanmar National Organizing Committee for ASEAN Civil Society Conference/ASEAN "
            "Peoples’ Forum (ACSC/APF)",
            "Network for Human Rights Documentation Burma",
            PV,
            "YAPPIKA",
        ],
    ),
    (
        "ASEAN’s ‘review and decision’ on Five Point Consensus falls short of what is needed "
        "to resolve Myanmar crisis, Southeast Asian MPs say",
        "statement",
        ["ASEAN Parliamentarians for Human Rights"],
    ),
    ("Chairman’s Statement of the 43rd ASEAN Summit", "statement", [ASEAN]),
    (
        "ASEAN Leaders’ Review and Decision on The Implemention of The Five-Point Consensus",
        "statement",
        [ASEAN],
    ),
    (
        "G20 Summit: Modi Must Face Pressure Over Arming and Support for Myanmar Military",
        "statement",
        ["Burma Campaign UK"],
    ),
    (
        "G20 Summit: India must end complicity with Rohingya genocide",
        "statement",
        ["Burmese Rohingya Organisation UK"],
    ),
    ("Cluster Munition Coalition Condemns Myanmar’s Use of Cluster Munitions", "statement", [CMM]),
    (
        "Myanmar junta imposes record 20-year jail sentence on photojournalist",
        "statement",
        ["Reporters Without Borders"],
    ),
    (
        "30 Months of Myanmar Military Coup – A Comprehensive Analytical Report on India’s "
        "Approach and Relations with Myanmar",
        "report",
        ["Burma Affairs and Conflict Study", "India for Myanmar"],
    ),
    ("Cluster Munition Production and Use in Myanmar/Burma", "report", [CMM]),
    ("Myanmar Humanitarian Update No. 32", "report", [OCHA]),
]

OPEN_LETTER_EN = (
    "Open letter: Finland and Switzerland must stop lending legitimacy to Myanmar military "
    "junta and its sham peace efforts"
)
OPEN_LETTER_MY = (
    "မြန်မာ စစ်ခေါင်းဆောင်များနှင့် ၎င်းတို့၏ ငြိမ်းချမ်းရေး အယောင်ပြ ကြိုးပမ်းမှုအား "
    "အသိအမှတ်ပြုမှု မပေးရန် ဖင်လန်နှင့် ဆွစ်ဇာလန်တို့ကို တောင်းဆိုခြင်း"
)
IN_THE_DARK_STATEMENT = (
    "In the Dark – The crime of enforced disappearances and their impacts on the rural "
    "communities of Southeast Burma since the 2021 coup"
)
IN_THE_DARK_REPORT = (
    "In the Dark – The crime of enforced disappearance and its impacts on the rural "
    "communities of Southeast Burma since the 2021 coup"
)

NOVEMBER = [
    (OPEN_LETTER_EN, "open-letter", ["661 Civil Society Organizations"]),
    (OPEN_LETTER_MY, "open-letter", ["661 Civil Society Organizations"]),
    (
        "Myanmar junta raids Rakhine State news agency, arrests journalist",
        "statement",
        ["Committee to Protect Journalists"],
    ),
    (
        "U.N. to review Bangladesh’s human rights record on November 13",
        "statement",
        ["Fortify Rights"],
    ),
    (IN_THE_DARK_STATEMENT, "statement", [KHRG]),
    (
        "Coup Watch October 2023: Illegal Junta Hit by More Sanctions and Resistance Offensive",
        "report",
        [
            "ALTSEAN-Burma",
            "Asia Democracy Network",
            "Asian Forum for Human Rights and Development",
            "Burma Human Rights Network",
            "Initiatives for International Dialogue",
            "International Federation for Human Rights",
            PV,
            "US Campaign for Burma",
            "Women’s Peace Network",
        ],
    ),
    (IN_THE_DARK_REPORT, "report", [KHRG]),
    (
        "Summary of SAC human rights violations in Karenni State and Pekhon Township "
        "(Oct 23 – Nov 5, 2023)",
        "report",
        ["Karenni Civil Society Network"],
    ),
    ("Myanmar Humanitarian Update No. 34 | 10 November 2023", "report", [OCHA]),
    (
        "Myanmar: Escalation of clashes in northern Shan and the Northwest Flash Update #3 "
        "(As of 9 November 2023)",
        "report",
        [OCHA],
    ),
]


#: The seeds' organizations the starter authority file does not know, in order of appearance.
NEW_TO_THE_STARTER = [
    "44 Regional and National Organizations",
    "Myanmar National Organizing Committee for ASEAN Civil Society Conference/ASEAN Peoples’ "
    "Forum (ACSC/APF)",
    "YAPPIKA",
    "661 Civil Society Organizations",
]


def init_library(root: Path, *, empty: bool = False) -> Catalogue:
    """A library as ``reslib init`` makes it (``reslib init --empty`` when ``empty``)."""
    home = Home(root)
    open_library(home).init()
    if not empty:
        install(home)
    return Catalogue(home)


def by_title(catalogue: Catalogue) -> dict[str, Record]:
    records = {r.title: r for r in catalogue.records()}
    assert len(records) == len(catalogue.ids()), "two records share a title"
    return records


def test_seeds_give_two_updates_and_one_record_per_listing(tmp_path):
    catalogue = init_library(tmp_path)
    summary = import_paths(catalogue, [shared_path("seeds")])

    assert summary.skipped == []
    assert len(summary.created) == 2 + 22
    records = by_title(catalogue)
    assert len(records) == 24
    updates = [r for r in records.values() if r.type == "update"]
    assert sorted(u.title for u in updates) == [
        "Aid for the People, by the People",
        "New Tricks, Same Desperate Attempt",
    ]


def test_seed_updates_have_date_author_and_clean_body(tmp_path):
    catalogue = init_library(tmp_path)
    import_paths(catalogue, [shared_path("seeds")])
    records = by_title(catalogue)

    september = records["New Tricks, Same Desperate Attempt"]
    assert (september.type, september.date, september.language) == ("update", "2023-09-15", "en")
    assert september.organizations == [PV]
    assert september.body.startswith("The dramatically increasing number of aerial attacks")
    assert september.body.endswith("committed against the people of Myanmar.")
    november = records["Aid for the People, by the People"]
    assert (november.type, november.date, november.language) == ("update", "2023-11-20", "en")
    assert november.organizations == [PV]
    assert november.body.startswith("“The time is now to cut ties with the junta")
    for update in (september, november):
        assert "Featured image" not in update.body
        assert "changed the country’s name from Burma to Myanmar" not in update.body
        assert "Progressive Voice is a participatory" not in update.body
        assert "Resources from the past week" not in update.body
        assert "By Cluster Munition Monitor" not in update.body


# The starter's preferred names are the sample authority file's (``make_catalogue``).
@pytest.mark.parametrize("make", [init_library, make_catalogue], ids=["starter", "sample"])
def test_seed_listings_have_type_date_and_organizations_of_their_update(tmp_path, make):
    catalogue = make(tmp_path)
    import_paths(catalogue, [shared_path("seeds")])
    records = by_title(catalogue)
    september = records["New Tricks, Same Desperate Attempt"]
    november = records["Aid for the People, by the People"]

    for update, date, listings in (
        (september, "2023-09-15", SEPTEMBER),
        (november, "2023-11-20", NOVEMBER),
    ):
        assert len(update.related) == len(listings)
        for title, type_key, organizations in listings:
            record = records[title]
            assert record.type == type_key, title
            assert record.date == date, title
            assert record.organizations == organizations, title
            assert record.related == [update.id], title
            assert record.id in update.related, title
            assert record.language == ("my" if title == OPEN_LETTER_MY else "en"), title


def test_burmese_open_letter_is_the_translation_of_the_english_one(tmp_path):
    catalogue = init_library(tmp_path)
    summary = import_paths(catalogue, [shared_path("seeds")])
    records = by_title(catalogue)

    english, burmese = records[OPEN_LETTER_EN], records[OPEN_LETTER_MY]
    assert english.translations == [burmese.id]
    assert burmese.translations == [english.id]
    assert summary.translations == [sorted([english.id, burmese.id])]
    others = [r for r in records.values() if r.id not in (english.id, burmese.id)]
    assert all(r.translations == [] for r in others)


def test_resource_listed_twice_is_kept_twice_and_reported(tmp_path):
    catalogue = init_library(tmp_path)
    summary = import_paths(catalogue, [shared_path("seeds")])
    records = by_title(catalogue)

    statement, report = records[IN_THE_DARK_STATEMENT], records[IN_THE_DARK_REPORT]
    assert (statement.type, report.type) == ("statement", "report")
    pairs = [{d["id"], d["other"]} for d in summary.possible_duplicates]
    assert pairs == [{statement.id, report.id}]


def test_seed_organizations_all_come_from_the_sample_authority_file(tmp_path):
    catalogue = make_catalogue(tmp_path)
    summary = import_paths(catalogue, [shared_path("seeds")])

    assert summary.new_organizations == []
    assert summary.notes == []
    problems = [p for p in catalogue.check() if p.field == "organizations"]
    assert problems == []


def test_seeds_add_only_whole_names_to_the_starter_authority_file(tmp_path):
    catalogue = init_library(tmp_path)
    summary = import_paths(catalogue, [shared_path("seeds")])

    assert summary.new_organizations == NEW_TO_THE_STARTER
    assert summary.notes == []
    on_disk = Organizations.load(catalogue.home.library / "organizations.json")
    starter = [o.name for o in starter_organizations()]
    assert sorted(o.name for o in on_disk) == sorted(starter + NEW_TO_THE_STARTER)
    problems = [p for p in catalogue.check() if p.field == "organizations"]
    assert problems == []


def test_seeds_in_an_empty_library_keep_names_whole_and_report_the_unreadable_line(tmp_path):
    catalogue = init_library(tmp_path, empty=True)
    summary = import_paths(catalogue, [shared_path("seeds")])
    records = by_title(catalogue)

    def organizations(title_start: str) -> list[str]:
        (record,) = [r for t, r in records.items() if t.startswith(title_start)]
        return record.organizations

    joint = "Burma Affairs and Conflict Study and India for Myanmar"
    assert organizations("30 Months of Myanmar Military Coup") == [joint]
    (note,) = summary.notes
    assert f"name to check: {joint!r}" in note
    myanmar_day = organizations("Presentation of analysis, findings")
    assert myanmar_day[:3] == ["ALTSEAN-Burma", "Asia Justice and Rights", "FORUM-ASIA"]
    assert myanmar_day[-2:] == [PV, "YAPPIKA"]
    coup_watch = organizations("Coup Watch October 2023")
    assert coup_watch[2] == "Asian Forum for Human Rights and Development"
    names = {o.name for o in Organizations.load(catalogue.home.library / "organizations.json")}
    assert not names & {"Asia Justice", "Rights", "Asian Forum for Human Rights", "Development"}
    assert "44 Regional and National Organizations" in names


def test_reimporting_the_seeds_changes_nothing(tmp_path):
    catalogue = init_library(tmp_path)
    import_paths(catalogue, [shared_path("seeds")])
    before = {p.name: p.read_bytes() for p in catalogue.records_dir.glob("*.json")}

    summary = import_paths(catalogue, [shared_path("seeds")])

    assert summary.created == [] and summary.updated == []
    assert len(summary.unchanged) == 24
    after = {p.name: p.read_bytes() for p in catalogue.records_dir.glob("*.json")}
    assert after == before
