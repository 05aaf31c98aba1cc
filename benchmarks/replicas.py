"""Replicas behind HAProxy: no failed request while one dies or a new generation lands.

    .venv/bin/python benchmarks/replicas.py                       # 2,000 records, 60 s of load
    .venv/bin/python benchmarks/replicas.py --records 200 --seconds 15 --clients 4   # CI's run

What it does, with the files and commands of docs/deploy.md:

1. generates a library (``benchmarks/search.py``'s generator), indexes it and publishes it
   (``reslib publish``) to a directory;
2. starts two replicas (``reslib serve --replica DIR``) and HAProxy with ``deploy/haproxy.cfg``
   in front of them, on loopback ports, and waits until HAProxy has both in service;
3. runs a bounded load: ``--clients`` threads, each sending searches through HAProxy one after
   another for ``--seconds``;
4. at a quarter of the time kills one replica with SIGKILL (its whole process group, as when
   a machine dies), restarts it at half time, and at two thirds adds records to the library
   and publishes a new generation;
5. prints requests/s, p50/p99 latency and the number of failed requests (a status other than
   200, or no answer), then checks that both replicas, asked directly, give identical
   results for the same queries once both serve the same generation, and that the records
   added are found through HAProxy.

Exit status 0 when there was no failed request and both checks hold. Needs ``haproxy``
(``scripts/setup.sh`` installs it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from search import generate  # noqa: E402

from reslib.catalogue import Catalogue  # noqa: E402
from reslib.config import Home  # noqa: E402
from reslib.index import rebuild  # noqa: E402
from reslib.library import open_library  # noqa: E402
from reslib.models import Record  # noqa: E402
from reslib.publish import publish  # noqa: E402

RESLIB = [sys.executable, "-m", "reslib"]
QUERIES = ["Yangon", "school", "ရန်ကုန်", "human rights", "report", "water", "village", "Karen"]
ADDED_WORD = "zymurgyfestival"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def wait_until(check, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")


@dataclass
class Replica:
    port: int
    published: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *RESLIB,
                "serve",
                "--replica",
                str(self.published),
                "--port",
                str(self.port),
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            start_new_session=True,  # its own process group: killed whole, like a machine
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def ready(self) -> bool:
        status, _ = get(self.port, "/healthz", timeout=2)
        return status == 200

    def generation(self) -> str | None:
        status, body = get(self.port, "/healthz", timeout=2)
        return json.loads(body).get("generation") if status == 200 else None

    def kill(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


@dataclass
class Load:
    port: int
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, stop: threading.Event, seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            q = rng.choice(QUERIES)
            path = f"/api/search?q={quote(q)}&limit=5"
            t0 = time.perf_counter()
            try:
                status, _ = get(self.port, path, timeout=30)
                problem = None if status == 200 else f"{status} for {path}"
            except (OSError, http.client.HTTPException) as exc:
                # No answer, a reset, or an answer cut short (IncompleteRead).
                problem = f"{type(exc).__name__}: {exc} for {path}"
            took = time.perf_counter() - t0
            with self.lock:
                self.latencies.append(took)
                if problem:
                    self.failures.append(problem)


def haproxy(port: int, replicas: list[Replica]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "RESLIB_LB_BIND": f"127.0.0.1:{port}",
        "RESLIB_REPLICA_1": f"127.0.0.1:{replicas[0].port}",
        "RESLIB_REPLICA_2": f"127.0.0.1:{replicas[1].port}",
    }
    return subprocess.Popen(
        ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def both_in_service(port: int) -> bool:
    """HAProxy answers and both replicas answered it (checked through the load balancer by
    asking until each replica's generation has been seen)."""
    seen = set()
    for _ in range(8):
        status, body = get(port, "/healthz", timeout=2)
        if status != 200:
            return False
        seen.add(json.loads(body)["generation"])
    return True


def answers(port: int) -> list[list[str]]:
    out = []
    for q in QUERIES:
        status, body = get(port, f"/api/search?q={quote(q)}&limit=20")
        assert status == 200, (status, q)
        out.append([r["id"] for r in json.loads(body)["results"]])
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def proof(records: int, seconds: float, clients: int, work: Path) -> dict:
    """Run the whole scenario; returns the figures and the checks' outcomes."""
    home = Home(work / "primary")
    Catalogue(home).init()
    generate(home, records, seed=7)
    rebuild(home)
    published = work / "published"
    publish(home, str(published))

    replicas = [Replica(free_port(), published), Replica(free_port(), published)]
    lb_port = free_port()
    lb: subprocess.Popen[bytes] | None = None
    result: dict = {}
    try:  # whatever fails, no replica or HAProxy is left running
        for r in replicas:
            r.start()
        for r in replicas:
            wait_until(r.ready, 120, f"replica on port {r.port}")
        lb = haproxy(lb_port, replicas)
        wait_until(lambda: both_in_service(lb_port), 30, "HAProxy")
        load = Load(lb_port)
        stop = threading.Event()
        threads = [
            threading.Thread(target=load.client, args=(stop, n), daemon=True)
            for n in range(clients)
        ]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        events = []

        def at(fraction: float) -> None:
            delay = t0 + seconds * fraction - time.monotonic()
            if delay > 0:
                time.sleep(delay)

        at(0.25)
        replicas[0].kill()
        events.append(f"{time.monotonic() - t0:5.1f} s  replica 1 killed (SIGKILL)")
        at(0.5)
        replicas[0].start()
        events.append(f"{time.monotonic() - t0:5.1f} s  replica 1 restarted")
        at(2 / 3)
        library = open_library(home)
        for n in range(3):
            library.add(
                Record(
                    id=f"added-{n}",
                    type="report",
                    title=f"Added record {n} {ADDED_WORD}",
                    language="en",
                    date="2025-01-01",
                    body=f"A record added while the replicas were under load {ADDED_WORD}.",
                )
            )
        report = publish(home, str(published))
        events.append(f"{time.monotonic() - t0:5.1f} s  published {report.generation}")
        at(1.0)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        elapsed = time.monotonic() - t0

        # Both replicas on the new generation, then the same answers from each.
        for r in replicas:
            wait_until(lambda r=r: r.generation() == report.generation, 120, "the new generation")
        same = answers(replicas[0].port) == answers(replicas[1].port)
        status, body = get(lb_port, f"/api/search?q={ADDED_WORD}")
        added_found = status == 200 and json.loads(body)["total"] == 3
        result = {
            "records": records,
            "clients": clients,
            "seconds": round(elapsed, 1),
            "requests": len(load.latencies),
            "requests_per_second": round(len(load.latencies) / elapsed, 1),
            "p50_ms": round(1000 * statistics.median(load.latencies), 1),
            "p99_ms": round(1000 * percentile(load.latencies, 0.99), 1),
            "failed": len(load.failures),
            "failures": load.failures[:10],
            "events": events,
            "replicas_agree": same,
            "added_records_found": added_found,
        }
    finally:
        if lb is not None:
            lb.terminate()
            try:
                lb.wait(timeout=10)
            except subprocess.TimeoutExpired:
                lb.kill()
        for r in replicas:
            r.stop()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("haproxy") is None:
        print("haproxy is not installed: run scripts/setup.sh", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="reslib-replicas-"))
    try:
        result = proof(args.records, args.seconds, args.clients, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for line in result["events"]:
        print(line)
    print(
        f"\n{result['records']} records, {result['clients']} clients, {result['seconds']} s: "
        f"{result['requests']} requests, {result['requests_per_second']} requests/s, "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"failed {result['failed']}"
    )
    for failure in result["failures"]:
        print("  failed:", failure)
    print(f"replicas give identical results: {result['replicas_agree']}")
    print(f"records added mid-run found after the publish: {result['added_records_found']}")
    ok = result["failed"] == 0 and result["replicas_agree"] and result["added_records_found"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
