"""The site through Flask's test client: search, items, browse, language, escaping, headers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from test_web_sample import BURMESE_TITLE, HOSTILE_TITLE, build_sample

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater
from reslib.models import Record
from reslib.web import create_app

REPORT = "2023-09-10-arbitrary-arrests-in-sagaing"
REPORT_MY = "2023-09-10-sagaing-arrests-my"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return build_sample(tmp_path_factory.mktemp("library"))


@pytest.fixture
def app(home: Home) -> Flask:
    return create_app(home, {"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def result_ids(page: BeautifulSoup) -> list[str]:
    return [a["href"].rsplit("/", 1)[1] for a in page.select(".result-title a")]


def test_search_page_finds_english_words_and_marks_them(client: FlaskClient) -> None:
    page = soup(client.get("/?q=arrests"))
    assert REPORT in result_ids(page)
    assert page.select_one(".snippet mark") is not None
    assert page.select_one("input#q")["value"] == "arrests"


def test_search_page_finds_burmese_words_and_marks_their_language(client: FlaskClient) -> None:
    page = soup(client.get("/?q=ဖမ်းဆီး"))
    assert REPORT_MY in result_ids(page)
    link = page.select_one(f'.result-title a[href="/items/{REPORT_MY}"]')
    assert link["lang"] == "my"
    assert link.get_text() == BURMESE_TITLE


def test_facet_link_narrows_results_and_can_be_removed(client: FlaskClient) -> None:
    page = soup(client.get("/?q=Sagaing"))
    # The two language versions are one result: the Burmese one as its translation.
    assert REPORT in result_ids(page)
    assert page.select_one(f'.result-translations a[href="/items/{REPORT_MY}"]') is not None
    burmese = next(a for a in page.select("#facet-language ~ ul a") if "lang=my" in a["href"])
    narrowed = soup(client.get(burmese["href"]))
    assert result_ids(narrowed) == [REPORT_MY]
    active = narrowed.select_one(".facet li.active a")
    assert active["aria-current"] == "true"
    widened = soup(client.get(active["href"]))
    assert REPORT in result_ids(widened)


def test_empty_query_lists_everything_newest_first(client: FlaskClient) -> None:
    page = soup(client.get("/"))
    ids = result_ids(page)
    assert ids[0] == "2023-11-01-joint-statement-on-airstrikes"
    # Six records, five results: the Burmese report is grouped under its English version.
    assert len(ids) == 5


def test_pagination_links_reach_the_next_page(client: FlaskClient) -> None:
    page = soup(client.get("/?limit=2"))
    nxt = page.select_one('.pagination a[rel="next"]')
    second = soup(client.get(nxt["href"]))
    assert second.select_one('.pagination a[aria-current="page"]').get_text() == "2"
    assert set(result_ids(second)).isdisjoint(result_ids(page))


def test_hostile_title_is_shown_as_text_everywhere(client: FlaskClient) -> None:
    for url in ("/?q=hostile", "/items/2022-05-01-hostile", "/widget/frame?q=hostile"):
        response = client.get(url)
        page = soup(response)
        # Only our own scripts: external files and the JSON-LD data block.
        for script in page.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", url
        assert page.find("img") is None, url
        assert HOSTILE_TITLE in page.get_text(), url


def test_item_page_json_ld_survives_a_title_that_closes_script(client: FlaskClient) -> None:
    page = soup(client.get("/items/2022-05-01-hostile"))
    blocks = page.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    assert json.loads(blocks[0].string)["name"] == HOSTILE_TITLE


def test_item_page_has_citation_metadata_for_zotero(client: FlaskClient) -> None:
    page = soup(client.get(f"/items/{REPORT}"))
    meta = {m["name"]: m["content"] for m in page.find_all("meta", attrs={"name": True})}
    assert meta["citation_title"] == "Arbitrary Arrests in Sagaing Region"
    assert meta["citation_author"] == "Progressive Voice"
    assert meta["citation_publication_date"] == "2023/09/10"
    assert meta["DC.title"] == "Arbitrary Arrests in Sagaing Region"
    assert meta["DC.language"] == "en"
    ld = json.loads(page.find("script", type="application/ld+json").string)
    assert ld["@type"] == "Report"
    assert ld["author"] == [{"@type": "Organization", "name": "Progressive Voice"}]
    assert ld["workTranslation"][0]["@id"].endswith(f"/items/{REPORT_MY}")


def test_item_page_links_translation_and_the_update_that_listed_it(client: FlaskClient) -> None:
    page = soup(client.get(f"/items/{REPORT}"))
    translation = page.select_one(f'.item-translations a[href="/items/{REPORT_MY}"]')
    assert translation["lang"] == "my"
    assert translation["hreflang"] == "my"
    listed = page.select_one(".item-listed-in a")
    assert listed["href"] == "/items/2023-09-15-weekly-update"


def test_update_page_lists_its_items(client: FlaskClient) -> None:
    page = soup(client.get("/items/2023-09-15-weekly-update"))
    listed = {a["href"] for a in page.select(".item-related a")}
    assert listed == {f"/items/{REPORT}", "/items/2023-11-01-joint-statement-on-airstrikes"}


def test_original_file_downloads_as_an_attachment(client: FlaskClient) -> None:
    page = soup(client.get("/items/2021-03-01-open-letter"))
    href = page.select_one("a.download")["href"]
    with client.get(href) as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.data.startswith(b"%PDF")


def test_item_without_file_has_no_download_route(client: FlaskClient) -> None:
    response = client.get(f"/items/{REPORT}/file")
    assert response.status_code == 404


def test_item_bibtex_and_ris_exports(client: FlaskClient) -> None:
    bib = client.get(f"/items/{REPORT}.bib")
    assert bib.headers["Content-Type"].startswith("application/x-bibtex")
    assert "@techreport{2023-09-10-arbitrary-arrests-in-sagaing," in bib.get_data(as_text=True)
    ris = client.get(f"/items/{REPORT}.ris").get_data(as_text=True)
    assert "TY  - RPRT" in ris
    assert "TI  - Arbitrary Arrests in Sagaing Region" in ris


def test_result_list_exports_the_results_of_the_search(client: FlaskClient) -> None:
    ris = client.get("/export.ris?q=Sagaing").get_data(as_text=True)
    assert f"ID  - {REPORT}" in ris
    assert "ID  - 2021-03-01-open-letter" not in ris
    bib = client.get("/export.bib?q=Sagaing&lang=my").get_data(as_text=True)
    assert bib.startswith("@techreport{2023-09-10-sagaing-arrests-my,")


def test_browse_pages_list_values_with_counts_that_link_to_searches(client: FlaskClient) -> None:
    page = soup(client.get("/browse/organizations"))
    items = {li.a.get_text(strip=True): li for li in page.select(".browse-list li")}
    # Five records, four items: the Burmese report counts with its English original.
    assert items["Progressive Voice"].select_one(".count").get_text() == "4"
    target = soup(client.get(items["Progressive Voice"].a["href"]))
    assert target.select_one(".results-count").get_text() == "4 results"
    assert "2022-05-01-hostile" not in result_ids(target)
    assert set(result_ids(target)) >= {REPORT, "2021-03-01-open-letter"}
    years = soup(client.get("/browse/years"))
    assert [a.get_text(strip=True) for a in years.select(".browse-list a")] == [
        "2023",
        "2022",
        "2021",
    ]
    types = soup(client.get("/browse/types"))
    assert "Open letter" in types.get_text()


def test_about_page_counts_the_library(client: FlaskClient) -> None:
    # Six records, five items: a translation counts with its original, as results do.
    assert "The library holds 5 items" in soup(client.get("/about")).get_text()


def test_accept_language_chooses_burmese_by_default(client: FlaskClient) -> None:
    page = soup(client.get("/", headers={"Accept-Language": "my-MM,my;q=0.9,en;q=0.5"}))
    assert page.html["lang"] == "my"
    assert page.select_one("button[type=submit]").get_text() == "ရှာမည်"
    switch = page.select_one("a.lang-switch")
    assert switch["lang"] == "en"
    assert switch.get_text() == "English"


def test_language_switch_is_remembered_in_a_cookie(client: FlaskClient) -> None:
    response = client.get("/lang/my?next=/about")
    assert response.status_code == 303
    assert response.headers["Location"] == "/about"
    assert "reslib_ui=my" in response.headers["Set-Cookie"]
    page = soup(client.get("/about", headers={"Accept-Language": "en"}))
    assert page.html["lang"] == "my"
    assert page.h1.get_text() == "reslib အကြောင်း"


def test_language_switch_never_redirects_to_another_site(client: FlaskClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.get("/lang/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_english_page_marks_burmese_text_with_lang(client: FlaskClient) -> None:
    page = soup(client.get(f"/items/{REPORT_MY}", headers={"Accept-Language": "en"}))
    assert page.html["lang"] == "en"
    assert page.h1["lang"] == "my"
    assert page.select_one(".item-summary p")["lang"] == "my"


def test_pages_have_landmarks_labels_and_a_skip_link(client: FlaskClient) -> None:
    page = soup(client.get("/?q=arrests"))
    assert page.select_one("a.skip-link")["href"] == "#main"
    assert page.find("main", id="main") is not None
    assert page.find("nav", attrs={"aria-label": True}) is not None
    assert page.find("form", attrs={"role": "search"}) is not None
    assert page.find("label", attrs={"for": "q"}) is not None
    assert page.find("meta", attrs={"name": "viewport"}) is not None


def test_every_page_sends_a_strict_csp_and_security_headers(client: FlaskClient) -> None:
    for url in ("/", f"/items/{REPORT}", "/about", "/embed", "/api/search", "/nope"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp, url
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["Referrer-Policy"], url


def test_pages_use_no_inline_script_or_style(client: FlaskClient) -> None:
    for url in ("/?q=arrests", f"/items/{REPORT}", "/embed", "/widget/frame?q=x", "/nope"):
        page = soup(client.get(url))
        assert page.find("style") is None, url
        assert page.find(attrs={"style": True}) is None, url
        for script in page.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", url


def test_iframe_widget_may_be_framed_by_any_site(client: FlaskClient) -> None:
    response = client.get("/widget/frame?q=arrests&ui=my&org=Progressive+Voice")
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    page = soup(response)
    assert page.html["lang"] == "my"
    assert page.select_one('input[name="org"]')["value"] == "Progressive Voice"
    assert page.select_one(".result-title a")["target"] == "_blank"


def test_embed_page_shows_the_snippet_as_code_and_runs_the_widget(client: FlaskClient) -> None:
    page = soup(client.get("/embed?w_org=Progressive+Voice"))
    code = page.select_one("pre.snippet-code code").get_text()
    assert "/static/widget.js" in code and 'data-org="Progressive Voice"' in code
    assert page.find("script", src="/static/widget.js")["data-target"] == "#reslib-demo"
    # The iframe variant, chosen in the builder, previews the iframe.
    framed = soup(client.get("/embed?variant=iframe"))
    assert framed.find("iframe", src=lambda s: s.startswith("/widget/frame")) is not None


def test_widget_script_and_styles_are_served(client: FlaskClient) -> None:
    with client.get("/static/widget.js") as js:
        assert js.status_code == 200
        assert "api/search" in js.get_data(as_text=True)
    with client.get("/static/widget.css") as widget_css:
        assert ".reslib-w-input" in widget_css.get_data(as_text=True)
    with client.get("/static/site.css") as site_css:
        css = site_css.get_data(as_text=True)
    assert "Noto Sans Myanmar" in css and "Padauk" in css and "Myanmar Text" in css


def test_new_records_show_without_restarting_the_app(tmp_path: Path) -> None:
    home = build_sample(tmp_path)
    client = create_app(home, {"TESTING": True}).test_client()
    assert client.get("/api/search?q=zebra").get_json()["total"] == 0
    cat = Catalogue(home, listeners=[IndexUpdater(home)])
    cat.add(
        Record(
            id="2024-01-01-zebra",
            type="news",
            title="Zebra crossing",
            language="en",
            date="2024-01-01",
        )
    )
    assert [r["id"] for r in client.get("/api/search?q=zebra").get_json()["results"]] == [
        "2024-01-01-zebra"
    ]
    assert client.get("/items/2024-01-01-zebra").status_code == 200
