"""OCR of scanned PDFs: Burmese and English read by Tesseract, kept with their confidence,
found by search; failed pages reported and the rest imported; ``--no-ocr``; the bounds."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from import_fixtures.library import make_catalogue
from import_fixtures.scan import image_pdf, padauk, scanned_pdf

from reslib.catalogue import Catalogue
from reslib.cli import cli
from reslib.config import Home
from reslib.importers import ocr
from reslib.search import SearchRequest, search

pytestmark = pytest.mark.skipif(
    bool(ocr.missing_tools()) or padauk() is None,
    reason="needs tesseract, pdftoppm and the Padauk font (scripts/setup.sh)",
)

BURMESE = ["အဖေက ကျောင်းဆရာပါ။", "ပန်းခြံမှာ သစ်ပင်တွေ ရှိတယ်။"]
ENGLISH = ["My father is a teacher.", "There is a tree in the park."]
PAGE_TWO = ["Where is Mr Tanaka?", "မစ္စတာတာနာခါ ဘယ်မှာ ရှိသလဲ။"]
# A short page keeps each Tesseract call short.
SMALL = {"size": (2480, 700)}


def cli_run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--home", str(root), *args])


def write_scan(folder: Path, pages: list[list[str]], name: str = "scan.pdf") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(scanned_pdf(pages, **SMALL))
    return path


def only_record(root: Path):
    """The library's one imported record (records added by hand are left out)."""
    (record,) = [r for r in Catalogue(Home(root)).records() if r.imported]
    return record


@pytest.fixture(scope="module")
def scanned_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library holding one scan of Burmese and English lines, imported by the CLI."""
    tmp = tmp_path_factory.mktemp("ocr")
    root = tmp / "lib"
    make_catalogue(root)
    scan = write_scan(tmp / "in", [BURMESE + ENGLISH])
    result = cli_run(root, "import", str(scan))
    assert result.exit_code == 0, result.output
    return root


def test_a_scanned_pdf_is_read_in_burmese_and_english(scanned_library: Path) -> None:
    record = only_record(scanned_library)

    for line in ENGLISH:
        assert line in record.body
    for word in ("ကျောင်းဆရာ", "ပန်းခြံမှာ", "သစ်ပင်တွေ"):
        assert word in record.body
    assert "OCR" in record.flags
    assert "needs OCR" not in record.flags


def test_the_record_keeps_its_page_and_mean_confidence(scanned_library: Path) -> None:
    read = only_record(scanned_library).imported["ocr"]

    (page,) = read["pages"]
    assert page["page"] == 1
    assert page["chars"] > 50
    assert 50 < page["confidence"] <= 100
    assert read["mean_confidence"] == page["confidence"]
    assert read["engine"].startswith("tesseract ") and read["engine"].endswith(" mya+eng")


def test_a_burmese_search_finds_the_scanned_record(scanned_library: Path) -> None:
    record = only_record(scanned_library)

    for query in ("ပန်းခြံ", "teacher"):
        found = [r.id for r in search(Home(scanned_library), SearchRequest(q=query)).results]
        assert found == [record.id], query


def test_list_ocr_below_lists_records_read_with_less_confidence(scanned_library: Path) -> None:
    record = only_record(scanned_library)
    mean = record.imported["ocr"]["mean_confidence"]
    typed = ("--type", "report", "--title", "Typed", "--language", "en", "--date", "2024")
    assert cli_run(scanned_library, "add", *typed).exit_code == 0

    def listed(threshold: float) -> list[str]:
        result = cli_run(scanned_library, "list", "--json", "--ocr-below", str(threshold))
        assert result.exit_code == 0, result.output
        return [r["id"] for r in json.loads(result.stdout)]

    assert listed(min(mean + 1, 100)) == [record.id]
    assert listed(mean - 1) == []


def test_list_help_tells_of_ocr_below() -> None:
    result = CliRunner().invoke(cli, ["list", "--help"])
    assert result.exit_code == 0
    assert "--ocr-below" in result.output


def test_import_help_tells_of_no_ocr() -> None:
    result = CliRunner().invoke(cli, ["import", "--help"])
    assert result.exit_code == 0
    assert "--no-ocr" in result.output


def test_no_ocr_leaves_the_scan_flagged_needs_ocr(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    make_catalogue(root)
    scan = write_scan(tmp_path / "in", [ENGLISH])

    result = cli_run(root, "import", "--no-ocr", str(scan))

    assert result.exit_code == 0, result.output
    record = only_record(root)
    assert record.flags == ["needs OCR"]
    assert record.body == ""
    assert "ocr" not in record.imported


def test_a_page_whose_ocr_fails_is_reported_and_the_rest_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "lib"
    make_catalogue(root)
    scan = write_scan(tmp_path / "in", [ENGLISH, PAGE_TWO])
    real = ocr.ocr_page

    def broken_first_page(pdf: str, number: int, workdir: str, timeout: float):
        if number == 1:
            raise RuntimeError("Tesseract fell over")
        return real(pdf, number, workdir, timeout)

    # The pool forks after this, so its workers run the broken function too.
    monkeypatch.setattr(ocr, "ocr_page", broken_first_page)
    result = cli_run(root, "import", "--json", str(scan))

    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert any("page 1 not read by OCR" in n and "Tesseract fell over" in n for n in notes)
    record = only_record(root)
    assert "Where is Mr Tanaka?" in record.body
    assert "My father" not in record.body
    assert record.imported["ocr"]["failed_pages"] == [1]
    assert "OCR" in record.flags and "needs OCR" in record.flags


def fake_tesseract(folder: Path, script: str) -> None:
    """A ``tesseract`` first on PATH that runs ``script`` (the real pdftoppm still renders)."""
    folder.mkdir()
    tool = folder / "tesseract"
    tool.write_text("#!/bin/sh\n" + script + "\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)


def test_a_tesseract_crash_is_the_page_s_failure_not_the_file_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tesseract(tmp_path / "bin", "kill -SEGV $$")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    root = tmp_path / "lib"
    make_catalogue(root)
    scan = write_scan(tmp_path / "in", [ENGLISH])

    result = cli_run(root, "import", "--json", str(scan))

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert len(summary["created"]) == 1
    assert any(
        "page 1 not read by OCR: Tesseract crashed (signal 11)" in n for n in summary["notes"]
    )
    record = only_record(root)
    assert record.flags == ["needs OCR"]  # Nothing was read: not flagged OCR.
    assert record.imported["ocr"]["failed_pages"] == [1]


def test_a_page_past_its_timeout_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tesseract(tmp_path / "bin", "sleep 30")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("RESLIB_OCR_PAGE_SECONDS", "1")
    root = tmp_path / "lib"
    make_catalogue(root)
    scan = write_scan(tmp_path / "in", [ENGLISH])

    result = cli_run(root, "import", "--json", str(scan))

    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert any("Tesseract took longer than 1 s (RESLIB_OCR_PAGE_SECONDS)" in n for n in notes)
    assert "needs OCR" in only_record(root).flags


def test_pages_beyond_the_bound_are_reported_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESLIB_OCR_MAX_PAGES", "1")
    root = tmp_path / "lib"
    make_catalogue(root)
    scan = write_scan(tmp_path / "in", [ENGLISH, PAGE_TWO, PAGE_TWO])

    result = cli_run(root, "import", "--json", str(scan))

    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert any("2 page(s) not read by OCR (pages 2-3)" in n and "RESLIB_OCR_MAX_PAGES" in n
               for n in notes)  # fmt: skip
    record = only_record(root)
    assert "My father is a teacher." in record.body
    assert "Where is Mr Tanaka?" not in record.body
    assert record.imported["ocr"]["pages_not_read"] == ["2-3"]
    assert "needs OCR" in record.flags


def test_without_tesseract_the_scan_is_flagged_and_the_run_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "missing_tools", lambda: ["tesseract"])
    root = tmp_path / "lib"
    make_catalogue(root)
    scan = write_scan(tmp_path / "in", [ENGLISH])

    result = cli_run(root, "import", "--json", str(scan))

    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert any("tesseract not installed" in n for n in notes)
    assert only_record(root).flags == ["needs OCR"]


def test_a_better_traineddata_folder_is_passed_to_tesseract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tesseract(tmp_path / "bin", 'echo "$@" > "$(dirname "$0")/args"; exit 1')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("RESLIB_OCR_TESSDATA", str(tmp_path / "tessdata_best"))
    root = tmp_path / "lib"
    make_catalogue(root)

    cli_run(root, "import", str(write_scan(tmp_path / "in", [ENGLISH])))

    args = (tmp_path / "bin" / "args").read_text().split()
    assert args[args.index("--tessdata-dir") + 1] == str(tmp_path / "tessdata_best")
    assert args[args.index("-l") + 1] == "mya+eng"


def test_tsv_words_become_lines_and_paragraphs_weighted_by_length() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tl\tt\tw\th\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t9\t9\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t90\tabcd",
        "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t60\tef",
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t90\tghij",
        "5\t1\t1\t1\t2\t2\t0\t0\t9\t9\t-1\t ",
        "5\t1\t2\t1\t1\t1\t0\t0\t9\t9\t30\tkl",
    ]
    text, confidence = ocr.text_from_tsv("\n".join([header, *rows]))

    assert text == "abcd ef\nghij\n\nkl"
    assert confidence == pytest.approx((90 * 4 + 60 * 2 + 90 * 4 + 30 * 2) / 12)
    assert ocr.text_from_tsv(header) == ("", None)


def test_only_records_read_by_ocr_count_as_below() -> None:
    assert ocr.ocr_below({"ocr": {"mean_confidence": 65.0}}, 70)
    assert not ocr.ocr_below({"ocr": {"mean_confidence": 75.0}}, 70)
    assert ocr.ocr_below({"ocr": {"mean_confidence": None, "pages": []}}, 70)
    assert not ocr.ocr_below({"format": "pdf"}, 70)


def test_the_setup_script_installs_what_ocr_runs() -> None:
    setup = (Path(__file__).resolve().parents[1] / "scripts" / "setup.sh").read_text()
    for package in ("tesseract-ocr", "tesseract-ocr-mya", "tesseract-ocr-eng", "poppler-utils"):
        assert f"apt_missing+=({package})" in setup


TSV_SCRIPT = r"""sleep "${FAKE_SLEEP:-0}"
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tl\tt\tw\th\tconf\ttext\n'
printf '5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t88\tစစ်ဘေးရှောင်များ\n'
printf '5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t92\trefugees\n'
"""


def test_pages_run_in_workers_and_each_one_done_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tesseract(tmp_path / "bin", TSV_SCRIPT)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    data = scanned_pdf([ENGLISH, ENGLISH, ENGLISH], **SMALL)
    told: list[tuple[str, int, int]] = []

    results = ocr.ocr_pages(data, [1, 3], "scan.pdf", lambda *args: told.append(args))

    assert [r.number for r in results] == [1, 3]
    assert all(r.text == "စစ်ဘေးရှောင်များ refugees" and not r.error for r in results)
    assert told == [("scan.pdf", 1, 2), ("scan.pdf", 2, 2)]


def test_the_progress_line_is_rewritten_in_place_and_ends_the_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ocr.stderr_progress("scan.pdf", 1, 2)
    ocr.stderr_progress("scan.pdf", 2, 2)

    err = capsys.readouterr().err
    assert err == "\rOCR scan.pdf: page 1 of 2\x1b[K\rOCR scan.pdf: page 2 of 2\x1b[K\n"


def test_ocr_time_does_not_count_against_the_file_s_reading_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tesseract(tmp_path / "bin", TSV_SCRIPT)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SLEEP", "1.5")
    monkeypatch.setenv("RESLIB_OCR_WORKERS", "1")
    monkeypatch.setenv("RESLIB_IMPORT_FILE_SECONDS", "1")
    root = tmp_path / "lib"
    make_catalogue(root)

    result = cli_run(root, "import", "--json", str(write_scan(tmp_path / "in", [ENGLISH])))

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["skipped"] == []
    assert "refugees" in only_record(root).body


def test_a_scan_of_2000_pages_reads_the_bound_and_reports_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    fake_tesseract(tmp_path / "bin", TSV_SCRIPT)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("RESLIB_OCR_MAX_PAGES", "4")
    pages = [Image.new("L", (60, 80), 200) for _ in range(2000)]
    scan = tmp_path / "in" / "archive.pdf"
    scan.parent.mkdir()
    scan.write_bytes(image_pdf(pages))
    root = tmp_path / "lib"
    make_catalogue(root)

    result = cli_run(root, "import", "--json", str(scan))

    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert any(
        "1996 page(s) not read by OCR (pages 5-2000): OCR reads 4 pages of a PDF at most "
        "(RESLIB_OCR_MAX_PAGES)" in n
        for n in notes
    )
    record = only_record(root)
    assert [p["page"] for p in record.imported["ocr"]["pages"]] == [1, 2, 3, 4]
    assert record.imported["ocr"]["pages_not_read"] == ["5-2000"]
    assert record.imported["pages"] == 2000
    assert "needs OCR" in record.flags


def test_page_numbers_are_kept_as_ranges() -> None:
    assert ocr.page_ranges([7, 2, 3, 4, 9, 10]) == ["2-4", "7", "9-10"]
    assert ocr.page_ranges([]) == []


def test_ocr_text_is_normalized_like_any_other_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reslib.analysis import unicode_to_zawgyi

    unicode_words = ["ရှမ်းပြည်နယ်တောင်ပိုင်းတွင်", "တိုက်ပွဲများ", "ဖြစ်ပွားခဲ့သည်။"]
    rows = "".join(
        rf"printf '5\t1\t1\t1\t1\t{i}\t0\t0\t9\t9\t90\t%s\n' '{unicode_to_zawgyi(word)}'" + "\n"
        for i, word in enumerate(unicode_words, 1)
    )
    header = TSV_SCRIPT.splitlines()[1]  # The TSV's header line.
    fake_tesseract(tmp_path / "bin", header + "\n" + rows)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    root = tmp_path / "lib"
    make_catalogue(root)

    result = cli_run(root, "import", str(write_scan(tmp_path / "in", [ENGLISH])))

    assert result.exit_code == 0, result.output
    record = only_record(root)
    assert record.body == " ".join(unicode_words)
    assert record.language == "my"
