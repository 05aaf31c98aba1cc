"""Segmentation: script runs, Burmese syllables and ICU dictionary words.

Everything here works on *normalized* text (see ``normalize``). The syllable rules are written
for the storage order that normalization guarantees; in particular a final consonant may carry
a dot below *before* its asat (``မိန့်`` is ``မ ိ န ့ ်``), which the widely copied syllable
regex misses.

``segments`` is lossless: the text of its segments concatenates back to the input. Token
producers (the Whoosh tokenizers) keep only the segments that carry meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_BLOCKS = [(0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)]
_LOCATIVE_SIGNS = "\u104c\u104d\u104e\u104f"  # ၌ ၍ ၎ ၏: words of their own


def _classes() -> tuple[str, str, str, str]:
    letters, marks, digits, other = [], [], [], []
    for lo, hi in _BLOCKS:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            cat = unicodedata.category(ch)
            if ch == "\u1039" or cat == "Cn":
                continue
            if cat in ("Lo", "Lm") or ch in _LOCATIVE_SIGNS:
                letters.append(ch)
            elif cat in ("Mn", "Mc"):
                marks.append(ch)
            elif cat == "Nd":
                digits.append(ch)
            else:
                other.append(ch)
    return "".join(letters), "".join(marks), "".join(digits), "".join(other)


LETTERS, MARKS, DIGITS, SIGNS = _classes()
VIRAMA = "\u1039"  # stacks the next consonant under this one
ASAT = "\u103a"
DOT_BELOW = "\u1037"

# One syllable: a letter (or, in damaged text, a lone mark) followed by everything that
# belongs to it: its marks, a stacked consonant after a virama, and a final consonant, which
# is a letter followed by (dot below and) asat or virama.
_SYLLABLE = (
    f"(?:[{LETTERS}]|[{MARKS}{VIRAMA}])"
    f"(?:[{MARKS}]|{VIRAMA}[{LETTERS}]?|[{LETTERS}](?={DOT_BELOW}?[{ASAT}{VIRAMA}]))*"
)
SYLLABLE_RE = re.compile(_SYLLABLE)

_MYANMAR_RUN = f"[{LETTERS}{MARKS}{VIRAMA}]+"
_NUMBER = f"[0-9{DIGITS}]+"
_NOT_WORD_CHAR = "\\W_" + LETTERS + MARKS + VIRAMA + DIGITS + SIGNS
# Latin (and any other script's) words: letters and digits, with inner apostrophes kept so a
# possessive filter can see them.
_WORD = f"[^{_NOT_WORD_CHAR}]+(?:['\u2019][^{_NOT_WORD_CHAR}]+)*"
#: A token's run: ``my`` (Burmese letters and marks: split into syllables), ``num`` or ``word``.
TOKEN_RE = re.compile(f"(?P<my>{_MYANMAR_RUN})|(?P<num>{_NUMBER})|(?P<word>{_WORD})")

_DIGIT_FOLD = {ord(d): str(unicodedata.digit(d)) for d in DIGITS}


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text: ``kind`` is ``my`` (a Burmese syllable), ``num``, ``word`` or ``gap``."""

    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def syllables(run: str) -> list[str]:
    """Split a run of Burmese letters and marks into syllables (lossless)."""
    return SYLLABLE_RE.findall(run)


def tokens(text: str) -> Iterator[Segment]:
    """Yield the meaningful segments of ``text``: syllables, numbers and words, in order."""
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        assert kind is not None
        if kind == "my":
            base = m.start()
            for s in SYLLABLE_RE.finditer(m.group()):
                yield Segment("my", s.group(), base + s.start())
        else:
            yield Segment(kind, m.group(), m.start())


def segments(text: str) -> list[Segment]:
    """All of ``text`` as segments: tokens plus the gaps between them (lossless)."""
    out: list[Segment] = []
    pos = 0
    for tok in tokens(text):
        if tok.start > pos:
            out.append(Segment("gap", text[pos : tok.start], pos))
        out.append(tok)
        pos = tok.end
    if pos < len(text):
        out.append(Segment("gap", text[pos:], pos))
    return out


def fold_digits(text: str) -> str:
    """Burmese (and Shan) digits to ASCII: index terms only, display text keeps them."""
    return text.translate(_DIGIT_FOLD)


def myanmar_runs(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, run) for each unbroken run of Burmese letters and marks."""
    for m in re.finditer(_MYANMAR_RUN, text):
        yield m.start(), m.group()


@lru_cache(maxsize=1)
def _icu_word_breaker():  # type: ignore[no-untyped-def]
    import icu

    return icu.BreakIterator.createWordInstance(icu.Locale("my"))


def icu_words(run: str) -> list[tuple[int, str]]:
    """ICU dictionary words of a Burmese run as (offset, word).

    ICU's segmentation depends on context, so these serve ranking only, never matching.
    """
    bi = _icu_word_breaker()
    bi.setText(run)
    out: list[tuple[int, str]] = []
    # ICU reports UTF-16 offsets; a run holds only BMP characters, so they are str offsets.
    prev = 0
    for b in bi:
        piece = run[prev:b]
        if piece.strip():
            out.append((prev, piece))
        prev = b
    return out
