"""Indexes written by older versions still open and answer as they did (tantivy's compat_tests).

``compat_data/schema6`` is a library root whose index was written by the code that introduced
schema 6 (packed posting blocks) with ``compat_data/make_compat_index.py``, along with what
that code answered (``expected.json``). ``compat_data/schema5`` was written the same way by
the code that introduced schema 5 (the word spans of issue 13, Whoosh's pickled posting
blocks): today's code still reads it, answers as that code did, and adds segments to it in
its own block format, so the reslib that built it (a replica not yet upgraded) can still read
it. ``compat_data/schema4`` was written by commit efef798 (schema 4, analysis 1): today's
code must refuse it with the "run reslib reindex" message. Whoosh pickles the schema (its
field types, analyzers and position format) and each segment's codec into the index's table
of contents, so a class moved without an alias at its old path makes every built index
unreadable; these tests fail first. When ``SCHEMA_VERSION`` or ``ANALYSIS_VERSION`` changes on
purpose, add a ``compat_data`` folder written by the new version, and keep the old ones: read
(``schema.READABLE_SCHEMAS``) or refused with the "run reslib reindex" message.
"""

from __future__ import annotations

import importlib
import io
import json
import pickle
import shutil
import zlib
from pathlib import Path
from typing import Any

import pytest
from whoosh.filedb.filestore import FileStorage

from reslib.analysis import ANALYSIS_VERSION
from reslib.config import Home
from reslib.index import (
    META,
    SCHEMA_VERSION,
    IndexUnavailable,
    IndexUpdater,
    check_versions,
    index_status,
    live_dir,
)
from reslib.index import codec as codec_module
from reslib.index.schema import READABLE_SCHEMAS
from reslib.models import Record
from reslib.search import SearchRequest, search

COMPAT = Path(__file__).parent / "compat_data"
#: Written by schema 6 / analysis 2: this code's versions.
DATA = COMPAT / "schema6"
#: Written by schema 5 / analysis 2 (pickled posting blocks): read and updated as it is.
READABLE = COMPAT / "schema5"
#: Written by schema 4 / analysis 1: refused since schema 5.
OLDER = COMPAT / "schema4"


@pytest.fixture(params=[DATA, READABLE], ids=["schema6", "schema5"])
def old_home(tmp_path: Path, request: pytest.FixtureRequest) -> Home:
    """A copy of a committed library root (searching and updating may write to it)."""
    shutil.copytree(request.param, tmp_path / "home")
    return Home(tmp_path / "home")


def answer(home: Home, q: str) -> dict[str, Any]:
    """What ``make_compat_index.answer`` recorded, asked of today's code."""
    response = search(home, SearchRequest(q=q)).to_dict()
    return {
        "total": response["total"],
        "results": [
            [r["id"], r["score"], [t["id"] for t in r["translations"]]] for r in response["results"]
        ],
        "facets": {
            name: [[c["value"], c["count"]] for c in counts]
            for name, counts in response["facets"].items()
        },
        "did_you_mean": response["did_you_mean"],
    }


EXPECTED: dict[str, dict[str, Any]] = json.loads((DATA / "expected.json").read_text("utf-8"))
#: What the schema 5 code answered: the same (packing the blocks changed no score).
EXPECTED_5: dict[str, dict[str, Any]] = json.loads((READABLE / "expected.json").read_text("utf-8"))


def _schema(home: Home) -> int:
    path = live_dir(home)
    assert path is not None
    meta = json.loads((path / META).read_text("utf-8"))
    assert meta["analysis_version"] == ANALYSIS_VERSION
    return int(meta["schema_version"])


def test_the_newest_old_index_is_of_the_current_versions() -> None:
    meta = json.loads(next((DATA / "indexes").glob("ix-*/" + META)).read_text("utf-8"))
    assert (meta["analysis_version"], meta["schema_version"]) == (
        ANALYSIS_VERSION,
        SCHEMA_VERSION,
    ), "a version changed: add a compat_data folder for it (see this module's docstring)"
    assert EXPECTED == EXPECTED_5


def test_the_old_indexes_are_usable(old_home: Home) -> None:
    path = live_dir(old_home)
    assert path is not None
    assert _schema(old_home) in READABLE_SCHEMAS
    check_versions(path)
    status = index_status(old_home)
    assert status["usable"] and status["documents"] == 4


def _toc_pickles(path: Path) -> list[bytes]:
    """The two pickles of a Whoosh 2.7 table of contents: the schema and the segments."""
    toc = max(path.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1]))
    stream = FileStorage(str(path)).open_file(toc.name)
    try:
        for _ in range(3):  # int, long and float sizes
            stream.read_varint()
        stream.read_int()  # the byte-order check
        stream.read_int()  # the TOC version
        for _ in range(3):  # the Whoosh release
            stream.read_varint()
        schema = stream.read_string()
        stream.read_int()  # generation
        stream.read_int()  # unused
        segments = stream.read()
    finally:
        stream.close()
    return [schema, segments]


class _Recording(pickle.Unpickler):
    def __init__(self, data: bytes, seen: set[tuple[str, str]]) -> None:
        super().__init__(io.BytesIO(data))
        self.seen = seen

    def find_class(self, module: str, name: str) -> Any:
        self.seen.add((module, name))
        return super().find_class(module, name)


def test_every_class_the_old_index_pickled_is_importable_at_its_old_path(
    old_home: Home,
) -> None:
    path = live_dir(old_home)
    assert path is not None
    seen: set[tuple[str, str]] = set()
    for data in _toc_pickles(path):
        try:
            _Recording(data, seen).load()
        except (ImportError, AttributeError) as exc:
            pytest.fail(f"the old index names a class that moved without an alias: {exc}")
    # The classes that are ours, so this test guards what a refactoring may move.
    ours = {(m, n) for m, n in seen if m.startswith("reslib")}
    # (schema 4 pickled the codec as ``reslib.index.FastLengthsCodec``, which still imports.)
    assert ("reslib.index.codec", "FastLengthsCodec") in ours
    assert ("reslib.analysis.boundaries", "WordSpanTokenizer") in ours
    assert ("reslib.analysis.terms", "StreamText") in ours
    assert ("reslib.analysis.terms", "PackedPositions") in ours
    assert ("reslib.analysis.terms", "BigramFilter") in ours
    for module, name in ours:
        assert getattr(importlib.import_module(module), name) is not None


@pytest.mark.parametrize("q", list(EXPECTED))
def test_the_old_index_answers_as_it_did_when_it_was_written(old_home: Home, q: str) -> None:
    want = EXPECTED[q]
    got = answer(old_home, q)
    assert [r[0] for r in got["results"]] == [r[0] for r in want["results"]]
    assert [r[1] for r in got["results"]] == pytest.approx(
        [r[1] for r in want["results"]], abs=2e-4
    )
    assert got == {**want, "results": got["results"]}
    assert [r[2] for r in got["results"]] == [r[2] for r in want["results"]]


def test_the_old_index_still_answers_something(old_home: Home) -> None:
    # The expectations above would also hold for an index that lost everything if they
    # were empty: make sure the committed answers have substance.
    assert EXPECTED["sagaing"]["total"] == 1
    assert EXPECTED["ရွာ မီးရှို့"]["total"] == 2
    assert EXPECTED["sagiang"]["did_you_mean"] == "sagaing"
    assert EXPECTED["removed"]["total"] == 0


def magway(repeat: int = 1) -> Record:
    """A record none of the committed libraries holds (its body ``repeat`` times)."""
    return Record(
        id="2024-02-01-magway-report",
        type="report",
        title="Villages burned in Magway",
        language="en",
        date="2024-02-01",
        body=" ".join(["The military burned villages in Magway Region."] * repeat),
    )


def test_the_old_index_takes_incremental_updates_from_today_code(old_home: Home) -> None:
    updater = IndexUpdater(old_home)
    updater.record_saved(magway())
    updater.record_removed("2024-01-10-kachin-news")
    assert answer(old_home, "magway")["results"][0][0] == "2024-02-01-magway-report"
    assert answer(old_home, '"burned villages"')["total"] == 2
    assert answer(old_home, "ကချင်ပြည်နယ်")["total"] == 0
    sagaing = answer(old_home, "sagaing")["results"]
    assert [r[0] for r in sagaing] == ["2023-09-15-sagaing-villages-burned"]


def _as_whoosh_reads_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decode posting blocks with Whoosh's own methods only, as reslib before schema 6 did:
    a packed block fails to unpickle."""
    stock = codec_module.W3LeafMatcher
    for name in ("_read_data", "_read_ids", "_read_weights", "_read_values"):
        monkeypatch.setattr(codec_module.OneReadLeafMatcher, name, getattr(stock, name))


def test_a_schema_5_index_updated_today_is_still_read_by_the_code_that_built_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(READABLE, tmp_path / "home")
    home = Home(tmp_path / "home")
    IndexUpdater(home).record_saved(magway(repeat=30))
    assert _schema(home) == 5
    _as_whoosh_reads_blocks(monkeypatch)
    assert answer(home, "magway")["results"][0][0] == "2024-02-01-magway-report"
    assert answer(home, '"burned villages"')["total"] == 2


def test_the_stock_block_reader_fails_on_packed_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check above can fail: the same reading of a schema 6 index breaks.
    shutil.copytree(DATA, tmp_path / "home")
    home = Home(tmp_path / "home")
    _as_whoosh_reads_blocks(monkeypatch)
    with pytest.raises((pickle.UnpicklingError, zlib.error)):
        answer(home, "sagaing")


@pytest.mark.parametrize("schema", [min(READABLE_SCHEMAS) - 1, SCHEMA_VERSION + 1])
def test_an_index_of_a_schema_not_read_is_refused_with_the_reindex_message(
    old_home: Home, schema: int
) -> None:
    path = live_dir(old_home)
    assert path is not None
    meta = json.loads((path / META).read_text("utf-8"))
    meta["schema_version"] = schema
    (path / META).write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexUnavailable, match="reslib reindex"):
        search(old_home, SearchRequest(q="sagaing"))


def test_an_index_written_before_the_word_spans_is_refused_with_the_reindex_message(
    tmp_path: Path,
) -> None:
    shutil.copytree(OLDER, tmp_path / "home")
    home = Home(tmp_path / "home")
    path = live_dir(home)
    assert path is not None
    meta = json.loads((path / META).read_text("utf-8"))
    assert (meta["analysis_version"], meta["schema_version"]) == (1, 4)
    assert not index_status(home)["usable"]
    with pytest.raises(IndexUnavailable, match="reslib reindex"):
        search(home, SearchRequest(q="sagaing"))
