"""Main-text quality of the HTML importer on real saved pages, beside trafilatura's.

    .venv/bin/python benchmarks/import_quality.py [--data PATH] [--limit N] [--show N]

The pages are the 181 news and blog pages of Zyte's article extraction benchmark
(github.com/scrapinghub/article-extraction-benchmark, MIT licence for the repository; the pages
themselves belong to their sites, so none is kept in this repository). ``--data`` names either a
clone of that repository (``html/*.html.gz`` and ``ground-truth.json``) or its bare git
directory (the ``fetch`` mirror under ``/work/.mirror``, read with ``git show``); get one with

    git clone https://github.com/scrapinghub/article-extraction-benchmark

Each page goes through the importer as ``reslib import`` takes it: ``parse_html`` then
``prepare_document`` (text normalization and the record model's checks), so a page the importer
skips, or whose record would not validate, scores 0. The score is that benchmark's own: the
F1 of the bag of words (lowercased ``\\w+`` tokens) of the body against the reference
``articleBody``, averaged over all pages. trafilatura (``extract`` with its defaults and with
``favor_recall``) is run on the same pages in the same run, and its figure printed beside
reslib's; so is readability-lxml's, the alternative evaluated, when it is installed.
Also printed: pages skipped, pages imported without a date, and CPU seconds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reslib.authorline import read_author_line
from reslib.importers import ImportOptions
from reslib.importers.base import ParseOptions, SkipFile
from reslib.importers.htmlpage import parse_html
from reslib.importers.prepare import prepare_document

MIRROR = Path("/work/.mirror/scrapinghub+article-extraction-benchmark/repo")


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], check=True, capture_output=True
    ).stdout


def load(data: Path) -> Iterator[tuple[str, bytes, str]]:
    """(page id, page bytes, reference body) for every page of the benchmark at ``data``."""
    if (data / "ground-truth.json").exists():
        truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
        for key in sorted(truth):
            raw = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
            yield key, raw, truth[key]["articleBody"]
        return
    truth = json.loads(_git(data, "show", "HEAD:ground-truth.json"))
    for key in sorted(truth):
        raw = gzip.decompress(_git(data, "show", f"HEAD:html/{key}.html.gz"))
        yield key, raw, truth[key]["articleBody"]


def tokens(text: str) -> Counter[str]:
    import re

    return Counter(re.findall(r"\w+", text.lower()))


def f1(found: str, reference: str) -> float:
    got, want = tokens(found), tokens(reference)
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _options() -> ParseOptions:
    return ParseOptions(
        read_author_line=lambda line: read_author_line(line, lambda _: None),
        resolve_organization=lambda _: False,
    )


def reslib_body(key: str, raw: bytes) -> tuple[str, str | None, str]:
    """(body, date, what found the text) as the importer would write them; ("", None, "")
    when it skips the page."""
    try:
        doc = parse_html(Path(f"{key}.html"), raw, _options())
        prepared = prepare_document(doc, ImportOptions())
    except SkipFile:
        return "", None, ""
    except ValueError:  # the record model refused it
        return "", None, ""
    if not prepared or prepared[0] is None:
        return "", None, ""
    record = prepared[0].record
    return record.body, record.date, str(doc.items[0].provenance.get("extracted_by", ""))


def trafilatura_body(raw: bytes, **options: bool) -> str:
    import trafilatura

    return trafilatura.extract(raw, **options) or ""


def readability_body(raw: bytes) -> str:
    """readability-lxml's article (the alternative evaluated), as text."""
    from bs4 import BeautifulSoup
    from readability import Document as Readable

    html = Readable(raw.decode("utf-8", "replace")).summary(html_partial=True)
    return BeautifulSoup(html, "html.parser").get_text("\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--data", type=Path, default=MIRROR, help="the benchmark (see above)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages")
    ap.add_argument("--show", type=int, default=0, help="list the N pages reslib does worst on")
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data}: no such benchmark; see --help for how to get it")

    runs: dict[str, Callable[[bytes], str]] = {
        "trafilatura": lambda raw: trafilatura_body(raw),
        "trafilatura (favor_recall)": lambda raw: trafilatura_body(raw, favor_recall=True),
    }
    try:
        import readability  # noqa: F401

        runs["readability-lxml"] = readability_body
    except ImportError:
        print("(readability-lxml not installed: its row is left out)")
    scores: dict[str, list[float]] = {"reslib": [], **{name: [] for name in runs}}
    cpu: dict[str, float] = dict.fromkeys(scores, 0.0)
    skipped = undated = 0
    sources: Counter[str] = Counter()
    worst: list[tuple[float, float, str]] = []
    pages = list(load(args.data))
    if args.limit:
        pages = pages[: args.limit]
    for key, raw, reference in pages:
        start = time.process_time()
        body, date, source = reslib_body(key, raw)
        sources[source or "skipped"] += 1
        cpu["reslib"] += time.process_time() - start
        skipped += date is None
        undated += date == ""
        mine = f1(body, reference)
        scores["reslib"].append(mine)
        for name, run in runs.items():
            start = time.process_time()
            theirs = f1(run(raw), reference)
            cpu[name] += time.process_time() - start
            scores[name].append(theirs)
        worst.append((mine - scores["trafilatura"][-1], mine, key))

    n = len(pages)
    print(f"{n} pages of the article extraction benchmark ({args.data})")
    print(f"{'extractor':30} {'body F1':>8} {'CPU s':>7}")
    for name, values in scores.items():
        print(f"{name:30} {sum(values) / n:8.3f} {cpu[name]:7.1f}")
    print(f"reslib: {skipped} page(s) skipped (scored 0), {undated} imported without a date")
    print("reslib's text from: " + ", ".join(f"{k} {v}" for k, v in sources.most_common()))
    for delta, mine, key in sorted(worst)[: args.show]:
        print(f"  {key[:16]} reslib {mine:.3f} ({delta:+.3f} against trafilatura)")


if __name__ == "__main__":
    main()
