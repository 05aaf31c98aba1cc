"""The proof of issue 18, short: HAProxy (deploy/haproxy.cfg) in front of two replicas under
load, one killed with SIGKILL and restarted, a new generation published midway: no failed
request, both replicas answer alike, the added records are found. And the server writes a
response's head with its body, so a killed replica never leaves half an answer."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gunicorn.config import Config

from reslib.web.server import WholeResponse

ROOT = Path(__file__).resolve().parent.parent


def load_benchmark():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "replicas_benchmark", ROOT / "benchmarks" / "replicas.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class FakeSocket:
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.writes.append(bytes(data))


class FakeRequest:
    version = (1, 1)
    method = "GET"
    headers: tuple[tuple[str, str], ...] = ()

    def should_close(self) -> bool:
        return False


def response(sock: FakeSocket) -> WholeResponse:
    return WholeResponse(FakeRequest(), sock, Config())


def test_a_response_s_head_and_body_leave_in_one_write() -> None:
    sock = FakeSocket()
    resp = response(sock)
    resp.start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "9")])
    resp.write(b'{"a": 1}\n')
    resp.close()
    assert len(sock.writes) == 1
    head, _, body = sock.writes[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"Content-Length: 9" in head
    assert body == b'{"a": 1}\n'


def test_a_response_without_a_body_still_sends_its_head() -> None:
    sock = FakeSocket()
    resp = response(sock)
    resp.start_response("304 Not Modified", [])
    resp.close()
    assert len(sock.writes) == 1 and sock.writes[0].startswith(b"HTTP/1.1 304")


def test_a_chunked_response_frames_its_first_chunk_after_the_head() -> None:
    sock = FakeSocket()
    resp = response(sock)
    resp.start_response("200 OK", [("Content-Type", "text/plain")])
    assert resp.chunked
    resp.write(b"hello")
    resp.write(b"world")
    resp.close()
    first = sock.writes[0]
    assert first.split(b"\r\n\r\n", 1)[1] == b"5\r\nhello\r\n"
    assert b"".join(sock.writes[1:]) == b"5\r\nworld\r\n0\r\n\r\n"


def test_deploy_haproxy_config_is_valid(tmp_path: Path) -> None:
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is missing: scripts/setup.sh installs it")
    env = {
        "RESLIB_LB_BIND": "127.0.0.1:18080",
        "RESLIB_REPLICA_1": "127.0.0.1:18081",
        "RESLIB_REPLICA_2": "127.0.0.1:18082",
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
    }
    done = subprocess.run(
        ["haproxy", "-c", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_replicas_behind_haproxy_fail_no_request_while_one_dies_and_a_generation_lands(
    tmp_path: Path,
) -> None:
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is missing: scripts/setup.sh installs it")
    result = load_benchmark().proof(records=150, seconds=12, clients=4, work=tmp_path)
    assert result["requests"] > 50, result
    assert result["failed"] == 0, result["failures"]
    assert result["replicas_agree"], result
    assert result["added_records_found"], result
    assert len(result["events"]) == 3, result["events"]
