"""More like this on the web: ``/api/items/ID/similar`` and the item page's section."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from test_web_api import assert_error
from test_web_sample import build_sample

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.models import Record
from reslib.web import create_app

REPORT = "2023-09-10-arbitrary-arrests-in-sagaing"
REPORT_MY = "2023-09-10-sagaing-arrests-my"
UPDATE = "2023-09-15-weekly-update"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return build_sample(tmp_path_factory.mktemp("library"))


@pytest.fixture
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


def test_similar_api_lists_records_sharing_the_items_organization(client: FlaskClient) -> None:
    response = client.get(f"/api/items/{REPORT}/similar")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["id"] == REPORT
    ids = [r["id"] for r in body["results"]]
    assert ids and UPDATE in ids  # same organization, and it lists the report
    assert REPORT not in ids and REPORT_MY not in ids
    assert set(body["results"][0]) >= {"id", "title", "type", "date", "organizations", "score"}


def test_similar_api_takes_a_limit(client: FlaskClient) -> None:
    assert len(client.get(f"/api/items/{REPORT}/similar?limit=1").get_json()["results"]) == 1


@pytest.mark.parametrize("limit", ["0", "21", "x", "-1"])
def test_similar_api_refuses_a_bad_limit(client: FlaskClient, limit: str) -> None:
    assert_error(client.get(f"/api/items/{REPORT}/similar?limit={limit}"), 400)


def test_similar_api_of_an_unknown_item_is_404(client: FlaskClient) -> None:
    assert_error(client.get("/api/items/no-such-item/similar"), 404)


def test_item_page_shows_more_like_this_with_its_json_twin(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get(f"/items/{REPORT}").get_data(as_text=True), "html.parser")
    section = page.select_one("section.item-similar")
    assert section is not None
    assert section.h2.get_text() == "More like this"
    api = client.get(f"/api/items/{REPORT}/similar").get_json()
    assert [a["href"] for a in section.select("li > a")] == [
        f"/items/{r['id']}" for r in api["results"]
    ]
    twin = client.get(f"/items/{REPORT}.json").get_json()
    assert twin["similar"] == api["results"]
    assert twin["links"]["similar"] == f"/api/items/{REPORT}/similar"


def test_more_like_this_heading_in_burmese(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get(f"/items/{REPORT}?ui=my").get_data(as_text=True), "html.parser")
    assert page.select_one("#h-similar").get_text() == "ဆင်တူသည့် အရာများ"


def test_item_page_needs_no_index_for_its_own_part(tmp_path: Path) -> None:
    home = Home(tmp_path)
    cat = Catalogue(home)
    cat.init()
    cat.add(Record(id="2024-01-01-a", type="news", title="A", language="en", date="2024-01-01"))
    client = create_app(home, {"TESTING": True}).test_client()
    response = client.get("/items/2024-01-01-a")
    assert response.status_code == 200
    assert client.get("/items/2024-01-01-a.json").get_json()["similar"] == []
    assert_error(client.get("/api/items/2024-01-01-a/similar"), 503)
