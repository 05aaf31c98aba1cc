"""Library cohesion in word ranking: a Burmese word whose last syllable the library nearly
always continues into a longer word ranks the records where it stands alone first; the
continuations are the library's own shares; the evaluator and Whoosh's matcher agree on a
lowered score."""

from __future__ import annotations

import pytest
from whoosh_reference import whoosh_scores

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater, snapshot
from reslib.models import Record
from reslib.search import SearchRequest, cohesion, search
from reslib.search.cohesion import continuations, continuations_of
from reslib.search.compile import Demoted, text_query
from reslib.search.evaluate import evaluate
from reslib.search.parse import parse

MUSIC = "music"
# ဂီတ ("music") is a word to ICU's dictionary, so in ဂီတပွဲ ("concert") the edge before ပွဲ
# is a word edge to it: only the library shows that ဂီတ here goes on into a longer word.
BODIES = {
    "concert-1": "ပန်းခြံမှာ ဂီတပွဲ ရှိတယ်။ ဂီတပွဲ ကောင်းတယ်။",
    "concert-2": "မနေ့က ဂီတပွဲ သွားခဲ့တယ်။ ဂီတပွဲ ကြီးတယ်။",
    "concert-3": "ရန်ကုန်မှာ ဂီတပွဲ ကျင်းပတယ်။ ဂီတပွဲ လူများတယ်။",
    MUSIC: "ကျွန်တော် ဂီတကို နှစ်သက်တယ်။ နေ့တိုင်း စာဖတ်တယ်၊ ထမင်းချက်တယ်၊ ဈေးသွားတယ်။",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    h = Home(tmp_path_factory.mktemp("cohesion"))
    catalogue = Catalogue(h, listeners=[IndexUpdater(h)])
    catalogue.init()
    for rid, body in BODIES.items():
        catalogue.add(
            Record(id=rid, type="report", title=rid, language="my", date="2024-01-01", body=body)
        )
    return h


def ranked(home: Home, q: str) -> list[str]:
    return [r.id for r in search(home, SearchRequest(q=q, exact=True)).results]


def test_a_word_the_library_continues_into_a_longer_one_ranks_it_standing_alone_first(
    home: Home,
) -> None:
    assert ranked(home, "ဂီတ")[0] == MUSIC


def test_without_the_library_s_continuations_the_longer_word_would_rank_first(
    home: Home,
) -> None:
    # The fixture is one where cohesion decides: scored without continuations, the
    # concerts, which name ဂီတ twice each, come first.
    snap = snapshot(home)
    scores = evaluate(snap.searcher, text_query(parse("ဂီတ")), ("no continuations",))
    names = {d: snap.searcher.stored_fields(d)["id"] for d in scores}
    order = [names[d] for d in sorted(scores, key=lambda d: -scores[d])]
    assert order[0] != MUSIC
    assert set(order) == set(BODIES)  # lowering ranks; it never loses a match


def test_continuations_are_the_share_of_records_holding_the_syllable_so_continued(
    home: Home,
) -> None:
    snap = snapshot(home)
    follows = dict(continuations_of(snap.searcher, "တ"))
    # တ is in all four records (ဂီတ); three of them hold ဂီတပွဲ.
    assert follows["ပွဲ"] == pytest.approx(3 / 4)
    assert all(share >= cohesion.MIN_SHARE for share in follows.values())
    assert continuations_of(snap.searcher, "ဈေ") == ()  # not a syllable of the library


def test_continuations_are_cached_per_index_generation(home: Home) -> None:
    snap = snapshot(home)
    lookup = continuations(snap.searcher, snap.key)
    assert lookup("တ") is lookup("တ")


@pytest.mark.parametrize("q", ["ဂီတ", "ဂီတ ကို", "ပွဲ"])
def test_lowered_scores_are_the_same_from_the_evaluator_and_whoosh_matchers(
    home: Home, q: str
) -> None:
    snap = snapshot(home)
    query = text_query(parse(q), follow=lambda s: continuations_of(snap.searcher, s))
    expected = whoosh_scores(snap.searcher, query)
    assert expected
    assert evaluate(snap.searcher, query, ("cohesion", q)) == pytest.approx(expected, rel=1e-9)


def test_a_demoted_query_multiplies_its_score_where_the_lowering_query_matches(
    home: Home,
) -> None:
    from whoosh import query as wq

    snap = snapshot(home)
    base = wq.Term("syllables", "တ")
    lowered = Demoted(base, [(wq.Term("bigrams", "တ ပွဲ"), 0.5)])
    plain = evaluate(snap.searcher, base, ("plain",))
    got = evaluate(snap.searcher, lowered, ("lowered",))
    assert got.keys() == plain.keys()
    halved = [d for d in got if got[d] == pytest.approx(plain[d] * 0.5)]
    kept = [d for d in got if got[d] == pytest.approx(plain[d])]
    assert len(halved) == 3 and len(kept) == 1
