"""Word-aware ranking end to end: a Burmese word ranks records holding it as a word above
records holding its syllables inside a longer word, which it still finds; through search(),
the CLI and the JSON API, typed in Burmese or in English through the glossary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from reslib.catalogue import Catalogue
from reslib.cli import cli
from reslib.config import Home
from reslib.index import IndexUpdater
from reslib.models import Record
from reslib.search import SearchRequest, search
from reslib.web.app import create_app

KAREN = ["karen-women", "karen-refugees", "karen-en"]
KARENNI = ["karenni-camps", "karenni-state", "karenni-en"]


def record(rid: str, title: str, body: str, language: str = "my") -> Record:
    return Record(
        id=rid,
        type="report",
        title=title,
        language=language,
        date="2024-01-01",
        body=body,
    )


RECORDS = [
    # Karenni records name ကရင်နီ often, in the title too: syllable counts favour them.
    record(
        "karenni-camps",
        "ကရင်နီပြည်နယ် စစ်ဘေးရှောင်စခန်းများ",
        "ကရင်နီပြည်နယ်ရှိ စခန်းများ။ ကရင်နီ ဒုက္ခသည်များ။ ကရင်နီ အမျိုးသမီးများ။ ကရင်နီ ကလေးများ။",
    ),
    record(
        "karenni-state",
        "ကရင်နီ ဒေသ သတင်း",
        "ကရင်နီပြည်နယ်တွင် လေကြောင်းတိုက်ခိုက်မှုများ ဖြစ်ပွားသည်။ ကရင်နီ ရွာသားများ ထွက်ပြေးသည်။",
    ),
    record(
        "karen-women",
        "အမျိုးသမီးအဖွဲ့ ထုတ်ပြန်ချက်",
        "ကရင် အမျိုးသမီးများ အစည်းအဝေး ကျင်းပသည်။ လူ့အခွင့်အရေး ချိုးဖောက်မှုများ မှတ်တမ်းတင်သည်။",
    ),
    record(
        "karen-refugees",
        "ဒုက္ခသည်များ အခြေအနေ",
        "နယ်စပ်ရှိ ကရင် ဒုက္ခသည်များ စားနပ်ရိက္ခာ လိုအပ်နေသည်။",
    ),
    record(
        "karen-en",
        "Karen refugees on the border",
        "Karen families fled across the border.",
        language="en",
    ),
    record(
        "karenni-en",
        "Karenni camps under attack",
        "Karenni families fled the camps. Karenni Karenni Karenni.",
        language="en",
    ),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    h = Home(tmp_path_factory.mktemp("words"))
    catalogue = Catalogue(h, listeners=[IndexUpdater(h)])
    catalogue.init()
    catalogue.glossary.add(["Karen", "Kayin"], ["ကရင်"], "place")
    catalogue.glossary.add(["Karenni", "Kayah"], ["ကရင်နီ"], "place")
    catalogue.glossary.save()
    for r in RECORDS:
        catalogue.add(r)
    return h


def ids(home: Home, q: str, **kwargs: object) -> list[str]:
    response = search(home, SearchRequest(q=q, **kwargs))  # type: ignore[arg-type]
    return [r.id for r in response.results]


def karen_first(found: list[str], karen: list[str]) -> None:
    """Every Karen record ranks above every Karenni record found."""
    last_karen = max(found.index(i) for i in karen)
    first_karenni = min((found.index(i) for i in KARENNI if i in found), default=len(found))
    assert last_karen < first_karenni, found


@pytest.mark.parametrize("exact", [True, False])
def test_a_burmese_word_ranks_records_holding_it_as_a_word_first(home: Home, exact: bool) -> None:
    found = ids(home, "ကရင်", exact=exact)
    karen_first(found, ["karen-women", "karen-refugees"])
    # Recall does not drop: the Karenni records hold its syllables and are still found.
    assert {"karenni-camps", "karenni-state"} <= set(found)


def test_an_english_word_through_the_glossary_ranks_karen_above_karenni(home: Home) -> None:
    found = ids(home, "Karen")
    karen_first(found, KAREN)
    # "Karenni" is not the stem "karen": the English Karenni record is not a match at all.
    assert "karenni-en" not in found


def test_the_longer_word_still_finds_its_own_records_first(home: Home) -> None:
    found = ids(home, "ကရင်နီ", exact=True)
    assert set(found[:2]) == {"karenni-camps", "karenni-state"}
    assert "karen-women" not in found


def test_the_cli_ranks_karen_above_karenni(home: Home) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home.root), "search", "ကရင်", "--json"])
    assert result.exit_code == 0, result.output
    found = [r["id"] for r in json.loads(result.output)["results"]]
    karen_first(found, ["karen-women", "karen-refugees"])


def test_the_api_ranks_karen_above_karenni(home: Home) -> None:
    client: FlaskClient = create_app(home, {"TESTING": True}).test_client()
    for q in ("ကရင်", "Karen"):
        body = client.get("/api/search", query_string={"q": q}).get_json()
        found = [r["id"] for r in body["results"]]
        karen_first(found, KAREN if q == "Karen" else ["karen-women", "karen-refugees"])


def test_the_snippet_marks_the_word_and_not_half_of_a_longer_word(home: Home) -> None:
    by_id = {r.id: r for r in search(home, SearchRequest(q="ကရင်", exact=True)).results}
    assert "<mark>ကရင်</mark> အမျိုးသမီး" in by_id["karen-women"].snippet
    karenni = by_id["karenni-camps"].snippet
    assert "<mark>" not in karenni  # neither half of ကရင်နီ nor all of it
    assert "ကရင်နီ" in karenni  # the passage still shows where the syllables are


def test_both_typings_of_yauk_kya_find_each_other(tmp_path: Path) -> None:
    h = Home(tmp_path)
    catalogue = Catalogue(h, listeners=[IndexUpdater(h)])
    catalogue.init()
    utn = "\u101a\u1031\u102c\u1000\u103a\u103b\u102c\u1038"  # asat before medial ya
    everyday = "\u101a\u1031\u102c\u1000\u103b\u103a\u102c\u1038"  # medial ya before asat
    catalogue.add(record("utn", "ခေါင်းစဉ်", f"{utn} တစ်ယောက် ရောက်လာသည်။"))
    catalogue.add(record("everyday", "ခေါင်းစဉ်", f"{everyday} နှစ်ယောက် ရောက်လာသည်။"))
    for q in (utn, everyday):
        assert sorted(ids(h, q, exact=True)) == ["everyday", "utn"]
