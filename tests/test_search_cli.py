"""`reslib reindex` and `reslib search`: through click's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reslib.catalogue import Catalogue
from reslib.cli import cli
from reslib.config import Home
from reslib.models import Record


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path)
    catalogue = Catalogue(h)
    catalogue.init()
    catalogue.add(
        Record(
            id="sagaing",
            type="statement",
            title="Statement on Sagaing",
            language="en",
            date="2023-11-20",
            organizations=["Progressive Voice"],
            body="The military burned villages in Sagaing <Region>.",
        )
    )
    catalogue.add(
        Record(
            id="sagaing-my",
            type="statement",
            title="စစ်ကိုင်း ထုတ်ပြန်ချက်",
            language="my",
            date="2023-11-21",
            body="စစ်ကိုင်းတိုင်းတွင် ရွာများကို မီးရှို့ခဲ့သည်။",
            translations=["sagaing"],
        )
    )
    return h


def run(home: Home, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home.root), *args])


@pytest.mark.parametrize("command", ["reindex", "search"])
def test_every_search_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_search_before_reindex_says_to_reindex(home: Home) -> None:
    result = run(home, "search", "Sagaing")
    assert result.exit_code == 1
    assert "reslib reindex" in result.output


def test_reindex_reports_records_indexed(home: Home) -> None:
    result = run(home, "reindex")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Indexed 2 records")


def test_reindex_json_and_status(home: Home) -> None:
    data = json.loads(run(home, "reindex", "--json").output)
    assert data["records"] == 2
    status = json.loads(run(home, "reindex", "--status", "--json").output)
    assert status["usable"] is True
    assert status["documents"] == 2


def test_search_json_has_the_api_shape(home: Home) -> None:
    run(home, "reindex")
    result = run(home, "search", "Sagaing", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 1
    (hit,) = data["results"]
    assert hit["id"] == "sagaing"
    assert hit["translations"] == [
        {"id": "sagaing-my", "title": "စစ်ကိုင်း ထုတ်ပြန်ချက်", "language": "my"}
    ]
    assert "&lt;Region&gt;" in hit["snippet"]
    assert set(data["facets"]) == {"type", "language", "organizations", "year", "places"}


def test_search_plain_output_marks_matches(home: Home) -> None:
    run(home, "reindex")
    result = run(home, "search", "burned")
    assert result.exit_code == 0
    assert "Results 1-1 of 1:" in result.output
    assert "[burned]" in result.output
    assert "also in my: စစ်ကိုင်း ထုတ်ပြန်ချက် (sagaing-my)" in result.output


def test_search_options_filter_sort_and_page(home: Home) -> None:
    run(home, "reindex")
    data = json.loads(run(home, "search", "--lang", "my", "--sort", "date", "--json").output)
    assert [r["id"] for r in data["results"]] == ["sagaing-my"]
    data = json.loads(run(home, "search", "--limit", "1", "--page", "2", "--json").output)
    assert data["page"] == 2 and data["results"] == []


def test_search_refuses_too_deep_paging(home: Home) -> None:
    run(home, "reindex")
    result = run(home, "search", "x", "--limit", "100", "--page", "11")
    assert result.exit_code == 1
    assert "narrow the search" in result.output


def test_cli_catalogue_commands_keep_the_index_in_sync(home: Home) -> None:
    run(home, "reindex")
    assert run(home, "edit", "sagaing", "--set", "title=Statement on Magway").exit_code == 0
    data = json.loads(run(home, "search", "Magway", "--json").output)
    assert [r["id"] for r in data["results"]] == ["sagaing"]
    assert run(home, "remove", "sagaing-my", "--yes").exit_code == 0
    assert json.loads(run(home, "search", "စစ်ကိုင်း", "--json").output)["total"] == 0


def test_reindex_and_search_as_subprocesses(home: Home) -> None:
    env = {**os.environ, "RESLIB_HOME": str(home.root)}
    exe = [sys.executable, "-m", "reslib"]
    done = subprocess.run([*exe, "reindex"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [*exe, "search", "စစ်ကိုင်း", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"] == 1
    assert data["results"][0]["translations"][0]["id"] in {"sagaing", "sagaing-my"}


def test_reindex_uses_a_process_per_core_unless_told(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reslib.cli import search_cmds

    asked: list[int] = []
    real = search_cmds.rebuild

    def recording(*args: object, procs: int, **kwargs: object) -> object:
        asked.append(procs)
        return real(*args, procs=procs, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search_cmds, "rebuild", recording)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    monkeypatch.delenv("RESLIB_IMPORT_WORKERS", raising=False)
    assert run(home, "reindex").exit_code == 0
    monkeypatch.setenv("RESLIB_IMPORT_WORKERS", "2")
    assert run(home, "reindex").exit_code == 0
    assert run(home, "reindex", "--procs", "1").exit_code == 0
    assert asked == [3, 2, 1]
    assert "one per core" in " ".join(run(home, "reindex", "--help").output.split())
