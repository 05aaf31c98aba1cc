"""The one Whoosh release reslib runs on, checked at run time, and the internals it uses.

reslib reads and writes Whoosh's files partly through Whoosh's private members, for speed:
posting blocks decoded whole, length columns read at once, segments written a term at a
time (``reslib.index.postings`` and ``reslib.index.codec``, the only two modules that may).
Private members change without notice between releases, so reslib refuses to open or build
an index with any Whoosh but ``WHOOSH_VERSION`` installed (``require_whoosh``, called by
``reslib.index.layout.storage``), rather than risk wrong answers.

A check anyone can run::

    python -m reslib.index.compat     # the installed Whoosh and the private names in use

``PRIVATE_NAMES`` is kept exact by ``tests/test_whoosh_private.py``, which also fails when
any other module uses a private Whoosh member.
"""

from __future__ import annotations

import whoosh

from ..errors import ReslibError

#: The Whoosh release reslib is written against (pyproject pins it).
WHOOSH_VERSION = (2, 7, 4)

#: Whoosh's private names each module uses: attributes read or set, methods called or
#: overridden, names imported.
PRIVATE_NAMES: dict[str, tuple[str, ...]] = {
    # Posting blocks (W3LeafMatcher), list matchers, the deleted-documents filter, the
    # per-document reader of a segment reader.
    "reslib.index.postings": (
        "_all_weights",
        "_byteids",
        "_data",
        "_exclude",
        "_i",
        "_ids",
        "_next_block",
        "_perdoc",
        "_read_data",
        "_read_values",
        "_read_weights",
        "_scorer",
        "_values",
        "_weights",
    ),
    # Length columns, posting block headers and writing, the codec's settings, and the
    # segment writer's steps that Whoosh's multiprocessing writer also calls.
    "reslib.index.codec": (
        "_INT_SIZE",
        "_added",
        "_baseoffset",
        "_blockcount",
        "_blocklength",
        "_blocklimit",
        "_byteids",
        "_check_state",
        "_close_segment",
        "_colfiles",
        "_commit_toc",
        "_compression",
        "_data",
        "_dataoffset",
        "_finalize_segment",
        "_finish",
        "_fixedsize",
        "_flush_segment",
        "_format",
        "_goto",
        "_i",
        "_ids",
        "_inlinelimit",
        "_lastblock",
        "_lenfield",
        "_lk",
        "_maxid",
        "_maxlength",
        "_maxweight",
        "_minlength",
        "_new_block",
        "_nextoffset",
        "_postfile",
        "_postwriter",
        "_read_data",
        "_read_header",
        "_read_ids",
        "_read_values",
        "_read_weights",
        "_startoffset",
        "_terminfo",
        "_values",
        "_weights",
        "_write_block",
    ),
}


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


def installed_whoosh() -> tuple[int, ...]:
    return tuple(whoosh.__version__)


def require_whoosh() -> None:
    """Raise ReslibError unless the installed Whoosh is ``WHOOSH_VERSION``."""
    installed = installed_whoosh()
    if installed != WHOOSH_VERSION:
        raise ReslibError(
            f"reslib needs Whoosh {_dotted(WHOOSH_VERSION)} (it reads the index through "
            f"internals of that release), but Whoosh {_dotted(installed)} is installed: "
            f"run 'pip install Whoosh=={_dotted(WHOOSH_VERSION)}'"
        )


def report() -> str:
    """The installed Whoosh, whether reslib accepts it, and the private names in use."""
    installed = installed_whoosh()
    verdict = "ok" if installed == WHOOSH_VERSION else f"NOT {_dotted(WHOOSH_VERSION)}"
    lines = [f"whoosh {_dotted(installed)} ({verdict})"]
    for module, names in PRIVATE_NAMES.items():
        lines.append(f"{module}: {len(names)} private names")
        lines.extend(f"  {name}" for name in names)
    return "\n".join(lines)


def main() -> int:
    print(report())
    return 0 if installed_whoosh() == WHOOSH_VERSION else 1


if __name__ == "__main__":
    raise SystemExit(main())
