"""The ``/embed`` snippet builder without JavaScript: a GET form whose choices (interface
language, scope, variant) rebuild the snippet and its preview; ``/embed.json`` gives the same
snippet for the builder's script. The browser side is in ``test_browser.py``."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from test_web_sample import build_sample

from reslib.config import Home
from reslib.web import create_app

CHOSEN = "/embed?w_ui=my&w_lang=my&w_type=report&w_org=Progressive+Voice"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return build_sample(tmp_path_factory.mktemp("library"))


@pytest.fixture
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


def soup(client: FlaskClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def code(page: BeautifulSoup) -> str:
    return page.select_one("pre.snippet-code code#snippet-code").get_text()


def test_without_choices_the_page_shows_a_default_snippet(client: FlaskClient) -> None:
    page = soup(client, "/embed")
    assert code(page) == (
        '<div id="reslib-search"></div>\n'
        '<script src="http://localhost/static/widget.js" data-target="#reslib-search"\n'
        '        data-ui="en" async></script>'
    )
    assert soup(client, "/embed?ui=my").select_one('input[name="w_ui"][checked]')["value"] == "my"


def test_the_form_offers_language_scope_and_variant(client: FlaskClient) -> None:
    form = soup(client, "/embed").select_one("form.embed-builder")
    assert form["method"] == "get" and form["action"] == "/embed"
    assert {i["value"] for i in form.select('input[name="w_ui"]')} == {"en", "my"}
    assert {i["value"] for i in form.select('input[name="variant"]')} == {"script", "iframe"}
    orgs = [o["value"] for o in form.select("select#w_org option")]
    assert "" in orgs and "Progressive Voice" in orgs and "Asia Justice and Rights" in orgs
    assert "report" in [o["value"] for o in form.select("select#w_type option")]
    assert [o["value"] for o in form.select("select#w_lang option")] == ["", "en", "my"]
    for control in form.select("select"):
        assert form.select_one(f'label[for="{control["id"]}"]') is not None


def test_choices_build_the_script_snippet_and_its_preview(client: FlaskClient) -> None:
    page = soup(client, CHOSEN)
    assert code(page) == (
        '<div id="reslib-search"></div>\n'
        '<script src="http://localhost/static/widget.js" data-target="#reslib-search"\n'
        '        data-ui="my" data-lang="my" data-type="report" data-org="Progressive Voice"'
        " async></script>"
    )
    preview = page.select_one('#embed-preview script[src="/static/widget.js"]')
    assert (preview["data-ui"], preview["data-lang"], preview["data-org"]) == (
        "my",
        "my",
        "Progressive Voice",
    )
    assert page.select_one("select#w_org option[selected]")["value"] == "Progressive Voice"


def test_the_iframe_variant_gives_the_iframe_and_previews_it(client: FlaskClient) -> None:
    page = soup(client, CHOSEN + "&variant=iframe")
    assert code(page) == (
        '<iframe src="http://localhost/widget/frame?ui=my&amp;lang=my&amp;type=report'
        '&amp;org=Progressive+Voice"\n'
        '        title="reslib search" width="100%" height="480" style="border:0"></iframe>'
    )
    frame = page.select_one("#embed-preview iframe.embed-frame")
    assert frame["src"] == "/widget/frame?ui=my&lang=my&type=report&org=Progressive+Voice"
    assert frame["title"]
    assert page.select_one("#embed-preview script") is None
    notes = {n["data-variant"]: n.has_attr("hidden") for n in page.select(".variant-note")}
    assert notes == {"script": True, "iframe": False}


def test_a_name_with_quotes_and_markup_is_escaped_in_the_snippet(client: FlaskClient) -> None:
    page = soup(client, "/embed?w_org=" + '"><script>alert(1)</script>')
    assert 'data-org="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in code(page)
    assert page.select("#embed-preview script")[0]["data-org"] == '"><script>alert(1)</script>'


def test_unknown_choices_fall_back_to_the_defaults(client: FlaskClient) -> None:
    body = client.get("/embed.json?w_ui=fr&w_lang=de&w_type=poem&variant=flash").get_json()
    assert body["options"] == {"ui": "en", "lang": "", "type": "", "org": "", "variant": "script"}


def test_the_json_twin_gives_the_same_snippet_the_page_shows(client: FlaskClient) -> None:
    for url in (CHOSEN, CHOSEN + "&variant=iframe", "/embed"):
        body = client.get(url.replace("/embed", "/embed.json", 1)).get_json()
        assert body["snippet"] == code(soup(client, url)), url


def test_copy_button_waits_for_the_script_and_the_page_asks_for_it(client: FlaskClient) -> None:
    page = soup(client, "/embed")
    button = page.select_one("button#snippet-copy")
    assert button.has_attr("hidden") and button["data-copied"]
    assert page.find("script", src="/static/embed.js") is not None
    assert page.select_one("#snippet-status")["role"] == "status"
    with client.get("/static/embed.js") as script:
        assert script.status_code == 200


def test_the_page_language_is_kept_through_the_form(client: FlaskClient) -> None:
    page = soup(client, "/embed?ui=my")
    assert page.html["lang"] == "my"
    assert page.select_one('form.embed-builder input[type="hidden"][name="ui"]')["value"] == "my"


def test_widget_strings_count_one_result_in_english_only(client: FlaskClient) -> None:
    en = client.get("/api/i18n/en").get_json()["strings"]
    my = client.get("/api/i18n/my").get_json()["strings"]
    assert en["widget.count_one"] == "1 result" and en["widget.count"] == "{n} results"
    # Burmese nouns do not change with number: no singular, so no English one borrowed.
    assert "widget.count_one" not in my
    assert my["widget.also_in"] != en["widget.also_in"]
