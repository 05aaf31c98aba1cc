"""The site and the partner widget in headless Chromium (Debian's package, driven by
Playwright for Python): search in English and Burmese, a facet, the language switch, an item,
keyboard use, a phone screen, and the widget on a page of another origin.

Servers run under waitress in threads on free local ports; screenshots go to test-artifacts/.
Skipped only when Chromium is absent on a developer's machine: CI installs it, so there it
must run.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_web_sample import BURMESE_TITLE, HOSTILE_TITLE, build_sample

from reslib.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (scripts/setup.sh installs it)", allow_module_level=True
    )

if not os.environ.get("CI"):
    pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Any]


def serve(app: Wsgi) -> Iterator[str]:
    """Run ``app`` under waitress on a free port until the generator is closed."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = build_sample(tmp_path_factory.mktemp("library"))
    yield from serve(create_app(home))


def partner_page(site: str) -> Wsgi:
    """Another origin's page embedding the widget, under its own strict CSP."""
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partner</title></head>
<body><h1>Partner organization</h1>
<div id="box"></div>
<script src="{site}/static/widget.js" data-target="#box" data-ui="my"
        data-org="Progressive Voice" async></script>
</body></html>""".encode()
    csp = (
        f"default-src 'none'; script-src {site}; style-src {site}; connect-src {site}; "
        "img-src 'none'"
    )

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", csp)],
        )
        return [html]

    return app


@pytest.fixture(scope="module")
def partner(site: str) -> Iterator[str]:
    yield from serve(partner_page(site))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.csp_errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text),  # type: ignore[attr-defined]
    )
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def search(page: Page, words: str) -> None:
    page.get_by_label("Search statements, reports and updates").fill(words)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_search_in_english(page: Page, site: str) -> None:
    page.goto(site + "/")
    search(page, "arrests")
    expect(page.locator(".result-title a").first).to_have_text(
        "Arbitrary Arrests in Sagaing Region"
    )
    expect(page.locator(".snippet mark").first).to_be_visible()
    # Text from the catalogue is bidi-isolated: a U+202E in a title stays inside it.
    not_isolated = page.evaluate(
        "[...document.querySelectorAll('main [lang]')]"
        ".filter(e => getComputedStyle(e).unicodeBidi !== 'isolate').map(e => e.outerHTML)"
    )
    assert not_isolated == []
    shot(page, "search-english")
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_search_in_burmese(page: Page, site: str) -> None:
    page.goto(site + "/")
    search(page, "ဖမ်းဆီး")
    link = page.locator(".result-translations a, .result-title a").filter(has_text=BURMESE_TITLE)
    expect(link.first).to_be_visible()
    assert link.first.get_attribute("lang") == "my"
    shot(page, "search-burmese")


def test_click_a_facet(page: Page, site: str) -> None:
    page.goto(site + "/?q=Sagaing")
    page.locator("#facet-language ~ ul a", has_text="Burmese").click()
    page.wait_for_url("**lang=my**")
    expect(page.locator(".result-title a")).to_have_text([BURMESE_TITLE])
    expect(page.locator(".facet li.active a")).to_contain_text("Burmese")
    shot(page, "facet-burmese")


def test_choose_two_values_of_a_facet(page: Page, site: str) -> None:
    page.goto(site + "/")
    types = page.locator("#facet-type ~ ul")
    statement_count = types.locator("li", has_text="Statement").locator(".count").inner_text()
    types.locator("a", has_text="Report").click()
    page.wait_for_url("**type=report**")
    # Still offered beside the chosen one, with what it gives on its own.
    expect(types.locator("li", has_text="Statement").locator(".count")).to_have_text(
        statement_count
    )
    types.locator("a", has_text="Statement").click()
    page.wait_for_url("**type=statement**")
    expect(types.locator("li.active")).to_have_count(2)
    expect(page.locator(".results-count")).to_have_text("2 results")
    shot(page, "facet-two-types")


def test_switch_interface_language_and_keep_it(page: Page, site: str) -> None:
    page.goto(site + "/about")
    page.locator("a.lang-switch").click()
    page.wait_for_url("**/about")
    expect(page.locator("html")).to_have_attribute("lang", "my")
    expect(page.locator("h1")).to_have_text("reslib အကြောင်း")
    page.goto(site + "/")
    expect(page.locator("button[type=submit]")).to_have_text("ရှာမည်")
    shot(page, "interface-burmese")


def test_open_an_item_from_the_results(page: Page, site: str) -> None:
    page.goto(site + "/?q=airstrikes")
    page.locator(".result-title a").first.click()
    page.wait_for_url("**/items/2023-11-01-joint-statement-on-airstrikes")
    expect(page.locator("h1")).to_have_text("Joint Statement on Airstrikes against Schools")
    expect(page.locator(".item-listed-in a")).to_have_text("Weekly Update 15 September 2023")
    shot(page, "item")
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_keyboard_skip_link_and_search(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.locator("#q").focus()
    page.keyboard.type("Sagaing")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=Sagaing**")
    expect(page.locator(".result-title a").first).to_be_visible()


def test_readable_on_a_phone(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="my-MM")
    page = context.new_page()
    page.goto(site + "/?q=Sagaing")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shot(page, "phone-burmese")
    context.close()


def test_embed_demo_widget_works_under_our_csp(page: Page, site: str) -> None:
    page.goto(site + "/embed")
    box = page.locator("#reslib-demo")
    box.locator(".reslib-w-input").fill("arrests")
    box.locator(".reslib-w-input").press("Enter")
    expect(box.locator(".reslib-w-result a").first).to_have_text(
        "Arbitrary Arrests in Sagaing Region"
    )
    expect(page.frame_locator("iframe.embed-frame").locator("#q")).to_be_visible()
    shot(page, "embed")
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_partner_widget_on_another_origin(page: Page, site: str, partner: str) -> None:
    assert partner != site
    page.goto(partner + "/")
    box = page.locator("#box")
    expect(box.locator(".reslib-w-button")).to_have_text("ရှာမည်")
    expect(box.locator(".reslib-w")).to_have_attribute("lang", "my")
    box.locator(".reslib-w-input").fill("Sagaing")
    box.locator(".reslib-w-button").click()
    results = box.locator(".reslib-w-result")
    expect(results.first).to_be_visible()
    # Scoped by data-org: only Progressive Voice items, linking back to the site.
    for link in results.locator("a.reslib-w-title").all():
        assert link.get_attribute("href").startswith(site + "/items/")
    expect(box.locator(".reslib-w-status")).to_have_attribute("role", "status")
    # The stylesheet came from the site, and the partner's own CSP let it all through.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.reslib-w-input')).flexGrow") == "1"
    )
    shot(page, "partner-widget")
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_widget_shows_hostile_titles_as_text(page: Page, site: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(site + "/embed")
    box = page.locator("#reslib-demo")
    box.locator(".reslib-w-input").fill("hostile")
    box.locator(".reslib-w-input").press("Enter")
    expect(box.locator(".reslib-w-result a").first).to_have_text(HOSTILE_TITLE)
    assert box.locator("img, script").count() == 0
    assert dialogs == []
