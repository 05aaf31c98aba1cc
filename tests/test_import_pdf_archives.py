"""PDFs as real archives hold them: empty-password encryption, trailing bytes, junk metadata,
metadata dates, and the one kind that cannot be imported (a real password)."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from import_fixtures.library import make_catalogue
from import_fixtures.pdf import make_pdf
from pypdf import PdfReader, PdfWriter

from reslib.importers import import_paths
from reslib.importers.pdf import machine_value, metadata_date

PAGES = [["Landmine Monitor Myanmar", "Casualties rose in every state."]]
INFO = {"Title": "Landmine Monitor Myanmar 2023", "CreationDate": "D:20231114"}


def encrypted(data: bytes, user_password: str, algorithm: str) -> bytes:
    """``data`` encrypted as print-protected PDFs are: an owner password, and a user password
    that may be empty (then any reader opens it without asking)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(
        user_password=user_password,
        owner_password="owner-secret",
        algorithm=algorithm,
        permissions_flag=0,  # nothing allowed: no printing, no copying
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: 2023-11-14, the file time given to PDFs whose metadata dates are tested.
FILE_TIME = 1_700_000_000


def import_one(tmp_path, data: bytes, name: str = "report.pdf"):
    catalogue = make_catalogue(tmp_path / "lib")
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (FILE_TIME, FILE_TIME))
    return catalogue, import_paths(catalogue, [path]), path


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_a_pdf_with_an_empty_user_password_imports(tmp_path, algorithm):
    data = encrypted(make_pdf(PAGES, INFO), "", algorithm)
    assert PdfReader(io.BytesIO(data)).is_encrypted

    catalogue, summary, _ = import_one(tmp_path, data)

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Landmine Monitor Myanmar 2023"
    assert record.date == "2023-11-14"
    assert record.body == "Landmine Monitor Myanmar\nCasualties rose in every state."


def test_a_pdf_that_needs_a_password_is_skipped_saying_what_to_do(tmp_path):
    data = encrypted(make_pdf(PAGES, INFO), "user-secret", "AES-128")

    catalogue, summary, path = import_one(tmp_path, data, "protected.pdf")

    assert catalogue.ids() == []
    assert list(catalogue.files_dir.iterdir()) == []
    (skip,) = summary.skipped
    assert skip["path"] == str(path)
    assert "needs a password" in skip["reason"]
    assert "save a copy without one" in skip["reason"]
    assert f"skipped {path}: encrypted PDF that needs a password" in "\n".join(summary.lines())


@pytest.mark.parametrize(
    "tail",
    [
        b"\x00" * 4096,  # padding
        b"\r\n<html><body>Download complete</body></html>\r\n" * 50,  # a page appended
        b"   \n\n",
        b"\n<p>Watch the trailer: the xref of this page is below.</p>\n",  # words, not syntax
    ],
)
def test_bytes_after_the_last_eof_are_ignored(tmp_path, tail):
    catalogue, summary, _ = import_one(tmp_path, make_pdf(PAGES, INFO) + tail)

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Landmine Monitor Myanmar 2023"
    assert record.body.endswith("Casualties rose in every state.")


def test_an_update_cut_short_after_the_eof_is_truncated(tmp_path):
    # An incremental update begins after the first revision's %%EOF; this one stops midway.
    data = make_pdf(PAGES, INFO) + b"7 0 obj\n<< /Title (Revised) >>\nendobj\nxref\n0 1\n00000"

    catalogue, summary, _ = import_one(tmp_path, data)

    assert catalogue.ids() == []
    assert summary.skipped[0]["reason"].startswith("truncated PDF")


def test_a_pdf_without_any_eof_is_truncated(tmp_path):
    data = make_pdf(PAGES, INFO)
    catalogue, summary, _ = import_one(tmp_path, data[: data.rindex(b"%%EOF")])

    assert catalogue.ids() == []
    assert summary.skipped[0]["reason"].startswith("truncated PDF (no %%EOF")


def test_junk_metadata_is_neither_title_nor_author(tmp_path):
    data = make_pdf(
        PAGES,
        {
            "Title": "HASH(0x55d4c1a3e2b0)",
            "Author": "ARRAY(0x2c7cf020)",
            "CreationDate": "D:20231114",
        },
    )

    catalogue, _, _ = import_one(tmp_path, data)

    (record,) = catalogue.records()
    assert record.title == "Landmine Monitor Myanmar"  # the first page's first line
    assert record.organizations == []
    assert "pdf_author" not in record.imported


@pytest.mark.parametrize(
    "value",
    [
        "ARRAY(0x2c7cf020)",
        "<object object at 0x7f3a2b1c9e40>",
        "[object Object]",
        "uuid:5f3e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9",
        "----",
        "()",
    ],
)
def test_values_a_program_wrote_about_itself_are_machine_values(value):
    assert machine_value(value)


@pytest.mark.parametrize(
    "value",
    [
        "Cluster Munition Monitor",
        "G20 Research Group",
        "COVID-19 situation report",
        "user01",
        "ကရင်အမျိုးသမီးအစည်းအရုံး",
        "Burma Campaign UK (BCUK)",
    ],
)
def test_names_and_titles_people_write_are_not_machine_values(value):
    assert not machine_value(value)


def test_the_modification_date_is_used_before_the_file_time(tmp_path):
    data = make_pdf([["Field notes without a date"]], {"ModDate": "D:20220301120000+06'30'"})

    catalogue, _, _ = import_one(tmp_path, data)

    (record,) = catalogue.records()
    assert record.date == "2022-03-01"
    assert "date from file time" not in record.flags


def test_the_creation_date_comes_before_the_modification_date():
    meta = {"creationdate": "D:20210605", "moddate": "D:20230101"}
    assert metadata_date(meta) == "2021-06-05"


def test_a_creation_date_no_pdf_could_have_is_passed_over_for_the_modification_date():
    today = date(2024, 5, 1)
    assert metadata_date({"creationdate": "D:19700101", "moddate": "D:20230101"}, today) == (
        "2023-01-01"
    )
    assert metadata_date({"creationdate": "D:20300101"}, today) is None
    assert metadata_date({"creationdate": "D:20240502"}, today) == "2024-05-02"  # time zones


def test_without_any_date_the_file_time_is_used_and_flagged(tmp_path):
    data = make_pdf([["Field notes without a date"]], {"CreationDate": "D:19691231"})

    catalogue, _, _ = import_one(tmp_path, data)

    (record,) = catalogue.records()
    assert record.date == "2023-11-14"
    assert "date from file time" in record.flags
