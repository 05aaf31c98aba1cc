"""A result as shown: stored fields, the grouped translations, a snippet from ``library/``.

The snippet is cut from the record's current text in the catalogue (the index stores no
text; ``Catalogue.text`` reads it without validating the whole record); a record removed
since it was indexed shows its stored fields and no snippet.
"""

from __future__ import annotations

from whoosh.searching import Searcher

from ..catalogue import Catalogue
from .highlight import snippet
from .model import SearchResult, Translation
from .parse import Unit


def result(
    searcher: Searcher,
    catalogue: Catalogue,
    docnum: int,
    score: float,
    units: list[Unit],
    text: str | None = None,
) -> SearchResult:
    """The result for ``docnum``; ``text`` is its record's text when the caller has read it
    already."""
    stored = searcher.stored_fields(docnum)
    translations = []
    for tid in stored.get("translations", []):
        other = searcher.document(id=tid)
        if other:
            translations.append(Translation(tid, other["title"], other["language"]))
    if text is None:
        text = catalogue.text(stored["id"])  # "": removed since it was indexed
    return SearchResult(
        id=stored["id"],
        title=stored["title"],
        type=stored["type"],
        language=stored["language"],
        date=stored["date"],
        organizations=list(stored.get("org_names", [])),
        snippet=snippet(text, units),
        translations=translations,
        score=round(score, 4),
    )


__all__ = ["result"]
