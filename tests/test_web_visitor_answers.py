"""What a visitor reads when a count is one, an item is missing or removed, a page is past the
end, or a date is not a date: site wording in both languages, never the CLI's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from test_web_sample import build_sample

from reslib.config import Home
from reslib.web import create_app
from reslib.web.i18n import Strings

WEB = Path(__file__).resolve().parents[1] / "web"

#: Never a record: a tombstone only, as ``reslib remove`` leaves one.
REMOVED = "2020-01-01-withdrawn-statement"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    built = build_sample(tmp_path_factory.mktemp("library"))
    tombstones = built.library / "tombstones"
    tombstones.mkdir(parents=True, exist_ok=True)
    tomb = {"id": REMOVED, "title": "Withdrawn statement", "removed": "2024-01-01T00:00:00Z"}
    (tombstones / f"{REMOVED}.json").write_text(json.dumps(tomb), "utf-8")
    return built


@pytest.fixture
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_one_result_is_counted_in_the_singular(client: FlaskClient) -> None:
    assert client.get("/api/search?q=arrests").get_json()["total"] == 1
    assert soup(client.get("/?q=arrests")).select_one(".results-count").get_text() == "1 result"


def test_several_results_keep_the_plural(client: FlaskClient) -> None:
    total = client.get("/api/search").get_json()["total"]
    assert total > 1
    assert soup(client.get("/")).select_one(".results-count").get_text() == f"{total} results"


def test_burmese_count_of_one_stays_burmese(client: FlaskClient) -> None:
    count = soup(client.get("/?q=arrests&ui=my")).select_one(".results-count").get_text()
    # Burmese digits in the Burmese interface (issue 16, item 6).
    assert count == "ရလဒ် ၁ ခု"


def test_missing_item_page_speaks_to_visitors_not_cli_users(client: FlaskClient) -> None:
    for path in ("/items/no-such-item", "/items/no-such-item.json", "/api/items/no-such-item"):
        response = client.get(path)
        assert response.status_code == 404
        assert "reslib list" not in response.get_data(as_text=True), path
    body = client.get("/api/items/no-such-item").get_json()
    assert body["message"] == "there is no item 'no-such-item' in the library"


@pytest.mark.parametrize("path", [f"/items/{REMOVED}.json", f"/api/items/{REMOVED}"])
def test_removed_item_answers_410_gone_in_the_one_error_shape(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 410
    assert response.get_json() == {
        "ok": False,
        "status": 410,
        "error": "Gone",
        "message": f"item {REMOVED} was removed from the library",
    }


def test_removed_item_page_says_it_was_removed(client: FlaskClient) -> None:
    response = client.get(f"/items/{REMOVED}")
    assert response.status_code == 410
    page = soup(response)
    assert page.find("h1").get_text() == "This item was removed"
    assert "removed from the library" in page.select_one(".error-text").get_text()


def test_removed_item_page_in_burmese(client: FlaskClient) -> None:
    page = soup(client.get(f"/items/{REMOVED}?ui=my"))
    assert page.find("h1").get_text() == "ဤအရာကို ဖယ်ရှားပြီးဖြစ်သည်"


def test_removed_item_downloads_are_gone_too(client: FlaskClient) -> None:
    for suffix in (".bib", ".ris", "/file"):
        assert client.get(f"/items/{REMOVED}{suffix}").status_code == 410, suffix


def test_past_the_last_page_says_so_and_leads_back_to_page_one(client: FlaskClient) -> None:
    total = client.get("/api/search").get_json()["total"]
    page = soup(client.get(f"/?page={total + 1}"))
    assert page.select_one("ol.result-list") is None
    assert page.select_one(".sort") is None
    notice = page.select_one(".past-end")
    assert "no more results" in notice.get_text()
    back = notice.find("a")
    assert back is not None and "page=" not in back["href"]
    first = soup(client.get(back["href"]))
    assert first.select("ol.result-list li")


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2023-13", "date '2023-13' has month 13: months run from 01 to 12"),
        ("2023-09..2023-00", "date '2023-00' has month 00: months run from 01 to 12"),
        ("2023-09-32", "date '2023-09-32' has day 32: days run from 01 to 31"),
    ],
)
def test_impossible_date_is_a_400_that_says_why(
    client: FlaskClient, date: str, message: str
) -> None:
    response = client.get("/api/search", query_string={"date": date})
    assert response.status_code == 400
    assert response.get_json()["message"] == message
    page = client.get("/", query_string={"date": date})
    assert page.status_code == 400
    assert message in soup(page).select_one(".error-detail").get_text()


def test_real_dates_and_open_ranges_still_search(client: FlaskClient) -> None:
    for date in ("2023-09", "2024-02-29", "2023-09..", "..2023-10-31", "2023"):
        assert client.get("/api/search", query_string={"date": date}).status_code == 200, date


@pytest.mark.parametrize("key", ["search.count", "browse.total", "about.count"])
def test_every_english_count_has_a_singular(key: str) -> None:
    strings = Strings(WEB / "i18n")
    assert "1 results" not in strings.get("en", key, n=1)
    assert "1 items" not in strings.get("en", key, n=1)
    assert strings.get("en", key, n=1) != strings.get("en", key, n=2).replace("2", "1")
    # Burmese nouns do not change with number: the Burmese string, never the English singular.
    assert strings.get("my", key, n=1) == strings.tables["my"][key].format(n="၁")
