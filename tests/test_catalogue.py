"""The catalogue library: records on disk, normalization, links, authority, check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reslib.authority import Organizations
from reslib.catalogue import Catalogue, RecordFilter, select
from reslib.config import Home
from reslib.errors import Conflict, InvalidInput, NotFound
from reslib.export import to_bibtex, to_csv, to_jsonl, to_ris
from reslib.models import Record

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    cat = Catalogue(Home(tmp_path))
    cat.init()
    return cat


def make(catalogue: Catalogue, title: str = "Open Letter to G20", **kw) -> Record:  # type: ignore[no-untyped-def]
    fields = {"type": "open letter", "language": "en", "date": "2023-09-15", **kw}
    rec = Record(id=catalogue.new_id(fields["date"], title), title=title, **fields)
    return catalogue.add(rec).record


def test_record_is_one_json_file_with_stable_key_order(catalogue: Catalogue) -> None:
    rec = make(catalogue, organizations=["FORUM-ASIA"])
    path = catalogue.record_path(rec.id)
    data = json.loads(path.read_text("utf-8"))
    assert list(data)[:5] == ["id", "type", "title", "language", "date"]
    assert data["type"] == "open-letter"
    assert path.read_text("utf-8").endswith("\n")


def test_id_is_derived_from_date_and_title_and_never_reused(catalogue: Catalogue) -> None:
    rec = make(catalogue, title="Open Letter to G20")
    assert rec.id == "2023-09-15-open-letter-to-g20"
    catalogue.remove(rec.id)
    again = make(catalogue, title="Open Letter to G20")
    assert again.id == "2023-09-15-open-letter-to-g20-2"


def test_burmese_title_gets_a_readable_ascii_id(catalogue: Catalogue) -> None:
    rec = make(catalogue, title="မြန်မာ စစ်ခေါင်းဆောင်များ", language="my")
    assert rec.id.startswith("2023-09-15-")
    assert rec.id.isascii()


def test_zawgyi_text_is_stored_converted_with_the_original_kept(catalogue: Catalogue) -> None:
    rec = make(catalogue, title="ေနျပည္ေတာ္ ဇူလုိင္ ၂၆", language="my")
    stored = catalogue.get(rec.id)
    assert stored.title == "နေပြည်တော် ဇူလိုင် ၂၆"
    assert stored.original == {"title": "ေနျပည္ေတာ္ ဇူလုိင္ ၂၆"}


def test_organizations_are_mapped_to_preferred_names(catalogue: Catalogue) -> None:
    catalogue.organizations.add(
        "Asian Forum for Human Rights and Development", acronyms=["FORUM-ASIA"]
    )
    rec = make(catalogue, organizations=["FORUM-ASIA", "Forum-Asia"])
    assert rec.organizations == ["Asian Forum for Human Rights and Development"]


def test_new_organization_names_are_added_to_the_authority_and_reported(
    catalogue: Catalogue,
) -> None:
    rec = Record(
        id="x-1", type="report", title="T", language="en", date="2023", organizations=["New Group"]
    )
    report = catalogue.add(rec)
    assert report.new_organizations == ["New Group"]
    assert Organizations.load(catalogue.organizations.path).resolve("new group") is not None


def test_translation_links_are_written_both_ways(catalogue: Catalogue) -> None:
    en = make(catalogue, title="Open letter: Finland and Switzerland")
    my = make(catalogue, title="ဖင်လန်နှင့် ဆွစ်ဇာလန်", language="my", translations=[en.id])
    assert catalogue.get(en.id).translations == [my.id]
    catalogue.update(my.id, ["translations="])
    assert catalogue.get(en.id).translations == []


def test_link_to_a_missing_record_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="no record 'nope'"):
        make(catalogue, related=["nope"])
    assert catalogue.ids() == []


def test_existing_id_is_a_conflict_and_changes_nothing(catalogue: Catalogue) -> None:
    rec = make(catalogue)
    before = catalogue.record_path(rec.id).read_bytes()
    dup = Record(id=rec.id, type="report", title="Other", language="en", date="2020")
    with pytest.raises(Conflict, match="exists already"):
        catalogue.add(dup)
    assert catalogue.record_path(rec.id).read_bytes() == before


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("date=2023-13-01", "field 'date'"),
        ("type=pamphlet", "field 'type'"),
        ("language=xx", "field 'language'"),
        ("colour=red", "field 'colour' cannot be set"),
        ("source_url=not a url", "field 'source_url'"),
    ],
)
def test_bad_edit_names_record_and_field_and_changes_nothing(
    catalogue: Catalogue, assignment: str, message: str
) -> None:
    rec = make(catalogue)
    before = catalogue.record_path(rec.id).read_bytes()
    with pytest.raises(InvalidInput, match=message) as exc:
        catalogue.update(rec.id, [assignment])
    assert rec.id in exc.value.message
    assert catalogue.record_path(rec.id).read_bytes() == before


def test_list_fields_can_be_appended_and_removed(catalogue: Catalogue) -> None:
    rec = make(catalogue, places=["Sagaing"])
    catalogue.update(rec.id, ["places+=Karenni; Shan"])
    assert catalogue.get(rec.id).places == ["Sagaing", "Karenni", "Shan"]
    catalogue.update(rec.id, ["places-=Sagaing"])
    assert catalogue.get(rec.id).places == ["Karenni", "Shan"]


def test_hand_broken_json_is_reported_with_record_and_position(catalogue: Catalogue) -> None:
    rec = make(catalogue)
    catalogue.record_path(rec.id).write_text('{"id": "broken", ', "utf-8")
    with pytest.raises(InvalidInput, match=rf"record {rec.id} .*invalid JSON at line 1"):
        catalogue.get(rec.id)
    problems = catalogue.check()
    assert [(p.where, p.severity) for p in problems] == [(rec.id, "error")]


def test_removed_record_is_not_found_but_its_tombstone_stays(catalogue: Catalogue) -> None:
    rec = make(catalogue)
    catalogue.remove(rec.id)
    with pytest.raises(NotFound, match="was removed"):
        catalogue.get(rec.id)
    assert catalogue.is_retired(rec.id)


def test_check_finds_dangling_links_unknown_orgs_and_duplicate_titles(catalogue: Catalogue) -> None:
    a = make(catalogue, title="Same Title")
    make(catalogue, title="Same title", date="2023-09-16")
    data = json.loads(catalogue.record_path(a.id).read_text("utf-8"))
    data["related"] = ["ghost"]
    data["organizations"] = ["Nobody Knows"]
    catalogue.record_path(a.id).write_text(json.dumps(data), "utf-8")
    messages = {(p.field, p.severity) for p in catalogue.check()}
    assert ("related", "error") in messages
    assert ("organizations", "error") in messages
    assert ("title", "warning") in messages


def test_merging_organizations_renames_them_in_records(catalogue: Catalogue) -> None:
    catalogue.organizations.add("Forum Asia Typo")
    catalogue.organizations.add(
        "Asian Forum for Human Rights and Development", acronyms=["FORUM-ASIA"]
    )
    rec = make(catalogue, organizations=["Forum Asia Typo"])
    changed = catalogue.merge_organizations("Forum Asia Typo", "FORUM-ASIA")
    assert changed == [rec.id]
    assert catalogue.get(rec.id).organizations == ["Asian Forum for Human Rights and Development"]
    assert catalogue.organizations.resolve("Forum Asia Typo").acronyms == ["FORUM-ASIA"]  # type: ignore[union-attr]


def test_filters_select_by_type_language_org_and_date(catalogue: Catalogue) -> None:
    make(catalogue, title="A", type="report", date="2023-09-15")
    make(catalogue, title="B", type="statement", date="2023-11-20", language="en+my")
    make(catalogue, title="C", type="statement", date="2022-01", language="my")

    def titles(**kw) -> list[str]:  # type: ignore[no-untyped-def]
        return [r.title for r in select(catalogue, RecordFilter(**kw))]

    assert titles(types=["statement"]) == ["C", "B"]
    assert titles(language="my") == ["C", "B"]
    assert titles(date_from="2023-10") == ["B"]
    assert titles(date_to="2023-09") == ["C", "A"]


def test_export_formats_carry_the_bibliographic_facts(catalogue: Catalogue) -> None:
    rec = make(
        catalogue,
        title="Cluster Munition Production & Use",
        type="report",
        organizations=["Cluster Munition Monitor"],
        source_url="https://example.org/r",
    )
    bib = to_bibtex([rec])
    assert bib.startswith("@techreport{" + rec.id)
    assert "title = {Cluster Munition Production \\& Use}" in bib
    assert "author = {{Cluster Munition Monitor}}" in bib
    ris = to_ris([rec])
    assert "TY  - RPRT" in ris and "AU  - Cluster Munition Monitor" in ris and "ER  - " in ris
    assert json.loads(to_jsonl([rec]))["id"] == rec.id
    assert to_csv([rec]).splitlines()[0] == (
        "id,type,title,language,date,organizations,summary,source_url,source_file,"
        "translations,related,places,topics,added,updated"
    )


def test_author_line_splitting_keeps_known_names_whole() -> None:
    orgs = Organizations.load(REPO / "library" / "organizations.json")
    line = "By ALTSEAN-Burma, Asia Justice and Rights, FORUM-ASIA and YAPPIKA"
    assert orgs.split_authors(line) == [
        "ALTSEAN-Burma",
        "Asia Justice and Rights",
        "Asian Forum for Human Rights and Development",
        "YAPPIKA",
    ]
    assert orgs.split_authors("By Burma Affairs and Conflict Study and India for Myanmar") == [
        "Burma Affairs and Conflict Study",
        "India for Myanmar",
    ]


def test_collective_authors_stay_whole() -> None:
    orgs = Organizations(Path("/nonexistent.json"))
    assert orgs.split_authors("By 661 Civil Society Organizations") == [
        "661 Civil Society Organizations"
    ]
    assert orgs.split_authors("44 Regional and National Organizations") == [
        "44 Regional and National Organizations"
    ]


def test_glossary_maps_variants_both_ways_and_across_encodings() -> None:
    from reslib.analysis import unicode_to_zawgyi
    from reslib.glossary import Glossary

    g = Glossary.load(REPO / "library" / "glossary.json")
    assert "Kayah" in g.variants_of("Karenni")
    assert "ကရင်နီ" in g.variants_of("karenni")
    assert "Myanmar" in g.variants_of("ဗမာ")
    assert "Burma" in g.variants_of(unicode_to_zawgyi("မြန်မာ") + "")


class RecordingListener:
    def __init__(self) -> None:
        self.events: list[str] = []

    def record_saved(self, record: Record) -> None:
        self.events.append(f"saved {record.id}")

    def record_removed(self, record_id: str) -> None:
        self.events.append(f"removed {record_id}")

    def batch_begin(self) -> None:
        self.events.append("begin")

    def batch_end(self) -> None:
        self.events.append("end")


def test_listeners_hear_every_change_one_batch_per_command_nested_once(tmp_path: Path) -> None:
    listener = RecordingListener()
    cat = Catalogue(Home(tmp_path), listeners=[listener])
    cat.init()
    with cat.batch(), cat.batch():
        a = make(cat, title="A")
        b = make(cat, title="B", related=[a.id])
    cat.remove(a.id)
    assert listener.events == [
        "begin",
        f"saved {a.id}",
        f"saved {b.id}",
        f"saved {a.id}",  # the reverse link written into A
        "end",
        "begin",  # every command is one batch: the index commits once per command
        f"saved {b.id}",  # the link to A dropped from B
        f"removed {a.id}",
        "end",
    ]


@pytest.mark.parametrize("content", [b"[1, 2]", b'{"organizations": [', b"\xff\xfe"])
def test_a_hand_broken_authority_file_gets_a_clear_message(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "organizations.json"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match="fix the file by hand"):
        Organizations.load(path)
