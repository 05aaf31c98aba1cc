"""An item's own address is its HTML page, in every rendering that names one.

Citation managers and search engines keep whatever an item page calls itself; the ``.json``
twin and the API are other renderings of the same item, so none of them may be named as it.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from test_web_sample import build_sample

from reslib.config import Home
from reslib.models import Record
from reslib.web import citation, create_app

REPORT = "2023-09-10-arbitrary-arrests-in-sagaing"
PAGE = f"http://localhost/items/{REPORT}"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return build_sample(tmp_path_factory.mktemp("library"))


@pytest.fixture
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


def _page(client: FlaskClient) -> BeautifulSoup:
    response = client.get(f"/items/{REPORT}")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _meta(page: BeautifulSoup, name: str) -> str:
    tag = page.find("meta", attrs={"name": name})
    assert tag is not None, name
    return str(tag["content"])


def test_item_page_names_itself_canonical(client: FlaskClient) -> None:
    assert _page(client).find("link", rel="canonical")["href"] == PAGE


def test_item_page_citation_tags_give_the_html_page(client: FlaskClient) -> None:
    page = _page(client)
    assert _meta(page, "citation_abstract_html_url") == PAGE
    assert _meta(page, "DC.identifier") == PAGE


def test_item_page_json_ld_id_and_url_are_the_html_page(client: FlaskClient) -> None:
    script = _page(client).find("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@id"] == PAGE
    assert data["url"] == PAGE


@pytest.mark.parametrize("path", [f"/items/{REPORT}.json", f"/api/items/{REPORT}"])
def test_json_renderings_link_the_html_page_not_themselves(client: FlaskClient, path: str) -> None:
    body = client.get(path).get_json()
    assert body["links"]["html"] == PAGE
    assert body["links"]["json"] == f"/api/items/{REPORT}"


def test_item_page_json_twin_link_stays_an_alternate(client: FlaskClient) -> None:
    alternate = _page(client).find("link", rel="alternate", type="application/json")
    assert alternate["href"] == f"/api/items/{REPORT}"


def test_item_page_address_follows_the_host_it_was_asked_on(home: Home) -> None:
    client = create_app(home, {"TESTING": True}).test_client()
    body = client.get(f"/api/items/{REPORT}", base_url="https://library.example.org").get_json()
    assert body["links"]["html"] == f"https://library.example.org/items/{REPORT}"


REPORT_MY = "2023-09-10-sagaing-arrests-my"
LETTER = "2021-03-01-open-letter"  # no source URL; a PDF attached


def test_bibtex_without_a_source_url_gives_the_items_page(client: FlaskClient) -> None:
    bib = client.get(f"/items/{LETTER}.bib").get_data(as_text=True)
    page = f"http://localhost/items/{LETTER}"
    assert f"  url = {{{page}}}" in bib
    assert f"  howpublished = {{\\url{{{page}}}}}\n}}" in bib


def test_ris_without_a_source_url_gives_the_items_page(client: FlaskClient) -> None:
    ris = client.get(f"/items/{LETTER}.ris").get_data(as_text=True)
    assert f"UR  - http://localhost/items/{LETTER}\r\n" in ris


def test_citations_keep_the_source_url_when_there_is_one(client: FlaskClient) -> None:
    bib = client.get(f"/items/{REPORT}.bib").get_data(as_text=True)
    assert "url = {https://example.org/reports/sagaing}" in bib and "howpublished" not in bib
    ris = client.get(f"/items/{REPORT}.ris").get_data(as_text=True)
    assert "UR  - https://example.org/reports/sagaing" in ris and "/items/" not in ris


def test_an_attached_pdf_is_named_in_citation_pdf_url(client: FlaskClient) -> None:
    response = client.get(f"/items/{LETTER}")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert _meta(page, "citation_pdf_url") == f"http://localhost/items/{LETTER}/file"
    assert _page(client).find("meta", attrs={"name": "citation_pdf_url"}) is None


def _ld(client: FlaskClient, item_id: str) -> dict:  # type: ignore[type-arg]
    page = BeautifulSoup(client.get(f"/items/{item_id}").get_data(as_text=True), "html.parser")
    return json.loads(page.find("script", type="application/ld+json").string)  # type: ignore[no-any-return]


def test_json_ld_translation_names_its_original_and_the_original_its_translations(
    client: FlaskClient,
) -> None:
    original, translation = _ld(client, REPORT), _ld(client, REPORT_MY)
    assert original["workTranslation"] == [{"@id": f"http://localhost/items/{REPORT_MY}"}]
    assert "translationOfWork" not in original
    assert translation["translationOfWork"] == {"@id": PAGE}
    assert "workTranslation" not in translation


def _rec(rid: str, language: str, added: str, source_url: str = "") -> Record:
    return Record(
        id=rid,
        type="report",
        title=rid,
        language=language,
        date="2023",
        source_url=source_url,
        added=added,
    )


def test_the_original_is_the_record_added_first() -> None:
    first = _rec("b-my", "my", "2023-01-01T00:00:00Z")
    later = _rec("a-en", "en", "2023-02-01T00:00:00Z", "https://example.org/a")
    assert citation.original([later, first]).id == "b-my"
    assert citation.original([first, later]).id == "b-my"


def test_among_records_added_together_one_with_a_source_is_the_original() -> None:
    mine = _rec("a-en", "en", "2023-01-01T00:00:00Z")
    sourced = _rec("b-my", "my", "2023-01-01T00:00:00Z", "https://example.org/b")
    assert citation.original([mine, sourced]).id == "b-my"
    plain_my = _rec("a-my", "my", "2023-01-01T00:00:00Z")
    plain_en = _rec("b-en", "en", "2023-01-01T00:00:00Z")
    assert citation.original([plain_my, plain_en]).id == "b-en"
