"""Which syllables a word's last syllable is nearly always followed by, across the library.

The word edges of ``reslib.analysis.boundaries`` come from one text alone, and ICU's
dictionary cuts where it knows a word: ``ဂီတ`` ("music") is a word to it, so in ``ဂီတပွဲ``
("concert") it puts a boundary before ``ပွဲ`` and a search for ``ဂီတ`` ranks the concerts
as high as the music. What the dictionary does not know, the library does: when most of the
records holding a syllable hold it followed by the same next syllable, a match ending
there is probably the start of a longer word, not a word (the cohesion of a syllable pair,
as unsupervised segmenters measure it).

For a syllable ``s`` the continuations are the syllables ``n`` with ``share(n) =
df("s n") / df("s")`` at least ``MIN_SHARE``, read from the ``bigrams`` field's terms (which
are sorted, so ``s``'s are one prefix) and the ``syllables`` field's document frequency;
``compile`` lowers a word match's score by that share in the records where the word is
followed by ``n``. Computed at search time from the index the search reads, so a record's
terms never depend on the rest of the library; cached per index generation.

``benchmarks/relevance.py``'s word table measures it: on TALPCo's sentences nDCG@10 is
0.889 without it and 0.901 with it. Only the right edge is looked at: the left one would
need the bigrams ending in a syllable, which are not one prefix of the sorted terms
(measured, both edges would give 0.918).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from whoosh.searching import Searcher

from ..index.reader import generation

#: A continuation is kept when at least this share of the records holding the syllable hold
#: it followed by that continuation (at most ``1 / MIN_SHARE`` continuations per syllable).
MIN_SHARE = 0.1

Continuations = tuple[tuple[str, float], ...]


def continuations_of(searcher: Searcher, syllable: str) -> Continuations:
    """The syllables that follow ``syllable`` in at least ``MIN_SHARE`` of the records holding
    it, with their shares, most frequent first."""
    reader = searcher.reader()
    try:
        total = reader.doc_frequency("syllables", syllable)
    except (KeyError, ValueError):
        return ()
    if not total:
        return ()
    prefix = syllable + " "
    found: list[tuple[str, float]] = []
    for text, info in reader.iter_prefix("bigrams", prefix):
        word = text.decode("utf-8") if isinstance(text, bytes) else text
        share = min(1.0, info.doc_frequency() / total)
        if share >= MIN_SHARE:
            found.append((word[len(prefix) :], share))
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return tuple(found)


def continuations(searcher: Searcher, key: Hashable) -> Callable[[str], Continuations]:
    """``continuations_of`` for the index generation ``key`` that ``searcher`` reads, each
    syllable's looked up once per generation."""
    gen = generation(key)  # type: ignore[arg-type]

    def lookup(syllable: str) -> Continuations:
        return gen.cached(("continuations", syllable), lambda: continuations_of(searcher, syllable))

    return lookup


__all__ = ["MIN_SHARE", "Continuations", "continuations", "continuations_of"]
