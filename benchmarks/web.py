"""The web server under load: ``reslib serve`` answering /api/search and the search page.

    .venv/bin/python benchmarks/web.py                          # 50,000 records, 60 s
    .venv/bin/python benchmarks/web.py --records 5000 --seconds 20   # a quicker look
    .venv/bin/python benchmarks/web.py --keep /tmp/lib          # build once, rerun fast
    .venv/bin/python benchmarks/web.py --keep /tmp/lib --fresh  # no query asked twice

Generates the library with ``benchmarks/search.py``'s generator (same records, same seed),
builds the index, starts ``reslib serve`` as its own process (so the load generator's GIL is
not the server's), then runs ``--clients`` concurrent keep-alive clients for ``--seconds``,
alternating the JSON API and the HTML search page over queries drawn from the library (single
words, two words, phrases, Burmese phrases, filtered and faceted). Prints requests/s,
p50/p99 latency per endpoint and the error count (any non-200 or connection failure).

By default the clients draw from 300 queries (50 per kind), so after the warm-up the server's
per-generation caches of term postings hold what they need: the steady state of a site whose
visitors repeat searches. ``--fresh`` draws every timed request from a pool of new queries,
each asked once, none seen in the warm-up: only words the queries share are cached.

Target (issue 6): p99 < 250 ms with 8 clients for 60 s on 50,000 records, zero errors.

To compare two versions on the same library, build it once with ``--keep DIR``, check the
other version out with ``git worktree add``, and run each as
``PYTHONPATH=<worktree>/src .venv/bin/python <worktree>/benchmarks/web.py --keep DIR`` from
its worktree (``PYTHONPATH`` puts that tree's ``reslib`` before the editable install, for
the server process too), alternating the runs.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from reslib.config import Home  # noqa: E402
from reslib.index import live_dir, rebuild  # noqa: E402


def _search_benchmark():  # type: ignore[no-untyped-def]
    """benchmarks/search.py, loaded by path (its name would shadow nothing, but be explicit)."""
    spec = importlib.util.spec_from_file_location("search_benchmark", REPO / "benchmarks/search.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def query_strings(requests: list) -> list[str]:  # type: ignore[type-arg]
    out = []
    for req in requests:
        params = [("q", req.q)] + [("type", t) for t in req.type] + [("year", y) for y in req.year]
        out.append(urlencode(params))
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wait_until_up(port: int, proc: subprocess.Popen[bytes], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"reslib serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/search?q=warmup")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("reslib serve did not answer within a minute")


class QueryPool:
    """Query strings for the clients: drawn at random (repeats), or each handed out once."""

    def __init__(self, paths: list[str], once: bool, seed: int) -> None:
        self.paths = list(dict.fromkeys(paths))
        self.once = once
        random.Random(seed).shuffle(self.paths)
        self.lock = threading.Lock()
        self.exhausted = False

    def take(self, rng: random.Random) -> str | None:
        if not self.once:
            return rng.choice(self.paths)
        with self.lock:
            if not self.paths:
                self.exhausted = True
                return None
            return self.paths.pop()


def client(
    port: int,
    pool: QueryPool,
    deadline: float,
    seed: int,
    out: dict[str, list[float]],
    errors: list[str],
) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while time.monotonic() < deadline:
        kind = "api" if n % 2 == 0 else "page"
        qs = pool.take(rng)
        if qs is None:
            break
        path = f"/api/search?{qs}" if kind == "api" else f"/?{qs}"
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        out[kind].append((time.perf_counter() - start) * 1000)
        n += 1
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per server process")
    parser.add_argument("--procs", type=int, default=2, help="indexing processes")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", help="library directory: reused when it holds an index")
    parser.add_argument(
        "--fresh", action="store_true", help="time only queries never asked before (no repeats)"
    )
    args = parser.parse_args()

    bench = _search_benchmark()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reslib-web-"))
    home = Home(root)
    rng = random.Random(args.seed)
    if live_dir(home) is None:
        print(f"Generating {args.records:,} records in {root} (benchmarks/search.py generator)")
        records = bench.generate(home, args.records, args.seed)
        report = rebuild(home, procs=args.procs)
        print(f"  indexed in {report.seconds:.0f} s")
    else:
        import json

        records = [json.loads(p.read_text("utf-8")) for p in sorted(home.records.glob("*.json"))]
        print(f"Reusing {len(records):,} records and their index in {root}")
    queries = bench.make_queries(records, rng, 50)
    paths = query_strings([req for kind in bench.KINDS for req in queries[kind]])
    warm_pool = QueryPool(paths, once=False, seed=args.seed)
    if args.fresh:
        # Enough for ~300 requests/s; anything the warm-up asked is left out.
        more = bench.make_queries(records, random.Random(args.seed + 1), 4000)
        seen = set(paths)
        fresh = [
            p for p in query_strings([r for k in bench.KINDS for r in more[k]]) if p not in seen
        ]
        pool = QueryPool(fresh, once=True, seed=args.seed)
    else:
        pool = warm_pool

    port = free_port()
    server = subprocess.Popen(
        [
            str(REPO / ".venv/bin/reslib"),
            "--home",
            str(root),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, server)
        # Warm up with as many concurrent clients as the run uses, so that every server
        # thread has opened its searcher (and the first search has built the facet tables)
        # before timing starts: the figures are the steady state.
        warm: dict[str, list[float]] = {"api": [], "page": []}
        warmers = [
            threading.Thread(
                target=client, args=(port, warm_pool, time.monotonic() + 10, 1000 + i, warm, [])
            )
            for i in range(args.clients)
        ]
        for t in warmers:
            t.start()
        for t in warmers:
            t.join()
        warm_all = sorted(warm["api"] + warm["page"])
        if warm_all:
            print(f"warm-up: {len(warm_all)} requests, slowest {warm_all[-1]:.0f} ms")
        timings: dict[str, list[float]] = {"api": [], "page": []}
        errors: list[str] = []
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=client, args=(port, pool, deadline, args.seed + i, timings, errors)
            )
            for i in range(args.clients)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    total = len(timings["api"]) + len(timings["page"])
    asked = (
        f"{total:,} distinct queries, each asked once"
        if args.fresh
        else f"{len(pool.paths)} distinct queries repeated at random"
    )
    print(
        f"\n{args.clients} clients, {elapsed:.0f} s, reslib serve with {args.workers} processes "
        f"of {args.threads} threads, {len(records):,} records, {asked}"
    )
    if pool.exhausted:
        print("note: the pool of fresh queries ran out before the time was up")
    print(f"{'endpoint':<14}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for kind, label in (("api", "/api/search"), ("page", "/ (HTML)")):
        t = timings[kind]
        print(
            f"{label:<14}{len(t):>10}{len(t) / elapsed:>8.1f}"
            f"{percentile(t, 50):>9.1f}{percentile(t, 99):>9.1f}"
        )
    both = timings["api"] + timings["page"]
    print(
        f"{'all':<14}{total:>10}{total / elapsed:>8.1f}"
        f"{percentile(both, 50):>9.1f}{percentile(both, 99):>9.1f}"
    )
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
