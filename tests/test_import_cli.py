"""``reslib import`` through click's CliRunner, and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from conftest import shared_path
from import_fixtures.library import make_catalogue
from import_fixtures.wordpress import wordpress_page

from reslib.cli import cli

PARAGRAPHS = ["The junta’s aerial attacks on civilians show its disregard for human life. " * 2]


def run(root, *args):
    return CliRunner().invoke(cli, ["--home", str(root), "import", *map(str, args)])


def test_help_lists_every_option():
    result = CliRunner().invoke(cli, ["import", "--help"])

    assert result.exit_code == 0
    for option in (
        "--type",
        "--language",
        "--organization",
        "--format",
        "--dry-run",
        "--json",
        "--ignore-extra",
        "--files-from",
        "--quiet",
    ):
        assert option in result.output


def test_json_summary_lists_created_ids(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")

    result = run(tmp_path / "lib", shared_path("seeds"), "--json")

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"] == {"created": 24, "updated": 0, "unchanged": 0, "skipped": 0}
    assert sorted(summary["created"]) == catalogue.ids()
    assert summary["possible_duplicates"][0]["title"].startswith("In the Dark")


def test_text_summary_and_unchanged_on_second_run(tmp_path):
    make_catalogue(tmp_path / "lib")
    run(tmp_path / "lib", shared_path("seeds"))

    result = run(tmp_path / "lib", shared_path("seeds"))

    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "created 0, updated 0, unchanged 24, skipped 0 (2 file(s))"
    )


def test_anything_skipped_exits_with_1_and_says_why(tmp_path):
    make_catalogue(tmp_path / "lib")
    (tmp_path / "empty.html").write_bytes(b"")
    page = tmp_path / "page.html"
    page.write_text(wordpress_page("A statement", PARAGRAPHS), encoding="utf-8")

    result = run(tmp_path / "lib", tmp_path / "empty.html", page, "--quiet")

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "created 1, updated 0, unchanged 0, skipped 1 (2 file(s))"
    ]
    assert f"skipped {tmp_path / 'empty.html'}: empty file" in result.stderr


def test_dry_run_writes_nothing(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")

    result = run(tmp_path / "lib", shared_path("seeds"), "--dry-run")

    assert result.exit_code == 0
    assert result.output.startswith("Dry run: would have created 24,")
    assert catalogue.ids() == []


def test_options_reach_the_records(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    page = tmp_path / "page.txt"
    page.write_text(wordpress_page("Untyped page", PARAGRAPHS, categories=()), encoding="utf-8")

    result = run(
        tmp_path / "lib", page, "--format", "html", "--type", "report", "--language", "en+my"
    )

    assert result.exit_code == 0, result.output
    (record,) = catalogue.records()
    assert (record.type, record.language) == ("report", "en+my")


def test_unknown_type_is_a_usage_error(tmp_path):
    result = run(tmp_path, tmp_path, "--type", "leaflet")

    assert result.exit_code == 2
    assert "leaflet" in result.output


def test_real_process_imports_the_seeds(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")

    done = subprocess.run(
        [
            *(sys.executable, "-m", "reslib", "--home", str(tmp_path / "lib")),
            *("import", "--json", str(shared_path("seeds"))),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["created"] == 24
    assert "Importing" not in done.stderr, "no progress bar when stderr is not a terminal"
    assert len(catalogue.ids()) == 24


def test_files_from_lets_a_manifest_name_files_in_another_folder(tmp_path):
    make_catalogue(tmp_path / "home")
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "report.txt").write_text("Arrests in Sagaing, 2023.\n", encoding="utf-8")
    manifest = tmp_path / "lists" / "manifest.csv"
    manifest.parent.mkdir()
    manifest.write_text(
        "title,date,type,language,file\nSagaing arrests,2023-09-10,report,en,../scans/report.txt\n",
        encoding="utf-8",
    )

    refused = run(tmp_path / "home", manifest, "--json")
    assert refused.exit_code == 1
    assert "outside the manifest's folder" in refused.output
    assert not list((tmp_path / "home" / "library" / "records").glob("*.json"))

    taken = run(tmp_path / "home", manifest, "--files-from", scans, "--json")
    assert taken.exit_code == 0, taken.output
    assert len(json.loads(taken.output)["created"]) == 1
