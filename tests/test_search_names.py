"""Organization names as search words (issue 13, item 3): the authority file's preferred
names, acronyms, aliases and Burmese names find the organization's records as plain words,
through ``search()``, the command line and the API; ``exact`` switches it off.

The library is the project's sample library (``library/``, the seeds and seven Burmese and
bilingual records), copied and indexed; the precision rules have a small library of their own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reslib.authority import Organizations
from reslib.catalogue import Catalogue
from reslib.cli import cli
from reslib.config import Home
from reslib.index import rebuild
from reslib.models import Record
from reslib.search import SearchRequest, search
from reslib.search.names import NameIndex
from reslib.web import create_app

REPO = Path(__file__).resolve().parents[1]
OCHA = "UN Office for the Coordination of Humanitarian Affairs"
KHRG = "Karen Human Rights Group"
KHRG_MY = "ကရင်လူ့အခွင့်အရေးအဖွဲ့"
FORUM_ASIA = "Asian Forum for Human Rights and Development"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The sample library, copied and indexed."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "library", root / "library")
    home = Home(root)
    rebuild(home)
    return home


def records_of(home: Home, organization: str) -> set[str]:
    """Every record listing ``organization``, read from the catalogue."""
    catalogue = Catalogue(home)
    return {i for i in catalogue.ids() if organization in catalogue.get(i).organizations}


def found(home: Home, q: str, **options: object) -> list[str]:
    """Every record a search shows, leaders and their grouped translations."""
    response = search(home, SearchRequest(q=q, limit=100, **options))  # type: ignore[arg-type]
    return [i for r in response.results for i in (r.id, *(t.id for t in r.translations))]


@pytest.mark.parametrize(
    ("q", "organization"),
    [("OCHA", OCHA), ("KHRG", KHRG), ("FORUM-ASIA", FORUM_ASIA), (KHRG_MY, KHRG)],
)
def test_a_name_the_authority_file_knows_finds_its_records(
    sample: Home, q: str, organization: str
) -> None:
    theirs = records_of(sample, organization)
    assert theirs, "the sample library must hold records of " + organization
    response = search(sample, SearchRequest(q=q, limit=100))
    shown = found(sample, q)
    assert theirs <= set(shown)
    # Ranked as a strong match: the organization's own records come first.
    theirs_first = [organization in r.organizations for r in response.results]
    assert theirs_first == sorted(theirs_first, reverse=True)
    assert organization in response.expanded


def test_without_names_those_words_found_nothing(sample: Home) -> None:
    # What the issue measured: the words occur in none of the records' text.
    for q in ("OCHA", "KHRG", "FORUM-ASIA", KHRG_MY):
        assert search(sample, SearchRequest(q=q, exact=True)).total == 0, q


def test_the_burmese_name_adds_the_english_one_and_the_english_the_burmese(sample: Home) -> None:
    assert search(sample, SearchRequest(q=KHRG_MY)).expanded == [KHRG]
    assert KHRG_MY in search(sample, SearchRequest(q="karen human rights group")).expanded


def test_a_burmese_name_typed_with_spaces_is_the_same_name(sample: Home) -> None:
    spaced = "ကရင် လူ့အခွင့်အရေး အဖွဲ့"
    assert records_of(sample, KHRG) <= set(found(sample, spaced))


def test_a_name_inside_a_longer_query_narrows_like_a_word(sample: Home) -> None:
    theirs = records_of(sample, OCHA)
    narrowed = set(found(sample, "OCHA clashes"))
    assert narrowed and narrowed <= theirs | set(found(sample, "clashes"))
    assert narrowed < set(found(sample, "OCHA"))


def test_exact_switches_names_off(sample: Home) -> None:
    response = search(sample, SearchRequest(q="OCHA", exact=True))
    assert response.expanded == []
    assert response.total == 0


def test_a_quoted_name_is_not_expanded(sample: Home) -> None:
    assert search(sample, SearchRequest(q='"OCHA"')).expanded == []


def test_names_through_the_command_line(sample: Home) -> None:
    result = CliRunner().invoke(cli, ["--home", str(sample.root), "search", "OCHA", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert OCHA in data["expanded"]
    assert data["results"] and all(OCHA in r["organizations"] for r in data["results"])
    plain = CliRunner().invoke(cli, ["--home", str(sample.root), "search", "KHRG"])
    assert f"Also searched: {KHRG}" in plain.output


def test_names_through_the_api(sample: Home) -> None:
    client = create_app(sample, {"TESTING": True}).test_client()
    body = client.get("/api/search", query_string={"q": KHRG_MY}).get_json()
    assert body["expanded"] == [KHRG]
    ids = {i for r in body["results"] for i in (r["id"], *(t["id"] for t in r["translations"]))}
    assert records_of(sample, KHRG) <= ids
    exact = client.get("/api/search", query_string={"q": "FORUM-ASIA", "exact": "1"}).get_json()
    assert exact["total"] == 0 and exact["expanded"] == []


# -- precision: names that are also ordinary words -------------------------------------------


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """An organization whose acronym is an English word, and records that use the word."""
    home = Home(tmp_path_factory.mktemp("two"))
    catalogue = Catalogue(home)
    catalogue.init()
    catalogue.organizations.add("Ta’ang Women’s Organization", acronyms=["TWO"])
    catalogue.organizations.save()
    catalogue.add(
        Record(
            id="twa-report",
            type="report",
            title="Women in northern Shan",
            language="en",
            date="2023-05-01",
            organizations=["Ta’ang Women’s Organization"],
            body="Displacement in northern Shan State.",
        )
    )
    catalogue.add(
        Record(
            id="two-villages",
            type="news",
            title="Fighting near two villages",
            language="en",
            date="2023-06-01",
            body="Two villages were shelled.",
        )
    )
    rebuild(home)
    return home


def test_a_lower_case_acronym_that_is_a_word_stays_the_word(two: Home) -> None:
    response = search(two, SearchRequest(q="two"))
    assert response.expanded == []
    assert found(two, "two") == ["two-villages"]


def test_an_acronym_in_capitals_finds_the_organization_too(two: Home) -> None:
    response = search(two, SearchRequest(q="TWO"))
    assert response.expanded == ["Ta’ang Women’s Organization"]
    # The organization's record first, then the word.
    assert [r.id for r in response.results] == ["twa-report", "two-villages"]


def test_name_index_rules(tmp_path: Path) -> None:
    orgs = Organizations(tmp_path / "organizations.json")
    orgs.add("Karen Human Rights Group", name_my=KHRG_MY, acronyms=["KHRG"])
    orgs.add("ALTSEAN-Burma", aliases=["Alternative ASEAN Network on Burma"])
    orgs.add("Ta’ang Women’s Organization", acronyms=["TWO"])
    names = NameIndex(orgs)
    assert names.find("KHRG").name == "Karen Human Rights Group"  # type: ignore[union-attr]
    assert names.find("khrg") is None and names.find("Khrg") is None
    assert names.find("ALTSEAN-BURMA") is not None  # all in capitals
    assert names.find("Altsean-burma") is None
    assert names.find("karen human rights group") is not None  # several words: any case
    assert names.find("Karen Human Rights") is None  # a whole name only
    assert names.find("alternative asean network on burma") is not None
    assert names.find("ကရင် လူ့အခွင့်အရေး အဖွဲ့") is not None  # spaces ignored
    assert names.find("Ta'ang Women's Organization") is not None  # straight quotes
    # What a name adds: never a one-word name other than the preferred name.
    assert names.variants(["Karen Human Rights Group"]) == [KHRG_MY]
    assert names.variants(["TWO"]) == ["Ta’ang Women’s Organization"]
    # How far a run of query words may be a name: a set look-up per word.
    assert names.reach(["Karen", "Human", "Rights", "Group", "report"]) == 4
    assert names.reach(["Karen", "report"]) == 1
    assert names.reach(["ကရင်", "လူ့အခွင့်အရေး", "အဖွဲ့", "မှ"]) == 3
