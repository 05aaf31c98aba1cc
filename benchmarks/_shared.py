"""Where the benchmarks find ../shared (override with RESLIB_SHARED)."""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("RESLIB_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def corpus_lines() -> dict[str, list[str]]:
    """Every text line of the corpora, by corpus name (TALPCo ids stripped)."""
    c = SHARED / "corpora"
    out: dict[str, list[str]] = {}
    for name in (
        "udhr_mya_unicode_src",
        "udhr_mya_zawgyi_out",
        "mmgov_zawgyi_src",
        "mmgov_unicode_out",
    ):
        out[name] = (c / "myanmar-tools" / f"{name}.txt").read_text("utf-8").splitlines()
    for name in ("data_myn", "data_eng"):
        lines = (c / "talpco" / f"{name}.txt").read_text("utf-8").splitlines()
        out[f"talpco_{name}"] = [x.split("\t", 1)[1] for x in lines if "\t" in x]
    translit = (c / "en-my-translit" / "alt.all.dict.ver1.0.uniq.txt").read_text("utf-8")
    out["translit"] = translit.splitlines()
    return out
