"""The "did you mean" lexicon of an index: ``word<TAB>occurrences`` lines, sorted by word.

A file beside the Whoosh index rather than an index field: the field cost ~160 postings per
record, and suggestions need only the word list and its counts. A rebuild writes it whole;
incremental updates only add words (``add_to_lexicon``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..analysis.terms import spelling_words
from ..models import Record
from ..storage import write_atomic
from .schema import content

LEXICON = "reslib-lexicon.tsv"


def lexicon_words(record: Record) -> list[str]:
    """The words a record adds to the "did you mean" lexicon."""
    return spelling_words(content(record))


def write_lexicon(path: Path, counts: Counter[str]) -> None:
    lines = "".join(f"{w}\t{n}\n" for w, n in sorted(counts.items()))
    write_atomic(path / LEXICON, lines)


def read_lexicon(path: Path) -> Counter[str]:
    """The lexicon of the index at ``path``: word -> occurrences in the library."""
    counts: Counter[str] = Counter()
    try:
        text = (path / LEXICON).read_text("utf-8")
    except FileNotFoundError:
        return counts
    for line in text.splitlines():
        word, _, n = line.partition("\t")
        if word:
            counts[word] = int(n or 1)
    return counts


def add_to_lexicon(path: Path, records: Iterable[Record]) -> None:
    """Add the words of updated records. Words of removed or edited text stay: an extra
    known word only means one suggestion fewer, while recounting needs the old text."""
    added: Counter[str] = Counter()
    for record in records:
        added.update(lexicon_words(record))
    if not added:
        return
    counts = read_lexicon(path)
    if all(w in counts for w in added):
        return  # nothing new: the counts only order suggestions, no need to rewrite
    counts.update(added)
    write_lexicon(path, counts)


__all__ = ["LEXICON", "add_to_lexicon", "lexicon_words", "read_lexicon", "write_lexicon"]
