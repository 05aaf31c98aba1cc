"""The grammar of an author line: "By A, B, C and D" read into organization names.

An author line lists organizations the way English lists anything: commas between the items
and "and" before the last one. Organization names contain "and" too ("Asia Justice and
Rights", "Burma Affairs and Conflict Study"), so a line is read by these rules, in order:

1. A known name is never cut: the longest run of pieces that the authority file knows (its
   preferred name, an alias, an acronym, a Burmese name) is one name, and a collective author
   ("661 Civil Society Organizations") is one name.
2. Next to a known name, a separator always separates: a name ends where a known one begins.
3. A line with commas splits on its commas and on its final "and" only (the "and" after the
   last comma; none after an Oxford ", and"): every other "and" is inside a name.
4. A line with no comma and one "and" is "A and B": it splits there.
5. A line with no comma and several "and"s cannot be read by grammar ("A and B and C" may be
   one, two or three names): it splits only where rule 2 says so; what is left is kept whole
   and returned in ``to_check`` so the import can ask the librarian to look at it.

A one-word acronym counts as known only as the authority file spells it or in capitals:
"Two" in a line is not the Ta'ang Women's Organization (``TWO``).

Everything here is pure: ``known`` (a name to its preferred form, or None) comes from the
authority file (``Organizations.read_author_line``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

#: A list separator (comma or semicolon, with an "and" after it in an Oxford list), or "and".
_SEPARATOR_RE = re.compile(r"\s*[,;]\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+", re.IGNORECASE)
_BY_RE = re.compile(r"^\s*by(?::|\s|$)\s*", re.IGNORECASE)
_COLLECTIVE_RE = re.compile(
    r"^\d[\d,]*\+?\s+[^,;]*\b(organi[sz]ations|groups|networks|CSOs|CBOs|signatories|parties|"
    r"unions|members|individuals|communities|movements)$",
    re.IGNORECASE,
)
#: The most parts a known name spans: bounds the look-ups on a line of hundreds of names.
MAX_NAME_PARTS = 12
#: A collective author never runs into the next number: "661 CSOs and 20 individuals" is two.
_NEXT_NUMBER_RE = re.compile(r"\s(?:and|&)\s+\d", re.IGNORECASE)


@dataclass
class AuthorLine:
    """What an author line names: ``names`` in order (preferred forms where known), and
    ``to_check``, those of them kept whole only because the grammar could not tell (rule 5)."""

    names: list[str] = field(default_factory=list)
    to_check: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Separator:
    text: str

    @property
    def is_list(self) -> bool:
        return "," in self.text or ";" in self.text

    @property
    def is_oxford(self) -> bool:
        """A comma with its "and": the list's last item follows, whole."""
        return self.is_list and bool(re.search(r"(and|&)\s*$", self.text, re.IGNORECASE))


def tidy(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


def collective(text: str) -> str | None:
    """``text`` tidied when it names a group of authors by their number, else None."""
    text = tidy(text)
    if _COLLECTIVE_RE.match(text) and not _NEXT_NUMBER_RE.search(text):
        return text
    return None


def read_author_line(line: str, known: Callable[[str], str | None]) -> AuthorLine:
    """The organizations ``line`` names, by the rules in the module docstring."""
    line = _BY_RE.sub("", line.strip()).strip()
    if not line:
        return AuthorLine()
    whole = known(line) or collective(line)
    if whole:
        return AuthorLine([whole])
    parts, separators = _split_outside_parentheses(line)
    spans = _known_spans(parts, separators, known)
    cuts = _cuts(spans, separators)
    out = AuthorLine()
    several_ands = not any(s.is_list for s in separators) and len(separators) > 1
    start = 0
    for k in [*cuts, len(parts) - 1]:
        name = spans.get((start, k))
        if name is None:
            name = _join(parts, separators, start, k)
            if several_ands and k > start:
                out.to_check.append(name)
        if name and name not in out.names:
            out.names.append(name)
        start = k + 1
    out.to_check = list(dict.fromkeys(out.to_check))
    return out


def _join(parts: list[str], separators: list[_Separator], i: int, j: int) -> str:
    text = parts[i]
    for k in range(i, j):
        text += separators[k].text + parts[k + 1]
    return tidy(text)


def _known_spans(
    parts: list[str], separators: list[_Separator], known: Callable[[str], str | None]
) -> dict[tuple[int, int], str]:
    """(first, last) part of every known name in the line, longest first from the left."""
    spans: dict[tuple[int, int], str] = {}
    i = 0
    while i < len(parts):
        for j in range(min(len(parts), i + MAX_NAME_PARTS) - 1, i - 1, -1):
            text = _join(parts, separators, i, j)
            name = known(text) or collective(text)
            if name:
                spans[(i, j)] = name
                i = j
                break
        i += 1
    return spans


def _cuts(spans: dict[tuple[int, int], str], separators: list[_Separator]) -> list[int]:
    """The separators (by the index of the part before them) that separate two names."""
    inside: set[int] = set()
    edges: set[int] = set()
    for i, j in spans:
        inside.update(range(i, j))
        edges.update({i - 1, j})
    free = [k for k in range(len(separators)) if k not in inside]
    lists = [k for k in free if separators[k].is_list]
    final_and: int | None = None
    if lists and not separators[lists[-1]].is_oxford:
        after = [k for k in free if k > lists[-1]]
        final_and = after[-1] if after else None
    elif not lists and len(separators) == 1:
        final_and = free[0] if free else None
    return [k for k in free if k in edges or separators[k].is_list or k == final_and]


def _split_outside_parentheses(line: str) -> tuple[list[str], list[_Separator]]:
    """The line's parts and the separators between them, never splitting inside (...)."""
    parts: list[str] = []
    separators: list[_Separator] = []
    depth = last = pos = 0
    while pos < len(line):
        ch = line[pos]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _SEPARATOR_RE.match(line, pos)
            if m and m.end() > pos:
                parts.append(line[last:pos])
                separators.append(_Separator(m.group()))
                pos = last = m.end()
                continue
        pos += 1
    parts.append(line[last:])
    return parts, separators


__all__ = ["AuthorLine", "collective", "read_author_line", "tidy"]
