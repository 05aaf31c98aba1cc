"""The language of a text: ``my``, ``en``, ``en+my``, or the ISO 639-1 code of another.

Burmese decides first, by script, as it always has: the share of Burmese characters among
the letters (75% or more: ``my``; 25% or less: not Burmese; in between: the bilingual
``en+my``). Every language written in the Myanmar script counts as Burmese here:
Shan, Mon and S'gaw Karen are out of scope, and are tagged ``my`` rather than guessed at.

Anything else goes to py3langid (a naive Bayes model of byte n-grams over 97+ languages,
shipped in its wheel, no network), and only its answers among ``models.LANGUAGES`` are kept:

- Text mostly in Latin script is English unless the model is sure it is not: the
  probability of English at most ``MAX_ENGLISH`` (0.01). English is most of this library,
  and an English page called French would lose English stemming; a French page called
  English merely keeps the old behaviour. A language outside ``models.LANGUAGES`` (Swahili,
  Croatian) is English for the same reason.
- Text mostly in another script (Arabic, Thai, Chinese, Cyrillic…) cannot be English: the
  model's best language other than English, when it is one of ``models.LANGUAGES``.

How the detector and the threshold were chosen (hand-written titles and paragraphs in 14
languages, 91 texts, plus 1,451 real English lines: TALPCo's English sentences and the lines
of the seed updates; one core):

| detector | right of 91 | English lines called another language | per text | wheel |
| --- | --- | --- | --- | --- |
| py3langid, these rules | 88 | 0 | 0.07 ms | 4.6 MB (+ numpy) |
| py3langid alone | 85 | 20 (TALPCo) | 0.07 ms | |
| lingua-language-detector (all languages) | 89 | 54 (TALPCo) | 7 ms, 1.1 GB | 96 MB |
| langdetect (unmaintained since 2021) | 86 | 92 (TALPCo) | 2.9 ms | 1 MB |

The three texts these rules get wrong are short Indonesian titles, called Malay.

The model's feature counting walks a byte automaton in Python, one step per byte (about 1 ms
for a body's first 3,000 characters, most of an import's preparation of an English row).
``_MemoIdentifier`` walks it a word at a time instead and remembers each (state, word): the
automaton's steps depend on nothing else, so the features, their counts and the order they
are first seen in, and so the scores, are the model's own (``tests/test_language.py``
compares them on the corpora).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..models import LANGUAGES
from .normalize import MYANMAR_RE

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

#: A Latin-script text is another language only when the model gives English at most this.
MAX_ENGLISH = 0.01
#: The model reads at most this many characters of a text: a long body says no more about
#: its language than its first page, and costs time (6 ms for 9,000 characters; the shares
#: of Burmese and Latin letters are still counted over the whole text).
SAMPLE_CHARS = 3_000
#: Shares of Burmese among the letters: at least ``BURMESE`` is ``my``, at most
#: ``NOT_BURMESE`` is not Burmese, in between bilingual (``en+my``).
BURMESE, NOT_BURMESE = 0.75, 0.25

LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_ASCII_OR_LATIN_RE = re.compile(r"[\x00-\x7f\u00c0-\u024f\u1e00-\u1eff]+")
# Runs of what ``LATIN_RE`` and ``MYANMAR_RE`` match one character at a time: counted by
# their lengths, the same counts without a list of every letter.
_LATIN_RUN_RE = re.compile(LATIN_RE.pattern + "+")
_MYANMAR_RUN_RE = re.compile(MYANMAR_RE.pattern + "+")


#: (automaton state, word) pairs remembered (see the module docstring) before starting over.
MEMO_WORDS = 200_000


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    # Loaded on first use (about 0.5 s): most commands never detect a language.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    class _MemoIdentifier(LanguageIdentifier):  # type: ignore[misc]
        """py3langid's identifier with its feature counting done a word at a time."""

        __slots__ = ("_walks",)

        def _raw_score(self, text: bytes) -> Any:
            visits = _visit_counts(self, text)
            if visits:
                return self._sparse_score(visits, self.nb_ptc)
            return super()._raw_score(text)  # no feature: the model's own answer

    identifier = _MemoIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier._walks = {}
    return identifier


def _visit_counts(identifier: Any, text: bytes) -> Counter[int] | None:
    """The model's feature counts of ``text`` (``py3langid.langid.visit_counts``), its
    automaton walked one space-ended word at a time, each (state, word) walked once."""
    walks: dict[tuple[int, bytes], tuple[int, tuple[int, ...]]] = identifier._walks
    if len(walks) > MEMO_WORDS:
        walks.clear()
    nextmove, rowbase, output = identifier.tk_nextmove, identifier._rowbase, identifier.tk_output
    state = 0
    features: list[int] = []
    for word in _WORD_BYTES_RE.findall(text):
        walked = walks.get((state, word))
        if walked is None:
            start, found = state, []
            for byte in word:
                state = nextmove[rowbase[state] + byte]
                feature = output[state]
                if feature >= 0:
                    found.append(feature)
            walks[(start, word)] = walked = (state, tuple(found))
        state = walked[0]
        features += walked[1]
    return Counter(features) if features else None


#: A word and the spaces after it (the last may have none): the pieces of a walk.
_WORD_BYTES_RE = re.compile(rb"[^ ]* +|[^ ]+")


def detect_language(*texts: str) -> str:
    """The language of ``texts`` taken together: ``my``, ``en``, ``en+my`` or another code
    of ``models.LANGUAGES``; text without letters is ``en``."""
    text = " ".join(t for t in texts if t)
    burmese = sum(map(len, _MYANMAR_RUN_RE.findall(text)))
    rest = MYANMAR_RE.sub(" ", text) if burmese else text
    latin, other = _letters(rest)
    if not burmese + latin + other:
        return "en"
    share = burmese / (burmese + latin + other)
    if share >= BURMESE:
        return "my"
    if share > NOT_BURMESE:
        # Bilingual means Burmese and English; Burmese beside another script is Burmese.
        return "en+my" if latin >= other else "my"
    return _other_language(rest[:SAMPLE_CHARS], mostly_latin=latin >= other)


def _letters(text: str) -> tuple[int, int]:
    """Letters of ``text`` in Latin script, and letters and marks in any other, counted the
    way ``MYANMAR_RE`` counts Burmese (vowel signs too), so that the shares compare."""
    latin = sum(map(len, _LATIN_RUN_RE.findall(text)))
    # Only what is neither ASCII nor Latin is looked at one character at a time.
    rest = _ASCII_OR_LATIN_RE.sub("", text)
    other = sum(1 for c in rest if unicodedata.category(c)[0] in "LM")
    return latin, other


def _other_language(text: str, *, mostly_latin: bool) -> str:
    ranked = _identifier().rank(text)
    if mostly_latin:
        best, _ = ranked[0]
        english = next((p for code, p in ranked if code == "en"), 0.0)
        if best == "en" or english > MAX_ENGLISH:
            return "en"
    else:
        best = next(code for code, _ in ranked if code != "en")
    return best if best in LANGUAGES else "en"


__all__ = ["MAX_ENGLISH", "detect_language"]
