"""Re-importing a scanned PDF: the OCR text a record holds is kept, and not read again.

A scan imported again unchanged (the sha256 its record keeps) is not given to Tesseract: the
record's OCR text and ``imported["ocr"]`` stay, and the run says so. ``--no-ocr`` keeps them
too instead of emptying the body. A changed file, a reading with a failed page, or one in
other languages is read again. One small page is read by the real Tesseract, once for the
module; the re-imports use a ``tesseract`` that only leaves a mark it was run.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from import_fixtures.library import make_catalogue
from import_fixtures.scan import padauk, scanned_pdf

from reslib.catalogue import Catalogue
from reslib.cli import cli
from reslib.config import Home
from reslib.importers import ocr
from reslib.library import open_library
from reslib.models import Record

pytestmark = pytest.mark.skipif(
    bool(ocr.missing_tools()) or padauk() is None,
    reason="needs tesseract, pdftoppm and the Padauk font (scripts/setup.sh)",
)

ENGLISH = ["My father is a teacher.", "There is a tree in the park."]
CHANGED = ["Where is Mr Tanaka?", "The river is wide in the rainy season."]
# A short page keeps each Tesseract call short.
SMALL = {"size": (2480, 500)}
KEPT = "unchanged since its last import: its OCR text kept"


def cli_run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--home", str(root), *args])


@pytest.fixture(scope="module")
def first_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a library with one scanned page imported by OCR, and the scan."""
    base = tmp_path_factory.mktemp("ocr-reimport")
    make_catalogue(base / "lib")
    scan = base / "in" / "scan.pdf"
    scan.parent.mkdir()
    scan.write_bytes(scanned_pdf([ENGLISH], **SMALL))
    result = cli_run(base / "lib", "import", str(scan))
    assert result.exit_code == 0, result.output
    return base


@pytest.fixture
def copy(first_import: Path, tmp_path: Path) -> Path:
    """This test's own copy of the library and the scan."""
    shutil.copytree(first_import, tmp_path / "w")
    return tmp_path / "w"


def the_record(root: Path) -> Record:
    (record,) = Catalogue(Home(root)).records()
    return record


@pytest.fixture
def tesseract_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``tesseract`` first on PATH that marks each page it is asked to read in the
    returned file and fails (asked its version or its languages, it only fails)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    tool = folder / "tesseract"
    tool.write_text(
        '#!/bin/sh\ncase "$1" in --version|--list-langs) exit 1;; esac\n'
        f'echo "$@" >> {folder / "runs"}\nexit 1\n'
    )
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder / "runs"


def reimport(work: Path, *options: str) -> dict:
    result = cli_run(work / "lib", "import", "--json", *options, str(work / "in" / "scan.pdf"))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_first_import_read_the_page(first_import: Path) -> None:
    record = the_record(first_import / "lib")
    assert "My father is a teacher." in record.body
    assert record.flags == ["OCR"]
    assert record.imported["ocr"]["pages"][0]["confidence"] > 50


def test_no_ocr_reimport_of_an_unchanged_scan_keeps_its_ocr_text(copy: Path) -> None:
    before = the_record(copy / "lib")

    summary = reimport(copy, "--no-ocr")

    after = the_record(copy / "lib")
    assert after.body == before.body and "My father is a teacher." in after.body
    assert after.imported["ocr"] == before.imported["ocr"]
    assert after.flags == ["OCR"]
    assert summary["unchanged"] == [before.id] and summary["updated"] == []
    assert any(KEPT in note and "--no-ocr" in note for note in summary["notes"])


def test_no_ocr_reimport_says_so_in_the_printed_summary(copy: Path) -> None:
    result = cli_run(copy / "lib", "import", "--no-ocr", str(copy / "in" / "scan.pdf"))

    assert result.exit_code == 0, result.output
    assert f"note: {copy / 'in' / 'scan.pdf'}: {KEPT} (--no-ocr)" in result.output


def test_reimport_of_an_unchanged_scan_does_not_run_tesseract(
    copy: Path, tesseract_runs: Path
) -> None:
    before = the_record(copy / "lib")

    summary = reimport(copy)

    assert not tesseract_runs.exists(), "Tesseract was run again"
    assert summary["unchanged"] == [before.id]
    assert any(KEPT in note and "not read again" in note for note in summary["notes"])
    after = the_record(copy / "lib")
    assert (after.body, after.imported["ocr"]) == (before.body, before.imported["ocr"])


def test_a_hand_corrected_ocr_text_stays_without_a_conflict(
    copy: Path, tesseract_runs: Path
) -> None:
    library = open_library(copy / "lib")
    record = the_record(copy / "lib")
    record.body = "My father is a teacher. There is a tree in the park. (corrected by hand)"
    library.save(record, expected_updated=record.updated)

    for options in ((), ("--no-ocr",)):
        summary = reimport(copy, *options)

        assert summary["conflicts"] == [], options
        assert the_record(copy / "lib").body == record.body, options
    assert not tesseract_runs.exists()


def test_a_changed_scan_is_read_again(copy: Path) -> None:
    (copy / "in" / "scan.pdf").write_bytes(scanned_pdf([CHANGED], **SMALL))

    summary = reimport(copy)

    record = the_record(copy / "lib")
    assert summary["updated"] == [record.id]
    assert "Where is Mr Tanaka?" in record.body
    assert "My father" not in record.body
    assert not any(KEPT in note for note in summary["notes"])


def test_no_ocr_reimport_of_a_changed_scan_does_not_keep_the_old_text(copy: Path) -> None:
    (copy / "in" / "scan.pdf").write_bytes(scanned_pdf([CHANGED], **SMALL))

    summary = reimport(copy, "--no-ocr")

    record = the_record(copy / "lib")
    assert summary["updated"] == [record.id]
    assert record.body == "" and record.flags == ["needs OCR"]
    assert "ocr" not in record.imported


def edit_reading(work: Path, **changes: object) -> None:
    """Change what the record keeps of its OCR reading, as an earlier run would have left it."""
    library = open_library(work / "lib")
    record = the_record(work / "lib")
    record.imported["ocr"].update(changes)
    library.save(record, expected_updated=record.updated)


@pytest.mark.parametrize(
    "changes",
    [{"failed_pages": [1]}, {"pages_not_read": ["2-3"]}],
    ids=["failed-page", "pages-beyond-the-bound"],
)
def test_an_incomplete_reading_is_read_again(
    copy: Path, tesseract_runs: Path, changes: dict
) -> None:
    edit_reading(copy, **changes)

    reimport(copy)

    assert tesseract_runs.exists()


def test_a_reading_in_other_languages_is_read_again(
    copy: Path, tesseract_runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESLIB_OCR_LANGUAGES", "eng")

    reimport(copy)

    assert "-l eng " in tesseract_runs.read_text()


@pytest.fixture
def own() -> str:
    """Tesseract's own model folder, asked of the real Tesseract (and remembered) before a
    test puts its stand-in first on PATH."""
    folder = ocr._own_tessdata()
    assert Path(folder, "mya.traineddata").is_file()
    return folder


def tessdata(folder: Path, **files: str) -> Path:
    """A traineddata folder: each language's file a copy of a stock one (``mya="eng"``:
    the English model under the Burmese name, a different model)."""
    stock = Path(ocr._own_tessdata())
    folder.mkdir()
    for language, source in files.items():
        shutil.copyfile(stock / f"{source}.traineddata", folder / f"{language}.traineddata")
    return folder


def test_the_first_reading_keeps_a_digest_of_each_model(first_import: Path) -> None:
    kept = the_record(first_import / "lib").imported["ocr"]["models"]
    assert set(kept) == {"mya", "eng"}
    assert kept == ocr.models("mya+eng") and kept["mya"] != kept["eng"]


def test_a_reading_made_with_other_models_is_read_again(
    copy: Path, own: str, tesseract_runs: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    better = tessdata(tmp_path / "tessdata_best", mya="eng", eng="eng")
    monkeypatch.setenv("RESLIB_OCR_TESSDATA", str(better))

    reimport(copy)

    assert f"--tessdata-dir {better}" in tesseract_runs.read_text()


def test_the_same_models_in_another_folder_are_not_read_again(
    copy: Path, own: str, tesseract_runs: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    same = tessdata(tmp_path / "tessdata_copy", mya="mya", eng="eng")
    monkeypatch.setenv("RESLIB_OCR_TESSDATA", str(same))

    summary = reimport(copy)

    assert not tesseract_runs.exists()
    assert any(KEPT in note for note in summary["notes"])


def test_a_reading_kept_before_models_were_recorded_counts_as_tesseract_s_own(
    copy: Path, own: str, tesseract_runs: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    library = open_library(copy / "lib")
    record = the_record(copy / "lib")
    del record.imported["ocr"]["models"]
    library.save(record, expected_updated=record.updated)
    reimport(copy)
    assert not tesseract_runs.exists()

    monkeypatch.setenv("RESLIB_OCR_TESSDATA", str(tessdata(tmp_path / "t", mya="eng", eng="eng")))
    reimport(copy)
    assert tesseract_runs.exists()


def test_an_incomplete_reading_is_still_kept_by_no_ocr(copy: Path) -> None:
    edit_reading(copy, failed_pages=[2])
    before = the_record(copy / "lib")

    summary = reimport(copy, "--no-ocr")

    assert the_record(copy / "lib").body == before.body
    assert summary["unchanged"] == [before.id]


def test_a_manifest_row_naming_the_scan_does_not_take_another_record_s_text(
    copy: Path, tesseract_runs: Path
) -> None:
    # The scan imported by itself, then corrected by hand; a manifest names the same file for
    # a record of its own: that row's text is read from the file, not taken from the other.
    library = open_library(copy / "lib")
    standalone = the_record(copy / "lib")
    standalone.body = "Corrected by hand in the scan's own record."
    library.save(standalone, expected_updated=standalone.updated)
    manifest = copy / "in" / "rows.csv"
    manifest.write_text("title,date,file\nThe row's report,2024-01-05,scan.pdf\n", "utf-8")

    summary = reimport_path(copy, manifest)

    (row,) = [r for r in Catalogue(Home(copy / "lib")).records() if r.id != standalone.id]
    assert summary["created"] == [row.id]
    assert tesseract_runs.exists(), "the row's file was not read"
    assert row.body != standalone.body
    assert not any(KEPT in note for note in summary["notes"])


def reimport_path(work: Path, path: Path) -> dict:
    result = cli_run(work / "lib", "import", "--json", str(path))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
