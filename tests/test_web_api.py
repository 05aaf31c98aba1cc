"""The JSON API and twins, the one error shape, CORS, feeds and discovery documents."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from test_web_sample import build_sample

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.models import Record
from reslib.web import create_app, item_views

REPORT = "2023-09-10-arbitrary-arrests-in-sagaing"
ATOM = "{http://www.w3.org/2005/Atom}"
ERROR_KEYS = {"ok", "status", "error", "message"}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return build_sample(tmp_path_factory.mktemp("library"))


@pytest.fixture
def app(home: Home) -> Flask:
    return create_app(home, {"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def assert_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == ERROR_KEYS
    assert body["ok"] is False and body["status"] == status
    assert "Traceback" not in body["message"]
    return body


def test_api_search_returns_the_search_json_shape(client: FlaskClient) -> None:
    body = client.get("/api/search?q=arrests").get_json()
    assert set(body) == {
        "query",
        "total",
        "page",
        "limit",
        "sort",
        "results",
        "facets",
        "expanded",
        "did_you_mean",
    }
    assert body["results"][0]["id"] == REPORT
    assert set(body["facets"]) == {"type", "language", "organizations", "year", "places"}


def test_api_search_takes_the_page_parameters(client: FlaskClient) -> None:
    body = client.get(
        "/api/search?q=Sagaing&lang=my&type=report&org=Progressive+Voice&year=2023"
        "&date=2023-09..2023-09&sort=date&page=1&limit=5&exact=0&place=Sagaing"
    ).get_json()
    assert [r["id"] for r in body["results"]] == ["2023-09-10-sagaing-arrests-my"]
    assert (body["sort"], body["limit"]) == ("date", 5)


def test_search_page_and_api_share_one_context(client: FlaskClient) -> None:
    api = client.get("/api/search?q=airstrikes").get_json()
    page = BeautifulSoup(client.get("/?q=airstrikes").get_data(as_text=True), "html.parser")
    assert [a["href"] for a in page.select(".result-title a")] == [
        f"/items/{r['id']}" for r in api["results"]
    ]
    twin = page.find("link", rel="alternate", type="application/json")["href"]
    assert client.get(twin).get_json() == api


def test_item_json_twins_agree(client: FlaskClient) -> None:
    api = client.get(f"/api/items/{REPORT}").get_json()
    assert client.get(f"/items/{REPORT}.json").get_json() == api
    assert api["item"]["title"] == "Arbitrary Arrests in Sagaing Region"
    assert api["translations"][0]["id"] == "2023-09-10-sagaing-arrests-my"
    assert api["listed_in"][0]["id"] == "2023-09-15-weekly-update"
    assert "imported" not in api["item"] and "original" not in api["item"]


@pytest.mark.parametrize(
    "url",
    [
        "/browse/organizations.json",
        "/browse/types.json",
        "/browse/years.json",
        "/about.json",
        "/embed.json",
    ],
)
def test_every_page_has_a_json_twin(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    html = client.get(url.removesuffix(".json"))
    assert html.mimetype == "text/html"


def test_json_keeps_burmese_readable(client: FlaskClient) -> None:
    raw = client.get("/api/items/2023-09-10-sagaing-arrests-my").get_data(as_text=True)
    assert "စစ်ကိုင်း" in raw


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/items/no-such-item", 404),
        ("/items/no-such-item.json", 404),
        ("/api/no-such-route", 404),
        ("/api/search?page=abc", 400),
        ("/api/search?limit=500", 400),
        ("/api/search?type=poem", 400),
        ("/api/search?lang=xx", 400),
        ("/api/search?year=23", 400),
        ("/api/search?date=yesterday", 400),
        ("/api/search?sort=random", 400),
        ("/api/search?exact=maybe", 400),
        ("/api/i18n/fr", 404),
    ],
)
def test_api_errors_have_one_shape(client: FlaskClient, url: str, status: int) -> None:
    assert_error(client.get(url), status)


def test_wrong_method_is_a_json_405_with_allow(client: FlaskClient) -> None:
    response = client.post("/api/search")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_overlong_query_gets_a_polite_message(client: FlaskClient) -> None:
    body = assert_error(client.get("/api/search", query_string={"q": "x" * 600}), 400)
    assert body["message"].startswith("Sorry")
    page = client.get("/", query_string={"q": "x" * 600})
    assert page.status_code == 400
    text = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert text.h1.get_text() == "We could not run this search"
    assert "500 characters" in text.select_one(".error-detail").get_text()


def test_too_deep_page_gets_a_polite_message_in_burmese(client: FlaskClient) -> None:
    page = client.get("/?page=900", headers={"Accept-Language": "my"})
    assert page.status_code == 400
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert soup.h1.get_text() == "ဤရှာဖွေမှုကို မလုပ်ဆောင်နိုင်ပါ"
    assert soup.select_one(".error-detail")["lang"] == "en"


@pytest.mark.parametrize(("lang", "title"), [("en", "Page not found"), ("my", "စာမျက်နှာ မတွေ့ပါ")])
def test_404_page_in_both_languages(client: FlaskClient, lang: str, title: str) -> None:
    response = client.get("/items/no-such-item", headers={"Accept-Language": lang})
    assert response.status_code == 404
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == lang
    assert soup.h1.get_text() == title


def test_unexpected_error_shows_no_trace_in_html_or_json(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(item_views, "item_context", explode)
    for url, lang in ((f"/items/{REPORT}", "en"), (f"/items/{REPORT}", "my")):
        response = client.get(url, headers={"Accept-Language": lang})
        assert response.status_code == 500
        text = response.get_data(as_text=True)
        assert "secret internal detail" not in text and "Traceback" not in text
        soup = BeautifulSoup(text, "html.parser")
        assert soup.html["lang"] == lang
    body = assert_error(client.get(f"/api/items/{REPORT}"), 500)
    assert "secret" not in body["message"]


def test_missing_index_is_a_503_that_says_what_to_do(tmp_path: Path) -> None:
    home = Home(tmp_path)
    cat = Catalogue(home)
    cat.init()
    # Records but no index yet: a new library before its first 'reslib reindex'.
    cat.add(Record(id="2024-01-01-a", type="news", title="A", language="en", date="2024-01-01"))
    client = create_app(home, {"TESTING": True}).test_client()
    body = assert_error(client.get("/api/search?q=x"), 503)
    assert "reindex" in body["message"]
    assert client.get("/").status_code == 503


def test_cors_is_open_on_the_api_only(client: FlaskClient) -> None:
    api = client.get("/api/search?q=x", headers={"Origin": "https://partner.example"})
    assert api.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/search",
        headers={"Origin": "https://partner.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    errors = client.get("/api/items/nope", headers={"Origin": "https://partner.example"})
    assert errors.headers["Access-Control-Allow-Origin"] == "*"
    for url in ("/", f"/items/{REPORT}.json", "/about.json"):
        response = client.get(url, headers={"Origin": "https://partner.example"})
        assert "Access-Control-Allow-Origin" not in response.headers, url


def test_widget_strings_come_from_the_ui_files(client: FlaskClient) -> None:
    body = client.get("/api/i18n/my").get_json()
    assert body["strings"]["widget.button"] == "ရှာမည်"
    assert body["types"]["report"] == "အစီရင်ခံစာ"
    assert all(key.startswith("widget.") for key in body["strings"])


def test_atom_feed_lists_matching_items_newest_first(client: FlaskClient) -> None:
    response = client.get("/feed.atom?q=Progressive")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert entries, "the feed lists the items"
    dates = [e.find(f"{ATOM}published").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert "Progressive" in feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/feed.atom?q=Progressive")


def test_atom_feed_escapes_hostile_titles(client: FlaskClient) -> None:
    feed = ET.fromstring(client.get("/feed.atom?q=hostile").data)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert any(t.startswith("</script>") for t in titles)


def test_opensearch_description_points_at_the_search(client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    href = page.find("link", rel="search")["href"]
    doc = ET.fromstring(client.get(href).data)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    templates = {u.get("type"): u.get("template") for u in doc.findall(f"{ns}Url")}
    assert templates["text/html"].startswith("http://localhost/?q={searchTerms}")
    assert "/api/search?q={searchTerms}" in templates["application/json"]


def test_sitemap_lists_every_item(client: FlaskClient) -> None:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.fromstring(client.get("/sitemap.xml").data)
    locs = [s.find(f"{ns}loc").text for s in index.findall(f"{ns}sitemap")]
    urls = []
    for loc in locs:
        doc = ET.fromstring(client.get(loc.removeprefix("http://localhost")).data)
        urls += [u.find(f"{ns}loc").text for u in doc.findall(f"{ns}url")]
    assert f"http://localhost/items/{REPORT}" in urls
    assert len([u for u in urls if "/items/" in u]) == 6
    assert client.get("/sitemap-items-9.xml").status_code == 404
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").get_data(True)
