"""The seam to Whoosh's internals: only ``index/postings.py`` and ``index/codec.py`` use them.

reslib reads Whoosh's files partly through private members of Whoosh 2.7.4. Every use must sit
in those two modules, be listed in ``reslib.index.compat.PRIVATE_NAMES`` (so upgrading Whoosh
means reading two modules against one list), and run only on the pinned release.

A private Whoosh name is any ``_name`` that occurs in Whoosh's own source. A module *uses*
one when it imports it from a Whoosh module, reads or sets it on any object other than
``self`` (a matcher, a reader, a writer…), passes it as a keyword (``_lk=False``), or, in a
class derived from a Whoosh class, touches or overrides it on ``self``.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import whoosh

import reslib
from reslib.config import Home
from reslib.errors import ReslibError
from reslib.index import compat
from reslib.search import SearchRequest, search

SRC = Path(reslib.__file__).resolve().parent
#: The only modules allowed to use Whoosh's private members.
SEAM = {"index/postings.py": "reslib.index.postings", "index/codec.py": "reslib.index.codec"}


@cache
def whoosh_private_names() -> frozenset[str]:
    names: set[str] = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        text = path.read_text("utf-8", errors="replace")
        names.update(re.findall(r"\b(_[A-Za-z][A-Za-z0-9_]*)", text))
    return frozenset(n for n in names if not n.endswith("__"))


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _Uses(ast.NodeVisitor):
    """The private Whoosh names a module uses, with the first line using each."""

    def __init__(self, strict: bool) -> None:
        self.private = whoosh_private_names()
        #: Check attribute access on objects other than ``self`` (modules that may hold
        #: Whoosh objects: those importing Whoosh, and everything in index/ and search/).
        self.strict = strict
        self.whoosh_names: set[str] = set()
        self.in_whoosh_class: list[bool] = [False]
        self.found: dict[str, int] = {}

    def _use(self, name: str, node: ast.AST) -> None:
        self.found.setdefault(name, getattr(node, "lineno", 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] == "whoosh":
                self.whoosh_names.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if (node.module or "").split(".")[0] != "whoosh":
            return
        for alias in node.names:
            self.whoosh_names.add(alias.asname or alias.name)
            if alias.name.startswith("_"):
                self._use(alias.name, node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        derived = any(_root(base) in self.whoosh_names for base in node.bases)
        self.in_whoosh_class.append(derived)
        self.generic_visit(node)
        self.in_whoosh_class.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if self.in_whoosh_class[-1] and node.name in self.private:
            self._use(node.name, node)  # overrides a private method
        self.generic_visit(node)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg is not None and node.arg in self.private:
            self._use(node.arg, node)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = node.attr
        if name in self.private:
            value = node.value
            on_self = isinstance(value, ast.Name) and value.id in ("self", "cls")
            on_super = (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id == "super"
            )
            if on_self or on_super:
                if self.in_whoosh_class[-1]:
                    self._use(name, node)
            elif self.strict:
                self._use(name, node)
        self.generic_visit(node)


def uses(path: Path) -> dict[str, int]:
    text = path.read_text("utf-8")
    relative = path.relative_to(SRC).as_posix()
    strict = "whoosh" in text or relative.startswith(("index/", "search/"))
    visitor = _Uses(strict)
    visitor.visit(ast.parse(text))
    return visitor.found


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_but_postings_and_codec_uses_a_private_whoosh_member() -> None:
    offenders = {
        f"{path.relative_to(SRC).as_posix()}:{line}: {name}"
        for path in modules()
        if path.relative_to(SRC).as_posix() not in SEAM
        for name, line in uses(path).items()
    }
    assert not offenders, (
        "private Whoosh members outside reslib.index.postings and reslib.index.codec "
        "(move the use behind their API): " + ", ".join(sorted(offenders))
    )


@pytest.mark.parametrize("relative", sorted(SEAM))
def test_compat_lists_exactly_the_private_names_the_seam_uses(relative: str) -> None:
    found = set(uses(SRC / relative))
    listed = set(compat.PRIVATE_NAMES[SEAM[relative]])
    assert found, "the scan found nothing: it would not notice a use elsewhere either"
    assert found - listed == set(), f"used but not listed in compat.PRIVATE_NAMES: {found - listed}"
    assert listed - found == set(), f"listed in compat.PRIVATE_NAMES, not used: {listed - found}"
    assert list(compat.PRIVATE_NAMES[SEAM[relative]]) == sorted(listed)


def test_the_scan_sees_each_kind_of_use(tmp_path: Path) -> None:
    sample = """
from whoosh.system import _INT_SIZE
from whoosh.matching import ListMatcher
from whoosh import query as wq

class Ours:
    def _goto(self):
        return self._ids

class Theirs(ListMatcher):
    def _goto(self):
        return self._ids, super()._read_data()

def read(m, writer, make):
    make(_lk=False)
    return m._postfile, writer.segments
"""
    visitor = _Uses(strict=True)
    visitor.visit(ast.parse(sample))
    assert set(visitor.found) == {"_INT_SIZE", "_goto", "_ids", "_read_data", "_lk", "_postfile"}
    assert visitor.found["_goto"] == 11  # the override in Theirs, not Ours' own method


def test_python_m_compat_prints_the_version_and_the_private_names() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reslib.index.compat"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("whoosh 2.7.4 (ok)\n")
    for names in compat.PRIVATE_NAMES.values():
        for name in names:
            assert f"  {name}\n" in done.stdout + "\n"


def test_another_whoosh_release_is_refused_with_both_versions_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compat, "installed_whoosh", lambda: (2, 7, 5))
    with pytest.raises(ReslibError, match=r"needs Whoosh 2\.7\.4.*Whoosh 2\.7\.5 is installed"):
        compat.require_whoosh()
    assert "NOT 2.7.4" in compat.report()
    # Where it matters: opening an index to search it.
    home = Home(tmp_path)
    home.indexes.mkdir(parents=True)
    (home.indexes / "ix-1").mkdir()
    (home.indexes / "CURRENT").write_text("ix-1\n")
    from reslib.index.layout import write_meta

    write_meta(home.indexes / "ix-1", 0)
    with pytest.raises(ReslibError, match=r"Whoosh 2\.7\.5 is installed"):
        search(home, SearchRequest(q="sagaing"))
