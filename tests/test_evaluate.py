"""Term-at-a-time evaluation gives Whoosh's answer: the same documents with the same scores.

The reference is Whoosh's own matcher tree (``whoosh_reference``), walked document by
document, on an index that has deleted documents (records edited and removed after indexing)
and several segments.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh_reference import whoosh_scores

from reslib.analysis.terms import PackedPositions, unpack_positions
from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater, snapshot
from reslib.models import Record
from reslib.search import SearchRequest, search
from reslib.search import evaluate as evaluate_module
from reslib.search.combine import Hits, hits
from reslib.search.compile import any_of, date_query, text_query
from reslib.search.evaluate import evaluate
from reslib.search.leafcache import LeafCache, leaf_cache
from reslib.search.parse import parse
from reslib.search.phrase import PositionColumn, in_sequence

BODIES = [
    "The military burned villages in Sagaing Region. Women and children were killed.",
    "Airstrikes forced thousands from their homes near Loikaw in Karenni State.",
    "Civil society rejects the election plan. Human rights defenders were arrested.",
    "ကချင်ပြည်နယ်တွင် စစ်တပ်က ရွာကို မီးရှို့ခဲ့သည်။ အမျိုးသမီးများ ဘေးကင်းရာသို့ ပြေးရသည်။",
    "လေကြောင်းတိုက်ခိုက်မှုများကြောင့် ရွာသားများ ထွက်ပြေးခဲ့ရသည်။ စစ်တပ်က ရွာကို မီးရှို့ခဲ့သည်။",
    "Villagers fled the military. The junta arrested rights defenders in Sagaing.",
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    h = Home(tmp_path_factory.mktemp("evaluate"))
    catalogue = Catalogue(h, listeners=[IndexUpdater(h)])
    catalogue.init()
    # One save per record: each commit writes a segment, so the index has several.
    for i in range(24):
        body = BODIES[i % len(BODIES)] + " " + BODIES[(i * 5 + 1) % len(BODIES)] * (i % 3 + 1)
        catalogue.add(
            Record(
                id=f"r{i:02d}",
                type=("report", "statement", "news")[i % 3],
                title=("Sagaing villages burned", "Election arrests", "ရွာ မီးရှို့")[i % 3],
                language="my" if "စစ်" in body[:40] else "en",
                date=f"202{i % 4}-0{i % 9 + 1}-1{i % 10}",
                organizations=[("Progressive Voice", "Karen Human Rights Group")[i % 2]],
                body=body,
            )
        )
    # Deleted documents stay in the postings until a merge: both must be skipped.
    catalogue.update("r03", ["body=Rewritten: the junta arrested teachers in Sagaing."])
    catalogue.update("r07", ["title=Sagaing arrests, corrected"])
    catalogue.remove("r11")
    return h


TEXT_QUERIES = [
    "sagaing",
    "military villages",
    "arrested OR burned",
    "arrested -junta",
    "junta -sagaing",
    '"rights defenders"',
    '"the military burned villages"',
    # Every bigram of this phrase is in some documents, never in sequence: no match.
    '"loikaw in sagaing"',
    "စစ်တပ်",
    "ရွာကို မီးရှို့",
    "စစ်တပ်က ရွာကို",
    "sagaing စစ်တပ်",
    "nothingmatchesthis",
    "",
    # Repeated words and phrases are read once and count as many times as they occur.
    "sagaing sagaing sagaing",
    "arrested OR arrested OR burned",
    "ရွာကို ရွာကို ရွာကို",
]


@pytest.mark.parametrize("q", TEXT_QUERIES)
def test_text_queries_match_and_score_as_whoosh_does(home: Home, q: str) -> None:
    snap = snapshot(home)
    query = text_query(parse(q))
    expected = whoosh_scores(snap.searcher, query)
    got = evaluate(snap.searcher, query, ("test", q))
    assert got.keys() == expected.keys()
    assert got == pytest.approx(expected, rel=1e-9)
    if q and q not in ("nothingmatchesthis", "junta -sagaing", '"loikaw in sagaing"'):
        assert expected, f"{q!r} should match something in the fixture"


def test_filtered_queries_match_and_score_as_whoosh_does(home: Home) -> None:
    snap = snapshot(home)
    queries = [
        wq.And([text_query(parse("sagaing")), any_of("type", ["report", "news"])]),
        wq.And([text_query(parse("arrested")), date_query([("2021", "2022-06")])]),
        wq.And([wq.Every(), any_of("organizations", ["Progressive Voice"])]),
        wq.And([wq.Every(), date_query([("2022-03", "2022-03")])]),
    ]
    for query in queries:
        expected = whoosh_scores(snap.searcher, query)
        assert expected
        got = evaluate(snap.searcher, query, ("filtered", repr(query)))
        assert got == pytest.approx(expected, rel=1e-9)


LONG_QUERIES = [
    # Many words, all required: each next word is read only among the documents matching
    # all before it.
    "the military burned villages in sagaing region women and children were killed",
    "ရွာကို မီးရှို့ခဲ့သည် စစ်တပ်က ကချင်ပြည်နယ်တွင်",
    "rights defenders arrested -loikaw",
    # Only exclusions: every document but those holding either word, removed a word at a time.
    "-loikaw -election",
]


@pytest.mark.parametrize("q", [*TEXT_QUERIES, *LONG_QUERIES])
def test_reading_only_the_candidates_blocks_gives_whoosh_answer(
    home: Home, q: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    snap = snapshot(home)
    text = text_query(parse(q))
    queries = [text, wq.And([text, any_of("type", ["report", "statement"])])]
    expected = [whoosh_scores(snap.searcher, query) for query in queries]
    # Every leaf with candidates is read only where they are (in a library this small the
    # rule would rarely choose it), none from the cache.
    monkeypatch.setattr(evaluate_module, "SPARSE", 0)
    for query, want in zip(queries, expected, strict=True):
        leaf_cache().clear()
        got = evaluate(snap.searcher, query, ("restricted", repr(query)))
        assert got.keys() == want.keys()
        assert got == pytest.approx(want, rel=1e-9)
    if q in LONG_QUERIES:
        assert expected[0], f"{q!r} should match something in the fixture"


def test_exclusion_removes_every_document_holding_the_excluded_word(home: Home) -> None:
    snap = snapshot(home)
    q = text_query(parse("junta -sagaing"))
    assert isinstance(q, wq.AndNot)
    with_sagaing = evaluate(snap.searcher, q.b, ("sagaing",))
    # The case Whoosh's own matcher gets wrong: the excluded word's postings start before
    # the first match, which also holds it.
    context = snap.searcher.context(needs_current=True)
    m = q.matcher(snap.searcher, context)
    assert m.is_active() and m.id() in with_sagaing
    assert not evaluate(snap.searcher, q, ("junta -sagaing",)).keys() & with_sagaing.keys()
    response = search(home, SearchRequest(q="junta -sagaing"))
    assert all("sagaing" not in r.snippet.lower() for r in response.results)


def test_deleted_documents_are_never_returned(home: Home) -> None:
    snap = snapshot(home)
    reader = snap.searcher.reader()
    assert reader.has_deletions()
    got = evaluate(snap.searcher, text_query(parse("sagaing")), ("deleted",))
    assert got
    assert not [d for d in got if reader.is_deleted(d)]
    stored = {snap.searcher.stored_fields(d)["id"] for d in got}
    assert "r11" not in stored


def test_cached_leaves_give_the_same_answer(home: Home) -> None:
    snap = snapshot(home)
    query = text_query(parse("military villages"))
    leaf_cache().clear()
    first = dict(evaluate(snap.searcher, query, ("cached",)))
    second = evaluate(snap.searcher, query, ("cached",))
    assert second == first


def test_leaf_cache_evicts_least_recently_used_beyond_its_bound() -> None:
    def ones(*docs: int) -> Hits:
        return hits(list(docs), [1.0] * len(docs))

    cache = LeafCache(max_postings=5)
    cache.put("a", ones(1, 2))
    cache.put("b", ones(3, 4))
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("c", ones(5, 6))
    assert cache.get("b") is None
    assert cache.get("a").as_dict() == {1: 1.0, 2: 1.0}  # type: ignore[union-attr]
    assert cache.get("c").as_dict() == {5: 1.0, 6: 1.0}  # type: ignore[union-attr]
    cache.put("huge", ones(*range(10)))
    assert cache.get("huge") is None  # larger than the whole cache: not kept
    assert cache.get("c") is not None


def test_a_cached_map_cannot_be_changed_by_the_search_that_gets_it() -> None:
    cache = LeafCache(max_postings=5)
    cache.put("a", hits([1, 2], [1.0, 2.0]))
    found = cache.get("a")
    assert found is not None
    with pytest.raises(ValueError):
        found.scores += 1.0
    assert cache.get("a").as_dict() == {1: 1.0, 2: 2.0}  # type: ignore[union-attr]


def test_a_new_generation_does_not_see_old_leaves(tmp_path: Path) -> None:
    h = Home(tmp_path)
    catalogue = Catalogue(h, listeners=[IndexUpdater(h)])
    catalogue.init()
    one = Record(id="one", type="report", title="Sagaing", language="en", date="2023", body="x")
    catalogue.add(one)
    snap = snapshot(h)
    sagaing = text_query(parse("sagaing"))
    assert len(evaluate(snap.searcher, sagaing, snap.key)) == 1
    catalogue.add(one.with_changes(id="two", body="y"))
    snap = snapshot(h)
    assert len(evaluate(snap.searcher, sagaing, snap.key)) == 2


def stemmed_phrase(q: wq.Query) -> wq.Query:
    """The phrase of stemmed terms: a phrase of English words is also searched with its
    words unstemmed, as records in other languages are indexed (an Or of the two)."""
    if isinstance(q, wq.Or):
        stemmed, unstemmed = q.subqueries
        assert stemmed.words != unstemmed.words
        return stemmed
    return q


def test_a_phrase_needs_its_bigrams_in_sequence_not_just_present(home: Home) -> None:
    snap = snapshot(home)
    whole = text_query(parse('"loikaw in sagaing"'), ranked=False)
    q = stemmed_phrase(whole)
    holding_every_bigram = evaluate(
        snap.searcher, wq.And([wq.Term("bigrams", b) for b in q.words]), ("all bigrams",)
    )
    assert holding_every_bigram
    assert evaluate(snap.searcher, q, ("phrase",)) == {}
    assert evaluate(snap.searcher, whole, ("phrase, either reading",)) == {}


@pytest.mark.parametrize("q", ['"the military burned villages"', "စစ်တပ်ကရွာကိုမီးရှို့"])
def test_a_phrase_gives_the_same_answer_whether_its_bigrams_are_cached_or_read_now(
    home: Home, q: str
) -> None:
    snap = snapshot(home)
    phrase = stemmed_phrase(text_query(parse(q), ranked=False))
    leaf_cache().clear()
    read_now = evaluate(snap.searcher, phrase, ("bigrams",))
    # Only the bigram terms cached: their positions come from the blocks holding candidates.
    leaf_cache().clear()
    for word in phrase.words:
        evaluate(snap.searcher, wq.Term("bigrams", word), ("bigrams",))
    from_cache = evaluate(snap.searcher, phrase, ("bigrams",))
    assert read_now
    assert from_cache == read_now
    assert read_now == whoosh_scores(snap.searcher, phrase)


def test_packed_positions_round_trip_with_whoosh_frequency_prefix() -> None:
    fmt = PackedPositions()
    value = fmt.encode([0, 5, 70_000])
    assert fmt.decode_positions(value) == [0, 5, 70_000]
    assert list(unpack_positions(value)) == [0, 5, 70_000]
    assert fmt.decode_frequency(value) == 3
    assert fmt.decode_position_boosts(value) == [(0, 1), (5, 1), (70_000, 1)]


def _column(values: dict[int, bytes]) -> PositionColumn:
    docs = sorted(values)
    return PositionColumn.of(docs, [values[d] for d in docs])


def test_a_phrase_matches_where_some_start_lines_every_bigram_up() -> None:
    encode = PackedPositions().encode
    positions = {
        1: ([4], [5], [6]),  # one position each, in sequence
        2: ([4], [6], [7]),  # one position each, out of sequence
        3: ([2, 9], [10], [3, 11]),  # several: in sequence from 9
        4: ([2, 9], [3], [11]),  # several: no start where all three line up
        5: ([7], [8], [1, 9]),  # mixed: in sequence from 7
    }
    values = [_column({d: encode(p[i]) for d, p in positions.items()}) for i in range(3)]

    assert sorted(in_sequence(sorted(positions), values)) == [1, 3, 5]
    assert sorted(in_sequence([2, 4], values)) == []


def test_a_term_of_a_field_that_is_not_indexed_matches_nothing(home: Home) -> None:
    snap = snapshot(home)
    sagaing = text_query(parse("sagaing"), ranked=False)
    for field in ("title", "nosuchfield"):
        query = wq.And([wq.Term(field, "x"), sagaing])
        assert evaluate(snap.searcher, query, ("unindexed", field)) == {}


def _in_sequence_one_document_at_a_time(
    docs: list[int], positions: dict[int, list[list[int]]]
) -> list[int]:
    """The definition: some start ``s`` with bigram ``i`` at ``s + i`` for every ``i``."""
    return [
        d
        for d in docs
        if any(
            all(s + i in set(column) for i, column in enumerate(positions[d]))
            for s in positions[d][0]
        )
    ]


def test_the_phrase_check_agrees_with_its_definition_on_random_positions() -> None:
    encode = PackedPositions().encode
    rng = random.Random(9)
    left_out = 0
    for _ in range(300):
        bigrams = rng.randint(1, 4)
        spread = rng.choice([3, 10, 400, 2**32 - 1])
        docs = sorted(rng.sample(range(10**7), rng.randint(1, 60)))
        positions = {
            d: [
                sorted(rng.sample(range(min(spread, 10**6)), rng.randint(1, min(spread, 6))))
                if spread < 2**32 - 1
                else sorted({rng.choice([0, 1, 2, spread - 1, spread]) for _ in range(3)})
                for _ in range(bigrams)
            ]
            for d in docs
        }
        for d in rng.sample(docs, max(1, len(docs) // 3)):  # plant a match
            start = rng.randrange(50)
            for i in range(bigrams):
                positions[d][i] = sorted({*positions[d][i], start + i})
        values = [_column({d: encode(p[i]) for d, p in positions.items()}) for i in range(bigrams)]
        want = _in_sequence_one_document_at_a_time(docs, positions)
        assert in_sequence(docs, values) == want
        assert want  # the planted matches
        left_out += len(docs) - len(want)
    assert left_out > 1000  # and many documents without a match
