"""Publishing generations and serving them read-only: a whole generation or none, unchanged
files linked not copied, private files never published, a replica that switches to a new
generation once warmed, never writes, and says how it is on /healthz."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reslib.catalogue import Catalogue
from reslib.cli import cli
from reslib.config import Home
from reslib.errors import InvalidInput
from reslib.index import IndexUnavailable, IndexUpdater
from reslib.models import Record
from reslib.publish import KEEP, current_generation, publish
from reslib.search import SearchRequest, search
from reslib.web import replica as replica_module
from reslib.web.app import create_app


def record(rid: str, title: str) -> Record:
    return Record(id=rid, type="report", title=title, language="en", date="2024-01-01", body=title)


def make_library(root: Path) -> tuple[Home, Catalogue]:
    home = Home(root)
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    catalogue.init()
    catalogue.add(record("flood-report", "Flood relief in Sagaing"))
    catalogue.add(record("school-report", "Schools reopen in Mandalay"))
    return home, catalogue


def found(home: Home, q: str) -> list[str]:
    return [r.id for r in search(home, SearchRequest(q=q)).results]


def test_a_published_generation_is_a_library_a_search_reads(tmp_path: Path) -> None:
    home, _ = make_library(tmp_path / "lib")
    # Private files of the primary: alerts (personal data), their secret, import logs.
    (home.library / "alerts.json").write_text('{"version": 1, "alerts": []}', "utf-8")
    (home.library / ".alerts-secret").write_text("s3cret", "utf-8")
    (home.library / "imports").mkdir()
    (home.library / "imports" / "run.json").write_text("{}", "utf-8")

    report = publish(home, str(tmp_path / "pub"))
    gen = current_generation(tmp_path / "pub")
    assert gen is not None and gen.name == report.generation
    assert report.records == 2
    assert found(Home(gen), "sagaing") == ["flood-report"]
    published = {p.relative_to(gen).as_posix() for p in gen.rglob("*") if p.is_file()}
    assert any(p.startswith("library/records/") for p in published), published
    assert not any("alerts" in p or "imports/" in p or "/." in p for p in published), published


def test_unchanged_files_are_linked_to_the_previous_generation_not_copied(
    tmp_path: Path,
) -> None:
    home, catalogue = make_library(tmp_path / "lib")
    first = publish(home, str(tmp_path / "pub"))
    catalogue.add(record("market-report", "Market prices in Yangon"))
    second = publish(home, str(tmp_path / "pub"))
    assert second.generation != first.generation
    assert second.linked > 0  # the two records and the index segments written before
    gen = current_generation(tmp_path / "pub")
    assert gen is not None
    assert sorted(found(Home(gen), "report OR sagaing OR yangon OR mandalay")) == [
        "flood-report",
        "market-report",
        "school-report",
    ]
    linked = [p for p in gen.rglob("*") if p.is_file() and p.stat().st_nlink > 1]
    assert linked, "nothing was shared with the previous generation"
    # The previous generation is still whole: a replica answering on it finds its files.
    assert found(Home(tmp_path / "pub" / first.generation), "yangon") == []


def test_only_the_last_generations_are_kept(tmp_path: Path) -> None:
    home, catalogue = make_library(tmp_path / "lib")
    for n in range(KEEP + 2):
        catalogue.add(record(f"extra-{n}", f"Extra report {n}"))
        publish(home, str(tmp_path / "pub"))
    gens = sorted(p.name for p in (tmp_path / "pub").iterdir() if p.name.startswith("gen-"))
    assert len(gens) == KEEP
    current = current_generation(tmp_path / "pub")
    assert current is not None and current.name == gens[-1]


def test_a_publish_that_fails_midway_leaves_the_served_generation_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, catalogue = make_library(tmp_path / "lib")
    first = publish(home, str(tmp_path / "pub"))
    catalogue.add(record("market-report", "Market prices in Yangon"))
    import reslib.publish as publish_module

    def broken(src: Path, dst: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(publish_module.shutil, "copy2", broken)
    with pytest.raises(publish_module.PublishError, match=r"disk full.*still serve"):
        publish(home, str(tmp_path / "pub"))
    current = current_generation(tmp_path / "pub")
    assert current is not None and current.name == first.generation
    assert not [p for p in (tmp_path / "pub").iterdir() if p.name.startswith(".incoming")]


def test_publishing_needs_an_index_and_a_destination_outside_the_library(
    tmp_path: Path,
) -> None:
    home, _ = make_library(tmp_path / "lib")
    with pytest.raises(InvalidInput, match="outside the library"):
        publish(home, str(tmp_path / "lib" / "pub"))
    empty = Home(tmp_path / "empty")
    Catalogue(empty).init()
    with pytest.raises(IndexUnavailable, match="reindex"):
        publish(empty, str(tmp_path / "pub2"))
    assert current_generation(tmp_path / "pub2") is None


def test_publishing_to_a_host_goes_through_rsync_and_ssh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for ssh that runs the remote command here: rsync and the pointer switch
    # take exactly the path they would take to another machine.
    fake = tmp_path / "fake-ssh"
    fake.write_text('#!/bin/sh\nshift\nexec sh -c "$*"\n', "utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("RESLIB_PUBLISH_SSH", str(fake))
    home, catalogue = make_library(tmp_path / "lib")
    target = tmp_path / "remote"
    publish(home, f"replica-host:{target}")
    catalogue.add(record("market-report", "Market prices in Yangon"))
    report = publish(home, f"replica-host:{target}")
    gen = current_generation(target)
    assert gen is not None and gen.name == report.generation
    assert found(Home(gen), "yangon") == ["market-report"]
    shared = [p for p in gen.rglob("*") if p.is_file() and p.stat().st_nlink > 1]
    assert shared, "rsync --link-dest shared nothing with the previous generation"


def test_the_publish_command_prints_what_it_did(tmp_path: Path) -> None:
    make_library(tmp_path / "lib")
    runner = CliRunner()
    assert "--replica" in runner.invoke(cli, ["serve", "--help"]).output
    help_text = runner.invoke(cli, ["publish", "--help"]).output
    assert "DESTINATION" in help_text and "generation" in help_text
    result = runner.invoke(cli, ["--home", str(tmp_path / "lib"), "publish", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    said = json.loads(result.output)
    assert said["records"] == 2 and said["published"].startswith("gen-")
    missing = runner.invoke(cli, ["serve", "--replica", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "nothing published" in missing.output


@pytest.fixture
def replica_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(replica_module, "CHECK_EVERY", 0.0)
    home, catalogue = make_library(tmp_path / "lib")
    publish(home, str(tmp_path / "pub"))
    app = create_app(Home(tmp_path / "pub"), {"TESTING": True, "RESLIB_REPLICA": tmp_path / "pub"})
    return app, home, catalogue, tmp_path / "pub"


def wait_for(check, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_replica_serves_the_published_generation_and_then_the_next_without_restart(
    replica_app,  # type: ignore[no-untyped-def]
) -> None:
    app, home, catalogue, pub = replica_app
    client = app.test_client()
    app.extensions["reslib_replica"].refresh(wait=True)
    health = client.get("/healthz")
    assert health.status_code == 200
    first = health.get_json()
    assert first["ready"] and first["records"] == 2 and first["replica"]
    assert client.get("/api/search?q=yangon").get_json()["total"] == 0

    catalogue.add(record("market-report", "Market prices in Yangon"))
    report = publish(home, str(pub))

    def switched() -> bool:
        return client.get("/healthz").get_json()["generation"] == report.generation

    wait_for(switched)
    assert client.get("/api/search?q=yangon").get_json()["total"] == 1
    assert client.get("/healthz").get_json()["records"] == 3


def test_a_replica_before_any_warm_generation_is_not_ready(tmp_path: Path) -> None:
    pub = tmp_path / "pub"
    pub.mkdir()
    app = create_app(Home(pub), {"TESTING": True, "RESLIB_REPLICA": pub})
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503 and answer.get_json()["ready"] is False


def test_a_replica_writes_nothing_and_sends_writes_to_the_primary(
    replica_app,  # type: ignore[no-untyped-def]
) -> None:
    app, _, _, pub = replica_app
    client = app.test_client()
    refused = client.post("/api/alerts", json={"email": "a@example.org", "q": "flood"})
    assert refused.status_code == 403
    assert "read-only" in json.dumps(refused.get_json())
    assert not any(p.name == "alerts.json" for p in pub.rglob("*"))

    app.extensions["reslib_replica"].primary = "https://library.example.org"
    sent = client.post("/api/alerts?x=1", json={"email": "a@example.org", "q": "flood"})
    assert sent.status_code == 307
    assert sent.headers["Location"] == "https://library.example.org/api/alerts?x=1"
    assert client.get("/api/search?q=flood").status_code == 200


def test_the_primary_answers_healthz_with_its_live_generation(tmp_path: Path) -> None:
    home, _ = make_library(tmp_path / "lib")
    answer = create_app(home, {"TESTING": True}).test_client().get("/healthz")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["ready"] and body["generation"].startswith("ix-") and not body["replica"]
    assert os.path.isdir(home.indexes / body["generation"])


def test_a_publish_with_nothing_new_makes_no_new_generation(tmp_path: Path) -> None:
    home, catalogue = make_library(tmp_path / "lib")
    first = publish(home, str(tmp_path / "pub"))
    again = publish(home, str(tmp_path / "pub"))
    assert again.unchanged and again.generation == first.generation
    assert [p.name for p in (tmp_path / "pub").iterdir() if p.name.startswith("gen-")] == [
        first.generation
    ]
    catalogue.add(record("market-report", "Market prices in Yangon"))
    changed = publish(home, str(tmp_path / "pub"))
    assert not changed.unchanged and changed.generation != first.generation


def test_a_destination_that_is_a_file_or_cannot_be_made_gets_a_clear_message(
    tmp_path: Path,
) -> None:
    make_library(tmp_path / "lib")
    (tmp_path / "afile").write_text("x", "utf-8")
    runner = CliRunner()
    for dest, said in ((tmp_path / "afile", "is a file"), ("/proc/nope/pub", "cannot create")):
        result = runner.invoke(cli, ["--home", str(tmp_path / "lib"), "publish", str(dest)])
        assert result.exit_code == 1, result.output
        assert said in result.output and "Traceback" not in result.output
    assert (tmp_path / "afile").read_text("utf-8") == "x"
