"""The Burmese interface all the way (issue 16, item 6): organization and place names from
the authority file and glossary, Burmese digits in counts and dates, nothing left in English
that has a Burmese word; links and JSON keep names and numbers as stored."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from test_web_sample import build_sample

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.web import create_app

REPORT = "2023-09-10-arbitrary-arrests-in-sagaing"
PV_MY = "တိုးတက်သောအသံ"
SAGAING_MY = "စစ်ကိုင်း"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = build_sample(tmp_path_factory.mktemp("library"))
    # The catalogue put the name in the authority file when records used it: add its
    # Burmese name as a librarian editing the file would.
    path = home.library / "organizations.json"
    data = json.loads(path.read_text("utf-8"))
    for org in data["organizations"]:
        if org["name"] == "Progressive Voice":
            org["name_my"] = PV_MY
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    cat = Catalogue(home)
    cat.add_glossary_entry(["Sagaing", "Sagaing Region"], [SAGAING_MY], kind="place")
    return home


@pytest.fixture
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


def soup(client: FlaskClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_item_page_names_organizations_and_places_in_burmese(client: FlaskClient) -> None:
    page = soup(client, f"/items/{REPORT}?ui=my")
    org = page.select_one('.item-meta a[href^="/?org="]')
    assert org.get_text() == PV_MY and org["lang"] == "my"
    assert org["href"] == "/?org=Progressive%20Voice"  # the link keeps the stored name
    place = page.select_one('.item-meta a[href^="/?place="]')
    assert place.get_text() == SAGAING_MY and place["href"] == "/?place=Sagaing"


def test_item_page_dates_in_burmese_digits(client: FlaskClient) -> None:
    time = soup(client, f"/items/{REPORT}?ui=my").select_one(".item-meta time")
    assert time.get_text() == "၂၀၂၃-၀၉-၁၀"
    assert time["datetime"] == "2023-09-10"


def test_english_interface_keeps_english_names_and_digits(client: FlaskClient) -> None:
    page = soup(client, f"/items/{REPORT}?ui=en")
    assert page.select_one('.item-meta a[href^="/?org="]').get_text() == "Progressive Voice"
    assert page.select_one(".item-meta time").get_text() == "2023-09-10"


def test_json_twins_keep_stored_names_and_ascii_numbers(client: FlaskClient) -> None:
    item = client.get(f"/items/{REPORT}.json?ui=my").get_json()["item"]
    assert item["organizations"] == ["Progressive Voice"] and item["date"] == "2023-09-10"
    found = client.get("/api/search?q=Sagaing&ui=my").get_json()
    assert found["results"][0]["organizations"] == ["Progressive Voice"]
    assert isinstance(found["total"], int)


def test_result_lines_show_burmese_names_and_digits(client: FlaskClient) -> None:
    page = soup(client, "/?q=Sagaing&ui=my")
    assert PV_MY in [s.get_text() for s in page.select(".result-org")]
    dates = [t.get_text() for t in page.select(".result-meta time")]
    assert dates and all(d[0] == "၂" for d in dates)


def test_facets_show_burmese_names_and_counts(client: FlaskClient) -> None:
    page = soup(client, "/?ui=my")
    orgs = page.select("#facet-organizations ~ ul li")
    labels = {li.a.get_text(strip=True): li for li in orgs}
    assert PV_MY in labels
    assert "org=Progressive+Voice" in labels[PV_MY].a["href"]
    count = labels[PV_MY].select_one(".count").get_text()
    assert count and all("၀" <= c <= "၉" for c in count)
    places = [a.get_text(strip=True) for a in page.select("#facet-places ~ ul a")]
    assert SAGAING_MY in places
    years = [a.get_text(strip=True) for a in page.select("#facet-year ~ ul a")]
    assert "၂၀၂၃" in years


def test_result_count_in_burmese_digits(client: FlaskClient) -> None:
    total = client.get("/api/search").get_json()["total"]
    count = soup(client, "/?ui=my").select_one(".results-count").get_text()
    assert count == f"ရလဒ် {str(total).translate(str.maketrans('0123456789', '၀၁၂၃၄၅၆၇၈၉'))} ခု"


def test_atom_feed_link_is_translated(client: FlaskClient) -> None:
    page = soup(client, "/?q=Sagaing&ui=my")
    assert page.find("link", type="application/atom+xml")["title"] == "Atom ဖိဒ်"
    assert "Atom feed" not in page.get_text()


def test_page_numbers_and_browse_counts_use_burmese_digits(client: FlaskClient) -> None:
    listing = soup(client, "/?ui=my&limit=2")
    numbers = [a.get_text() for a in listing.select(".pagination a[href*='page=']")]
    assert "၂" in numbers and not any(n.isascii() and n.isdigit() for n in numbers), numbers
    years = soup(client, "/browse/years?ui=my")
    counts = [c.get_text() for c in years.select(".browse-list .count")]
    labels = [a.get_text().strip() for a in years.select(".browse-list a")]
    assert counts and all(not c.isascii() for c in counts), counts
    assert "၂၀၂၃" in labels, labels
    english = soup(client, "/browse/years?ui=en")
    assert "2023" in [a.get_text().strip() for a in english.select(".browse-list a")]


@pytest.mark.parametrize("ui", ["en", "my"])
def test_the_about_page_points_harvesters_to_oai_in_both_languages(
    client: FlaskClient, ui: str
) -> None:
    page = soup(client, f"/about?ui={ui}")
    link = page.select_one('.guide-api a[href^="/oai"]')
    assert link is not None
    item = link.find_parent("li").get_text()
    assert "OAI-PMH" in item and "about.api_oai" not in item
    assert client.get(link["href"]).status_code == 200
