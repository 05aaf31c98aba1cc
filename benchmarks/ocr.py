"""OCR of scanned PDFs: character error rate and pages per second, Burmese and English.

    .venv/bin/python benchmarks/ocr.py [--pages N] [--lines N] [--workers N]

Draws lines of TALPCo's Burmese and English sentences (``../shared/corpora/talpco``, see
``_shared``) with the Padauk font onto A4 pages at 300 dpi (``tests/import_fixtures/scan``),
in two styles: clean, and scanned (a slight tilt, grey paper, speckles). ``--pages`` pages
in all, Burmese, English and mixed pages in turn, each kind an image-only PDF of its own. The
PDFs of one style are imported together into a fresh temporary library with
``reslib.importers`` (OCR on, as ``reslib import`` runs it), and each record's text is
compared with its source lines: the character error rate (edit distance / source
characters, both normalized as the importer normalizes text, white space collapsed) per kind
of page, the record's mean confidence, and pages per second, with the CPU time of this
process, its workers, pdftoppm and Tesseract (steadier than the clock on a busy machine) and
the load average. ``--stock-lines`` runs Tesseract without ``ocr.TESSERACT_CONFIG`` (its own
line finding), to show what that setting is for.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from _shared import corpus_lines  # noqa: E402
from import_fixtures.scan import A4, draw_page, image_pdf, padauk  # noqa: E402

from reslib import settings  # noqa: E402
from reslib.analysis import normalize  # noqa: E402
from reslib.catalogue import Catalogue  # noqa: E402
from reslib.config import Home  # noqa: E402
from reslib.importers import ImportOptions, import_paths, ocr  # noqa: E402
from reslib.importers.ocr import engine, missing_tools  # noqa: E402

KINDS = ("Burmese", "English", "mixed")
#: Widest line drawn (pixels of an A4 page at 300 dpi, margins left).
MAX_WIDTH = A4[0] - 300


def comparable(text: str) -> str:
    """``text`` as the importer normalizes it, white space collapsed to single spaces."""
    return re.sub(r"\s+", " ", normalize(text, report_probability=False).text).strip()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions) between ``a`` and ``b``."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def fitting(lines: list[str], font_px: int) -> list[str]:
    """The lines short enough to draw on one line of the page."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(padauk()), font_px)
    return [line for line in lines if line.strip() and font.getlength(line) <= MAX_WIDTH]


def page_sources(pages: int, per_page: int, font_px: int) -> list[tuple[str, list[str]]]:
    """(kind, lines) for each page: Burmese, English and mixed pages in turn."""
    corpora = corpus_lines()
    burmese = iter(fitting(corpora["talpco_data_myn"], font_px))
    english = iter(fitting(corpora["talpco_data_eng"], font_px))
    out = []
    for n in range(pages):
        kind = KINDS[n % len(KINDS)]
        if kind == "Burmese":
            lines = [next(burmese) for _ in range(per_page)]
        elif kind == "English":
            lines = [next(english) for _ in range(per_page)]
        else:
            lines = [next(burmese) if i % 2 == 0 else next(english) for i in range(per_page)]
        out.append((kind, lines))
    return out


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) of this process, and of its waited-for descendants
    (the OCR workers and the pdftoppm and Tesseract they ran)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def run_style(style: str, sources: list[tuple[str, list[str]]], font_px: int) -> None:
    """One PDF per kind of page, imported together; CER per kind and pages per second."""
    scanned = style == "scanned"
    with tempfile.TemporaryDirectory(prefix="reslib-ocr-bench-") as tmp:
        folder = Path(tmp) / "scans"
        folder.mkdir()
        truth: dict[str, list[str]] = {}
        for kind in KINDS:
            pages = [(n, lines) for n, (k, lines) in enumerate(sources) if k == kind]
            if not pages:
                continue
            images = [
                draw_page(lines, font_px=font_px, line_px=int(font_px * 2.4), scanned=scanned,
                          seed=n)
                for n, lines in pages
            ]  # fmt: skip
            (folder / f"{kind}.pdf").write_bytes(image_pdf(images))
            truth[kind] = [line for _, lines in pages for line in lines]
        catalogue = Catalogue(Home(Path(tmp) / "lib"))
        catalogue.init()
        cpu0, kids0 = cpu_seconds()
        started = time.perf_counter()
        summary = import_paths(catalogue, [folder], ImportOptions())
        wall = time.perf_counter() - started
        cpu1, kids1 = cpu_seconds()
        records = {r.imported["file"].removesuffix(".pdf"): r for r in catalogue.records()}
    if summary.notes:
        print(f"  notes: {summary.notes}")
    n_pages = len(sources)
    print(f"{style}: {n_pages} pages")
    total_e = total_n = 0
    for kind, lines in truth.items():
        record = records[kind]
        expected = comparable("\n".join(lines))
        errors = edit_distance(expected, comparable(record.body))
        total_e += errors
        total_n += len(expected)
        print(
            f"  CER {kind:8s} {errors / len(expected):6.1%}  ({errors} edits / "
            f"{len(expected)} chars; mean confidence "
            f"{record.imported.get('ocr', {}).get('mean_confidence')})"
        )
    print(f"  CER all      {total_e / total_n:6.1%}")
    cpu, kids = cpu1 - cpu0, kids1 - kids0
    print(
        f"  {n_pages / wall:.2f} pages/s (wall {wall:.1f} s); CPU {cpu + kids:.1f} s "
        f"({(cpu + kids) / n_pages:.2f} s/page: importer {cpu:.1f} s, workers, pdftoppm and "
        f"Tesseract {kids:.1f} s); load average {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=6, help="pages per PDF (default 6)")
    parser.add_argument("--lines", type=int, default=20, help="lines per page (default 20)")
    parser.add_argument("--font-px", type=int, default=42, help="text size in pixels at 300 dpi")
    parser.add_argument("--workers", type=int, help="RESLIB_OCR_WORKERS (default: one per core)")
    parser.add_argument("--style", choices=("clean", "scanned", "both"), default="both")
    parser.add_argument(
        "--stock-lines", action="store_true", help="Tesseract's own line finding (for comparison)"
    )
    args = parser.parse_args()
    if args.stock_lines:
        # The workers are forked from this process, so they run with this too.
        ocr.TESSERACT_CONFIG = ()
    if missing_tools():
        sys.exit(f"not installed: {', '.join(missing_tools())} (scripts/setup.sh)")
    if args.workers is not None:
        os.environ["RESLIB_OCR_WORKERS"] = str(args.workers)
    print(f"{engine()}, {settings.get('ocr_workers') or os.cpu_count()} worker(s), "
          f"{args.lines} lines of {args.font_px} px per page")  # fmt: skip
    sources = page_sources(args.pages, args.lines, args.font_px)
    for style in ("clean", "scanned") if args.style == "both" else (args.style,):
        run_style(style, sources, args.font_px)


if __name__ == "__main__":
    main()
