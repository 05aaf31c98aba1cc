"""The index: rebuild and atomic swap, incremental updates, versions, concurrent searches."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import (
    META,
    POINTER,
    SCHEMA_VERSION,
    BulkSegmentWriter,
    FastLengthsCodec,
    IndexUnavailable,
    IndexUpdater,
    build_schema,
    document,
    index_status,
    live_dir,
    rebuild,
    snapshot,
)
from reslib.index.codec import commit_segments
from reslib.index.schema import READABLE_SCHEMAS
from reslib.models import Record
from reslib.search import SearchRequest, search


def record(n: int, **changes: object) -> Record:
    base = Record(
        id=f"item-{n:03d}",
        type="report",
        title=f"Report {n} on Sagaing",
        language="en",
        date=f"2023-{n % 12 + 1:02d}-01",
        body=f"Villages in Sagaing were burned. Number {n}. စစ်ကောင်စီ တပ်များ ရွာကို မီးရှို့သည်။",
    )
    return base.with_changes(**changes)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path)
    Catalogue(h).init()
    return h


def indexed(home: Home) -> Catalogue:
    return Catalogue(home, listeners=[IndexUpdater(home)])


def total(home: Home, q: str) -> int:
    return search(home, SearchRequest(q=q)).total


def test_search_without_index_asks_for_reindex(home: Home) -> None:
    Catalogue(home).add(record(1))  # no listener: the index is never built
    with pytest.raises(IndexUnavailable, match="reslib reindex"):
        search(home, SearchRequest(q="Sagaing"))


def test_empty_library_without_index_has_no_results(home: Home) -> None:
    assert search(home, SearchRequest(q="Sagaing")).total == 0


def test_rebuild_indexes_library_and_swaps_pointer(home: Home) -> None:
    for n in range(3):
        Catalogue(home).add(record(n))
    report = rebuild(home)
    assert report.records == 3
    assert live_dir(home) == report.path
    assert (home.indexes / POINTER).read_text().strip() == report.path.name
    assert total(home, "Sagaing") == 3


def test_rebuild_keeps_previous_directory_and_removes_older(home: Home) -> None:
    Catalogue(home).add(record(1))
    first = rebuild(home).path
    second = rebuild(home).path
    third = rebuild(home).path
    assert not first.exists()
    assert second.exists() and third.exists()


def test_first_change_builds_the_index_from_the_whole_library(home: Home) -> None:
    Catalogue(home).add(record(1))
    indexed(home).add(record(2))
    assert total(home, "Sagaing") == 2


def test_save_edit_and_remove_update_the_index(home: Home) -> None:
    catalogue = indexed(home)
    catalogue.add(record(1))
    catalogue.add(record(2, title="Report on Magway"))
    assert total(home, "Magway") == 1
    catalogue.update("item-002", ["title=Report on Bago"])
    assert total(home, "Magway") == 0
    assert total(home, "Bago") == 1
    catalogue.remove("item-001")
    assert [r.id for r in search(home, SearchRequest(q="Sagaing")).results] == ["item-002"]


def test_linking_a_translation_updates_both_documents(home: Home) -> None:
    catalogue = indexed(home)
    catalogue.add(record(1))
    catalogue.add(record(2, language="my", translations=["item-001"]))
    response = search(home, SearchRequest(q="Sagaing"))
    assert response.total == 1
    assert len(response.results[0].translations) == 1


def test_index_built_by_older_analysis_is_detected(home: Home) -> None:
    indexed(home).add(record(1))
    path = live_dir(home)
    assert path is not None
    meta = json.loads((path / META).read_text())
    meta["analysis_version"] = meta["analysis_version"] - 1
    (path / META).write_text(json.dumps(meta))
    with pytest.raises(IndexUnavailable, match=r"older version.*reslib reindex"):
        search(home, SearchRequest(q="Sagaing"))
    assert index_status(home)["usable"] is False
    rebuild(home)
    assert total(home, "Sagaing") == 1


def test_stale_index_is_not_updated_incrementally(home: Home) -> None:
    catalogue = indexed(home)
    catalogue.add(record(1))
    path = live_dir(home)
    assert path is not None
    (path / META).write_text(json.dumps({"analysis_version": 0, "schema_version": 1}))
    catalogue.add(record(2))  # must not raise, must not write into the stale index
    rebuild(home)
    assert total(home, "Sagaing") == 2


def test_searcher_reopens_when_generation_changes(home: Home) -> None:
    catalogue = indexed(home)
    catalogue.add(record(1))
    before = snapshot(home)
    catalogue.add(record(2))
    after = snapshot(home)
    assert after.key != before.key
    assert after.searcher.doc_count() == 2


def test_rebuild_while_searching_in_another_thread(home: Home) -> None:
    catalogue = indexed(home)
    for n in range(20):
        catalogue.add(record(n))
    errors: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def searching() -> None:
        while not stop.is_set():
            try:
                totals.append(total(home, "Sagaing ရွာ"))
            except BaseException as exc:  # the test reports any error, of any kind
                errors.append(exc)
                return

    thread = threading.Thread(target=searching)
    thread.start()
    try:
        for _ in range(5):
            rebuild(home)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert totals and set(totals) == {20}


def test_record_changed_during_rebuild_is_caught_up(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = indexed(home)
    catalogue.add(record(1))
    import reslib.index.build as build_module

    original = build_module.write_meta

    def save_meanwhile(path: Path, records: int) -> None:
        original(path, records)
        # A librarian saves a record after the build read the library, before the swap.
        catalogue.add(record(2, title="Report on Magway"))

    monkeypatch.setattr(build_module, "write_meta", save_meanwhile)
    report = rebuild(home)
    assert report.caught_up == 1
    assert total(home, "Magway") == 1


def test_batch_commits_once_at_the_end(home: Home) -> None:
    catalogue = indexed(home)
    catalogue.add(record(0))
    path = live_dir(home)
    assert path is not None
    before = snapshot(home).key
    with catalogue.batch():
        for n in range(1, 6):
            catalogue.add(record(n))
        # Nothing is committed until the batch ends.
        assert snapshot(home).key == before
    assert total(home, "Sagaing") == 6
    with catalogue.batch():
        catalogue.remove("item-001")
    assert total(home, "Sagaing") == 5


@pytest.mark.parametrize("schema", [min(READABLE_SCHEMAS) - 1, SCHEMA_VERSION + 1, None])
def test_index_of_a_schema_this_code_does_not_read_is_detected(
    home: Home, schema: int | None
) -> None:
    indexed(home).add(record(1))
    path = live_dir(home)
    assert path is not None
    meta = json.loads((path / META).read_text())
    meta["schema_version"] = schema
    (path / META).write_text(json.dumps(meta))
    with pytest.raises(IndexUnavailable, match="reslib reindex"):
        search(home, SearchRequest(q="Sagaing"))


def test_stream_fields_index_the_terms_their_analyzers_give(home: Home) -> None:
    # Indexing derives every text field from one analysis pass: it must give exactly the
    # terms (and bigram positions) the fields' analyzers give, or queries would miss.
    text = (
        "The villagers' houses in Sagaing-based camps, 2023 and ၂၀၂၃. "
        "စစ်ကောင်စီ တပ်များ ရွာကို မီးရှို့သည်။ Café résumé ၁၀ ခု"
    )
    schema = build_schema()
    for name in ("syllables", "english", "bigrams", "title_terms", "org_terms"):
        field = schema[name]
        expected: dict[str, list[int]] = {}
        for t in field.analyzer(text, positions=True):
            expected.setdefault(t.text, []).append(t.pos)
        got = {w.decode("utf-8"): freq for w, freq, _, _ in field.index(text)}
        assert got == {w: len(p) for w, p in expected.items()}, name
        if name == "bigrams":
            positions = {
                w.decode("utf-8"): field.format.decode_positions(v)
                for w, _, _, v in field.index(text)
            }
            assert positions == expected


def test_rebuild_in_several_segments_indexes_every_record(home: Home) -> None:
    for n in range(7):
        Catalogue(home).add(record(n))
    report = rebuild(home, segment_records=2)
    assert report.records == 7
    assert snapshot(home).searcher.doc_count() == 7
    assert total(home, "Sagaing") == 7
    assert total(home, '"villages in sagaing"') == 7


def _postings(path: Path, blocks: bool = True) -> dict[tuple[str, bytes], list[tuple[object, ...]]]:
    """Every posting of an index by record id, with its block's statistics if ``blocks``."""
    ix = FileStorage(str(path)).open_index()
    out: dict[tuple[str, bytes], list[tuple[object, ...]]] = {}
    with ix.reader() as top:
        for reader, _ in top.leaf_readers():
            ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
            for fieldname, term in reader.all_terms():
                m = reader.postings(fieldname, term)
                while m.is_active():
                    row: tuple[object, ...] = (ids[m.id()], m.weight(), m.value())
                    if blocks:
                        row += (m.block_max_weight(), m.block_min_length(), m.block_max_length())
                    out.setdefault((fieldname, term), []).append(row)
                    m.next()
    return {key: sorted(rows, key=str) for key, rows in out.items()}


def test_bulk_segment_writer_writes_what_whoosh_writer_writes(home: Home, tmp_path: Path) -> None:
    # More postings than one block (128) for the common terms, and field lengths that the
    # length byte rounds.
    records = [
        record(
            n,
            title=f"ကရင်လူမျိုး ရွာ {n}" if n % 3 else f"Report {n}",
            body=f"Villages in Sagaing were burned. {'word ' * (n * 7)} ရွာ {n}",
        )
        for n in range(300)
    ]
    whoosh_dir, bulk_dir = tmp_path / "whoosh", tmp_path / "bulk"
    for path in (whoosh_dir, bulk_dir):
        path.mkdir()
        FileStorage(str(path)).create_index(build_schema())
    with FileStorage(str(whoosh_dir)).open_index().writer() as writer:
        for r in records:
            writer.add_document(**document(r))
    ix = FileStorage(str(bulk_dir)).open_index()
    bulk = BulkSegmentWriter(ix, codec=FastLengthsCodec())
    for r in records:
        bulk.add_document(**document(r))
    commit_segments(ix.writer(), [bulk.finish()])
    assert _postings(bulk_dir) == _postings(whoosh_dir)


def test_parallel_rebuild_indexes_what_a_single_process_rebuild_does(home: Home) -> None:
    catalogue = Catalogue(home)
    for n in range(250):
        catalogue.add(record(n))
    one = rebuild(home)
    one_postings = _postings(one.path, blocks=False)
    progress: list[tuple[int, int]] = []
    several = rebuild(home, procs=2, segment_records=60, progress=lambda *a: progress.append(a))
    assert several.records == 250
    assert progress[-1] == (250, 250)
    assert len(FileStorage(str(several.path)).open_index()._segments()) == 6
    assert _postings(several.path, blocks=False) == one_postings
    assert total(home, '"villages in sagaing"') == 250


def test_spelling_lexicon_follows_rebuilds_and_updates(home: Home) -> None:
    catalogue = indexed(home)
    catalogue.add(record(1))
    assert search(home, SearchRequest(q="Sagiang")).did_you_mean == "sagaing"
    catalogue.add(record(2, title="Report on Magway"))
    assert search(home, SearchRequest(q="Magwya")).did_you_mean == "magway"
    rebuild(home)
    assert search(home, SearchRequest(q="Magwya")).did_you_mean == "magway"
    assert search(home, SearchRequest(q="Magway")).did_you_mean is None
