"""``reslib import --key`` and ``reslib imports list|show|undo`` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from import_fixtures.library import make_catalogue

from reslib.cli import cli

HOLDINGS = (
    "accession,title,date,summary\n"
    "A-1,Coup Watch October 2023,2023-11-20,Monthly summary\n"
    "A-2,Open letter to Finland,2023-11-21,A letter\n"
)
WRONG = (
    "accession,title,date,summary\n"
    "A-1,Coup Watch October 2023,2023-11-20,Monthly summary\n"
    "A-2,Open letter to Finland,2023-11-21,Pangolin letter\n"
    "A-3,Pangolin report,2023-12-01,\n"
)


def run(root: Path, *args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["--home", str(root), *args], input=stdin)


def imported(root: Path, path: Path, text: str, *args: str) -> dict:
    path.write_text(text, encoding="utf-8")
    result = run(root, "import", str(path), "--key", "accession", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def two_runs(tmp_path):
    root = tmp_path / "lib"
    make_catalogue(root)
    first = imported(root, tmp_path / "h.csv", HOLDINGS, "--by", "Thida")
    second = imported(root, tmp_path / "h2.csv", WRONG, "--by", "Ko Aung")
    return root, first, second


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["imports"], "every import that changed the library"),
        (["imports", "list"], "List logged import runs"),
        (["imports", "show"], "Show what import run RUN did"),
        (["imports", "undo"], "--yes"),
    ],
)
def test_every_imports_command_has_help(args, says):
    result = CliRunner().invoke(cli, [*args, "--help"])

    assert result.exit_code == 0
    assert f"Usage: cli {' '.join(args)}" in result.output
    assert says in result.output


def test_import_help_lists_key_and_by():
    result = CliRunner().invoke(cli, ["import", "--help"])

    assert "--key COLUMN" in result.output
    assert "--by NAME" in result.output
    assert "library/imports/" in result.output


def test_import_prints_the_run_it_logged(two_runs, tmp_path):
    root, first, second = two_runs
    (tmp_path / "h3.csv").write_text(HOLDINGS.replace("A letter", "Letter"), encoding="utf-8")

    result = run(root, "import", str(tmp_path / "h3.csv"), "--key", "accession")

    assert first["run"] and second["run"] and first["run"] != second["run"]
    assert result.output.splitlines()[0].startswith("created 0, updated 1,")
    run_id = result.output.splitlines()[1].split()[3]
    assert result.output.splitlines()[1] == (
        f"logged as run {run_id} (reslib imports show {run_id})"
    )


def test_list_shows_each_run_with_who_and_counts(two_runs):
    root, first, second = two_runs

    result = run(root, "imports", "list")

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == [first["run"], second["run"]]
    assert "Thida  created 2, updated 0, skipped 0" in lines[0]
    assert lines[1].endswith("Ko Aung  created 1, updated 1, skipped 0")
    as_json = json.loads(run(root, "imports", "list", "--json").stdout)
    assert [r["run"] for r in as_json] == [first["run"], second["run"]]
    assert "records" not in as_json[0]


def test_list_of_a_library_without_imports(tmp_path):
    make_catalogue(tmp_path / "lib")

    result = run(tmp_path / "lib", "imports", "list")

    assert (result.exit_code, result.output) == (0, "no import runs logged yet\n")


def test_show_lists_options_files_and_records(two_runs, tmp_path):
    root, _, second = two_runs
    letter = next(i for i in second["updated"])

    result = run(root, "imports", "show", second["run"])

    assert result.exit_code == 0
    out = result.output.splitlines()
    assert out[0] == f"run {second['run']}"
    assert "by Ko Aung" in out
    assert "option key: accession" in out
    assert any(line.startswith(f"file {tmp_path / 'h2.csv'} (csv, ") for line in out)
    assert f"updated {letter} (changed: imported, summary)" in out
    assert f"created {second['created'][0]}" in out
    log = json.loads(run(root, "imports", "show", second["run"], "--json").stdout)
    assert log["records"][0]["previous"]["summary"] == "A letter"


def test_undo_asks_first_and_needs_yes_without_a_terminal(two_runs):
    root, _, second = two_runs

    result = run(root, "imports", "undo", second["run"])

    assert result.exit_code == 1
    assert "pass --yes to undo it without a prompt" in result.stderr
    assert len(json.loads(run(root, "list", "--json").stdout)) == 3


def test_undo_with_yes_takes_the_run_back_and_the_search_agrees(two_runs):
    root, _, second = two_runs
    found = json.loads(run(root, "search", "pangolin", "--json").stdout)
    assert found["total"] == 2

    result = run(root, "imports", "undo", second["run"], "--yes")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"run {second['run']}: removed 1, restored 1, undone before 0, left 0\n"
    )
    assert json.loads(run(root, "search", "pangolin", "--json").stdout)["total"] == 0
    assert "undone" in run(root, "imports", "list").output.splitlines()[1]
    check = run(root, "check", "--json")
    assert check.exit_code == 0, check.output
    assert "imports" not in check.output, "library/imports/ is no problem for reslib check"


def test_undo_of_an_edited_record_reports_it_and_exits_1(two_runs):
    root, _, second = two_runs
    created = second["created"][0]
    run(root, "edit", created, "--set", "summary=Checked")

    result = run(root, "imports", "undo", second["run"], "--yes", "--json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [e["id"] for e in report["left"]] == [created]
    assert report["restored"] == second["updated"]


def test_undo_of_an_unknown_run_is_a_clear_error(two_runs):
    root, _, _ = two_runs

    result = run(root, "imports", "undo", "20990101-000000-abcd", "--yes")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no import run '20990101-000000-abcd': see 'reslib imports list'\n"
    )
    shown = run(root, "imports", "show", "nonsense")
    assert (shown.exit_code, "no import run 'nonsense'" in shown.stderr) == (1, True)
