"""Search: the query language, expansion, ranking, facets, highlighting and grouping.

The public API (what the CLI and the web layer use): ``SearchRequest``, ``search(home,
request) -> SearchResponse`` and ``SearchResponse.to_dict()``. Results are plain objects; only
this package and ``reslib.index`` import Whoosh.
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
