"""The search page as state that stays (issue 16, items 3, 4 and 8): filters and sort carried
into a new query, active filters as chips, "clear all", the phone's Filters button, marked
titles, and the small things around the page (feed link, favicon, sitemap, browse, about)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from test_web_sample import BURMESE_TITLE, HOSTILE_TITLE, build_sample

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.search import facets as facets_module
from reslib.web import create_app

REPORT = "2023-09-10-arbitrary-arrests-in-sagaing"
WEB = Path(__file__).resolve().parents[1] / "web"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    built = build_sample(tmp_path_factory.mktemp("library"))
    # Named in the authority file, author of nothing in the library.
    cat = Catalogue(built)
    cat.add_organization("Organization Without Items")
    cat.add_glossary_entry(["Sagaing"], ["စစ်ကိုင်းတိုင်း"])
    return built


@pytest.fixture
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def form_fields(page: BeautifulSoup) -> list[tuple[str, str]]:
    """What the search form would send, as a browser submits it (checkbox unticked)."""
    form = page.select_one("form.search-form")
    fields = [(i["name"], i.get("value", "")) for i in form.select("input[type=hidden]")]
    return [("q", form.select_one("input#q")["value"]), *fields]


def submit(client: FlaskClient, page: BeautifulSoup, words: str) -> BeautifulSoup:
    fields = [(k, words if k == "q" else v) for k, v in form_fields(page)]
    return soup(client.get("/", query_string=fields))


def chip_texts(page: BeautifulSoup) -> list[str]:
    return [" ".join(c.get_text(" ", strip=True).split()) for c in page.select(".chips a.chip")]


def result_ids(page: BeautifulSoup) -> list[str]:
    return [a["href"].rsplit("/", 1)[1] for a in page.select(".result-title a")]


# Item 3: filters as state that stays.


def test_a_new_query_keeps_the_filters_and_the_chosen_sort(client: FlaskClient) -> None:
    page = soup(client.get("/?q=arrests&type=report&lang=en&sort=date"))
    hidden = form_fields(page)[1:]
    assert ("type", "report") in hidden and ("lang", "en") in hidden
    assert ("sort", "date") in hidden
    # The words, the page and "exact" are the form's own, never carried hidden.
    assert {name for name, _ in hidden} <= {"type", "lang", "org", "year", "place", "date", "sort"}
    after = submit(client, page, "Sagaing")
    assert after.select_one("input#q")["value"] == "Sagaing"
    assert chip_texts(after) == [
        "Type: Report (1) × (remove this filter)",
        "Language: English (1) × (remove this filter)",
    ]
    assert after.select_one(".sort strong").get_text() == "newest"
    assert result_ids(after) == [REPORT]


def test_a_default_sort_by_date_of_a_bare_listing_is_not_carried(client: FlaskClient) -> None:
    # A listing without words is newest first by default; words typed next rank by relevance.
    page = soup(client.get("/?type=report"))
    assert ("sort", "date") not in form_fields(page)
    after = submit(client, page, "arrests")
    assert after.select_one(".sort strong").get_text() == "relevance"


def test_each_active_filter_is_a_chip_that_removes_only_itself(client: FlaskClient) -> None:
    page = soup(client.get("/?q=Sagaing&type=report&lang=en&date=2023..2023-12"))
    chips = page.select(".chips a.chip")
    assert len(chips) == 3
    removed = [dict(parse_qsl(urlsplit(c["href"]).query)) for c in chips]
    assert removed[0] == {"q": "Sagaing", "lang": "en", "date": "2023..2023-12"}
    assert removed[1] == {"q": "Sagaing", "type": "report", "date": "2023..2023-12"}
    assert removed[2] == {"q": "Sagaing", "type": "report", "lang": "en"}
    assert "Date: 2023..2023-12" in chip_texts(page)[2]
    # Following a chip leaves the other filters in force.
    assert chip_texts(soup(client.get(chips[0]["href"])))[0].startswith("Language: English")


def test_clear_all_keeps_the_words_sort_and_exact_and_drops_every_filter(
    client: FlaskClient,
) -> None:
    page = soup(client.get("/?q=Sagaing&type=report&org=Progressive+Voice&sort=date&exact=1"))
    clear = page.select_one(".clear-all a")
    assert clear.get_text() == "Clear all filters"
    assert dict(parse_qsl(urlsplit(clear["href"]).query)) == {
        "q": "Sagaing",
        "sort": "date",
        "exact": "1",
    }
    cleared = soup(client.get(clear["href"]))
    assert cleared.select(".chips") == [] and cleared.select_one(".clear-all") is None


def test_a_filter_that_matches_nothing_stays_visible_as_active_with_zero(
    client: FlaskClient,
) -> None:
    page = soup(client.get("/?q=Sagaing&type=news&org=Nobody+At+All"))
    assert page.select_one(".results-count").get_text() == "0 results"
    assert chip_texts(page) == [
        "Type: News (0) × (remove this filter)",
        "Organization: Nobody At All (0) × (remove this filter)",
    ]
    active = page.select("#filters .facet li.active")
    assert {li.a.get_text(" ", strip=True).split(" (")[0] for li in active} == {
        "News",
        "Nobody At All",
    }
    assert {li.select_one(".count").get_text() for li in active} == {"0"}


def test_no_chips_and_no_clear_all_without_filters(client: FlaskClient) -> None:
    page = soup(client.get("/?q=Sagaing"))
    assert page.select(".active-filters") == []


# Item 4: the phone's Filters button (the CSS is checked in the browser tests).


def test_the_filters_button_leads_to_the_filters_and_comes_before_the_results(
    client: FlaskClient,
) -> None:
    page = soup(client.get("/?q=Sagaing&type=report"))
    button = page.select_one(".filters-open a.filters-button")
    assert button["href"] == "#filters"
    assert button.get_text() == "Filters (1)"
    assert page.find(id="filters").name == "aside"
    order = [e.get("id") or e["class"][0] for e in page.select(".search-layout > *")]
    assert order.index("filters-open") < order.index("results")
    assert page.select_one("#filters .filters-close a")["href"] == "#results"


# Item 8: titles marked, links without a stray "?", favicon, sitemap, browse, about.


def test_matches_in_titles_are_marked(client: FlaskClient) -> None:
    page = soup(client.get("/?q=sagaing"))
    title = page.select_one(f'.result-title a[href="/items/{REPORT}"]')
    assert [m.get_text() for m in title.select("mark")] == ["Sagaing"]
    assert title.get_text() == "Arbitrary Arrests in Sagaing Region"


def test_a_burmese_word_is_marked_in_a_burmese_title(client: FlaskClient) -> None:
    page = soup(client.get("/?q=ဖမ်းဆီး&lang=my"))
    title = page.select_one(".result-title a")
    assert title.get_text() == BURMESE_TITLE
    assert [m.get_text() for m in title.select("mark")] == ["ဖမ်းဆီး"]


def test_marked_titles_stay_text(client: FlaskClient) -> None:
    page = soup(client.get("/?q=hostile"))
    title = page.select_one(".result-title a")
    assert title.get_text() == HOSTILE_TITLE
    assert [m.get_text() for m in title.select("mark")] == ["Hostile"]
    assert title.find("script") is None and title.find("img") is None


def test_titles_are_marked_for_what_the_glossary_added_unless_exact(
    client: FlaskClient,
) -> None:
    # The fixture's glossary gives Sagaing its Burmese name; the Burmese report matches
    # Sagaing as its place either way.
    expanded = soup(client.get("/?q=Sagaing&lang=my"))
    assert [m.get_text() for m in expanded.select(".result-title mark")] == ["စစ်ကိုင်းတိုင်း"]
    exact = soup(client.get("/?q=Sagaing&lang=my&exact=1"))
    assert result_ids(exact) == ["2023-09-10-sagaing-arrests-my"]
    assert exact.select(".result-title mark") == []


def test_head_links_have_no_stray_question_mark(client: FlaskClient) -> None:
    page = soup(client.get("/"))
    hrefs = [link["href"] for link in page.select("head link[rel=alternate]")]
    assert "/feed.atom" in hrefs
    assert not [h for h in hrefs if h.endswith("?")]
    body_links = [a["href"] for a in page.select("a[href]")]
    assert not [h for h in body_links if h.endswith("?")]


def test_every_page_names_a_favicon_that_is_served(client: FlaskClient) -> None:
    for url in ("/", f"/items/{REPORT}", "/about", "/browse/types", "/nope"):
        response = client.get(url)
        icon = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
            "head link[rel=icon]"
        )
        assert icon is not None and icon["href"] == "/static/favicon.svg", url
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200
        assert svg.mimetype == "image/svg+xml"
        assert svg.get_data(as_text=True).startswith("<svg")
    moved = client.get("/favicon.ico")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/static/favicon.svg")


def test_sitemap_lastmod_is_the_records_updated_not_the_file_date(
    client: FlaskClient, home: Home
) -> None:
    record = Catalogue(home).get(REPORT)
    assert record.updated
    # A fresh clone dates every file the day of the clone.
    os.utime(home.library / "records" / f"{REPORT}.json", (1_000_000_000, 1_000_000_000))
    body = client.get("/sitemap-items-1.xml").get_data(as_text=True)
    entry = body.split(f"/items/{REPORT}</loc>")[1].split("</url>")[0]
    assert f"<lastmod>{record.updated}</lastmod>" in entry
    assert "2001-09-09" not in body


def test_browse_by_organization_lists_only_organizations_with_items(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = soup(client.get("/browse/organizations"))
    names = [li.a.get_text(" ", strip=True) for li in page.select(".browse-list li")]
    assert "Organization Without Items" not in names
    data = client.get("/browse/organizations.json").get_json()
    assert all(e["count"] > 0 for e in data["entries"])
    # Past the facet's limit of shown values, every organization with items is still there,
    # counted.
    monkeypatch.setattr(facets_module, "FACET_LIMIT", 1)
    limited = client.get("/browse/organizations.json").get_json()["entries"]
    assert [(e["value"], e["count"]) for e in limited] == [
        (e["value"], e["count"]) for e in data["entries"]
    ]
    assert len(limited) == 3


def test_topics_on_an_item_page_are_searches_for_that_topic(client: FlaskClient) -> None:
    page = soup(client.get(f"/items/{REPORT}"))
    link = page.find("dt", string="Topics").find_next_sibling("dd").a
    assert link.get_text() == "arrests"
    found = soup(client.get(link["href"]))
    assert REPORT in result_ids(found)


# The about page: a search guide in both languages.


def test_about_page_guides_through_the_query_language(client: FlaskClient) -> None:
    page = soup(client.get("/about", headers={"Accept-Language": "en"}))
    text = page.get_text(" ")
    for needle in ('"arbitrary arrests"', "-election", " OR ", "org:", "topic:", "date:"):
        assert needle in text, needle
    for needle in ("Zawgyi", "၀", "Exact words only", "Atom feed", "/api/search", "/api/export"):
        assert needle in text, needle
    examples = page.select(".guide-examples dt a")
    assert len(examples) >= 8
    for a in examples + page.select(".guide-fields a"):
        assert client.get(a["href"]).status_code == 200, a["href"]


def test_about_page_guide_is_written_in_burmese_too(client: FlaskClient) -> None:
    english = json.loads((WEB / "i18n" / "en.json").read_text("utf-8"))
    burmese = json.loads((WEB / "i18n" / "my.json").read_text("utf-8"))
    # (A count's singular form is English grammar: Burmese has none, by design.)
    guide = [k for k in english if k.startswith("about.") and not k.endswith("_one")]
    assert [k for k in guide if k not in burmese] == []
    page = soup(client.get("/about", headers={"Accept-Language": "my"}))
    assert page.html["lang"] == "my"
    assert page.select_one("#guide-heading").get_text() == "ရှာဖွေနည်း"
    assert "ဇော်ဂျီ" in page.get_text()


def test_chips_speak_the_burmese_interface(client: FlaskClient) -> None:
    page = soup(client.get("/?year=2023&type=report", headers={"Accept-Language": "my"}))
    assert page.html["lang"] == "my"
    assert chip_texts(page) == [
        "အမျိုးအစား: အစီရင်ခံစာ (၁) × (ဤစစ်ထုတ်မှုကို ဖယ်ရှားရန်)",
        "ခုနှစ်: ၂၀၂၃ (၁) × (ဤစစ်ထုတ်မှုကို ဖယ်ရှားရန်)",
    ]
    assert page.select_one("a.filters-button").get_text() == "စစ်ထုတ်ရန် (၂)"
