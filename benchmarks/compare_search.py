"""Query latency of two (or more) versions of reslib, side by side, in lockstep.

On a shared machine the speed of a run drifts by a third within an hour, so two runs of
``benchmarks/search.py`` one after the other compare the machine as much as the code. Here
each version runs in its own process on its own library (one built by that version, kept by
``search.py --keep``), and every query of ``search.py``'s kinds is asked of each process in
turn, alternating which goes first: both see the same machine, query by query.

    python benchmarks/compare_search.py \\
        old=/tmp/old/src:/data/bench-schema5 new=src:/data/bench-schema6

``NAME=SRC:LIBRARY`` names a source tree (its ``src`` folder) and a library root with an
index that tree can read. Prints p50 / p95 wall ms and the CPU seconds of each kind's
queries, per version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(src: str, library: str, per_kind: int) -> None:
    """Answer ``KIND INDEX`` lines on standard input with ``[wall ms, cpu ms]``."""
    sys.path.insert(0, src)
    # reslib is imported from ``src`` before search.py, which puts its own tree first on
    # the path: imported after it, every version ran this checkout's code.
    import reslib

    where = Path(reslib.__file__).resolve()
    if not where.is_relative_to(Path(src).resolve()):
        raise SystemExit(f"reslib came from {where}, not from {src}")
    sys.path.insert(0, str(HERE))
    import random

    import search as bench

    from reslib.config import Home
    from reslib.search import SearchRequest, search

    home = Home(Path(library))
    records = [json.loads(p.read_text("utf-8")) for p in sorted(home.records.glob("*.json"))]
    queries = bench.make_queries(records, random.Random(5), per_kind)
    search(home, SearchRequest(q=""))  # the generation's facet tables
    for req in queries["single word"][:10]:
        search(home, req)
    print("ready", flush=True)
    for line in sys.stdin:
        kind, index = line.rstrip("\n").rsplit(" ", 1)
        start, cpu = time.perf_counter(), time.process_time()
        search(home, queries[kind][int(index)])
        wall = (time.perf_counter() - start) * 1000
        print(json.dumps([wall, (time.process_time() - cpu) * 1000]), flush=True)


def main(argv: list[str]) -> int:
    if len(argv) > 1 and argv[1] == "--child":
        child(argv[2], argv[3], int(argv[4]))
        return 0
    specs = [a.split("=", 1) for a in argv[1:] if not a.startswith("--")]
    if len(specs) < 2 or any(len(s) != 2 or ":" not in s[1] for s in specs):
        print(__doc__, file=sys.stderr)
        return 2
    sys.path.insert(0, str(HERE))
    import search as bench

    per_kind = 100
    procs: dict[str, subprocess.Popen[str]] = {}
    for name, spec in specs:
        src, library = spec.split(":", 1)
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", src, library, str(per_kind)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdin is not None and proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            print(f"{name}: the process did not start", file=sys.stderr)
            return 1
        procs[name] = proc
    times: dict[str, dict[str, list[list[float]]]] = {n: {} for n in procs}
    for kind in bench.KINDS:
        for i in range(per_kind):
            names = list(procs) if i % 2 == 0 else list(reversed(procs))
            for name in names:
                proc = procs[name]
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(f"{kind} {i}\n")
                proc.stdin.flush()
                times[name].setdefault(kind, []).append(json.loads(proc.stdout.readline()))
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    print(f"{'kind':<16}" + "".join(f"{name + ' p50 / p95 ms (cpu s)':>34}" for name in procs))
    for kind in bench.KINDS:
        cells = []
        for name in procs:
            wall = [t[0] for t in times[name][kind]]
            cpu = sum(t[1] for t in times[name][kind]) / 1000
            cells.append(
                f"{bench.percentile(wall, 50):.1f} / {bench.percentile(wall, 95):.1f} ({cpu:.2f})"
            )
        print(f"{kind:<16}" + "".join(f"{c:>34}" for c in cells))
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
