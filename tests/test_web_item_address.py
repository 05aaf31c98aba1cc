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
from reslib.web import create_app

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
