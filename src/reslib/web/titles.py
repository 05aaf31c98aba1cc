"""Result titles with the query's matches marked, as snippets mark them.

The search layer marks snippets only; a title is marked here with the same public pieces:
the query parsed and expanded as the engine does it (the glossary's variants and the names
of organizations, unless the search is exact), and ``highlight.find_marks``, which marks a
Burmese word only where it stands as a word. A title is short, so all of it is shown.
"""

from __future__ import annotations

import html

from markupsafe import Markup

from ..config import Home
from ..search import SearchRequest
from ..search.expand import expand
from ..search.highlight import find_marks
from ..search.parse import Unit, parse, units_of
from ..search.sources import load_glossary, load_names


def query_units(home: Home, req: SearchRequest) -> list[Unit]:
    """The units a search for ``req`` matched, as ``search`` builds them (steps 1 and 6)."""
    parsed = parse(req.q)
    if not req.exact:
        expand(parsed, load_glossary(home), load_names(home))
    return [u for clause in parsed.clauses for u in units_of(clause)]


def marked(title: str, units: list[Unit]) -> Markup:
    """The whole title, escaped, with every match as a word in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end, _ in find_marks(title, units) if units else []:
        out.append(html.escape(title[pos:start]))
        out.append("<mark>" + html.escape(title[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(title[pos:]))
    return Markup("".join(out))


def marked_titles(
    home: Home, req: SearchRequest, results: list[dict[str, str]]
) -> dict[str, Markup]:
    """Result id -> its marked title, for the results of one page."""
    units = query_units(home, req)
    return {r["id"]: marked(r["title"], units) for r in results}
