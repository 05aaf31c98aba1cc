"""Import throughput: records/s for a folder of 1,000 generated WordPress-style HTML pages.

    .venv/bin/python benchmarks/import.py [--pages N]

Generates the pages in a temporary folder (English and Burmese, each with theme chrome around
the article), imports them into a fresh temporary library with ``reslib.importers``, and prints
records/s for the first import and for a re-import (every record unchanged). The catalogue is
the plain one: no search index listener, so this measures the importer and record writes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.importers import import_paths

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for n in range(args.pages):
            (folder / f"update-{n:04d}.html").write_text(page(n), encoding="utf-8")
        catalogue = Catalogue(Home(Path(tmp) / "lib"))
        catalogue.init()
        for label in ("first import", "re-import"):
            start = time.perf_counter()
            summary = import_paths(catalogue, [folder])
            seconds = time.perf_counter() - start
            records = sum(summary.counts()[k] for k in ("created", "updated", "unchanged"))
            if summary.skipped:
                raise SystemExit(f"unexpected skips: {summary.skipped[:3]}")
            print(
                f"{label}: {records} records from {args.pages} pages in {seconds:.2f} s "
                f"= {records / seconds:.0f} records/s ({summary.counts()})"
            )


if __name__ == "__main__":
    main()
