"""The query language: from what a user typed to a small tree of units (no Whoosh here).

Grammar, forgiving by design (every input is a valid query)::

    query   := item*
    item    := ["-"] (phrase | filter | chunk) | "OR"
    phrase  := '"' text '"'            (curly quotes too)
    filter  := name ":" (value | phrase)   name in type org lang date place year topic
    chunk   := any run of non-space characters

Bare chunks are ANDed; ``OR`` joins its neighbours; ``-`` excludes. A chunk that analyzes to
several tokens (a Burmese run of syllables, ``Sagaing-based``) is a phrase of those tokens, so
a Burmese word matches however its syllables were spaced in the document. An unbalanced quote,
a stray ``OR`` or ``-``, an unknown ``name:`` or an unreadable filter value degrade to plain
text (or are dropped), never to an error.

Every chunk is normalized with the chain index time uses. A chunk the Zawgyi detector finds
ambiguous is searched in both readings (as typed, and converted from Zawgyi).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..analysis import normalize, normalize_text
from ..analysis.normalize import MYANMAR_RE
from ..analysis.terms import unified_analyzer
from ..analysis.zawgyi import AMBIGUOUS_LOW, zawgyi_probability, zawgyi_to_unicode

FILTER_NAMES = {
    "type": "type",
    "org": "org",
    "organization": "org",
    "lang": "lang",
    "language": "lang",
    "date": "date",
    "place": "place",
    "year": "year",
    "topic": "topic",
}
_QUOTES = '"\u201c\u201d\u201e'
_LEX_RE = re.compile(
    rf"(?P<neg>-)?(?P<name>[A-Za-z]+):(?:[{_QUOTES}](?P<fquoted>[^{_QUOTES}]*)[{_QUOTES}]"
    rf"|(?P<fvalue>[^\s{_QUOTES}]*))"
    rf"|(?P<pneg>-)?[{_QUOTES}](?P<phrase>[^{_QUOTES}]*)[{_QUOTES}]"
    r"|(?P<chunk>\S+)"
)
_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
#: Characters trimmed from a chunk's edges before a glossary lookup or a suggestion.
EDGE_PUNCT = "\"'“”‘’.,;:!?()[]{}<>«»။၊"


@dataclass(frozen=True)
class Unit:
    """Terms that must occur consecutively (one term: a plain term query).

    ``terms`` are unified terms (syllables, ASCII numbers, English stems); ``kinds`` their
    token kinds; ``text`` what the unit was made from, for display.
    """

    terms: tuple[str, ...]
    kinds: tuple[str, ...]
    text: str


@dataclass
class Any_:
    """At least one child must match (OR, readings, expansions)."""

    children: list[Node]


@dataclass
class All:
    """Every child must match."""

    children: list[Node]


Node = Unit | Any_ | All


@dataclass
class Chunk:
    """A bare chunk as typed: kept so expansion and suggestions can work on the text."""

    raw: str
    node: Node


@dataclass
class ParsedQuery:
    """The query tree: positive clauses (ANDed), exclusions, filters."""

    clauses: list[Node] = field(default_factory=list)
    #: For each clause, the bare chunk it came from (None for phrases and OR groups).
    chunks: list[Chunk | None] = field(default_factory=list)
    exclusions: list[Node] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    #: Date ranges as (start, end), either may be None.
    dates: list[tuple[str | None, str | None]] = field(default_factory=list)
    #: Term pairs where one bare chunk ends and the next begins: a document with them side
    #: by side ranks higher (Burmese typed with a space the document does not have).
    adjacent: list[tuple[str, str]] = field(default_factory=list)
    #: True when the text held something to search but nothing searchable (only
    #: punctuation): the query matches nothing rather than everything.
    nothing: bool = False

    def is_browse(self) -> bool:
        return not self.clauses and not self.nothing


_UNIFIED = unified_analyzer()
#: Latin words folded, not stemmed: as the index holds records in languages other than
#: English (``analysis.analyzers.UnstemmedText``).
_UNSTEMMED = unified_analyzer(stem=False)


def analyze_text(text: str, *, phrase: bool, stem: bool = True) -> tuple[list[str], list[str]]:
    """Unified terms and kinds of ``text``; bare text (``phrase=False``) drops stop words."""
    terms: list[str] = []
    kinds: list[str] = []
    for t in (_UNIFIED if stem else _UNSTEMMED)(text, mode="query", phrase=phrase):
        terms.append(t.text)
        kinds.append(t.kind)
    return terms, kinds


def make_unit(text: str, *, phrase: bool = True, stem: bool = True) -> Unit | None:
    """The unit of one reading of a chunk or phrase, or None when nothing is searchable."""
    terms, kinds = analyze_text(text, phrase=True, stem=stem)
    if not terms:
        return None
    if not phrase and len(terms) == 1 and not analyze_text(text, phrase=False)[0]:
        return None  # a bare stop word
    return Unit(tuple(terms), tuple(kinds), text)


def readings(raw: str, whole_is_zawgyi: bool) -> list[str]:
    """The normalized texts to search for one chunk: as typed, plus the Zawgyi reading when
    the detector cannot tell (or the whole query was Zawgyi)."""
    primary = normalize_text(raw)
    out = [primary]
    if MYANMAR_RE.search(raw):
        p = zawgyi_probability(raw)
        if whole_is_zawgyi or (p is not None and p >= AMBIGUOUS_LOW):
            alternative = normalize_text(zawgyi_to_unicode(raw))
            if alternative != primary:
                out.append(alternative)
    return out


def text_node(
    raw: str, whole_is_zawgyi: bool, *, phrase: bool, unstemmed: bool = True
) -> Node | None:
    units: list[Node] = []
    seen: set[tuple[str, ...]] = set()
    for reading in readings(raw, whole_is_zawgyi):
        # English words stemmed, and (where that differs and ``unstemmed``) unstemmed: the
        # words of a record in another language are indexed unstemmed
        # (``analysis.analyzers.UnstemmedText``).
        for stem in (True, False) if unstemmed else (True,):
            unit = make_unit(reading, phrase=phrase, stem=stem)
            if unit is not None and unit.terms not in seen:
                seen.add(unit.terms)
                units.append(unit)
    if not units:
        return None
    return units[0] if len(units) == 1 else Any_(units)


def parse_date_range(value: str) -> tuple[str | None, str | None] | None:
    """``2023-09..2023-11``, ``2023..``, ``..2023-06`` or one date; None when unreadable."""
    value = value.strip()
    if ".." in value:
        lo, _, hi = value.partition("..")
        lo, hi = lo.strip(), hi.strip()
        if (lo and not _DATE_RE.match(lo)) or (hi and not _DATE_RE.match(hi)) or not (lo or hi):
            return None
        if lo and hi and lo > hi:
            lo, hi = hi, lo
        return (lo or None, hi or None)
    if _DATE_RE.match(value):
        return (value, value)
    return None


def parse(q: str, *, unstemmed: bool = True) -> ParsedQuery:
    """Parse a query string. Never raises on any input. ``unstemmed=False`` leaves out the
    unstemmed reading of English words: for an index that holds no record in a language
    other than English and Burmese, where it could only cost look-ups (or match a stem by
    accident)."""
    parsed = ParsedQuery()
    whole_is_zawgyi = bool(MYANMAR_RE.search(q)) and normalize(q).converted_from_zawgyi
    pending_or = False
    last_was_chunk = False
    dropped_stops: list[str] = []
    had_text = False
    for m in _LEX_RE.finditer(q):
        name = m.group("name")
        if name is not None and name.lower() in FILTER_NAMES:
            value = m.group("fquoted") if m.group("fquoted") is not None else m.group("fvalue")
            value = (value or "").strip()
            pending_or = False
            if not value:
                continue
            key = FILTER_NAMES[name.lower()]
            if m.group("neg"):
                # An excluded filter value is searched as excluded text: "-type:news" is
                # rare enough that the text reading is a fair degradation.
                node = text_node(value, whole_is_zawgyi, phrase=True, unstemmed=unstemmed)
                if node is not None:
                    parsed.exclusions.append(node)
                continue
            if key == "date":
                rng = parse_date_range(value)
                if rng is not None:
                    parsed.dates.append(rng)
                continue
            parsed.filters.setdefault(key, []).append(value)
            continue
        if name is not None:
            # Not one of our filters (a URL, "Note:"): the whole match is text.
            text, negated, is_phrase = m.group(0), False, False
            if text.startswith("-"):
                text, negated = text[1:], True
        elif m.group("phrase") is not None:
            text, negated, is_phrase = m.group("phrase"), bool(m.group("pneg")), True
        else:
            text = m.group("chunk")
            if text == "OR":
                pending_or = bool(parsed.clauses)
                continue
            negated = text.startswith("-") and len(text) > 1
            if negated:
                text = text[1:]
            is_phrase = False
        node = text_node(text, whole_is_zawgyi, phrase=is_phrase or negated, unstemmed=unstemmed)
        if node is None:
            if not is_phrase and make_unit(text) is not None:
                dropped_stops.append(text)
            elif text.strip("-"):
                had_text = True
            pending_or = False
            continue
        if negated:
            parsed.exclusions.append(node)
            pending_or = False
            continue
        if pending_or:
            parsed.clauses[-1] = _or(parsed.clauses[-1], node)
            parsed.chunks[-1] = None
        else:
            previous = parsed.chunks[-1] if parsed.chunks and last_was_chunk else None
            if previous is not None and not is_phrase:
                left, right = units_of(previous.node)[0], units_of(node)[0]
                parsed.adjacent.append((left.terms[-1], right.terms[0]))
            parsed.clauses.append(node)
            parsed.chunks.append(None if is_phrase else Chunk(text, node))
        pending_or = False
        last_was_chunk = not is_phrase
    if not parsed.clauses and dropped_stops:
        # A query made only of stop words ("to be or not to be") searches them after all.
        for text in dropped_stops:
            unit = make_unit(normalize_text(text))
            if unit is not None:
                parsed.clauses.append(unit)
                parsed.chunks.append(Chunk(text, unit))
    if not parsed.clauses and had_text:
        parsed.nothing = True
    return parsed


def _or(left: Node, right: Node) -> Node:
    if isinstance(left, Any_):
        return Any_([*left.children, right])
    return Any_([left, right])


def units_of(node: Node) -> list[Unit]:
    """Every unit in a tree (highlighting marks them all)."""
    if isinstance(node, Unit):
        return [node]
    out: list[Unit] = []
    for child in node.children:
        out.extend(units_of(child))
    return out
