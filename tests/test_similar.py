"""More like this (``reslib.search.similar``): records sharing an item's rarest terms,
organizations and places, best first, the item's own translations left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.errors import NotFound
from reslib.index import rebuild
from reslib.models import Record
from reslib.search.similar import MAX_SHARE, candidate_terms, chosen_terms, similar

BASE = "2023-01-01-sagaing-arrests"


def _record(rid: str, title: str, body: str, **fields: object) -> Record:
    values: dict[str, object] = {"type": "report", "language": "en", "date": "2023-01-01"}
    values.update(fields)
    return Record(id=rid, title=title, body=body, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("library"))
    cat = Catalogue(home)
    cat.init()
    cat.add(
        _record(
            BASE,
            "Arbitrary arrests of villagers in Sagaing",
            "Soldiers detained farmers and teachers in Sagaing villages; families were "
            "never told where the detainees were taken. Interrogation camps in Monywa.",
            organizations=["Progressive Voice"],
            places=["Sagaing"],
        )
    )
    cat.add(
        _record(
            "2023-01-02-sagaing-arrests-my",
            "စစ်ကိုင်းတိုင်းတွင် ဖမ်းဆီးမှုများ",
            "စစ်သားများသည် ကျေးရွာသားများကို ဖမ်းဆီးခဲ့သည်။",
            language="my",
            organizations=["Progressive Voice"],
            places=["Sagaing"],
            translations=[BASE],
        )
    )
    cat.add(
        _record(
            "2023-02-01-monywa-detainees",
            "Detainees from Sagaing villages held in Monywa",
            "Farmers and teachers detained in villages near Monywa remain in interrogation "
            "camps; their families were not told.",
            organizations=["Another Group"],
            places=["Sagaing"],
        )
    )
    cat.add(
        _record(
            "2023-03-01-same-org-other-subject",
            "Annual budget of the organization",
            "Spending on printing and travel.",
            organizations=["Progressive Voice"],
        )
    )
    cat.add(
        _record(
            "2023-04-01-unrelated",
            "Airstrikes on schools in Magway",
            "Aircraft bombed two schools.",
            organizations=["Amnesty International"],
            places=["Magway"],
        )
    )
    for i in range(6):
        cat.add(
            _record(
                f"2023-05-0{i + 1}-filler",
                f"Weekly news digest {i}",
                "News of the week from the region, with the usual schools and markets.",
                organizations=["Digest Desk"],
            )
        )
    rebuild(home)
    return home


def _ids(home: Home, item_id: str, limit: int = 5) -> list[str]:
    return [r.id for r in similar(home, item_id, limit)]


def test_the_record_sharing_the_rare_words_comes_first(home: Home) -> None:
    assert _ids(home, BASE)[0] == "2023-02-01-monywa-detainees"


def test_the_item_and_its_translations_are_never_listed(home: Home) -> None:
    found = _ids(home, BASE, 20)
    assert BASE not in found
    assert "2023-01-02-sagaing-arrests-my" not in found
    assert BASE not in _ids(home, "2023-01-02-sagaing-arrests-my", 20)


def test_sharing_an_organization_counts_without_shared_words(home: Home) -> None:
    assert "2023-03-01-same-org-other-subject" in _ids(home, BASE, 20)


def test_a_record_sharing_nothing_is_not_listed(home: Home) -> None:
    assert "2023-04-01-unrelated" not in _ids(home, BASE, 20)


def test_a_burmese_item_finds_records_through_its_organization_and_place(home: Home) -> None:
    # No other record has Burmese text: the place and the organization lead.
    found = _ids(home, "2023-01-02-sagaing-arrests-my", 20)
    assert set(found) == {"2023-02-01-monywa-detainees", "2023-03-01-same-org-other-subject"}


def test_translation_groups_are_shown_once_in_the_items_language(home: Home) -> None:
    found = similar(home, "2023-02-01-monywa-detainees", 20)
    group = [r for r in found if r.id in (BASE, "2023-01-02-sagaing-arrests-my")]
    assert [r.id for r in group] == [BASE]
    assert [t.id for t in group[0].translations] == ["2023-01-02-sagaing-arrests-my"]


def test_limit_caps_the_list(home: Home) -> None:
    assert len(_ids(home, BASE, 1)) == 1


def test_an_unknown_item_is_not_found(home: Home) -> None:
    with pytest.raises(NotFound):
        similar(home, "no-such-item")


def test_an_empty_library_has_nothing_similar(tmp_path: Path) -> None:
    home = Home(tmp_path)
    cat = Catalogue(home)
    cat.init()
    cat.add(_record("2024-01-01-only", "Only record", "Alone."))
    rebuild(home)
    assert similar(home, "2024-01-01-only") == []


def test_terms_only_the_item_has_or_too_common_are_not_chosen() -> None:
    record = _record("x", "Unique zyzzyva", "common word rare word")
    frequencies = {"zyzzyva": 1, "common": 50, "rare": 3, "word": 3, "uniqu": 2}
    chosen = chosen_terms(record, lambda field, term: frequencies.get(term, 0), 100)
    assert ("english", "zyzzyva") not in chosen  # only this record has it
    assert ("english", "common") not in chosen  # in more than MAX_SHARE of the library
    assert 100 * MAX_SHARE < 50
    assert chosen[0] == ("english", "word")  # twice in the item, as rare as "rare"


def test_burmese_text_gives_syllable_pairs() -> None:
    record = _record("x", "ဖမ်းဆီးမှု", "", language="my")
    assert set(candidate_terms(record)) == {("bigrams", "ဖမ်း ဆီး"), ("bigrams", "ဆီး မှု")}


def test_stop_words_are_never_chosen() -> None:
    record = _record("x", "An open letter", "an arms embargo, as it is")
    stems = {term for _, term in candidate_terms(record)}
    assert stems == {"open", "letter", "arm", "embargo"}


def test_a_french_item_s_terms_are_read_unstemmed_as_the_index_holds_them() -> None:
    french = Record(
        id="fr-1",
        type="report",
        title="Les réfugiés déplacés",
        language="fr",
        date="2024-01-01",
        body="Les villages déplacés et les réfugiés du pays.",
    )
    english = Record(
        id="en-1",
        type="report",
        title="The displaced refugees",
        language="en",
        date="2024-01-01",
        body="The displaced villages.",
    )
    french_terms = {t for f, t in candidate_terms(french) if f == "english"}
    english_terms = {t for f, t in candidate_terms(english) if f == "english"}
    assert "pays" in french_terms and "pay" not in french_terms
    assert "villag" in english_terms  # English is stemmed as before
