"""Throughput of the full analysis chain, and corpus-wide correctness checks.

    .venv/bin/python benchmarks/analysis.py

Prints MB/s and tokens/s of normalization plus every field analyzer on one core, for the
Burmese corpora (Unicode and Zawgyi) and the English one; then checks on every line of
../shared/corpora that normalization is idempotent and that segmentation is lossless; then
Zawgyi line by line (issue 14): Unicode lines damaged by conversion, alone and pasted between
two Zawgyi lines, and short Zawgyi lines (the first one to three words of each line of the
Zawgyi corpora, whose Unicode twins are the paired files) converted alone and between two
Unicode lines. Target (issue 2): at least 1 MB/s of Burmese text; (issue 14) no Unicode line
of the corpora damaged when normalized alone.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _shared import corpus_lines

from reslib.analysis import FIELD_ANALYZERS, burmese_rules, normalize, normalize_text, segments
from reslib.analysis import analyzers as analyzers_module
from reslib.analysis.normalize import MYANMAR_RE

UNICODE_CORPORA = ("udhr_mya_unicode_src", "mmgov_unicode_out", "talpco_data_myn", "translit")
#: Zawgyi corpus -> its Unicode twin, line for line and word for word.
ZAWGYI_TWINS = {
    "udhr_mya_zawgyi_out": "udhr_mya_unicode_src",
    "mmgov_zawgyi_src": "mmgov_unicode_out",
}


def documents(lines: list[str], size: int = 6000) -> list[str]:
    """Group lines into ~6 KB paragraphs-of-documents, as records would be."""
    docs, cur, n = [], [], 0
    for line in lines:
        cur.append(line)
        n += len(line)
        if n >= size:
            docs.append("\n\n".join(cur))
            cur, n = [], 0
    if cur:
        docs.append("\n\n".join(cur))
    return docs


def throughput(name: str, docs: list[str], repeat: int) -> None:
    """Best of ``repeat`` passes (as timeit does): the least disturbed by other processes."""
    analyzers = [make() for make in FIELD_ANALYZERS.values()]
    size = sum(len(d.encode("utf-8")) for d in docs)
    best = float("inf")
    tokens = 0
    for _ in range(repeat):
        tokens = 0
        start = time.perf_counter()
        for doc in docs:
            # Clear the per-document caches: they may help across the fields of one
            # document (as in indexing), never across passes.
            analyzers_module._normalized.cache_clear()
            analyzers_module._segments.cache_clear()
            for analyzer in analyzers:
                for _ in analyzer(doc, positions=True, chars=True):
                    tokens += 1
        best = min(best, time.perf_counter() - start)
    print(
        f"{name:<20} {size / 1e6:6.2f} MB x{repeat}  {size / 1e6 / best:6.2f} MB/s  "
        f"{tokens / best:>10,.0f} tokens/s"
    )


def short_zawgyi_lines(corpora: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(Zawgyi, expected Unicode) for the first one to three words of every Zawgyi line whose
    two readings differ: real short Zawgyi lines, such as a dateline or a heading."""
    out = set()
    for zawgyi_name, unicode_name in ZAWGYI_TWINS.items():
        for zawgyi, unicode in zip(corpora[zawgyi_name], corpora[unicode_name], strict=True):
            z_words, u_words = zawgyi.split(), unicode.split()
            for k in range(1, min(3, len(z_words)) + 1):
                short, expected = " ".join(z_words[:k]), burmese_rules(" ".join(u_words[:k]))
                if MYANMAR_RE.search(short) and burmese_rules(short) != expected:
                    out.add((short, expected))
    return sorted(out)


def damaged_between(lines: list[str], around: list[str]) -> int:
    """How many of ``lines`` normalization changes beyond the Burmese rules when each is the
    middle line of a paragraph between two lines of ``around``."""
    damaged = 0
    for i, line in enumerate(lines):
        before, after = around[(2 * i) % len(around)], around[(2 * i + 1) % len(around)]
        middle = normalize(f"{before}\n{line}\n{after}", report_probability=False).text
        damaged += middle.split("\n")[1] != burmese_rules(line)
    return damaged


def zawgyi_checks(corpora: dict[str, list[str]]) -> int:
    """Print the line-by-line Zawgyi figures; return the Unicode lines damaged alone."""
    burmese = {name: [x for x in lines if MYANMAR_RE.search(x)] for name, lines in corpora.items()}
    zawgyi = [line for name in ZAWGYI_TWINS for line in burmese[name]]
    print("\nZawgyi, line by line (a damaged line: changed beyond the Burmese rules):")
    damaged_alone = 0
    for name in UNICODE_CORPORA:
        lines = burmese[name]
        alone = sum(normalize_text(x) != burmese_rules(x) for x in lines)
        between = damaged_between(lines, zawgyi)
        damaged_alone += alone
        print(
            f"  {name:<24} {len(lines):6d} Unicode lines  damaged alone: {alone}  "
            f"between two Zawgyi lines: {between}"
        )
    short = short_zawgyi_lines(corpora)
    alone = sum(normalize_text(z) == u for z, u in short)
    talpco = burmese["talpco_data_myn"]
    converted = damaged = 0
    for i, (z, u) in enumerate(short):
        before, after = talpco[(2 * i) % len(talpco)], talpco[(2 * i + 1) % len(talpco)]
        got = normalize_text(f"{before}\n{z}\n{after}").split("\n")
        converted += got[1] == u
        damaged += (got[0] != burmese_rules(before)) + (got[2] != burmese_rules(after))
    n = len(short)
    print(f"  short Zawgyi lines (1-3 words): {n}")
    print(f"    converted alone: {alone} ({alone / n:.1%})")
    print(
        f"    converted between two TALPCo lines: {converted} ({converted / n:.1%}); "
        f"TALPCo lines damaged: {damaged} of {2 * n}"
    )
    return damaged_alone


def main() -> int:
    corpora = corpus_lines()
    burmese = corpora["udhr_mya_unicode_src"] + corpora["talpco_data_myn"]
    zawgyi = corpora["udhr_mya_zawgyi_out"] + corpora["mmgov_zawgyi_src"]
    english = corpora["talpco_data_eng"]
    print("Full chain: normalize + syllables + ICU words + English, one core, best pass")
    throughput("Burmese (Unicode)", documents(burmese), repeat=5)
    throughput("Burmese (Zawgyi)", documents(zawgyi), repeat=5)
    throughput("English", documents(english), repeat=5)

    print("\nCorpus checks (every line):")
    failures = 0
    checked = 0
    for name, lines in corpora.items():
        bad_idem = bad_seg = 0
        for line in lines:
            norm = normalize_text(line)
            if normalize_text(norm) != norm:
                bad_idem += 1
            if "".join(s.text for s in segments(norm)) != norm:
                bad_seg += 1
        checked += len(lines)
        failures += bad_idem + bad_seg
        print(f"  {name:<24} {len(lines):6d} lines  not idempotent: {bad_idem}  lossy: {bad_seg}")
    print(f"checked {checked} lines, {failures} failures")
    failures += zawgyi_checks(corpora)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
