"""Upserts: ``reslib import FILE --key COLUMN`` updates the records a manifest's rows name and
creates the rest; hand edits stay protected; a key that repeats a value refuses the file."""

from __future__ import annotations

from pathlib import Path

from import_fixtures.library import make_catalogue
from import_fixtures.wordpress import wordpress_page

from reslib.catalogue import Catalogue
from reslib.importers import ImportOptions, import_paths
from reslib.importers.merge import CONFLICT_MESSAGE

HOLDINGS = (
    "accession,title,date,summary\n"
    "A-1,Coup Watch October 2023,2023-11-20,Monthly summary\n"
    "A-2,Open letter to Finland,2023-11-21,A letter\n"
    "A-3,Briefing on Karenni displacement,2023-12-01,\n"
)
# The same holdings list, corrected: two titles fixed, one summary filled in.
CORRECTED = (
    "accession,title,date,summary\n"
    "A-1,Coup Watch: October 2023,2023-11-20,Monthly summary\n"
    "A-2,Open Letter to the Government of Finland,2023-11-21,A letter\n"
    "A-3,Briefing on Karenni displacement,2023-12-01,Displacement in Karenni State\n"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(catalogue: Catalogue, *paths: Path, **options):
    return import_paths(catalogue, list(paths), ImportOptions(**options))


def by_title(catalogue: Catalogue) -> dict[str, str]:
    return {r.title: r.id for r in catalogue.records()}


def test_a_corrected_spreadsheet_updates_every_row_and_duplicates_none(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    first = run(catalogue, write(tmp_path / "holdings.csv", HOLDINGS), key="accession")
    ids = sorted(first.created)

    # Renamed, as a corrected copy usually is: the key still finds each record.
    summary = run(catalogue, write(tmp_path / "holdings-v2.csv", CORRECTED), key="accession")

    assert summary.counts() == {"created": 0, "updated": 3, "unchanged": 0, "skipped": 0}
    assert catalogue.ids() == ids
    assert set(by_title(catalogue)) == {
        "Coup Watch: October 2023",
        "Open Letter to the Government of Finland",
        "Briefing on Karenni displacement",
    }
    karenni = catalogue.get(by_title(catalogue)["Briefing on Karenni displacement"])
    assert karenni.summary == "Displacement in Karenni State"
    assert karenni.imported["key"] == {"column": "accession", "value": "A-3"}


def test_rows_with_new_key_values_are_created_beside_the_updates(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    run(catalogue, write(tmp_path / "h.csv", HOLDINGS), key="accession")

    more = CORRECTED + "A-4,Statement on airstrikes,2024-01-05,\n"
    summary = run(catalogue, write(tmp_path / "h.csv", more), key="Accession")

    assert summary.counts()["created"] == 1
    assert summary.counts()["updated"] == 3
    assert len(catalogue.ids()) == 4


def test_key_id_updates_the_record_of_that_id(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    text = "id,title,date\ncw-oct,Coup Watch,2023-11-20\nletter-fi,Letter,2023-11-21\n"
    run(catalogue, write(tmp_path / "h.csv", text), key="id")

    fixed = "id,title,date\ncw-oct,Coup Watch (October),2023-11-20\nnew-one,New,2023-12-01\n"
    summary = run(catalogue, write(tmp_path / "other.csv", fixed), key="id")

    assert (summary.updated, summary.created) == (["cw-oct"], ["new-one"])
    assert catalogue.get("cw-oct").title == "Coup Watch (October)"
    assert catalogue.ids() == ["cw-oct", "letter-fi", "new-one"]


def test_key_source_url_matches_urls_as_urls(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    text = "source_url,title,date\nhttps://www.altsean.org/coup-watch/,Coup Watch,2023-11-20\n"
    first = run(catalogue, write(tmp_path / "h.csv", text), key="source_url")

    fixed = "source_url,title,date\nhttp://altsean.org/coup-watch,Coup Watch (Oct),2023-11-20\n"
    summary = run(catalogue, write(tmp_path / "b.csv", fixed), key="source_url")

    assert summary.updated == first.created
    assert catalogue.get(first.created[0]).title == "Coup Watch (Oct)"


def test_a_field_edited_by_hand_is_kept_and_reported_as_a_conflict(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    run(catalogue, write(tmp_path / "h.csv", HOLDINGS), key="accession")
    letter_id = by_title(catalogue)["Open letter to Finland"]
    catalogue.update(letter_id, ["title=Open letter to Finland (hand edit)"])

    summary = run(catalogue, write(tmp_path / "h.csv", CORRECTED), key="accession")

    assert catalogue.get(letter_id).title == "Open letter to Finland (hand edit)"
    assert summary.conflicts == [{"id": letter_id, "field": "title", "message": CONFLICT_MESSAGE}]
    assert summary.counts()["created"] == 0


def test_records_imported_without_a_key_are_found_by_the_first_keyed_import(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    # Without a key the accession column means nothing to the importer.
    first = run(catalogue, write(tmp_path / "h.csv", HOLDINGS), ignore_extra=True)
    ids = sorted(first.created)

    fixed = HOLDINGS.replace("A letter", "A letter to Finland")
    summary = run(catalogue, write(tmp_path / "h.csv", fixed), key="accession")

    assert summary.counts()["created"] == 0
    assert catalogue.ids() == ids
    assert {catalogue.get(i).imported["key"]["value"] for i in ids} == {"A-1", "A-2", "A-3"}


def test_a_repeated_key_value_refuses_the_whole_file_and_names_both_rows(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    bad = write(
        tmp_path / "bad.csv",
        "accession,title,date\nA-1,First,2023-01-01\nA-2,Second,2023-01-02\nA-1,Third,2023-01-03\n",
    )
    good = write(tmp_path / "good.csv", "accession,title,date\nB-1,Other,2023-02-01\n")

    summary = run(catalogue, bad, good, key="accession")

    assert [catalogue.get(i).title for i in catalogue.ids()] == ["Other"]
    assert summary.skipped == [
        {
            "path": str(bad),
            "reason": "the key column 'accession' repeats 'A-1' (line 2 and line 4): "
            "each row must have its own value; nothing imported from this file",
        }
    ]


def test_a_repeated_id_key_refuses_the_file_even_when_the_row_is_bad_otherwise(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    text = "id,title,date\nsame,First,2023-01-01\nsame,Second,not a date\n"

    summary = run(catalogue, write(tmp_path / "h.jsonl.csv", text), key="id")

    assert catalogue.ids() == []
    assert "repeats 'same'" in summary.skipped[0]["reason"]


def test_repeated_key_in_json_lines_compares_urls_as_urls(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    text = (
        '{"title": "A", "date": "2023-01-01", "source_url": "https://example.org/a/"}\n'
        '{"title": "B", "date": "2023-01-02", "source_url": "https://www.example.org/a"}\n'
    )

    summary = run(catalogue, write(tmp_path / "h.jsonl", text), key="source_url")

    assert catalogue.ids() == []
    assert "line 1 and line 2" in summary.skipped[0]["reason"]


def test_a_row_without_a_key_value_is_skipped_with_its_reason(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    text = "accession,title,date\nA-1,First,2023-01-01\n,Second,2023-01-02\n"

    summary = run(catalogue, write(tmp_path / "h.csv", text), key="accession")

    assert [catalogue.get(i).title for i in catalogue.ids()] == ["First"]
    assert summary.skipped[0]["reason"].startswith(
        "line 3: no value in the key column 'accession' (--key)"
    )


def test_titles_may_repeat_when_the_key_tells_rows_apart(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    text = "accession,title,date\nA-1,Weekly update,2023-01-01\nA-2,Weekly update,2023-01-08\n"

    summary = run(catalogue, write(tmp_path / "h.csv", text), key="accession")

    assert summary.skipped == []
    assert len(summary.created) == 2


def test_a_missing_key_column_skips_the_file(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")

    text = "title,date\nA report,2023-01-01\n"

    summary = run(catalogue, write(tmp_path / "h.csv", text), key="shelfmark")

    assert catalogue.ids() == []
    assert summary.skipped[0]["reason"] == "no column 'shelfmark' to match records by (--key)"


def test_a_column_key_does_not_apply_to_a_saved_page(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    page = write(tmp_path / "page.html", wordpress_page("A statement", ["Text. " * 40]))

    summary = run(catalogue, page, key="accession")

    assert catalogue.ids() == []
    assert summary.skipped[0]["reason"].startswith("--key accession applies to manifests")
