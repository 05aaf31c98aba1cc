"""Languages beyond English and Burmese (issue 14, item 5).

A text's language is ``my``, ``en``, ``en+my`` or the ISO 639-1 code of another language
(``reslib.analysis.language``); English stays English, so English stemming is never lost to a
wrong guess. Only English (and Burmese) text is stemmed as English: a French record's words
are indexed unstemmed, so porter2 does not make its ``pays`` (country) and ``payé`` (paid)
one word, and a query word finds both kinds of record. The language facet shows the new
values, with labels in both interface languages, and every filter takes the new codes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import shared_path
from import_fixtures.library import make_catalogue
from import_fixtures.wordpress import generic_page
from test_facets import client_of

from reslib.analysis.analyzers import UnstemmedText, unstemmed
from reslib.analysis.language import detect_language
from reslib.analysis.terms import index_stream
from reslib.cli import cli
from reslib.config import Home
from reslib.errors import InvalidInput
from reslib.importers import import_paths
from reslib.library import open_library
from reslib.models import LANGUAGES, Record, normalize_language, stems_english
from reslib.search import SearchRequest, search

FRENCH = (
    "Les organisations de la société civile condamnent les frappes aériennes contre les "
    "écoles et demandent au Conseil de sécurité d'imposer un embargo sur les armes."
)
TEXTS = {
    "fr": [FRENCH, "Déclaration conjointe sur les frappes aériennes"],
    "de": [
        "Zivilgesellschaftliche Organisationen verurteilen die Luftangriffe auf Schulen und "
        "fordern den Sicherheitsrat auf, ein Waffenembargo zu verhängen.",
        "Gemeinsame Erklärung zu Luftangriffen",
    ],
    "cs": [
        "Organizace občanské společnosti odsuzují letecké útoky na školy a vyzývají Radu "
        "bezpečnosti, aby uvalila zbrojní embargo.",
        "Otevřený dopis Radě bezpečnosti",
    ],
    "pt": [
        "As organizações da sociedade civil condenam os ataques aéreos contra escolas e pedem "
        "ao Conselho de Segurança que imponha um embargo de armas.",
        "Carta aberta ao Conselho de Segurança",
    ],
    "ar": [
        "تدين منظمات المجتمع المدني الغارات الجوية على المدارس.",
        "بيان مشترك بشأن الغارات الجوية",
    ],
    "ja": ["市民社会団体は学校への空爆を非難しています。", "空爆に関する共同声明"],
}


# -- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_other_languages_are_told_apart_titles_too(code: str) -> None:
    for text in TEXTS[code]:
        assert detect_language(text) == code, text


def test_english_and_burmese_stay_as_they_were() -> None:
    assert detect_language("Joint Statement on Airstrikes against Schools") == "en"
    assert detect_language("Karenni displacement", "", "") == "en"
    assert detect_language("Tatmadaw airstrikes in Sagaing") == "en"
    assert detect_language("မြန်မာ စစ်ခေါင်းဆောင်များနှင့် NUG") == "my"
    assert detect_language("Open letter / အိတ်ဖွင့်ပေးစာ ဖင်လန်နှင့်") == "en+my"
    assert detect_language("Déclaration / အိတ်ဖွင့်ပေးစာ ဖင်လန်နှင့်") == "en+my"
    assert detect_language("2023 – 10") == detect_language("") == "en"


def test_real_english_lines_are_never_called_another_language() -> None:
    # Short sentences full of Japanese names: where detectors go wrong most.
    lines = shared_path("corpora", "talpco", "data_eng.txt").read_text("utf-8").splitlines()
    texts = [line.split("\t", 1)[1] for line in lines if "\t" in line]
    assert len(texts) > 1000
    assert [t for t in texts if detect_language(t) != "en"] == []


def test_burmese_script_languages_are_burmese_and_nothing_crashes() -> None:
    # Shan, S'gaw Karen and Mon (out of scope: tagged my, not guessed at); other scripts.
    for text in ("ၵႂၢမ်းတႆး ၽႃႇသႃႇတႆး", "ပၠံင်ခ်ီ ကညီကျိာ်", "ဘာသာမန်", "\ua9e0\ua9e1\uaa60"):
        assert detect_language(text) == "my"
    assert detect_language("แถลงการณ์ร่วมเรื่องการโจมตีทางอากาศ") == "th"
    for text in ("\u200b\u200c", "!!! ???", "ꯃꯅꯤꯄꯨꯔ", "სამოქალაქო საზოგადოება"):
        assert detect_language(text) in LANGUAGES


# -- the vocabulary ---------------------------------------------------------------------------


def test_languages_have_codes_english_names_and_burmese_labels() -> None:
    assert {"en", "my", "en+my", "fr", "de", "cs", "pt", "ar", "ja"} <= set(LANGUAGES)
    for code, (english, burmese) in LANGUAGES.items():
        assert english and any("\u1000" <= c <= "\u109f" for c in burmese), code
    assert normalize_language("French") == normalize_language(" FR ") == "fr"
    assert normalize_language("bilingual") == "en+my"
    with pytest.raises(InvalidInput, match="unknown language 'xx'"):
        normalize_language("xx")
    assert [c for c in LANGUAGES if stems_english(c)] == ["en", "my", "en+my"]


# -- analysis: French is not stemmed as English ------------------------------------------------


def test_a_french_text_is_indexed_without_english_stemming() -> None:
    text = "Le pays a payé les réfugiés; les écoles"
    english, _ = index_stream(text)
    french, _ = index_stream(unstemmed(text, "fr"))
    # porter2 makes pays (country) and payé (paid) one term; French keeps them apart.
    assert english[1] == english[3] == "pay"
    assert french == ("le", "pays", "a", "paye", "les", "refugies", "les", "ecoles")
    assert isinstance(unstemmed(text, "de"), UnstemmedText)
    assert type(unstemmed(text, "en+my")) is str and type(unstemmed(text, "my")) is str


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Home:
    root = tmp_path_factory.mktemp("languages")
    home = Home(root)
    cat = open_library(home)
    cat.init()
    cat.add(Record("le-pays", "report", "Les réfugiés du pays", "fr", "2023-05",
                   summary="Le pays compte des milliers de personnes déplacées."))  # fmt: skip
    cat.add(Record("paid-late", "report", "Workers paid late", "en", "2023-06",
                   summary="The workers were not paid; their pay is late."))  # fmt: skip
    cat.add(Record("ein-bericht", "report", "Ein Bericht über Vertriebene", "de", "2023-07",
                   summary="Vertriebene Familien in Sagaing."))  # fmt: skip
    return home


def ids(home: Home, q: str, **filters: list[str]) -> list[str]:
    return sorted(r.id for r in search(home, SearchRequest(q=q, **filters)).results)  # type: ignore[arg-type]


def test_a_french_record_is_found_by_its_own_words_and_not_by_an_english_stem(
    library: Home,
) -> None:
    for q in ("pays", "réfugiés", "refugies", "personnes déplacées", '"réfugiés du pays"'):
        assert "le-pays" in ids(library, q), q
    # English stemming would have made the French pays (country) the English pay.
    assert ids(library, "pay") == ids(library, "paying") == ["paid-late"]
    assert "le-pays" not in ids(library, "payé")
    assert ids(library, "Vertriebene") == ["ein-bericht"]


def test_the_language_facet_shows_the_new_languages_and_each_count_is_its_click(
    library: Home,
) -> None:
    facets = search(library, SearchRequest()).facets["language"]
    assert {f.value: f.count for f in facets} == {"en": 1, "fr": 1, "de": 1}
    for f in facets:
        assert search(library, SearchRequest(lang=[f.value])).total == f.count
    assert ids(library, "", lang=["fr", "de"]) == ["ein-bericht", "le-pays"]


def test_api_page_and_cli_take_the_new_codes_with_labels_in_both_languages(
    library: Home,
) -> None:
    client = client_of(library)
    assert client.get("/api/search?lang=fr").get_json()["total"] == 1
    assert client.get("/api/search?lang=xx").status_code == 400
    for ui, french in (("en", "French"), ("my", "ပြင်သစ်")):
        page = client.get("/", headers={"Accept-Language": ui}).get_data(as_text=True)
        labels = [a.get_text() for a in BeautifulSoup(page, "html.parser").select(
            "#facet-language ~ ul a")]  # fmt: skip
        assert any(french in label for label in labels), labels
    runner = CliRunner()
    found = runner.invoke(cli, ["--home", str(library.root), "search", "--lang", "fr", "--json"])
    assert found.exit_code == 0, found.output
    assert [r["id"] for r in json.loads(found.stdout)["results"]] == ["le-pays"]
    listed = runner.invoke(cli, ["--home", str(library.root), "list", "--language", "French"])
    assert listed.exit_code == 0 and "le-pays" in listed.output and "paid-late" not in listed.output
    types = json.loads(runner.invoke(cli, ["types", "--json"]).stdout)["languages"]
    assert {"key": "fr", "en": "French", "my": "ပြင်သစ်"} in types
    assert "fr             French / ပြင်သစ်" in runner.invoke(cli, ["types"]).stdout.splitlines()


# -- import -----------------------------------------------------------------------------------


def test_a_french_page_is_imported_as_french(tmp_path: Path) -> None:
    catalogue = make_catalogue(tmp_path / "lib")
    page = tmp_path / "in" / "declaration.html"
    page.parent.mkdir()
    page.write_text(
        generic_page(
            "Déclaration conjointe sur les frappes aériennes",
            [FRENCH, "Nous appelons la communauté internationale à soutenir les déplacés."],
            published="2023-11-02T08:00:00+00:00",
            site="Le Monde",
        ),
        "utf-8",
    )
    summary = import_paths(catalogue, [page])
    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.language == "fr"
