"""Search: the query language, expansion, ranking, facets, highlighting and grouping.

The public API (what the CLI and the web layer use): ``SearchRequest``, ``search(home,
request) -> SearchResponse`` and ``SearchResponse.to_dict()``. Results are plain objects; only
this package, ``reslib.index`` and ``reslib.analysis`` import Whoosh.

| module | what it owns |
| --- | --- |
| ``model`` | the request, the response and its parts (no Whoosh) |
| ``parse``, ``expand``, ``names`` | the query language; expansion: glossary, organization names |
| ``compile`` | the query tree as Whoosh queries: matching, ranking aids, ``BigramPhrase`` |
| ``filters``, ``sources`` | filters as facet bitmaps; the glossary and authority file, cached |
| ``evaluate`` | every match with its score, a term at a time over ``reslib.index.postings`` |
| ``combine``, ``phrase``, ``scoring`` | score-map set operations; phrase positions; BM25 |
| ``leafcache`` | leaf score maps kept between searches (one memory budget per process) |
| ``facets`` | per-generation facet bitmaps, dates and groups; counts in results |
| ``rank`` | top results by score or date, one per translation group |
| ``results``, ``highlight`` | a result's fields, translations and snippet |
| ``spelling`` | "did you mean" from the index's lexicon |
| ``engine`` | ``search``: the steps in order |
"""

from ..index import IndexUnavailable
from .engine import search
from .model import (
    MAX_DEPTH,
    MAX_QUERY_LENGTH,
    FacetCount,
    SearchRequest,
    SearchResponse,
    SearchResult,
    Translation,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_QUERY_LENGTH",
    "FacetCount",
    "IndexUnavailable",
    "SearchRequest",
    "SearchResponse",
    "SearchResult",
    "Translation",
    "search",
]
