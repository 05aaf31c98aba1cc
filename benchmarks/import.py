"""Import throughput and memory: records/s and peak memory for generated HTML pages and
generated JSON Lines manifests of two sizes.

    .venv/bin/python benchmarks/import.py [--pages N] [--rows N[,N...]] [--index]

Generates 1,000 WordPress-style pages (English and Burmese, each with theme chrome around the
article) and manifests of 5,000 and 20,000 rows (half English, half Burmese) in a temporary
folder, imports each into a fresh temporary library with ``reslib.importers``, and prints
records/s for the first import and for a re-import (every record unchanged), with the CPU
time it took (steadier than the clock on a busy machine: the command's process, then its
worker processes), the peak memory of the import (its process, and its largest worker) and
the load average (other work on the machine slows the clock figures). Each import runs in a
process of its own, so each peak is that import's: a manifest is read a chunk of rows at a
time (``reslib.importers.manifest``), so the peak of 20,000 rows should be near that of
5,000, not four times its growth. Without ``--index`` the catalogue is the plain one (no
search index listener), so it measures the importer and record writes; with it, the library
is opened as the CLI opens it and the index is updated too. ``--rows 0`` or ``--pages 0``
leaves a case out.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.importers import import_paths
from reslib.library import open_library

ENGLISH = (
    "The junta's relentless aerial attacks on villages in {region} forced thousands of people "
    "to flee their homes this week, according to local groups providing aid. "
)
BURMESE = "{region} ဒေသရှိ ကျေးရွာများကို စစ်ကောင်စီ၏ လေကြောင်းတိုက်ခိုက်မှုကြောင့် ပြည်သူများ ထွက်ပြေးရသည်။ "
REGIONS = ["Sagaing", "Karenni", "Shan", "Chin", "Kachin", "Magway", "Bago", "Rakhine"]


def page(n: int) -> str:
    region = REGIONS[n % len(REGIONS)]
    burmese = n % 4 == 3
    title = f"{'ထုတ်ပြန်ချက်' if burmese else 'Weekly situation update'} {n}: {region}"
    sentence = (BURMESE if burmese else ENGLISH).format(region=region)
    paragraphs = "\n".join(f"<p>{escape(sentence * 4)}</p>" for _ in range(8))
    day = 1 + n % 28
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{escape(title)} – Example Org</title>
<link rel="canonical" href="https://example.org/{n}/update-{n}/">
<meta property="og:site_name" content="Example Org"><script>var x = {n};</script></head>
<body><header><nav><a href="/">Home</a><a href="/about">About</a></nav></header>
<article class="post hentry"><h1 class="entry-title">{escape(title)}</h1>
<span class="author vcard"><a class="fn">Progressive Voice</a></span>
<time class="entry-date" datetime="2023-10-{day:02d}T09:00:00+00:00">October {day}, 2023</time>
<div class="entry-content">{paragraphs}
<div class="sharedaddy"><h3>Share this:</h3></div></div></article>
<aside class="widget-area"><p>Recent posts</p></aside><footer>© Example Org</footer>
</body></html>"""


def row(n: int) -> dict[str, object]:
    region = REGIONS[n % len(REGIONS)]
    burmese = n % 2 == 1
    sentence = (BURMESE if burmese else ENGLISH).format(region=region)
    return {
        "title": f"{'အစီရင်ခံစာ' if burmese else 'Situation report'} {n}: {region}",
        "date": f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "type": "report",
        "organizations": ["Progressive Voice"],
        "source_url": f"https://example.org/reports/{n}",
        "summary": sentence,
        "body": sentence * 6,
        "topics": [region],
    }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_mb() -> float:
    """The peak memory of the largest worker process so far."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def children_cpu() -> float:
    """CPU seconds of the worker processes that have ended (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(label: str, source: Path, lib: Path, index: bool) -> None:
    home = Home(lib)
    Catalogue(home).init()
    for run in ("first import", "re-import"):
        # A process of its own: the peaks printed are this import's.
        child = multiprocessing.get_context("fork").Process(
            target=import_once, args=(label, run, source, home, index)
        )
        child.start()
        child.join()
        if child.exitcode:
            raise SystemExit(f"{label}, {run}: the import's process exited {child.exitcode}")


def import_once(label: str, run: str, source: Path, home: Home, index: bool) -> None:
    catalogue = open_library(home) if index else Catalogue(home)
    start, cpu, workers = time.perf_counter(), time.process_time(), children_cpu()
    summary = import_paths(catalogue, [source])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    workers = children_cpu() - workers
    records = sum(summary.counts()[k] for k in ("created", "updated", "unchanged"))
    if summary.skipped:
        raise SystemExit(f"unexpected skips: {summary.skipped[:3]}")
    print(
        f"{label}, {run}: {records} records in {seconds:.2f} s "
        f"= {records / seconds:.0f} records/s ({cpu:.1f} s of CPU + {workers:.1f} s in "
        f"workers), peak {peak_mb():.0f} MB (workers {worker_peak_mb():.0f} MB), "
        f"load {os.getloadavg()[0]:.1f} "
        f"({summary.counts()})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument(
        "--rows",
        type=lambda text: [int(n) for n in text.split(",") if int(n)],
        default=[5000, 20000],
        help="manifest sizes, comma-separated (default 5000,20000; 0: none)",
    )
    parser.add_argument("--index", action="store_true", help="update the search index too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.pages:
            folder = Path(tmp) / "pages"
            folder.mkdir()
            for n in range(args.pages):
                (folder / f"update-{n:04d}.html").write_text(page(n), encoding="utf-8")
            measure(f"{args.pages} HTML pages", folder, Path(tmp) / "lib-pages", args.index)
        for rows in args.rows:
            manifest = Path(tmp) / f"rows-{rows}.jsonl"
            with manifest.open("w", encoding="utf-8") as fh:
                for n in range(rows):
                    fh.write(json.dumps(row(n), ensure_ascii=False) + "\n")
            size = manifest.stat().st_size / 2**20
            lib = Path(tmp) / f"lib-rows-{rows}"
            measure(f"{rows} manifest rows ({size:.0f} MB)", manifest, lib, args.index)


if __name__ == "__main__":
    main()
