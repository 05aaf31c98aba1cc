"""OCR of PDF pages without a text layer: Tesseract, Burmese and English together.

Each page is rendered to a greyscale image by poppler's ``pdftoppm`` and read by the
``tesseract`` command line (``-l mya+eng``, ``RESLIB_OCR_LANGUAGES``), one page per call,
in worker processes (``RESLIB_OCR_WORKERS``). Why this and not ``ocrmypdf --skip-text``:
ocrmypdf writes a new PDF with a text layer, which we would then have to extract again; it
runs a file as one job, so one page that crashes Tesseract fails the whole file; and it keeps
the confidence Tesseract gives each word to itself. Calling Tesseract per page gives each page
its own timeout (``RESLIB_OCR_PAGE_SECONDS``) and its own failure, reported while the other
pages are kept, and its TSV output carries the word confidences the record keeps. Why the
command line and not ``pytesseract``: pytesseract is a wrapper around the same command, and
the wrapper would be one more dependency for three lines of ``subprocess``.

A page's text is read from Tesseract's TSV (the words of each line, lines and paragraphs
kept); its confidence is the mean of its words' confidences weighted by their length, so a
stray one-letter mark weighs less than a word. The record's mean confidence weights each
page by its characters in the same way.

Bounds: a PDF has at most ``RESLIB_OCR_MAX_PAGES`` pages read (a 2,000-page scan would hold
a run for hours); the pages beyond are reported. ``RESLIB_OCR_TESSDATA`` names a folder with
better traineddata files (the stock Burmese model is old). A reading keeps a digest of each
model it used (``models``), so a scan read with other models than the ones Tesseract would
use now counts as worth reading again (``complete``): installing a better model and
importing the scans again reads them with it.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import hashlib
import math
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import settings
from ..forked import exit_with_parent

#: The flag of a record whose text was read by OCR (its confidence in ``imported["ocr"]``).
OCR_FLAG = "OCR"
#: Resolution pages are rendered at: Tesseract reads text best at 300 dpi.
DPI = 300
#: A page's rendering may take this long (seconds) before it counts as failed.
RENDER_SECONDS = 60.0
#: Tesseract's smallest line, in x-heights (its default is 1.25). Burmese vowel signs and
#: medials stacked above and below a line were found as lines of their own: the line lost
#: them and junk lines appeared between lines. benchmarks/ocr.py (defaults), clean pages:
#: character error rate on Burmese pages 70% with Tesseract's default, 5.1% with 2.5; mixed
#: pages 35.5% and 15.9%; English 0.3% either way.
#: Higher values dropped whole real lines (a footnote in smaller print) in a trial; 2.5 kept
#: them.
TESSERACT_CONFIG = ("-c", "textord_min_linesize=2.5")

#: What a progress callback is told: the file's name, pages done, pages to do.
Progress = Callable[[str, int, int], None]


@dataclass
class PageResult:
    """What OCR made of one page (1-based ``number``); ``error`` says why it failed."""

    number: int
    text: str = ""
    confidence: float | None = None
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"page": self.number, "chars": len(self.text)}
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 1)
        if self.error:
            out["error"] = self.error
        return out


def missing_tools() -> list[str]:
    """The programs OCR needs that are not installed (empty: OCR can run)."""
    return [name for name in ("pdftoppm", "tesseract") if shutil.which(name) is None]


def _tessdata_args() -> list[str]:
    tessdata = str(settings.get("ocr_tessdata")).strip()
    return ["--tessdata-dir", tessdata] if tessdata else []


def _tesseract_says(option: str) -> str:
    """The first line Tesseract prints when asked ``option`` ("": it could not be run)."""
    try:
        out = subprocess.run(
            ["tesseract", option], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[0] if lines else ""


@functools.cache
def _tesseract_version() -> str:
    return _tesseract_says("--version").removeprefix("tesseract ").strip() or "?"


#: Tesseract's own model folder, once it said which.
_OWN_TESSDATA: list[str] = []


def _own_tessdata() -> str:
    """The folder Tesseract reads its models from when not told ("": not known)."""
    if _OWN_TESSDATA:
        return _OWN_TESSDATA[0]
    found = re.search(r'"([^"]+)"', _tesseract_says("--list-langs"))
    if found is None:
        return ""  # not remembered: a later call may find a working Tesseract
    _OWN_TESSDATA.append(found.group(1))
    return found.group(1)


def _models_in(folder: str, languages: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if not folder:
        return out
    for language in languages.split("+"):
        path = Path(folder) / f"{language}.traineddata"
        try:
            info = path.stat()
            out[language] = _digest(str(path), info.st_size, info.st_mtime_ns)
        except OSError:
            continue  # not there, or not readable: Tesseract says so when it reads
    return out


@functools.lru_cache(maxsize=64)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    # Keyed by size and time too: a model replaced in place is read again.
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def models(languages: str) -> dict[str, str]:
    """Language -> a digest of the traineddata file Tesseract reads for it now (from
    ``RESLIB_OCR_TESSDATA``, else its own folder); a file not found is left out."""
    folder = str(settings.get("ocr_tessdata")).strip() or _own_tessdata()
    return _models_in(folder, languages)


def engine() -> str:
    """What read the text, as the record keeps it: ``tesseract 5.3.0 mya+eng``."""
    return f"tesseract {_tesseract_version()} {settings.get('ocr_languages')}"


def text_from_tsv(tsv: str) -> tuple[str, float | None]:
    """The text of Tesseract's TSV output (a line per line, a blank line between
    paragraphs) and its confidence (mean of the words', weighted by their length)."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    weighted = 0.0
    chars = 0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if not word or conf < 0:
            continue
        block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
        lines.setdefault((block, par, line), []).append(word)
        weighted += conf * len(word)
        chars += len(word)
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for (block, par, _line), words in lines.items():
        if previous is not None and previous != (block, par):
            out.append("")
        out.append(" ".join(words))
        previous = (block, par)
    return "\n".join(out), (weighted / chars if chars else None)


def _fail(number: int, what: str, result: subprocess.CompletedProcess[bytes]) -> PageResult:
    code = result.returncode
    how = f"crashed (signal {-code})" if code < 0 else f"failed (exit status {code})"
    detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = f"{what} {how}" + (f": {detail[-1][:200]}" if detail else "")
    return PageResult(number, error=reason)


def ocr_page(pdf: str, number: int, workdir: str, timeout: float) -> PageResult:
    """Page ``number`` of the PDF at ``pdf`` rendered and read (run in a worker process).

    A crash or a timeout of either program is this page's ``error``; nothing is raised for
    what the programs do."""
    stem = os.path.join(workdir, f"p{number}")
    try:
        page = str(number)
        render = ["pdftoppm", "-f", page, "-l", page, "-r", str(DPI), "-gray", "-singlefile"]
        rendered = subprocess.run(
            [*render, "-png", pdf, stem],
            capture_output=True,
            timeout=RENDER_SECONDS,
            check=False,
        )
        if rendered.returncode != 0:
            return _fail(number, "rendering the page", rendered)
        image = stem + ".png"
        try:
            languages = ["-l", str(settings.get("ocr_languages")), *_tessdata_args()]
            read = subprocess.run(
                ["tesseract", image, "stdout", *languages, *TESSERACT_CONFIG, "tsv"],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        finally:
            with contextlib.suppress(OSError):
                os.remove(image)  # A page image is megabytes: a 300-page scan fills /tmp.
        if read.returncode != 0:
            return _fail(number, "Tesseract", read)
    except subprocess.TimeoutExpired as exc:
        what = "rendering the page" if exc.cmd[0] == "pdftoppm" else "Tesseract"
        return PageResult(
            number,
            error=f"{what} took longer than {exc.timeout:g} s (RESLIB_OCR_PAGE_SECONDS)",
        )
    text, confidence = text_from_tsv(read.stdout.decode("utf-8", "replace"))
    return PageResult(number, text, confidence)


def _page_job(pdf: str, number: int, workdir: str, timeout: float) -> PageResult:
    """What a worker runs: ``ocr_page`` looked up when it runs (a test may replace it)."""
    return ocr_page(pdf, number, workdir, timeout)


def workers() -> int:
    """Worker processes for OCR: ``RESLIB_OCR_WORKERS``, else one per core."""
    return int(settings.get("ocr_workers")) or os.cpu_count() or 1


def ocr_pages(
    data: bytes, numbers: list[int], name: str = "", progress: Progress | None = None
) -> list[PageResult]:
    """Pages ``numbers`` (1-based) of the PDF ``data`` read by OCR, in that order.

    Pages run in a bounded pool of worker processes, at most two pages per worker queued
    at a time; a page whose worker raised or died is a failed page, never the whole file.
    """
    timeout = float(settings.get("ocr_page_seconds"))
    results: dict[int, PageResult] = {}
    with tempfile.TemporaryDirectory(prefix="reslib-ocr-") as workdir:
        pdf = os.path.join(workdir, "in.pdf")
        Path(pdf).write_bytes(data)
        n_workers = max(1, min(workers(), len(numbers)))
        # Forked, explicitly (Python 3.14 changes the default): a worker needs nothing but
        # this module, already in memory.
        pool = concurrent.futures.ProcessPoolExecutor(
            n_workers, mp_context=multiprocessing.get_context("fork"), initializer=exit_with_parent
        )
        try:
            for number, result in _run_bounded(pool, pdf, numbers, workdir, timeout, n_workers):
                results[number] = result
                if progress is not None:
                    progress(name, len(results), len(numbers))
        except BaseException:
            # Interrupted: pages not started are dropped. Ctrl-C reaches the whole process
            # group, so the pages under way end with it; SIGINT is not ignored in the workers,
            # since Tesseract would inherit that and run on to its timeout.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    return [results[n] for n in numbers]


def _run_bounded(
    pool: concurrent.futures.ProcessPoolExecutor,
    pdf: str,
    numbers: list[int],
    workdir: str,
    timeout: float,
    n_workers: int,
) -> Iterator[tuple[int, PageResult]]:
    todo = iter(numbers)
    running: dict[concurrent.futures.Future[PageResult], int] = {}

    def submit() -> None:
        for number in todo:
            running[pool.submit(_page_job, pdf, number, workdir, timeout)] = number
            if len(running) >= 2 * n_workers:
                return

    submit()
    while running:
        done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
        for future in done:
            number = running.pop(future)
            try:
                yield number, future.result()
            except concurrent.futures.process.BrokenProcessPool:
                yield number, PageResult(number, error="the OCR worker process died")
            except Exception as exc:
                reason = f"OCR failed ({type(exc).__name__}: {str(exc)[:200]})"
                yield number, PageResult(number, error=reason)
        try:
            submit()
        except concurrent.futures.process.BrokenProcessPool:
            # A dead worker breaks the pool: the pages not yet given to it fail with it.
            for number in todo:
                yield number, PageResult(number, error="the OCR worker process died")


def time_bound(pages: int) -> float:
    """Seconds OCR of ``pages`` pages can take at most (each page is bounded by its own
    timeouts), so the file's reading budget can be paused for that long."""
    per_page = float(settings.get("ocr_page_seconds")) + RENDER_SECONDS
    return math.ceil(pages / workers()) * per_page + 60.0


def summary(results: list[PageResult], skipped_pages: list[int]) -> dict[str, Any]:
    """What the record keeps in ``imported["ocr"]``: per-page confidence and characters,
    the mean confidence (pages weighted by their characters), the engine, and the pages
    that failed or were beyond the bound."""
    weighted = sum(r.confidence * len(r.text) for r in results if r.confidence is not None)
    chars = sum(len(r.text) for r in results if r.confidence is not None)
    out: dict[str, Any] = {
        "engine": engine(),
        "models": models(str(settings.get("ocr_languages"))),
        "pages": [r.to_dict() for r in results],
        "mean_confidence": round(weighted / chars, 1) if chars else None,
    }
    failed = [r.number for r in results if r.error]
    if failed:
        out["failed_pages"] = failed
    if skipped_pages:
        # Ranges: a 2,000-page scan would otherwise keep 1,700 numbers in its record.
        out["pages_not_read"] = page_ranges(skipped_pages)
    return out


def complete(read: dict[str, Any], languages: str) -> bool:
    """Whether a kept reading (``imported["ocr"]``) read every page it was asked to, in
    ``languages``, with the models Tesseract would use now: a failed page, pages beyond
    the bound, other languages or other models are worth reading again. A reading kept
    before models were recorded counts as made with Tesseract's own."""
    engine_name = read.get("engine")
    if (
        read.get("failed_pages")
        or read.get("pages_not_read")
        or not isinstance(engine_name, str)
        or not engine_name.endswith(" " + languages)
    ):
        return False
    now = models(languages)
    kept = read.get("models")
    if not isinstance(kept, dict):
        kept = _models_in(_own_tessdata(), languages)
    return not now or kept == now


def page_ranges(numbers: list[int]) -> list[str]:
    """Sorted page numbers as ranges: ``[2, 3, 4, 7]`` -> ``["2-4", "7"]``."""
    out: list[str] = []
    start = end = None
    for n in [*sorted(numbers), None]:
        if start is not None and n == end + 1:
            end = n
            continue
        if start is not None:
            out.append(str(start) if start == end else f"{start}-{end}")
        start = end = n
    return out


def mean_confidence(imported: dict[str, Any]) -> float | None:
    """The mean OCR confidence a record's ``imported`` keeps (None: not OCR'd, or nothing
    was read)."""
    ocr = imported.get("ocr")
    if not isinstance(ocr, dict):
        return None
    value = ocr.get("mean_confidence")
    return float(value) if isinstance(value, int | float) else None


def ocr_below(imported: dict[str, Any], threshold: float) -> bool:
    """True for a record read by OCR whose mean confidence is below ``threshold`` (a record
    OCR read no text from counts as 0)."""
    if not isinstance(imported.get("ocr"), dict):
        return False
    value = mean_confidence(imported)
    return (value if value is not None else 0.0) < threshold


def stderr_progress(name: str, done: int, total: int) -> None:
    """A progress line on stderr, rewritten in place: ``OCR report.pdf: page 3 of 40``."""
    end = "\n" if done == total else ""
    sys.stderr.write(f"\rOCR {name}: page {done} of {total}\x1b[K{end}")
    sys.stderr.flush()
