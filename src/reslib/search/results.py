"""A result as shown: stored fields, the grouped translations, a snippet from ``library/``.

The snippet is cut from the record's current text in the catalogue (the index stores no
text); a record removed since it was indexed shows its stored fields and no snippet.
"""

from __future__ import annotations

from whoosh.searching import Searcher

from ..catalogue import Catalogue
from ..errors import ReslibError
from .highlight import snippet
from .model import SearchResult, Translation
from .parse import Unit


def result(
    searcher: Searcher, catalogue: Catalogue, docnum: int, score: float, units: list[Unit]
) -> SearchResult:
    stored = searcher.stored_fields(docnum)
    translations = []
    for tid in stored.get("translations", []):
        other = searcher.document(id=tid)
        if other:
            translations.append(Translation(tid, other["title"], other["language"]))
    try:
        record = catalogue.get(stored["id"])
        text = "\n\n".join(p for p in (record.summary, record.body) if p)
    except ReslibError:
        text = ""  # removed from library/ since it was indexed: show the stored fields
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
