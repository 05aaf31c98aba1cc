"""Property: for any query tree, the evaluator gives Whoosh's matches with Whoosh's scores.

Hypothesis draws trees of terms (every indexed field, boosted or not, some absent), phrases
of bigrams (in sequence, shuffled, absent), filters on facet fields and dates, combined with
``And``, ``Or``, ``AndNot`` and ``AndMaybe``, over a small index of several segments with
deleted documents. Each tree is evaluated with the leaf cache warm or cold and with every
leaf read whole or only where its candidates are; the reference is Whoosh's own matcher tree
(``whoosh_reference``). As tantivy's term scorer tests compare its pruned path with the
exhaustive one. Scores agree to a relative 1e-9 (the order of floating-point additions
differs).
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh_reference import ReferenceBigramPhrase, drain, whoosh_scores

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater, snapshot
from reslib.models import Record
from reslib.search import evaluate as evaluator
from reslib.search.compile import BigramPhrase, text_query
from reslib.search.leafcache import leaf_cache
from reslib.search.parse import parse

SENTENCES = [
    "The military burned villages in Sagaing Region.",
    "Women and children fled to the forest near Loikaw.",
    "The junta arrested rights defenders and teachers.",
    "Airstrikes forced thousands from their homes in Karenni State.",
    "Villagers fled the military; the junta burned the villages again.",
    "စစ်တပ်က ရွာကို မီးရှို့ခဲ့သည်။",
    "အမျိုးသမီးများနှင့် ကလေးများ တောထဲသို့ ထွက်ပြေးခဲ့ရသည်။",
    "ကချင်ပြည်နယ်တွင် စစ်တပ်က ရွာကို မီးရှို့ခဲ့သည်။",
    "လေကြောင်းတိုက်ခိုက်မှုများကြောင့် ရွာသားများ ထွက်ပြေးခဲ့ရသည်။",
]
TYPES = ("report", "statement", "news")
ORGS = ("Progressive Voice", "Karen Human Rights Group", "Fortify Rights")
RECORDS = 30


def _body(rng: random.Random) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6)))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """Thirty records saved one at a time (several segments), then edits and removals
    (deleted documents in them)."""
    rng = random.Random(12)
    h = Home(tmp_path_factory.mktemp("property"))
    catalogue = Catalogue(h, listeners=[IndexUpdater(h)])
    catalogue.init()
    for i in range(RECORDS):
        catalogue.add(
            Record(
                id=f"p{i:02d}",
                type=TYPES[i % 3],
                title=" ".join(rng.sample(SENTENCES[:5], 1)[0].split()[:4]),
                language="en",
                date=f"202{i % 4}-{i % 12 + 1:02d}-1{i % 10}",
                organizations=[ORGS[i % 3]],
                places=[("Sagaing", "Karenni", "Kachin")[i % 3]],
                body=_body(rng),
            )
        )
    for i in (3, 8, 14, 21):
        catalogue.update(f"p{i:02d}", [f"body={_body(rng)}"])
    for i in (5, 17, 26):
        catalogue.remove(f"p{i:02d}")
    return h


#: Fields whose terms the trees draw from, with a term no document has.
FIELDS = ("english", "syllables", "bigrams", "title_terms", "org_terms", "title_words")
FACETS = ("type", "organizations", "places", "langs", "year")


@pytest.fixture(scope="module")
def vocabulary(home: Home) -> dict[str, list[str]]:
    reader = snapshot(home).searcher.reader()
    out: dict[str, list[str]] = {}
    for field in (*FIELDS, *FACETS):
        terms = sorted({b.decode("utf-8") for b in reader.lexicon(field)})
        out[field] = [*terms[:40], "zzabsent"]
    return out


def _phrases() -> list[list[str]]:
    """Bigram words of phrases taken from the sentences (matching), plus the same words
    shuffled (every bigram present, out of sequence) and one with an absent bigram."""
    rng = random.Random(3)
    out: list[list[str]] = []
    for sentence in SENTENCES:
        words = sentence.split()
        for length in (3, 4):
            for start in range(0, max(1, len(words) - length + 1), 2):
                q = text_query(
                    parse('"' + " ".join(words[start : start + length]) + '"'), ranked=False
                )
                if type(q) is BigramPhrase:
                    out.append(list(q.words))
    shuffled = []
    for words in out[::3]:
        copy = list(words)
        rng.shuffle(copy)
        shuffled.append(copy)
    return [*out, *shuffled, [*out[0][:1], "zz absent"]]


PHRASES = _phrases()


def trees(vocabulary: dict[str, list[str]]) -> st.SearchStrategy[wq.Query]:
    def pairs(fields: tuple[str, ...]) -> st.SearchStrategy[tuple[str, str]]:
        return st.one_of([st.tuples(st.just(f), st.sampled_from(vocabulary[f])) for f in fields])

    term = st.builds(
        lambda pair, boost: wq.Term(*pair, boost=boost),
        pairs(FIELDS),
        st.sampled_from([1.0, 1.0, 2.0, 3.0]),
    )
    phrase = st.builds(
        lambda words, boost: BigramPhrase("bigrams", words, boost=boost),
        st.sampled_from(PHRASES),
        st.sampled_from([1.0, 1.0, 2.0]),
    )
    facet = pairs(FACETS).map(lambda pair: wq.Term(*pair))
    dates = st.sampled_from(
        [
            wq.Prefix("date", "2022"),
            wq.TermRange("date", "2021", "2022-06~"),
            wq.TermRange("date", None, "2020-12~"),
            wq.Every(),
        ]
    )
    leaf = st.one_of(term, term, phrase, facet, dates)

    def compound(children: st.SearchStrategy[wq.Query]) -> st.SearchStrategy[wq.Query]:
        several = st.lists(children, min_size=1, max_size=4)
        pair = st.tuples(children, children)
        return st.one_of(
            several.map(wq.And),
            several.map(wq.Or),
            pair.map(lambda p: wq.AndNot(*p)),
            pair.map(lambda p: wq.AndMaybe(*p)),
        )

    return st.recursive(leaf, compound, max_leaves=8)


@contextlib.contextmanager
def sparse(value: int) -> Iterator[None]:
    saved = evaluator.SPARSE
    evaluator.SPARSE = value
    try:
        yield
    finally:
        evaluator.SPARSE = saved


def test_evaluator_matches_and_scores_as_whoosh_for_any_query_tree(
    home: Home, vocabulary: dict[str, list[str]]
) -> None:
    snap = snapshot(home)
    assert snap.searcher.reader().has_deletions()
    assert len(list(snap.searcher.leaf_searchers())) > 1

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(q=trees(vocabulary), cold=st.booleans(), restricted=st.sampled_from([0, 8]))
    def check(q: wq.Query, cold: bool, restricted: int) -> None:
        if cold:
            leaf_cache().clear()
        expected = whoosh_scores(snap.searcher, q)
        with sparse(restricted):
            got = evaluator.evaluate(snap.searcher, q, ("property", snap.key))
        assert got.keys() == expected.keys(), q
        assert got == pytest.approx(expected, rel=1e-9), q

    check()


def test_reference_phrase_agrees_with_whoosh_span_phrase(home: Home) -> None:
    """The reference phrase matcher (ours) against Whoosh's own span-based ``Phrase``."""
    searcher = snapshot(home).searcher
    matched = 0
    for words in PHRASES:
        for boost in (1.0, 2.0):
            ours = drain(searcher, ReferenceBigramPhrase("bigrams", words, boost=boost))
            spans = drain(searcher, wq.Phrase("bigrams", words, boost=boost))
            assert ours == pytest.approx(spans, rel=1e-9), words
            matched += bool(ours)
    assert matched > len(PHRASES) // 2
