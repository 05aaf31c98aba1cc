"""Query expansion through the library's glossary and the organization names it knows.

Runs of consecutive bare chunks are looked up, longest first, so "Karen National Union"
expands as a name before "Karen" does: up to four chunks in the glossary, up to the longest
organization name in the authority file (``names``: ``OCHA`` also finds the records of the
UN Office for the Coordination of Humanitarian Affairs). An expanded clause matches the text
as typed OR any variant (each variant a phrase): ``Karenni`` also finds ``ကရင်နီ`` and
``Kayah``. Phrases in quotes, OR groups and exclusions are never expanded: quoting is how a
user asks for exactly what they typed (and ``exact`` switches expansion off altogether).
"""

from __future__ import annotations

from ..glossary import Glossary
from .names import NameIndex
from .parse import EDGE_PUNCT, All, Any_, Chunk, Node, ParsedQuery, make_unit, units_of

#: Longest glossary entry looked up, in chunks.
MAX_NGRAM = 4


def _variants(glossary: Glossary, texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        for v in glossary.variants_of(text):
            if v not in out:
                out.append(v)
    return out


def expand(parsed: ParsedQuery, glossary: Glossary, names: NameIndex | None = None) -> list[str]:
    """Rewrite ``parsed.clauses`` with glossary variants and the names of the organizations
    a run of words names; returns the variants added."""
    glossary_run = MAX_NGRAM if len(glossary) else 0
    names_longest = names.longest if names is not None and len(names) else 0
    longest = max(glossary_run, names_longest)
    if not longest:
        return []
    expanded: list[str] = []
    clauses: list[Node] = []
    chunks: list[Chunk | None] = []
    i, n = 0, len(parsed.clauses)
    while i < n:
        chunk = parsed.chunks[i]
        if chunk is None:
            clauses.append(parsed.clauses[i])
            chunks.append(None)
            i += 1
            continue
        run = 1
        while run < longest and i + run < n and parsed.chunks[i + run] is not None:
            run += 1
        words = [c.raw.strip(EDGE_PUNCT) for c in parsed.chunks[i : i + run] if c is not None]
        names_run = min(names.reach(words), names_longest) if names is not None else 0
        for size in range(run, 0, -1):
            span = [c for c in parsed.chunks[i : i + size] if c is not None]
            texts = [" ".join(c.raw.strip(EDGE_PUNCT) for c in span)]
            if size == 1:
                # The normalized readings too: an ambiguous Zawgyi chunk looks up both.
                texts += [u.text for u in units_of(span[0].node)]
            variants = _variants(glossary, texts) if size <= glossary_run else []
            if names is not None and size <= names_run:
                variants += [v for v in names.variants(texts) if v not in variants]
            own = {u.terms for c in span for u in units_of(c.node)}
            alternatives: list[Node] = []
            for v in variants:
                unit = make_unit(v)
                if unit is not None and unit.terms not in own:
                    own.add(unit.terms)
                    alternatives.append(unit)
                    if v not in expanded:
                        expanded.append(v)
            if alternatives or size == 1:
                original: Node = span[0].node if size == 1 else All([c.node for c in span])
                if alternatives:
                    clauses.append(Any_([original, *alternatives]))
                    chunks.append(None)
                else:
                    clauses.append(original)
                    chunks.append(span[0])
                i += size
                break
    parsed.clauses, parsed.chunks = clauses, chunks
    return expanded


__all__ = ["MAX_NGRAM", "expand"]
