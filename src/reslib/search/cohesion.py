"""Second-phase ranking: the best candidates re-ordered by what the text around a Burmese
word says about its edges.

The word edges of ``reslib.analysis.boundaries`` come from one text alone, and ICU's
dictionary cuts where it knows a word and guesses where it does not: ``ဂီတ`` ("music") is a
word to it, so in ``ဂီတပွဲ`` ("concert") the edge before ``ပွဲ`` looks like a word edge, and a
transliterated name (``ဟယရှိ``, Hayashi) comes out as syllables whose edges are guesses. What
one text cannot show, the texts that hold the word can: when many of its occurrences are
followed (or preceded) by the same syllable, far more often than that syllable occurs at
all, the word there is probably part of a longer one (the cohesion of a syllable pair, as
unsupervised segmenters measure it).

Like a search engine's rescoring window (Elasticsearch's ``rescore``, Vespa's second
phase), this looks only at the first ``WINDOW`` results of the first-phase ranking, whose
texts the page reads anyway: for each Burmese word of the query ranked as a word
(``compile.unit_span``) it finds the word's occurrences in their texts and the syllables
that touch them (no space between), and a neighbour is *cohesive* when it touches at least
``MIN_COUNT`` occurrences, at least ``MIN_SHARE`` of them, and its share is at least
``MIN_LIFT`` times the share of records holding that syllable at all (so a particle that
follows every noun, such as ``များ``, is not taken for part of the word). A record's score is
multiplied by ``1 - STRENGTH * share`` for its best occurrence (the one least bound to a
cohesive neighbour, left and right multiplied). The window keeps its members, only their
order changes: totals, facets and later pages are those of the first phase.

Measured by ``benchmarks/relevance.py`` (TALPCo): the word table's nDCG@10 is 0.889 with
the first phase alone and 0.912 with this one; known-item success@10 / MRR stay 1.000 / 0.847
(Unicode), 0.987 / 0.826 (Zawgyi) and 1.000 / 0.876 (``ဝ`` typed as ``၀``), against 0.854,
0.833 and 0.878 MRR without it. ``STRENGTH`` 0.9 gave 0.912-0.913 and MRR 0.824-0.838;
``MIN_LIFT`` 4 gave 0.908-0.912: the values below sit on that plateau.
The statistics come from the window, not from the whole library, so they cost a few
document-frequency look-ups and reading texts the page reads anyway, never a scan of the
index's terms (an earlier version read every bigram starting with a syllable: 64-860 ms
per syllable at 50,000 records).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..analysis.segment import myanmar_runs, syllables
from .parse import Unit

#: Results (translation groups) re-ordered: the first page and a few more.
WINDOW = 30
#: A neighbour touching fewer occurrences says nothing.
MIN_COUNT = 3
#: A neighbour is cohesive when it touches at least this share of the occurrences...
MIN_SHARE = 0.1
#: ...and that share is at least this many times the share of records holding it.
MIN_LIFT = 2.0
#: Occurrences read in one record at most.
PER_RECORD = 16
#: How far a fully bound occurrence is lowered (below 1, so equally bound records keep
#: their first-phase order, and a record found for a piece of a word is not buried).
STRENGTH = 0.6

_SENTENCE_RE = re.compile(r"[^။\n]*(?:။|\n|$)")

Neighbours = tuple[str | None, str | None]


def occurrences(text: str, terms: Sequence[str]) -> list[Neighbours]:
    """For each occurrence of the syllables ``terms`` in normalized ``text`` (consecutive
    Burmese tokens written without a space), the syllables touching it on the left and on
    the right (None: a space, punctuation, another script or the text's edge)."""
    joined, size = "".join(terms), len(terms)
    wanted = list(terms)
    out: list[Neighbours] = []
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group()
        # Only a sentence holding the word unbroken is read (a space inside it is a word
        # edge anyway); a long record's first ``PER_RECORD`` occurrences are enough.
        if joined not in sentence:
            continue
        if len(out) >= PER_RECORD:
            break
        # An unbroken Burmese run is where a word and its touching syllables are: only the
        # runs holding it are cut into syllables (a few of a sentence's tokens).
        for _, run in myanmar_runs(sentence):
            if joined not in run:
                continue
            found = syllables(run)
            for i in range(len(found) - size + 1):
                if found[i] == wanted[0] and found[i : i + size] == wanted:
                    left = found[i - 1] if i > 0 else None
                    right = found[i + size] if i + size < len(found) else None
                    out.append((left, right))
    return out


@dataclass
class Cohesive:
    """The cohesive neighbours of one word in the window: syllable -> share, per side."""

    left: dict[str, float]
    right: dict[str, float]

    def factor(self, found: list[Neighbours]) -> float:
        """The multiplier of a record whose occurrences of the word are ``found``: its
        least bound occurrence decides (1.0 when it holds none in its text)."""
        best = 0.0 if found else 1.0
        for left, right in found:
            f = (1.0 - STRENGTH * self.left.get(left or "", 0.0)) * (
                1.0 - STRENGTH * self.right.get(right or "", 0.0)
            )
            best = max(best, f)
        return best


def cohesive(
    found: Sequence[list[Neighbours]], share_of_records: Callable[[str], float]
) -> Cohesive:
    """The cohesive neighbours of a word from its occurrences in the window's texts
    (``found``: one list per record); ``share_of_records`` gives the share of the library's
    records holding a syllable."""
    every = [o for record in found for o in record]
    total = len(every)
    sides: list[dict[str, float]] = []
    for side in (0, 1):
        counts = Counter(o[side] for o in every if o[side])
        kept: dict[str, float] = {}
        for syllable, n in counts.items():
            share = n / total
            if n < MIN_COUNT or share < MIN_SHARE:
                continue
            base = share_of_records(syllable)
            if base <= 0 or share >= MIN_LIFT * base:
                kept[syllable] = share
        sides.append(kept)
    return Cohesive(sides[0], sides[1])


def rescore(
    window: Sequence[int],
    scored: dict[int, float],
    texts: Callable[[int], str],
    units: Sequence[Unit],
    share_of_records: Callable[[str], float],
) -> tuple[list[int], dict[int, float]]:
    """The window's documents re-ordered, with their new scores: each score multiplied by
    the factor of each word of ``units`` (Burmese units ranked as words) it holds. Ties keep
    the first-phase order."""
    if not units or len(window) < 2:
        return list(window), {}
    bodies = {d: texts(d) for d in window}
    adjusted = {d: scored[d] for d in window}
    for unit in units:
        found = {d: occurrences(bodies[d], unit.terms) for d in window}
        word = cohesive(list(found.values()), share_of_records)
        if not word.left and not word.right:
            continue
        for d in window:
            adjusted[d] *= word.factor(found[d])
    order = sorted(range(len(window)), key=lambda i: (-adjusted[window[i]], i))
    return [window[i] for i in order], adjusted


__all__ = [
    "MIN_COUNT",
    "MIN_LIFT",
    "MIN_SHARE",
    "PER_RECORD",
    "STRENGTH",
    "WINDOW",
    "Cohesive",
    "cohesive",
    "occurrences",
    "rescore",
]
