"""An alert's address is personal data: after subscribing, confirming and a digest, it is in
no page, export, feed, API answer, CLI output, index file or log line: only in
``library/alerts.json`` (and the mails themselves)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alerts_smtp import Inbox, link, smtp_server, use_server
from click.testing import CliRunner
from flask import Flask
from test_web_sample import build_sample

from reslib.cli import cli
from reslib.config import Home
from reslib.library import open_library
from reslib.models import Record
from reslib.web import create_app

ADDRESS = "private.reader@example.org"
NEEDLES = (ADDRESS, "private.reader", ADDRESS.encode().hex())
#: Route arguments filled in from the sample library; alert pages are checked on their own.
ARGUMENTS = {
    "item_id": "2023-09-10-arbitrary-arrests-in-sagaing",
    "id": "2023-09-10-arbitrary-arrests-in-sagaing",
    "lang": "en",
    "code": "en",
    "number": "1",
    "name": "site.css",
    "filename": "site.css",
}


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with smtp_server() as server:
        use_server(monkeypatch, server.port)
        yield server


@pytest.fixture
def site(tmp_path: Path, inbox: Inbox, caplog: pytest.LogCaptureFixture) -> tuple[Home, Flask]:
    """A library whose reader subscribed, confirmed and got one digest, all logged at DEBUG."""
    caplog.set_level(logging.DEBUG)
    home = build_sample(tmp_path / "site")
    app = create_app(home, {"TESTING": True})
    client = app.test_client()
    assert client.post("/alerts", data={"email": ADDRESS, "q": "Sagaing"}).status_code == 202
    time.sleep(1.001 - time.time() % 1)
    assert client.post(link(inbox.messages[0], "confirm")).status_code == 200
    catalogue = open_library(home)
    catalogue.add(
        Record(
            id="2024-02-01-sagaing-update",
            type="report",
            title="Sagaing update",
            language="en",
            date="2024-02-01",
            summary="Sagaing.",
        )
    )
    result = CliRunner().invoke(cli, ["--home", str(home.root), "alerts", "send"])
    assert result.exit_code == 0 and len(inbox.messages) == 2
    assert ADDRESS in (home.library / "alerts.json").read_text()
    return home, app


def _absent(where: str, body: bytes) -> None:
    text = body.decode("utf-8", "replace")
    for needle in NEEDLES:
        assert needle not in text, f"{where} holds the address"


def test_no_page_feed_export_or_api_answer_holds_the_address(
    site: tuple[Home, Flask], caplog: pytest.LogCaptureFixture
) -> None:
    _, app = site
    client = app.test_client()
    checked = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith("/alerts/"):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(\w+:)?{arg}>", ARGUMENTS.get(arg, "x"), path)
        for query in ("", "?q=Sagaing", "?verb=ListRecords&metadataPrefix=oai_dc"):
            with client.get(path + query) as response:  # static files must be closed
                _absent(f"GET {path}{query} ({response.status_code})", response.data)
            checked.append(path)
    # The routes that matter are among those checked, whoever added them.
    for needed in ("/", "/api/search", "/feed.atom", "/export.bib", "/export.ris", "/sitemap.xml"):
        assert needed in checked
    # The test's own SMTP server (aiosmtpd's "mail.log") logs what it receives; nothing else may.
    records = caplog.get_records("setup") + caplog.get_records("call")
    for record in records:
        if not record.name.startswith("mail.log"):
            _absent(f"a log line of {record.name}", record.getMessage().encode())
    assert any(r.name.startswith("mail.log") for r in records)  # logging was captured


def test_the_alert_pages_show_the_address_masked_only(
    site: tuple[Home, Flask], inbox: Inbox
) -> None:
    _, app = site
    client = app.test_client()
    for kind in ("confirm", "unsubscribe", "manage"):
        path = link(inbox.messages[0 if kind == "confirm" else -1], kind)
        for suffix in ("", ".json"):
            _absent(f"GET {path}{suffix}", client.get(path + suffix).data)
    manage = client.get(link(inbox.messages[-1], "manage") + ".json").get_json()
    assert manage["address"] == "p•••@example.org"


def test_no_cli_output_or_index_file_holds_the_address(site: tuple[Home, Flask]) -> None:
    home, _ = site
    runner = CliRunner()
    for args in (
        ["export", "--format", "jsonl"],
        ["export", "--format", "csv"],
        ["export", "--format", "bibtex"],
        ["export", "--format", "ris"],
        ["search", "Sagaing", "--json"],
        ["list", "--json"],
        ["check", "--json"],
        ["reindex", "--status", "--json"],
        ["alerts", "send", "--json"],
    ):
        result = runner.invoke(cli, ["--home", str(home.root), *args])
        assert result.exit_code == 0, (args, result.output)
        _absent(" ".join(args), result.output.encode())
    for path in home.indexes.rglob("*"):
        if path.is_file():
            _absent(str(path), path.read_bytes())
    for path in home.library.rglob("*"):
        if path.is_file() and path.name != "alerts.json":
            _absent(str(path), path.read_bytes())
