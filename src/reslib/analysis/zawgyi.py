"""Zawgyi detection and conversion, decided line by line.

Detection is Google's myanmar-tools Markov model (``myanmartools``); conversion is ICU's
``Zawgyi-my`` transliterator, present since ICU 58. Both objects are expensive to build and not
picklable, so they are created once, lazily, per process.

A line is converted when the detector, the structure of the text and the converter agree:

- the detector: probability above ``CONVERT_THRESHOLD``;
- the structure: read as Unicode, the line is not well-formed Burmese (``unicode_impossible``:
  a vowel sign or medial with no consonant, a medial on an independent vowel as in ``ဧျပီ``,
  a virama stacking nothing, Zawgyi's presentation forms, marks in no syllable's order);
- the converter: its Unicode reading is well-formed, survives a round trip (rendered back in
  Zawgyi and converted again, it is the same text), and the detector would not convert it again.

Each guard is there for text the others let through. The detector alone converts well-formed
Unicode (TALPCo's ``မိုးရွာမလိုပဲ။`` scores 0.99994). The round trip rejects a line whose
Burmese words are partly Unicode already: converting it would damage those words (a fifth of
UDHR's Unicode lines fail it, no line of the Zawgyi corpora does).

A paragraph is decided line by line. A line the detector cannot settle on its own (well-formed
either way, or too short for a confident probability) follows its paragraph when the paragraph
is Zawgyi and none of its lines reads as Unicode; a line that reads as Unicode stays as typed,
whatever the paragraph around it holds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from enum import Enum
from functools import lru_cache

#: A line is converted automatically only above this probability (the detector's own
#: recommendation for "definitely Zawgyi").
CONVERT_THRESHOLD = 0.95
#: Between these two bounds a query is ambiguous: search both readings.
AMBIGUOUS_LOW = 0.05
#: A line well-formed either way leans Zawgyi above this (the detector's even odds).
LEANS_ZAWGYI = 0.5

# Sequences that cannot occur in well-formed Unicode Burmese but are everyday Zawgyi, found on
# the text as typed (mark sorting would hide some): a vowel sign or medial opening a word, a
# virama not followed by a consonant (Zawgyi's asat is U+1039), an asat followed by a vowel
# (Zawgyi's U+103A is the ya medial), and Zawgyi's presentation-form code points.
ZAWGYI_ONLY_RE = re.compile(
    "(?:^|(?<=[^\u1000-\u109f]))[\u102b-\u103e]"
    "|\u1039(?![\u1000-\u1021\u103f])"
    "|\u103a(?=[\u102b-\u102e\u1030-\u1032\u1036])"
    "|[\u1060-\u1097]"
)

# Well-formed Unicode Burmese as typed, one syllable at a time, in the storage order of
# Unicode Technical Note #11: an optional kinzi, a consonant (or the digit zero typed for wa),
# stacked consonants, at most one medial of each kind, one of the vowels Burmese spells (e,
# aw, i, o, ii, ai, u, uu, aa), then anusvara, dot below and asat (in either order: both
# are typed) and visarga; or the two spellings with an asat before a vowel u (ကျွန်ုပ်) or a
# medial ya (ယောက်ျား). The mark order of Zawgyi text (E and the ra medial before their
# consonant) leaves syllables no Unicode spelling has, as typed; a mark sort would hide it.
_CONSONANT = "[\u1000-\u1021\u103f\u1040]"
_MEDIALS = "[\u103b\u103c]?\u103d?\u103e?"
_VOWELS = "(?:\u1031[\u102b\u102c]?|\u102d\u102f?|[\u102e\u1032\u102f\u1030\u102b\u102c])?"
_FINALS = "\u1036?(?:\u1037?\u103a?|\u103a\u1037)\u1038?"
_SYLLABLE = (
    f"(?:\u1004\u103a\u1039)?{_CONSONANT}(?:\u1039{_CONSONANT})*"
    f"(?:\u103a(?:\u102f|\u103b[\u102b\u102c]?\u1038?)|{_MEDIALS}{_VOWELS}{_FINALS})"
)
# Independent vowels take a vowel sign (ဥ typed for ဦ) and the finals, never a medial.
_INDEPENDENT = f"[\u1023-\u102a][\u102d-\u1030]?{_FINALS}"
_WELL_FORMED_RUN = re.compile(f"(?:{_SYLLABLE}|{_INDEPENDENT}|[\u1040-\u104f])+")
_BURMESE_RUN = re.compile("[\u1000-\u109f]+")
#: Any character of the Myanmar blocks (Burmese and the other languages of the script).
MYANMAR_RE = re.compile("[\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]")

Rules = Callable[[str], str]


@lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    from myanmartools import ZawgyiDetector

    return ZawgyiDetector()


@lru_cache(maxsize=8)
def transliterator(spec: str):  # type: ignore[no-untyped-def]
    """An ICU transliterator, built once per process (they are costly and not picklable)."""
    import icu

    return icu.Transliterator.createInstance(spec)


def zawgyi_probability(text: str) -> float | None:
    """Probability that ``text`` is Zawgyi-encoded, or None when it holds no Burmese at all."""
    p = _detector().get_zawgyi_probability(text)
    if p == -math.inf or math.isnan(p):
        return None
    return float(p)


def zawgyi_to_unicode(text: str) -> str:
    """Convert Zawgyi text to Unicode. Damages real Unicode text: callers must detect first."""
    return str(transliterator("Zawgyi-my").transliterate(text))


def unicode_to_zawgyi(text: str) -> str:
    """Render Unicode Burmese as Zawgyi (the round-trip check, tests and benchmarks)."""
    return str(transliterator("my-Zawgyi").transliterate(text))


def well_formed_unicode(text: str) -> bool:
    """True when every Burmese run of ``text`` is a sequence of well-formed Unicode
    syllables, digits and signs."""
    return all(_WELL_FORMED_RUN.fullmatch(m.group()) for m in _BURMESE_RUN.finditer(text))


def unicode_impossible(text: str) -> bool:
    """True when ``text`` cannot be Unicode Burmese as typed: a Zawgyi-only sequence, or a
    syllable no Unicode spelling has."""
    return ZAWGYI_ONLY_RE.search(text) is not None or not well_formed_unicode(text)


class Verdict(Enum):
    """What one line is, as far as the line itself tells."""

    #: No Burmese, or its Zawgyi reading is the text itself.
    NEUTRAL = "neutral"
    #: Impossible as Unicode, with a sound Zawgyi reading the detector is confident of.
    ZAWGYI = "zawgyi"
    #: A sound Zawgyi reading the line alone cannot settle: impossible as Unicode but the
    #: detector unsure, or well-formed either way and the detector leaning Zawgyi.
    UNDECIDED = "undecided"
    #: The detector leans Unicode, or there is no sound Zawgyi reading: never converted.
    UNICODE = "unicode"


def _sound_conversion(converted: str, rules: Rules) -> bool:
    """The converter's reading is well-formed Unicode that survives a round trip and would
    not itself be converted again (this last is what keeps normalization idempotent)."""
    if not well_formed_unicode(converted):
        return False
    if rules(zawgyi_to_unicode(unicode_to_zawgyi(converted))) != converted:
        return False
    if not unicode_impossible(converted):
        return True
    p = zawgyi_probability(converted)
    return p is None or p <= CONVERT_THRESHOLD


def line_verdict(line: str, rules: Rules) -> tuple[Verdict, str, str]:
    """The verdict on one line, the line as typed and its Zawgyi reading (both after
    ``rules``)."""
    as_typed = rules(line)
    if not MYANMAR_RE.search(line):
        return Verdict.NEUTRAL, as_typed, as_typed
    converted = rules(zawgyi_to_unicode(line))
    if converted == as_typed:
        return Verdict.NEUTRAL, as_typed, converted
    if not _sound_conversion(converted, rules):
        return Verdict.UNICODE, as_typed, converted
    p = zawgyi_probability(line)
    if p is None or p < AMBIGUOUS_LOW:
        verdict = Verdict.UNICODE
    elif unicode_impossible(line):
        verdict = Verdict.ZAWGYI if p > CONVERT_THRESHOLD else Verdict.UNDECIDED
    else:
        verdict = Verdict.UNDECIDED if p > LEANS_ZAWGYI else Verdict.UNICODE
    return verdict, as_typed, converted


def _paragraph_is_zawgyi(paragraph: str) -> bool:
    """The paragraph as a whole: impossible as Unicode and confidently Zawgyi (a paragraph
    of short lines says more than any one of them)."""
    if not unicode_impossible(paragraph):
        return False
    p = zawgyi_probability(paragraph)
    return p is not None and p > CONVERT_THRESHOLD


def convert_lines(paragraph: str, rules: Rules) -> tuple[str, bool]:
    """``paragraph`` with its Zawgyi lines converted and ``rules`` applied to every line, and
    whether any line was converted (see the module docstring for the decision)."""
    decided = [line_verdict(line, rules) for line in paragraph.split("\n")]
    kinds = {verdict for verdict, _, _ in decided}
    if Verdict.UNICODE in kinds:
        convert = {Verdict.ZAWGYI}
    elif Verdict.ZAWGYI in kinds or (
        Verdict.UNDECIDED in kinds and len(decided) > 1 and _paragraph_is_zawgyi(paragraph)
    ):
        convert = {Verdict.ZAWGYI, Verdict.UNDECIDED}
    else:
        convert = set()
    out = [converted if v in convert else as_typed for v, as_typed, converted in decided]
    return "\n".join(out), any(v in convert for v, _, _ in decided)
