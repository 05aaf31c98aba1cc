"""Snippets: the best passage of a record's text with the query's matches marked.

Text is tokenized with the same unified analyzer as the query, so a mark covers exactly the
tokens that matched: for Burmese whole syllables (a syllable token carries its marks and
stacked consonants), never half a cluster; for English the whole word whose stem matched. A
phrase is marked from its first token to its last. The output is HTML-safe: everything is
escaped and only ``<mark>`` is added.

A Burmese word (a unit of up to ``MAX_SPAN`` syllables) is marked only where both its
edges are word edges (``reslib.analysis.boundaries``): ``ကရင်`` (Karen) is marked where it
is a word, and not inside ``ကရင်နီ`` (Karenni), where marking it would show half a word as
the word asked for (and marking all of ``ကရင်နီ`` would show a word that was not asked
for). Such a match still chooses the passage shown when the record has no other.

Analysis is the costly part (a page of ten 5 KB records is 50 KB of text), so the text is
cut into sentences and only sentences holding a cheap "probe" of some unit (a syllable as
written, the first letters of a stem, the digits of a number) are tokenized. Record text is
stored normalized by the catalogue, so offsets are taken on it directly.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from ..analysis.boundaries import MAX_SPAN, is_word
from ..analysis.segment import tokens
from ..analysis.terms import unified_analyzer
from .parse import Unit

#: Characters of text shown around the matches.
SNIPPET_CHARS = 240
_UNIFIED = unified_analyzer(normalize=False)
_SPACE_RE = re.compile(r"\s+")
_SENTENCE_RE = re.compile(r"[^.!?။\n]*(?:[.!?။]+|\n|$)")
_TO_MYANMAR_DIGITS = str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉")


def _unit_probe(unit: Unit) -> Callable[[str], bool]:
    """Whether a sentence may hold the unit: it is tokenized only then.

    A unit of several Burmese syllables needs them in order with nothing but gap characters
    (spaces, punctuation) between: two common syllables are in nearly every sentence, next
    to each other in few. Any other unit needs each of its terms' probes somewhere in the
    sentence (probing the first term alone tokenized nearly every sentence for a phrase
    starting with "I")."""
    if len(unit.terms) > 1 and all(k == "my" for k in unit.kinds):
        return re.compile(_GAP.join(map(re.escape, unit.terms))).search  # type: ignore[return-value]
    alternatives = [
        _probes(t, k) for t, k in dict.fromkeys(zip(unit.terms, unit.kinds, strict=True))
    ]
    return lambda sentence: all(any(p in sentence for p in a) for a in alternatives)


#: What may stand between two tokens: no letter, mark or digit of any script.
_GAP = r"[\W_]*"


def _probes(term: str, kind: str) -> list[str]:
    if kind == "my":
        return [term]
    if kind == "num":
        return [term, term.translate(_TO_MYANMAR_DIGITS)]
    # A porter2 stem is a prefix of the word bar its last letters (happi <- happy).
    return [term[: max(1, min(4, len(term) - 1))]]


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.end() > m.start()]


def find_marks(text: str, units: Iterable[Unit]) -> list[tuple[int, int, int]]:
    """(start, end, unit number) of every match of the units in normalized ``text``, where a
    Burmese match is one whose edges are word edges (see ``all_matches``)."""
    return [(s, e, n) for s, e, n, _ in _merged([m for m in all_matches(text, units) if m[3]])]


def all_matches(text: str, units: Iterable[Unit]) -> list[tuple[int, int, int, bool]]:
    """(start, end, unit number, as a word) of every match of the units in normalized
    ``text``, sorted: "as a word" is False for a Burmese match starting or ending inside a
    word."""
    units = list(units)
    by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    probes: list[Callable[[str], bool]] = []
    for n, unit in enumerate(units):
        by_first.setdefault(unit.terms[0], []).append((n, unit.terms))
        probes.append(_unit_probe(unit))
    folded = text.casefold() if len(text.casefold()) == len(text) else text.lower()
    # The units ranked as words (``compile.unit_span``): short Burmese ones. A longer phrase
    # is marked wherever it matches, as a pasted passage may start or end mid-word.
    burmese = [len(unit.terms) <= MAX_SPAN and all(k == "my" for k in unit.kinds) for unit in units]
    marks: list[tuple[int, int, int, bool]] = []
    for lo, hi in _sentences(text):
        sentence = folded[lo:hi]
        if not any(probe(sentence) for probe in probes):
            continue
        toks = [
            (t.text, lo + t.startchar, lo + t.endchar) for t in _UNIFIED(text[lo:hi], chars=True)
        ]
        for i, (term, start, _) in enumerate(toks):
            for n, terms in by_first.get(term, ()):
                j = i + len(terms)
                if j <= len(toks) and all(toks[i + k][0] == terms[k] for k in range(1, len(terms))):
                    end = toks[j - 1][2]
                    marks.append((start, end, n, not burmese[n] or is_word(text, start, end)))
    marks.sort()
    return marks


def _merged(marks: list[tuple[int, int, int, bool]]) -> list[tuple[int, int, int, bool]]:
    """Overlapping marks (a phrase and a word inside it) merged into one."""
    merged: list[tuple[int, int, int, bool]] = []
    for s, e, n, w in marks:
        if merged and s <= merged[-1][1]:
            ps, pe, pn, pw = merged[-1]
            merged[-1] = (ps, max(pe, e), pn, pw or w)
        else:
            merged.append((s, e, n, w))
    return merged


def _window(text: str, marks: list[tuple[int, int, int]], size: int) -> tuple[int, int]:
    """The span of ``size`` characters that holds the most distinct units' matches."""
    if not marks:
        return 0, min(len(text), size)
    best, best_score = (0, 0), (-1, -1)
    for s, _, _ in marks[:200]:
        lo = max(0, s - size // 4)
        hi = lo + size
        inside = [m for m in marks if m[0] >= lo and m[1] <= hi]
        score = (len({m[2] for m in inside}), len(inside))
        if score > best_score:
            best, best_score = (lo, hi), score
    return best


def _snap(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Move the window edges onto token boundaries so no syllable or word is cut."""
    if lo > 0:
        base = max(0, lo - 40)
        starts = [base + t.start for t in tokens(text[base : lo + 40])]
        lo = next((s for s in starts if s >= lo), lo)
    if hi < len(text):
        base = max(0, hi - 40)
        ends = [base + t.end for t in tokens(text[base : hi + 40])]
        inside = [e for e in ends if lo < e <= hi]
        hi = inside[-1] if inside else hi
    return lo, min(hi, len(text))


def snippet(text: str, units: list[Unit], size: int = SNIPPET_CHARS) -> str:
    """An HTML-safe passage of (normalized) ``text`` with matches wrapped in ``<mark>``."""
    # One line: paragraph breaks mean nothing in a snippet (offsets are taken after this).
    text = _SPACE_RE.sub(" ", text).strip()
    if not text:
        return ""
    found = all_matches(text, units) if units else []
    words = [(s, e, n) for s, e, n, _ in _merged([m for m in found if m[3]])]
    # The passage holds the most units matched as words, else the most matches at all.
    passage = words or [(s, e, n) for s, e, n, _ in _merged(found)]
    lo, hi = _snap(text, *_window(text, passage, size))
    out: list[str] = ["…"] if lo > 0 else []
    pos = lo
    for s, e, _ in words:
        if s < pos or e > hi:
            continue
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:hi]))
    if hi < len(text):
        out.append("…")
    return "".join(out).strip()
