"""``reslib serve``: gunicorn worker processes, not Flask's development server, answering
the real site."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from test_web_sample import build_sample

from reslib.cli import cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def fetch(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_serve_help_names_its_options() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers", "--threads"):
        assert option in result.output


def test_serve_runs_gunicorn_worker_processes_over_the_library(tmp_path: Path) -> None:
    home = build_sample(tmp_path)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reslib",
            "--home",
            str(home.root),
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        answer = None
        for _ in range(150):  # bounded wait for the port to open
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.request("GET", "/api/search?q=arrests")
                response = conn.getresponse()
                answer = (response.status, response.getheader("Server"), response.read())
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
            finally:
                conn.close()
        assert answer is not None, "the server never answered"
        status, server, body = answer
        assert status == 200
        assert server.startswith("gunicorn")
        assert b"2023-09-10-arbitrary-arrests-in-sagaing" in body
        # The longest query the site accepts reaches the site, however long once encoded.
        burmese = quote("ကရင်နီ" * 83)  # 498 characters, 4,482 bytes encoded
        status, headers, body = fetch(port, f"/?q={burmese}")
        assert status == 200, body[:300]
        # A request line past what the server reads gets the site's page, not gunicorn's.
        status, headers, body = fetch(port, "/?q=" + "x" * 9000)
        assert status == 414
        assert "Content-Security-Policy" in headers and headers["X-Frame-Options"] == "DENY"
        # The site's own page (its layout and the way back), not gunicorn's bare text.
        assert b'<html lang="en"' in body and b'href="/"' in body and b"site.css" in body
        status, headers, body = fetch(port, "/api/search?q=" + "x" * 9000)
        assert status == 414 and headers["Content-Security-Policy"]
        status, headers, body = fetch(port, "/", {"X-Big": "y" * 9000})
        assert status == 431 and headers["Content-Security-Policy"]
        workers: list[int] = []
        for _ in range(100):  # the first worker may answer before the second has forked
            workers = children(proc.pid)
            if len(workers) == 2:
                break
            time.sleep(0.1)
        assert len(workers) == 2
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert b"serving on http://127.0.0.1:" in err
    assert b"with 2 processes of 2 threads" in err


def test_a_worker_warms_the_generation_tables_before_its_first_request(tmp_path: Path) -> None:
    from reslib.index import reader, snapshot
    from reslib.search import facets
    from reslib.web import create_app
    from reslib.web.server import _warm

    home = build_sample(tmp_path)
    reader.forget_all()
    _warm(create_app(home))
    assert snapshot(home).generation.has(facets.TABLES)


def test_warming_a_library_without_an_index_only_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import shutil

    from reslib.web import create_app
    from reslib.web.server import _warm

    home = build_sample(tmp_path)
    shutil.rmtree(home.indexes)
    _warm(create_app(home))
    assert "reslib reindex" in caplog.text
