"""``reslib alerts list|remove|send``: help, what each prints, and a send run against an SMTP
server that refuses, times out or is not there: reported, exit 1, nothing marked sent, and
mailed on the next run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alerts_smtp import (
    Inbox,
    closed_port,
    link,
    silent_port,
    smtp_server,
    text_of,
    use_server,
)
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from test_web_sample import build_sample

from reslib.alerts import AlertStore
from reslib.cli import cli
from reslib.config import Home
from reslib.library import open_library
from reslib.models import Record
from reslib.web import create_app

ADDRESS = "reader@example.org"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample")).root


@pytest.fixture
def home(sample: Path, tmp_path: Path) -> Home:
    shutil.copytree(sample, tmp_path / "site")
    return Home(tmp_path / "site")


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with smtp_server() as server:
        use_server(monkeypatch, server.port)
        yield server


@pytest.fixture
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


def alerts(home: Home, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home.root), "alerts", *args])


def confirmed_alert(client: FlaskClient, inbox: Inbox, q: str, email: str = ADDRESS) -> str:
    """Subscribe and confirm; returns the alert's id. Waits for the next second so records
    saved before it are not new to it (``updated`` has whole seconds)."""
    assert client.post("/api/alerts", json={"email": email, "q": q}).status_code == 202
    path = link(inbox.messages[-1], "confirm")
    time.sleep(1.001 - time.time() % 1)
    data = client.post(path + ".json").get_json()
    assert data["status"] == "confirmed"
    home: Home = client.application.config["RESLIB_HOME"]
    return next(a.id for a in AlertStore(home).load() if a.query["q"] == q and a.address == email)


def add_record(home: Home, title: str) -> None:
    catalogue = open_library(home)
    catalogue.add(
        Record(
            id=catalogue.new_id("2024-02-01", title),
            type="report",
            title=title,
            language="en",
            date="2024-02-01",
            summary="Arrests in Sagaing.",
        )
    )


@pytest.mark.parametrize(
    "command", [[], ["list"], ["remove"], ["send"]], ids=["alerts", "list", "remove", "send"]
)
def test_every_alerts_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["alerts", *command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_send_help_names_dry_run() -> None:
    assert "--dry-run" in CliRunner().invoke(cli, ["alerts", "send", "--help"]).output


def test_send_with_no_alerts_sends_nothing_and_needs_no_server(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESLIB_SMTP_HOST", raising=False)
    result = alerts(home, "send")
    assert result.exit_code == 0, result.output
    assert "0 digest(s) sent" in result.output


def test_send_with_alerts_but_no_smtp_server_says_so(
    client: FlaskClient, home: Home, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmed_alert(client, inbox, "Sagaing")
    add_record(home, "Sagaing arrests, no server")
    monkeypatch.setenv("RESLIB_SMTP_HOST", "")
    result = alerts(home, "send")
    assert result.exit_code == 1
    assert "RESLIB_SMTP_HOST" in result.output


@pytest.mark.parametrize("failure", ["refused", "timeout", "closed"])
def test_an_smtp_failure_is_reported_nothing_is_marked_and_the_next_run_sends(
    client: FlaskClient,
    home: Home,
    inbox: Inbox,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
) -> None:
    first = confirmed_alert(client, inbox, "Sagaing")
    second = confirmed_alert(client, inbox, "arrests", "other@example.net")
    add_record(home, "Sagaing arrests after the failure")
    before = (home.library / "alerts.json").read_bytes()
    with silent_port() as silent:
        if failure == "refused":
            inbox.refuse = "554 5.7.1 rejected by policy"
        elif failure == "timeout":
            use_server(monkeypatch, silent)
            monkeypatch.setenv("RESLIB_SMTP_TIMEOUT", "0.5")
        else:
            use_server(monkeypatch, closed_port())
        started = time.monotonic()
        result = alerts(home, "send")
        elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert "not mailed: they will be tried again next run" in result.output
    if failure == "refused":
        assert "refused the mail: 554 5.7.1 rejected by policy" in result.output
        assert result.output.count("failed: alert") == 2  # the server itself still answers
    elif failure == "timeout":
        assert "did not answer within 0.5 seconds" in result.output
        assert "not tried: alert" in result.output  # the rest is not tried after a timeout
        assert elapsed < 10
    else:
        assert "could not mail through the SMTP server" in result.output
        assert "not tried: alert" in result.output
    assert ADDRESS not in result.output and "other@example.net" not in result.output
    assert (home.library / "alerts.json").read_bytes() == before  # nothing marked sent
    assert len(inbox.messages) == 2  # the two confirmations

    inbox.refuse = None
    use_server(monkeypatch, inbox.port)
    result = alerts(home, "send")
    assert result.exit_code == 0, result.output
    assert "2 digest(s) sent" in result.output
    assert {m["To"] for m in inbox.messages[2:]} == {ADDRESS, "other@example.net"}
    assert all("Sagaing arrests after the failure" in text_of(m) for m in inbox.messages[2:])
    marked = {a.id: a.last_sent for a in AlertStore(home).load()}
    assert marked[first] and marked[second]


def test_one_refused_address_does_not_hold_back_the_others(
    client: FlaskClient, home: Home, inbox: Inbox
) -> None:
    confirmed_alert(client, inbox, "Sagaing")
    confirmed_alert(client, inbox, "arrests", "other@example.net")
    add_record(home, "Sagaing arrests, one refused")

    async def refuse_one(server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address == ADDRESS:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    inbox.handle_RCPT = refuse_one  # type: ignore[attr-defined]
    result = alerts(home, "send", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output[: result.output.rindex("}") + 1])
    assert len(report["sent"]) == 1 and len(report["failed"]) == 1
    assert "refused the address: 550 5.1.1 no such mailbox" in report["failed"][0]["error"]
    assert [m["To"] for m in inbox.messages[2:]] == ["other@example.net"]


def test_send_json_reports_each_alert(client: FlaskClient, home: Home, inbox: Inbox) -> None:
    alert_id = confirmed_alert(client, inbox, "Sagaing")
    add_record(home, "Sagaing arrests in JSON")
    result = alerts(home, "send", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sent"] == [{"alert": alert_id, "records": 1}]
    assert report["failed"] == [] and report["not_tried"] == [] and report["dry_run"] is False


def test_dry_run_needs_no_smtp_server(
    client: FlaskClient, home: Home, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmed_alert(client, inbox, "Sagaing")
    add_record(home, "Sagaing arrests, dry")
    monkeypatch.delenv("RESLIB_SMTP_HOST")
    result = alerts(home, "send", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Subject: 1 new result: “Sagaing”" in result.output
    assert "Sagaing arrests, dry" in result.output


def test_list_shows_alerts_to_the_librarian(client: FlaskClient, home: Home, inbox: Inbox) -> None:
    alert_id = confirmed_alert(client, inbox, "Sagaing")
    client.post("/api/alerts", json={"email": "other@example.net", "q": "Magway", "type": "report"})
    result = alerts(home, "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(alert_id) and "confirmed" in lines[0] and ADDRESS in lines[0]
    assert "waiting" in lines[1] and "“Magway” · Type: Report" in lines[1]
    data = json.loads(alerts(home, "list", "--json", "--address", "OTHER@example.net").stdout)
    assert [a["address"] for a in data] == ["other@example.net"]
    assert "client" not in data[0] and data[0]["confirmed"] == ""


def test_remove_by_id_and_by_address(client: FlaskClient, home: Home, inbox: Inbox) -> None:
    first = confirmed_alert(client, inbox, "Sagaing")
    confirmed_alert(client, inbox, "Magway")
    client.post("/api/alerts", json={"email": "other@example.net", "q": "Sagaing"})
    result = alerts(home, "remove", first)
    assert result.exit_code == 0 and f"removed {first}" in result.output
    result = alerts(home, "remove", "--address", ADDRESS)
    assert result.exit_code == 0 and result.output.count("removed") == 1
    assert [a.address for a in AlertStore(home).load()] == ["other@example.net"]
    missing = alerts(home, "remove", "0" * 32)
    assert missing.exit_code == 1 and "no alert for" in missing.output
    assert alerts(home, "remove").exit_code == 2


def test_check_does_not_complain_about_alerts(
    client: FlaskClient, home: Home, inbox: Inbox
) -> None:
    confirmed_alert(client, inbox, "Sagaing")
    assert (home.library / "alerts.json").exists()
    result = CliRunner().invoke(cli, ["--home", str(home.root), "check", "--json"])
    assert result.exit_code == 0, result.output
    assert "alert" not in result.output


def test_send_runs_as_a_real_subprocess(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESLIB_SMTP_HOST", raising=False)
    proc = subprocess.run(
        [sys.executable, "-m", "reslib", "--home", str(home.root), "alerts", "send", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["sent"] == []


def test_a_login_without_tls_is_refused_before_connecting(
    client: FlaskClient, home: Home, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmed_alert(client, inbox, "Sagaing")
    add_record(home, "Sagaing arrests, login")
    monkeypatch.setenv("RESLIB_SMTP_USER", "librarian")
    monkeypatch.setenv("RESLIB_SMTP_PASSWORD", "secret")
    result = alerts(home, "send")
    assert result.exit_code == 1
    assert "the password would cross the network unencrypted" in result.output
    assert len(inbox.messages) == 1


def test_starttls_to_a_server_without_it_is_reported_and_retried(
    client: FlaskClient, home: Home, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    alert_id = confirmed_alert(client, inbox, "Sagaing")
    add_record(home, "Sagaing arrests, starttls")
    monkeypatch.setenv("RESLIB_SMTP_STARTTLS", "1")
    result = alerts(home, "send")
    assert result.exit_code == 1
    assert "could not mail through the SMTP server" in result.output
    assert "STARTTLS" in result.output
    assert AlertStore(home).get(alert_id).last_sent == ""  # type: ignore[union-attr]
    assert len(inbox.messages) == 1
