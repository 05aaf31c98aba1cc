"""PDF reports: text per page, metadata, the file kept, scans flagged for OCR."""

from __future__ import annotations

from import_fixtures.library import make_catalogue
from import_fixtures.pdf import make_pdf

from reslib.importers import import_paths

PAGES = [
    ["Cluster Munition Production and Use in Myanmar", "September 2023"],
    ["The military has produced cluster munitions in its own factories."],
]


def import_pdf(tmp_path, data: bytes, name: str = "report.pdf"):
    catalogue = make_catalogue(tmp_path / "lib")
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return catalogue, import_paths(catalogue, [path]), path


def test_pdf_text_and_metadata_become_the_record(tmp_path):
    data = make_pdf(
        PAGES,
        {
            "Title": "Cluster Munition Production and Use in Myanmar/Burma",
            "Author": "Cluster Munition Monitor",
            "CreationDate": "D:20230915093000Z",
        },
    )
    catalogue, summary, _ = import_pdf(tmp_path, data)

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Cluster Munition Production and Use in Myanmar/Burma"
    assert record.date == "2023-09-15"
    assert record.type == "report"
    assert record.organizations == ["Cluster Munition Monitor"]
    assert record.body == (
        "Cluster Munition Production and Use in Myanmar\nSeptember 2023\n\n"
        "The military has produced cluster munitions in its own factories."
    )
    assert record.flags == []
    assert record.imported["pages"] == 2


def test_pdf_is_kept_under_library(tmp_path):
    data = make_pdf(PAGES, {"Title": "A report", "CreationDate": "D:20231101"})
    catalogue, _, _ = import_pdf(tmp_path, data)

    (record,) = catalogue.records()
    assert record.source_file == f"files/{record.id}/report.pdf"
    assert (catalogue.home.library / record.source_file).read_bytes() == data


def test_title_and_date_fall_back_to_the_first_page(tmp_path):
    data = make_pdf(
        [["Summary of SAC human rights violations in Karenni State", "5 November 2023"]],
        {"Title": "Microsoft Word - KCSN summary.docx", "Author": "user01"},
    )
    catalogue, _, _ = import_pdf(tmp_path, data)

    (record,) = catalogue.records()
    assert record.title == "Summary of SAC human rights violations in Karenni State"
    assert record.date == "2023-11-05"
    assert record.organizations == []
    assert record.imported["pdf_author"] == "user01"


def test_pdf_without_text_layer_is_imported_and_flagged_for_ocr(tmp_path):
    data = make_pdf([[], []], {"Title": "Scanned field report", "CreationDate": "D:20231020"})
    catalogue, summary, _ = import_pdf(tmp_path, data, "scan.pdf")

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Scanned field report"
    assert record.date == "2023-10-20"
    assert record.body == ""
    assert record.flags == ["needs OCR"]
    assert record.source_file.endswith("scan.pdf")


def test_reimporting_a_replaced_pdf_keeps_the_new_file(tmp_path):
    catalogue, _, path = import_pdf(
        tmp_path, make_pdf(PAGES, {"Title": "A report", "CreationDate": "D:20231101"})
    )
    newer = make_pdf([*PAGES, ["Annex"]], {"Title": "A report", "CreationDate": "D:20231101"})
    path.write_bytes(newer)

    summary = import_paths(catalogue, [path])

    (record,) = catalogue.records()
    assert summary.updated == [record.id]
    assert (catalogue.home.library / record.source_file).read_bytes() == newer
    assert record.body.endswith("Annex")


def test_truncated_pdf_is_skipped_and_nothing_is_kept(tmp_path):
    data = make_pdf(PAGES, {"Title": "A report"})
    catalogue, summary, _ = import_pdf(tmp_path, data[: len(data) // 2])

    assert catalogue.ids() == []
    assert list(catalogue.files_dir.iterdir()) == []
    assert summary.skipped[0]["reason"].startswith("truncated PDF")


def test_pdf_is_recognised_by_content_whatever_its_name(tmp_path):
    data = make_pdf(PAGES, {"Title": "Downloaded report", "CreationDate": "D:20231101"})
    catalogue, summary, _ = import_pdf(tmp_path, data, "download.php")

    assert summary.skipped == []
    assert [r.title for r in catalogue.records()] == ["Downloaded report"]
