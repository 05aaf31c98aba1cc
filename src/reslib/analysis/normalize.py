"""Text normalization: the one function applied to every text at index time and query time.

Order matters: Zawgyi detection and conversion run on the raw text (NFC would reorder
Zawgyi's visual-order code points and spoil both), then NFC, then the Burmese rules that NFC
does not cover (look-alike letters and digits, mark order, invisible characters). Zawgyi is
decided line by line within each paragraph (``reslib.analysis.zawgyi``).

``normalize`` is idempotent by construction: a line is converted only when the result would
not be converted again, and the per-paragraph step is iterated to a fixed point (it reaches
one in at most three steps: raw -> rules -> converted).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .zawgyi import MYANMAR_RE, convert_lines, unicode_impossible, zawgyi_probability

# Paragraphs are blank-line separated: the probability reported is a paragraph's, and a line
# too short to decide on its own follows its paragraph (see reslib.analysis.zawgyi).
_PARAGRAPH_SPLIT = re.compile(r"(\n[ \t\r\f\v]*\n\s*)")

_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\ufeff\u00ad\u2060"), None)
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad\u2060]")
_ZWSP_RE = re.compile("\u200b+")

# Canonical storage order of the marks that follow a Burmese base consonant (Unicode
# Technical Note #11): medials, vowel E, upper vowels, lower vowels, AA, anusvara, dot below,
# asat, visarga. Runs of these marks are stably sorted by this rank.
_MARK_RANK = {
    "\u103b": 1,  # medial ya
    "\u103c": 2,  # medial ra
    "\u103d": 3,  # medial wa
    "\u103e": 4,  # medial ha
    "\u1031": 5,  # vowel sign e
    "\u102d": 6,  # vowel sign i
    "\u102e": 6,  # vowel sign ii
    "\u1032": 6,  # vowel sign ai
    "\u102f": 7,  # vowel sign u
    "\u1030": 7,  # vowel sign uu
    "\u102b": 8,  # tall aa
    "\u102c": 8,  # aa
    "\u1036": 9,  # anusvara
    "\u1037": 10,  # dot below
    "\u103a": 11,  # asat
    "\u1038": 12,  # visarga
}
# Two spellings put an asat legitimately before a lower-ranked mark: asat before vowel U
# (ကျွန်ုပ်, "I") and asat before medial ya (ယောက်ျား, "man": the killed consonant carries the
# ya, as Unicode Technical Note #11 spells it). Such an asat ends a run instead of joining the
# sort.
_RANKED = "".join(c for c in _MARK_RANK if c != "\u103a")
_MARK_RUN_RE = re.compile(f"(?:[{_RANKED}]|\u103a(?![\u102f\u103b])){{2,}}")
# The everyday typing of that spelling, medial ya then asat (ယောကျ်ား), is the same word:
# it becomes the UTN #11 order, so both typings are one string (and one syllable).
_YA_ASAT_RE = re.compile("\u103b\u103a")

_DIGITS = "\u1040\u1041\u1042\u1043\u1044\u1045\u1046\u1047\u1048\u1049"
_LETTER_OR_MARK = "\u1000-\u103f\u1050-\u108f\u109a-\u109d"  # no digits, no punctuation
# Any mark a digit can never carry: a zero or wa followed by one of these is the letter wa.
_MARKS = (
    "\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064"
    "\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f\u109a-\u109d"
)
_ZERO_WA_RUN_RE = re.compile(f"[{_DIGITS}\u101d]+")
_MARK_START_RE = re.compile(f"[{_MARKS}]")
_LETTER_RE = re.compile(f"[{_LETTER_OR_MARK}]")

# U+1044 DIGIT FOUR typed for U+104E LOCATIVE in the pronoun ၎င်း, and the reverse: U+104E
# standing alone (Zawgyi fonts use it for the digit four in numbered headings).
_FOUR_AS_LOCATIVE_RE = re.compile(f"(?<![{_DIGITS}])\u1044(?=\u1004\u103a)")
# (A run of them before a digit is a number: "၎၎၄" is 444, changed in one pass.)
_LOCATIVE_AS_FOUR_RE = re.compile(f"\u104e(?!\u1004\u103a)(?=\u104e*(?:[{_DIGITS}\\s]|$))")
# U+1025 LETTER U typed for U+1009 LETTER NYA before asat (with or without a dot below
# before it: ညဥ့်, "night") or a stacked consonant.
_U_AS_NYA_RE = re.compile("\u1025(?=\u1037?\u103a|\u1039)")


@dataclass(frozen=True)
class Normalized:
    """The outcome of normalizing one text."""

    text: str
    original: str
    zawgyi_probability: float | None
    converted_from_zawgyi: bool

    @property
    def changed(self) -> bool:
        return self.text != self.original


def _canonical_run(run: str) -> str:
    """A run of marks in canonical order, a mark repeated side by side kept once (``ိိ`` is
    one vowel drawn twice: no spelling needs it)."""
    ordered = sorted(run, key=_MARK_RANK.__getitem__)
    return "".join(c for i, c in enumerate(ordered) if not i or c != ordered[i - 1])


def _sort_marks(match: re.Match[str]) -> str:
    return _canonical_run(match.group())


def _fix_zero_wa(text: str) -> str:
    """Resolve U+1040 DIGIT ZERO / U+101D LETTER WA look-alikes by their context."""

    def fix(match: re.Match[str]) -> str:
        run = match.group()
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        real_digits = any(c in _DIGITS[1:] for c in run)
        out = []
        for i, ch in enumerate(run):
            nxt = run[i + 1] if i + 1 < len(run) else after
            if ch not in "\u1040\u101d":
                out.append(ch)
            elif _MARK_START_RE.match(nxt or " "):
                out.append("\u101d")  # carries a vowel or medial: a letter
            elif real_digits:
                out.append("\u1040")  # inside a number such as ၂ဝဝ၂
            elif _LETTER_RE.match(before or " ") or _LETTER_RE.match(after or " "):
                out.append("\u101d")  # touches letters only: part of a word
            else:
                out.append(ch)
        return "".join(out)

    return _ZERO_WA_RUN_RE.sub(fix, text)


#: Mark run -> the run in canonical order (the runs of real text are few and recur).
_SORTED_RUNS: dict[str, str] = {}


def _sort_mark_runs(text: str) -> str:
    # Nearly every run is already in order: find the runs (one regex pass in C) and call
    # the sorting substitution, a Python call per run, only when one of them is not.
    for run in set(_MARK_RUN_RE.findall(text)):
        in_order = _SORTED_RUNS.get(run)
        if in_order is None:
            in_order = _canonical_run(run)
            if len(_SORTED_RUNS) < 10_000:
                _SORTED_RUNS[run] = in_order
        if in_order != run:
            return _MARK_RUN_RE.sub(_sort_marks, text)
    return text


def burmese_rules(text: str) -> str:
    """Apply the Unicode-Burmese fixes that NFC does not make. Idempotent."""
    text = unicodedata.normalize("NFC", text)
    if not MYANMAR_RE.search(text):
        return text  # every rule below is about Burmese characters
    before = text
    text = _U_AS_NYA_RE.sub("\u1009", text)
    if "\u103b\u103a" in text:
        text = _YA_ASAT_RE.sub("\u103a\u103b", text)
    text = _sort_mark_runs(text)
    text = _FOUR_AS_LOCATIVE_RE.sub("\u104e", text)
    text = _LOCATIVE_AS_FOUR_RE.sub("\u1044", text)
    text = _fix_zero_wa(text)
    if text == before:
        return text  # already normalized: no second NFC pass
    # Sorting can bring U+1025 next to U+102E: NFC composes them into U+1026.
    return unicodedata.normalize("NFC", text)


def _clean_invisibles(text: str) -> str:
    if _INVISIBLE_RE.search(text) is None:
        return text  # the usual case: one regex pass instead of a translation
    text = text.translate(_INVISIBLE)
    if "\u200b" in text:
        # A zero-width space marks a word boundary: make it visible to every tokenizer.
        def boundary(m: re.Match[str]) -> str:
            s, e = m.span()
            inside = s > 0 and e < len(text) and not text[s - 1].isspace() and not text[e].isspace()
            return " " if inside else ""

        text = _ZWSP_RE.sub(boundary, text)
    return text


def _step(paragraph: str, report: bool) -> tuple[str, float | None, bool]:
    ruled = burmese_rules(paragraph)
    if not MYANMAR_RE.search(paragraph):
        return ruled, None, False
    # The structural checks are regexes; the detector is a Python loop over every character.
    # A paragraph with no line impossible as Unicode is never converted, so it needs the
    # detector only when the caller wants the probability reported.
    p = zawgyi_probability(paragraph) if report else None
    if not unicode_impossible(paragraph):
        return ruled, p, False
    # Decided line by line: one Zawgyi line among Unicode ones is converted alone.
    text, converted = convert_lines(paragraph, burmese_rules)
    return text, p, converted


def _normalize_paragraph(paragraph: str, report: bool) -> tuple[str, float | None, bool]:
    text, first_p, converted = _step(paragraph, report)
    # A fixed point is reached in at most two more steps: rules, then one accepted conversion.
    for _ in range(3):
        if text == paragraph:
            break
        paragraph = text
        text, _, conv = _step(paragraph, report=False)
        converted = converted or conv
    return text, first_p, converted


def normalize(text: str, report_probability: bool = True) -> Normalized:
    """Normalize ``text`` for display and indexing.

    Zawgyi is decided line by line; ``zawgyi_probability`` is the highest paragraph
    probability (None when the text holds no Burmese). With ``report_probability=False``
    it is not computed and is None (faster; the text is the same either way).
    """
    cleaned = _clean_invisibles(text)
    parts = _PARAGRAPH_SPLIT.split(cleaned)
    out: list[str] = []
    best: float | None = None
    converted_any = False
    for i, part in enumerate(parts):
        if i % 2:  # a separator kept by the capturing split
            out.append(part)
            continue
        norm, p, converted = _normalize_paragraph(part, report_probability)
        out.append(norm)
        converted_any |= converted
        if p is not None and (best is None or p > best):
            best = p
    return Normalized("".join(out), text, best, converted_any)


def normalize_text(text: str) -> str:
    """The normalized text alone (what tokenizers and stored fields use)."""
    return normalize(text, report_probability=False).text
