"""The second phase of ranking: among the first results, a Burmese word that the texts nearly
always continue into a longer word ranks the records where it stands alone first; it only
re-orders (totals, facets and pages stay those of the first phase)."""

from __future__ import annotations

import random
import re

import pytest
from conftest import shared_path

from reslib.analysis.normalize import normalize
from reslib.analysis.segment import tokens
from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater
from reslib.models import Record
from reslib.search import SearchRequest, cohesion, search
from reslib.search.cohesion import Cohesive, cohesive, occurrences, rescore
from reslib.search.parse import Unit

MUSIC = "music"
# ဂီတ ("music") is a word to ICU's dictionary, so in ဂီတပွဲ ("concert") the edge before ပွဲ
# looks like a word edge in each text alone: only the texts together show that ဂီတ there
# goes on into a longer word.
BODIES = {
    "concert-1": "ပန်းခြံမှာ ဂီတပွဲ ရှိတယ်။ ဂီတပွဲ ကောင်းတယ်။",
    "concert-2": "မနေ့က ဂီတပွဲ သွားခဲ့တယ်။ ဂီတပွဲ ကြီးတယ်။",
    "concert-3": "ရန်ကုန်မှာ ဂီတပွဲ ကျင်းပတယ်။ ဂီတပွဲ လူများတယ်။",
    MUSIC: "ကျွန်တော် ဂီတကို နှစ်သက်တယ်။ နေ့တိုင်း စာဖတ်တယ်၊ ထမင်းချက်တယ်၊ ဈေးသွားတယ်။",
}
# Records without the word: ပွဲ is rare in the library, so its share after ဂီတ is a lift.
OTHERS = {
    f"other-{n}": text
    for n, text in enumerate(
        [
            "ကျောင်းသားများ စာမေးပွဲ ဖြေဆိုကြသည်။",
            "မိုးရွာသဖြင့် လမ်းများ ပိတ်ဆို့သည်။",
            "ဈေးနှုန်းများ မြင့်တက်လာသည်။",
            "ကလေးများ ကျောင်းသို့ သွားကြသည်။",
            "ရေကြီးမှုကြောင့် ရွာသားများ ရွှေ့ပြောင်းရသည်။",
            "ဆေးရုံတွင် လူနာများ ပြည့်နေသည်။",
            "လယ်သမားများ စပါးစိုက်ကြသည်။",
            "မီးလောင်မှုကြောင့် အိမ်များ ပျက်စီးသည်။",
        ]
    )
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    h = Home(tmp_path_factory.mktemp("cohesion"))
    catalogue = Catalogue(h, listeners=[IndexUpdater(h)])
    catalogue.init()
    for rid, body in {**BODIES, **OTHERS}.items():
        catalogue.add(
            Record(id=rid, type="report", title=rid, language="my", date="2024-01-01", body=body)
        )
    return h


def ranked(home: Home, q: str, **kw: object) -> list[str]:
    return [r.id for r in search(home, SearchRequest(q=q, exact=True, **kw)).results]


@pytest.fixture
def first_phase_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cohesion, "WINDOW", 0)


def test_a_word_the_texts_continue_into_a_longer_one_ranks_it_standing_alone_first(
    home: Home,
) -> None:
    assert ranked(home, "ဂီတ")[0] == MUSIC


@pytest.mark.usefixtures("first_phase_only")
def test_without_the_second_phase_the_longer_word_ranks_first(home: Home) -> None:
    # The fixture is one where the second phase decides: the concerts, which name ဂီတ
    # twice each, come first on their own scores.
    order = ranked(home, "ဂီတ")
    assert order[0] != MUSIC
    assert set(order) == set(BODIES)


def test_the_second_phase_reorders_only(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    after = search(home, SearchRequest(q="ဂီတ", exact=True))
    monkeypatch.setattr(cohesion, "WINDOW", 0)
    before = search(home, SearchRequest(q="ဂီတ", exact=True))
    assert after.total == before.total == len(BODIES)
    assert after.facets == before.facets
    assert {r.id for r in after.results} == {r.id for r in before.results}
    assert [r.id for r in after.results] != [r.id for r in before.results]


def test_shown_scores_follow_the_shown_order(home: Home) -> None:
    scores = [r.score for r in search(home, SearchRequest(q="ဂီတ", exact=True)).results]
    assert scores == sorted(scores, reverse=True)


def test_pages_continue_the_reordered_list(home: Home) -> None:
    whole = ranked(home, "ဂီတ", limit=10)
    pages = [ranked(home, "ဂီတ", limit=1, page=p) for p in range(1, len(whole) + 1)]
    assert [p[0] for p in pages] == whole


def test_occurrences_give_the_syllables_touching_the_word() -> None:
    text = "ဂီတပွဲ ရှိတယ်။ ကျွန်တော် ဂီတကို နှစ်သက်တယ်။ ဂီတ ကောင်းတယ်။ ဂီ"
    assert occurrences(text, ["ဂီ", "တ"]) == [(None, "ပွဲ"), (None, "ကို"), (None, None)]
    # A syllable is a whole unit: တ is not found inside တယ်.
    assert occurrences("ရှိတယ်", ["တ"]) == []
    assert occurrences("အမေ့ကို", ["မေ့"]) == [("အ", "ကို")]


def test_a_neighbour_is_cohesive_when_frequent_here_and_rarer_in_the_library() -> None:
    found = [[(None, "ပွဲ")], [(None, "ပွဲ"), (None, "များ")], [(None, "ပွဲ")], [(None, "များ")]]
    found += [[(None, "များ")]]
    library = {"ပွဲ": 0.05, "များ": 0.9}
    word = cohesive(found, library.__getitem__)
    # ပွဲ: 3 of 6 occurrences, twenty times less common in the library: cohesive.
    # များ: 3 of 6 too, but it follows nearly every noun of the library: not.
    assert word.right == {"ပွဲ": pytest.approx(0.5)}
    assert word.left == {}


def test_a_neighbour_seen_fewer_than_min_count_times_says_nothing() -> None:
    found = [[(None, "ပွဲ")]] * (cohesion.MIN_COUNT - 1) + [[(None, None)]]
    assert cohesive(found, lambda s: 0.01).right == {}


def test_a_record_is_judged_by_its_least_bound_occurrence() -> None:
    word = Cohesive(left={"အ": 0.5}, right={"ပွဲ": 1.0})
    assert word.factor([]) == 1.0  # holds the word elsewhere than its text (a variant)
    assert word.factor([(None, "ပွဲ")]) == pytest.approx(1 - cohesion.STRENGTH)
    both = (1 - cohesion.STRENGTH * 0.5) * (1 - cohesion.STRENGTH)
    assert word.factor([("အ", "ပွဲ")]) == pytest.approx(both)
    assert word.factor([(None, "ပွဲ"), (None, None)]) == 1.0


def test_rescore_keeps_the_window_s_members_and_breaks_ties_by_first_order() -> None:
    unit = Unit(("ဂီ", "တ"), ("my", "my"), "ဂီတ")
    texts = {0: "ဂီတပွဲ", 1: "ဂီတပွဲ", 2: "ဂီတပွဲ", 3: "ဂီတ", 4: ""}
    scores = {0: 5.0, 1: 4.0, 2: 3.0, 3: 2.0, 4: 1.0}
    order, adjusted = rescore([0, 1, 2, 3, 4], scores, texts.__getitem__, [unit], lambda s: 0.1)
    # ပွဲ follows 3 of the 4 occurrences: each concert is lowered by that share.
    factor = 1 - cohesion.STRENGTH * 3 / 4
    assert adjusted == pytest.approx({0: 5 * factor, 1: 4 * factor, 2: 3 * factor, 3: 2, 4: 1})
    expected = sorted(range(5), key=lambda d: (-adjusted[d], d))
    assert order == expected
    assert order.index(3) < order.index(2)  # the word alone passed a concert
    # Records bound the same way keep their first-phase order.
    assert [d for d in order if d in (0, 1, 2)] == [0, 1, 2]


def _occurrences_token_by_token(text: str, terms: list[str]) -> list[tuple[str | None, str | None]]:
    """The definition, over every token of each sentence holding the word: a neighbour is
    a Burmese syllable touching the occurrence (no space or other token between)."""
    out: list[tuple[str | None, str | None]] = []
    for m in re.finditer(r"[^။\n]*(?:။|\n|$)", text):
        sentence = m.group()
        if "".join(terms) not in sentence:
            continue
        if len(out) >= cohesion.PER_RECORD:
            break
        toks = list(tokens(sentence))
        for i in range(len(toks) - len(terms) + 1):
            here = toks[i : i + len(terms)]
            if [t.text for t in here] != terms or any(t.kind != "my" for t in here):
                continue
            before = toks[i - 1] if i > 0 else None
            after = toks[i + len(terms)] if i + len(terms) < len(toks) else None
            touching_left = before and before.kind == "my" and before.end == here[0].start
            touching_right = after and after.kind == "my" and after.start == here[-1].end
            out.append(
                (before.text if touching_left else None, after.text if touching_right else None)  # type: ignore[union-attr]
            )
    return out


def test_occurrences_agree_with_a_reading_of_every_token_on_real_text() -> None:
    lines = [
        normalize(line.split("\t", 1)[1]).text
        for line in shared_path("corpora", "talpco", "data_myn.txt").read_text("utf-8").splitlines()
        if "\t" in line
    ]
    rng = random.Random(4)
    texts = ["\n".join(rng.sample(lines, 40)) + " 12 abc ၁၂ ဂီတ" for _ in range(60)]
    checked = found = 0
    for text in texts:
        toks = [t.text for t in tokens(text) if t.kind == "my"]
        for _ in range(5):
            size = rng.randint(1, 3)
            at = rng.randrange(len(toks) - size)
            terms = toks[at : at + size]
            want = _occurrences_token_by_token(text, terms)
            assert occurrences(text, terms) == want, terms
            checked += 1
            found += len(want)
    assert checked == 300 and found > 300
