"""The postings cursor reads what Whoosh's matchers read, on every path it has.

Block postings (terms with more postings than a block holds, in segments with deleted
documents), postings Whoosh inlined in its term index (a term with one posting in a
segment), any other matcher, field lengths without ``LengthsInMemory`` (segments written by
Whoosh's stock codec), and a weighting the evaluator has no fast path for.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from records import random_record
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import FileStorage
from whoosh.matching import ListMatcher
from whoosh_reference import whoosh_scores

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater, build_schema, document, open_live, rebuild, snapshot
from reslib.index.codec import FastLengthsCodec, LengthsInMemory
from reslib.index.postings import (
    BlockPostings,
    ListedPostings,
    blocks_holding,
    field_lengths,
    matcher_scores,
    open_postings,
    read_all,
    read_all_joined,
)
from reslib.models import Record
from reslib.search import evaluate as evaluate_module
from reslib.search.compile import text_query
from reslib.search.evaluate import evaluate
from reslib.search.parse import parse
from reslib.search.scoring import term_scores

QUERIES = [
    "sagaing",
    "military villages",
    '"junta arrested teachers"',
    "ရွာကို မီးရှို့",
    "forest -loikaw",
]
WORDS = [
    "military",
    "villages",
    "burned",
    "sagaing",
    "junta",
    "arrested",
    "teachers",
    "loikaw",
    "forest",
    "fled",
]


def _record(n: int, rng: random.Random) -> Record:
    return random_record(n, rng, WORDS, burmese="ရွာကို မီးရှို့ခဲ့သည်")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """260 records in two segments of 130 (common terms span two blocks of up to 128),
    then edits and a removal through the updater: deleted documents, small segments."""
    rng = random.Random(5)
    h = Home(tmp_path_factory.mktemp("postings"))
    catalogue = Catalogue(h)
    catalogue.init()
    for n in range(260):
        catalogue.add(_record(n, rng))
    rebuild(h, segment_records=130)
    indexed = Catalogue(h, listeners=[IndexUpdater(h)])
    indexed.update("d007", ["body=Rewritten: the junta arrested teachers in Loikaw."])
    indexed.update("d140", ["title=Corrected report"])
    indexed.remove("d201")
    return h


def _public(reader: Any, field: str, btext: bytes) -> list[tuple[int, float, Any]]:
    """The postings as Whoosh's public matcher interface gives them (deleted ones left out)."""
    m = reader.postings(field, btext)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


def _cursor(postings: Any) -> list[tuple[int, float, Any]]:
    docs, weights, values = read_all(postings, with_values=True)
    return [
        (d, w, v)
        for d, w, v in zip(docs, weights, values, strict=True)
        if d not in postings.deleted
    ]


def _check_every_term(searcher: Any) -> tuple[set[type], int]:
    """Every term of three fields read by the cursor and by Whoosh's matchers; the cursor
    kinds met and how many terms spanned several blocks."""
    kinds: set[type] = set()
    multi_block = 0
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        for field in ("english", "bigrams", "type"):
            for btext in reader.lexicon(field):
                postings = open_postings(reader, field, btext)
                assert postings is not None
                kinds.add(type(postings))
                assert _cursor(postings) == _public(reader, field, btext), (field, btext)
                if field == "bigrams":  # positions: also read joined, as phrases read them
                    docs, weights, values = read_all(
                        open_postings(reader, field, btext),  # type: ignore[arg-type]
                        with_values=True,
                    )
                    joined = read_all_joined(open_postings(reader, field, btext))  # type: ignore[arg-type]
                    assert joined == (docs, weights, b"".join(values), list(map(len, values)))
                blocks = 0
                postings = open_postings(reader, field, btext)
                assert postings is not None
                while postings.is_active():
                    assert postings.docs()[-1] == postings.last_doc()
                    blocks += 1
                    postings.advance()
                multi_block += blocks > 1
    return kinds, multi_block


def test_the_cursor_reads_every_term_as_whoosh_matchers_do(home: Home) -> None:
    searcher = snapshot(home).searcher
    assert searcher.reader().has_deletions()
    kinds, multi_block = _check_every_term(searcher)
    assert kinds == {BlockPostings}
    assert multi_block  # terms spanning several blocks were read


def test_postings_a_codec_hands_out_as_another_matcher_are_read_as_one_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    # Whoosh 2.7.4 cannot inline postings in its term index (its writer calls a method its
    # term info lacks), so every term reslib reads is on disk; another codec may still hand
    # out list matchers. This one does, for every term.
    on_disk = FastLengthsCodec.postings_reader

    def as_list(self: Any, *args: Any, **kwargs: Any) -> ListMatcher:
        m = on_disk(self, *args, **kwargs)
        rows = []
        while m.is_active():
            rows.append((m.id(), m.weight(), m.value()))
            m.next()
        ids, weights, values = (list(c) for c in zip(*rows, strict=True))
        return ListMatcher(ids, weights, values, m.format, m.scorer, term=m.term())

    rng = random.Random(6)
    ix = FileStorage(str(tmp_path)).create_index(build_schema())
    for batch in range(3):
        with ix.writer(codec=FastLengthsCodec()) as writer:
            for n in range(batch * 20, batch * 20 + 20):
                writer.add_document(**document(_record(n, rng)))
    with ix.writer(codec=FastLengthsCodec()) as writer:
        writer.delete_by_term("id", "d003")
    monkeypatch.setattr(FastLengthsCodec, "postings_reader", as_list)
    searcher = ix.searcher()
    request.addfinalizer(searcher.close)
    assert searcher.reader().has_deletions()
    kinds, _ = _check_every_term(searcher)
    assert kinds == {ListedPostings}
    for q in QUERIES:
        query = text_query(parse(q))
        want = whoosh_scores(searcher, query)
        assert want, q
        for sparse in (8, 0):
            monkeypatch.setattr(evaluate_module, "SPARSE", sparse)
            got = evaluate(searcher, query, ("listed", sparse, q))
            assert got == pytest.approx(want, rel=1e-9), q


def test_blocks_holding_yields_exactly_the_wanted_documents_present(home: Home) -> None:
    searcher = snapshot(home).searcher
    rng = random.Random(9)
    checked = 0
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        for word in ("saga", "militari", "forest"):  # stems
            btext = word.encode()
            postings = open_postings(reader, "english", btext)
            if postings is None:  # a small segment of one update may lack it
                continue
            checked += 1
            present, _, _ = read_all(postings)
            size = reader.doc_count_all()
            wanted = sorted(rng.sample(range(size), min(40, size)))
            postings = open_postings(reader, "english", btext)
            assert postings is not None
            hits = []
            for block in blocks_holding(postings, wanted):
                docs = postings.docs()
                for d, i in block:
                    assert docs[i] == d
                hits.extend(d for d, _ in block)
            assert hits == [d for d in wanted if d in set(present)]
    assert checked >= 6  # three words in each of the two large segments


def test_a_matcher_of_another_kind_is_read_as_one_block() -> None:
    postings = ListedPostings(
        ListMatcher([2, 5, 9], weights=[1.0, 3.0, 2.0], values=[b"a", b"b", b"c"]), {5}
    )
    assert postings.is_active() and postings.last_doc() == 9
    assert list(postings.docs()) == [2, 5, 9]
    assert list(postings.weights()) == [1.0, 3.0, 2.0]
    assert list(postings.values()) == [b"a", b"b", b"c"]
    assert postings.deleted == {5}
    postings.advance()
    assert not postings.is_active()
    assert not ListedPostings(ListMatcher([]), frozenset()).is_active()


def test_matcher_scores_reads_list_matchers_and_any_other_matcher(home: Home) -> None:
    assert matcher_scores(ListMatcher([1, 4], all_weights=2.5)) == ([1, 4], [2.5, 2.5])
    assert matcher_scores(ListMatcher([1, 4], weights=[0.5, 2.0])) == ([1, 4], [0.5, 2.0])
    assert matcher_scores(ListMatcher([3])) == ([3], [1.0])
    searcher = snapshot(home).searcher
    leaf, _ = next(iter(searcher.leaf_searchers()))
    q = wq.Term("english", "saga")  # the stem of "sagaing"
    docs, scores = matcher_scores(q.matcher(leaf, searcher.context()))
    m = q.matcher(leaf, searcher.context())
    expected = []
    while m.is_active():
        expected.append((m.id(), m.score()))
        m.next()
    assert list(zip(docs, scores, strict=True)) == expected and expected


def test_segments_of_whoosh_stock_codec_read_lengths_through_the_reader(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    rng = random.Random(5)
    path = tmp_path / "stock"
    path.mkdir()
    ix = FileStorage(str(path)).create_index(build_schema())
    with ix.writer() as writer:  # Whoosh's own writer and codec: no LengthsInMemory
        for n in range(150):
            writer.add_document(**document(_record(n, rng)))
    with ix.writer() as writer:
        writer.delete_by_term("id", "d003")
    searcher = ix.searcher()
    request.addfinalizer(searcher.close)
    reader = next(iter(searcher.leaf_searchers()))[0].reader()
    assert not isinstance(reader._perdoc, LengthsInMemory)
    docs = list(range(reader.doc_count_all()))
    assert field_lengths(reader, "english", docs).tolist() == [
        reader.doc_field_length(d, "english", 1) or 1 for d in docs
    ]
    for q in QUERIES:
        query = text_query(parse(q))
        got = evaluate(searcher, query, ("stock codec", q))
        want = whoosh_scores(searcher, query)
        assert want, q
        assert got == pytest.approx(want, rel=1e-9), q


def test_a_weighting_without_a_fast_path_is_scored_by_whoosh(
    home: Home, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    tf_idf = open_live(home)[1].searcher(weighting=scoring.TF_IDF())
    request.addfinalizer(tf_idf.close)
    leaf, _ = next(iter(tf_idf.leaf_searchers()))
    assert term_scores(leaf, wq.Term("english", "saga"), b"saga", [0], [1.0]) is None
    for sparse in (8, 0):  # whole leaves, then every leaf read only among its candidates
        monkeypatch.setattr(evaluate_module, "SPARSE", sparse)
        for q in QUERIES:
            query = text_query(parse(q))
            got = evaluate(tf_idf, query, ("tf-idf", sparse, q))
            want = whoosh_scores(tf_idf, query)
            assert want, q
            assert got == pytest.approx(want, rel=1e-9), q


def test_lengths_from_the_column_are_the_lengths_whoosh_reads(home: Home) -> None:
    for leaf, _ in snapshot(home).searcher.leaf_searchers():
        reader = leaf.reader()
        assert isinstance(reader._perdoc, LengthsInMemory)
        docs = list(range(reader.doc_count_all()))
        for field in ("english", "syllables", "title_spans"):
            want = [reader.doc_field_length(d, field, 1) or 1 for d in docs]
            assert field_lengths(reader, field, docs).tolist() == want
        # A document past the column's end has no length recorded: 1, as Whoosh reads it.
        assert field_lengths(reader, "english", [len(docs) + 5]).tolist() == [1]
