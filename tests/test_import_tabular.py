"""CSV, JSON and JSON Lines manifests: the column mapping, bad rows and bad columns."""

from __future__ import annotations

import json

from import_fixtures.library import make_catalogue
from import_fixtures.pdf import make_pdf

from reslib.analysis import unicode_to_zawgyi
from reslib.catalogue import Catalogue
from reslib.importers import ImportOptions, import_paths

CSV = (
    "title,type,date,organizations,language,source_url,topics,summary\n"
    "Coup Watch October 2023,report,2023-11-20,ALTSEAN-Burma; Progressive Voice,,"
    "https://www.altsean.org/coup-watch-oct-2023,Sanctions; Resistance,Monthly summary\n"
    "Open letter to Finland,open letter,20 November 2023,661 Civil Society Organizations,en,,,\n"
)


def import_manifest(tmp_path, name: str, text: str, **options):
    catalogue = make_catalogue(tmp_path / "lib")
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return catalogue, import_paths(catalogue, [path], ImportOptions(**options))


def titled(catalogue: Catalogue) -> dict:
    return {r.title: r for r in catalogue.records()}


def test_csv_columns_map_to_record_fields(tmp_path):
    catalogue, summary = import_manifest(tmp_path, "holdings.csv", CSV)

    assert summary.skipped == []
    records = titled(catalogue)
    coup = records["Coup Watch October 2023"]
    assert (coup.type, coup.date, coup.language) == ("report", "2023-11-20", "en")
    assert coup.organizations == ["ALTSEAN-Burma", "Progressive Voice"]
    assert coup.source_url == "https://www.altsean.org/coup-watch-oct-2023"
    assert coup.topics == ["Sanctions", "Resistance"]
    assert coup.summary == "Monthly summary"
    letter = records["Open letter to Finland"]
    assert (letter.type, letter.date) == ("open-letter", "2023-11-20")


def test_missing_required_column_skips_the_file(tmp_path):
    catalogue, summary = import_manifest(tmp_path, "h.csv", "title,type\nA,report\n")

    assert catalogue.ids() == []
    assert summary.skipped[0]["reason"] == "missing required column 'date'"


def test_unknown_column_is_an_error_unless_ignore_extra(tmp_path):
    text = "title,date,shelf\nA report,2023-10-01,B4\n"
    catalogue, summary = import_manifest(tmp_path, "h.csv", text)
    assert catalogue.ids() == []
    assert summary.skipped[0]["reason"].startswith("unknown column 'shelf'")

    catalogue, summary = import_manifest(tmp_path / "again", "h.csv", text, ignore_extra=True)
    assert summary.skipped == []
    assert [r.title for r in catalogue.records()] == ["A report"]


def test_bad_row_is_skipped_and_the_others_imported(tmp_path):
    text = "title,date,type\nGood row,2023-10-01,report\nBad row,2023-13-45,report\n"
    catalogue, summary = import_manifest(tmp_path, "h.csv", text)

    assert [r.title for r in catalogue.records()] == ["Good row"]
    assert summary.skipped == [
        {
            "path": str(tmp_path / "in" / "h.csv"),
            "reason": "line 3: invalid date '2023-13-45': use YYYY-MM-DD",
        }
    ]


def test_translations_column_links_rows_both_ways(tmp_path):
    rows = [
        {
            "id": "fin-letter-en",
            "title": "Open letter to Finland",
            "date": "2023-11-20",
            "type": "open-letter",
        },
        {
            "id": "fin-letter-my",
            "title": "ဖင်လန်နိုင်ငံသို့ အိတ်ဖွင့်ပေးစာ",
            "date": "2023-11-20",
            "translations": ["fin-letter-en"],
        },
    ]
    catalogue, summary = import_manifest(tmp_path, "letters.json", json.dumps(rows))

    assert summary.skipped == []
    english, burmese = catalogue.get("fin-letter-en"), catalogue.get("fin-letter-my")
    assert english.translations == ["fin-letter-my"]
    assert burmese.translations == ["fin-letter-en"]
    assert (english.language, burmese.language) == ("en", "my")
    assert burmese.type == "open-letter", "a translation without a type takes its original's"


def test_jsonl_rows_with_zawgyi_are_converted(tmp_path):
    title = "မြန်မာနိုင်ငံ လူ့အခွင့်အရေး အစီရင်ခံစာ"
    lines = [
        json.dumps({"title": unicode_to_zawgyi(title), "date": "2023-10", "type": "report"}),
        "{not json",
    ]
    catalogue, summary = import_manifest(tmp_path, "rows.jsonl", "\n".join(lines) + "\n")

    (record,) = catalogue.records()
    assert (record.title, record.date, record.language) == (title, "2023-10", "my")
    assert summary.skipped[0]["reason"].startswith("line 2: invalid JSON")


def test_file_column_extracts_text_and_keeps_the_document(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "coup-watch.pdf").write_bytes(make_pdf([["Coup Watch", "Sanctions rose."]]))
    text = (
        "title,date,file,organizations\n"
        "Coup Watch October 2023,2023-11-20,coup-watch.pdf,ALTSEAN-Burma\n"
    )
    catalogue, summary = import_manifest(tmp_path, "h.csv", text)

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Coup Watch October 2023"
    assert record.body == "Coup Watch\nSanctions rose."
    assert record.type == "report"
    assert record.source_file == f"files/{record.id}/coup-watch.pdf"


def test_file_column_naming_a_missing_file_skips_the_row(tmp_path):
    text = "title,date,file\nGone,2023-11-20,gone.pdf\n"
    catalogue, summary = import_manifest(tmp_path, "h.csv", text)

    assert catalogue.ids() == []
    assert summary.skipped[0]["reason"] == "line 2: file 'gone.pdf' not found next to the manifest"


def test_manifest_reimport_is_unchanged(tmp_path):
    catalogue, first = import_manifest(tmp_path, "holdings.csv", CSV)

    second = import_paths(catalogue, [tmp_path / "in" / "holdings.csv"])

    assert second.created == [] and second.updated == []
    assert sorted(second.unchanged) == sorted(first.created)


#: A value for every manifest column, and what the record holds for it afterwards.
EVERY_COLUMN = {
    "id": ("coup-watch-oct", "coup-watch-oct"),
    "type": ("report", "report"),
    "title": ("Coup Watch October 2023", "Coup Watch October 2023"),
    "language": ("en", "en"),
    "date": ("2023-11-20", "2023-11-20"),
    "organizations": (["ALTSEAN-Burma"], ["ALTSEAN-Burma"]),
    "summary": ("Monthly summary", "Monthly summary"),
    "body": ("Sanctions rose.", "Sanctions rose."),
    "source_url": ("https://www.altsean.org/coup-watch", "https://www.altsean.org/coup-watch"),
    "file": ("coup-watch.txt", "files/coup-watch-oct/coup-watch.txt"),
    "translations": (["coup-watch-oct-my"], ["coup-watch-oct-my"]),
    "related": (["another-report"], ["another-report"]),
    "places": (["Sagaing"], ["Sagaing"]),
    "topics": (["Sanctions"], ["Sanctions"]),
}


def test_every_manifest_column_reaches_its_record_field(tmp_path):
    from reslib.importers.tabular import COLUMNS

    # A record field added to the model becomes a column; this fails until it is read here.
    assert sorted(EVERY_COLUMN) == sorted(COLUMNS)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "coup-watch.txt").write_text("Text of the kept file.", encoding="utf-8")
    rows = [
        {column: given for column, (given, _) in EVERY_COLUMN.items()},
        {"id": "coup-watch-oct-my", "title": "အာဏာသိမ်းမှု စောင့်ကြည့်ချက်", "date": "2023-11-20"},
        {"id": "another-report", "title": "Another report", "date": "2023-11-01"},
    ]
    catalogue, summary = import_manifest(tmp_path, "rows.json", json.dumps(rows))

    assert summary.skipped == []
    record = catalogue.get("coup-watch-oct")
    for column, (_, stored) in EVERY_COLUMN.items():
        name = "source_file" if column == "file" else column
        assert getattr(record, name) == stored, column


def test_json_lines_are_split_where_str_splitlines_splits_them() -> None:
    import random

    from reslib.importers.tabular import _split_lines

    pieces = ["a", "é", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"]
    pieces += ["\u2028", "\u2029", "\t", " ", "{}"]
    rng = random.Random(15)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert list(_split_lines(text)) == text.splitlines(), repr(text)
