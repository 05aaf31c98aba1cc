"""The site and the partner widget in headless Chromium (Debian's package, driven by
Playwright for Python): search in English and Burmese, a facet, the language switch, an item,
keyboard use, a phone screen, and the widget on a page of another origin.

Servers run under Werkzeug's threaded server on free local ports; screenshots go to test-artifacts/.
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
    """Run ``app`` on a free port until the generator is closed.

    Werkzeug's threaded server, for its clean ``shutdown``: closing waitress from another
    thread let its select loop meet the closed descriptor (EBADF in the server's thread,
    an error at a test's teardown in CI), as in ``test_oai_harvest``.
    """
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
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
    shot(page, "embed")
    # The builder previews the iframe variant when it is chosen.
    page.goto(site + "/embed?variant=iframe")
    expect(page.frame_locator("iframe.embed-frame").locator("#q")).to_be_visible()
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


# Issue 16: the phone's Filters button, filter chips, print, Burmese type size, favicon.


def on_phone(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    return context.new_page()


def test_phone_filters_button_above_results_opens_the_filters(browser: Browser, site: str) -> None:
    page = on_phone(browser)
    page.goto(site + "/?type=report&type=statement&type=news&type=update&type=open-letter")
    button = page.locator("a.filters-button")
    first_result = page.locator(".result").first
    expect(button).to_be_visible()
    expect(button).to_have_text("Filters (5)")
    assert button.bounding_box()["y"] < first_result.bounding_box()["y"]
    expect(page.locator("#filters")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(page, "phone-filters-closed")
    button.click()
    page.wait_for_url("**#filters")
    facets = page.locator("#filters")
    expect(facets).to_be_visible()
    expect(facets.locator("#facet-type")).to_be_visible()
    # Opened above the results, in view, without sending the reader 2,643 px down.
    assert facets.bounding_box()["y"] < first_result.bounding_box()["y"]
    assert facets.bounding_box()["y"] < 844
    shot(page, "phone-filters-open")
    from axe_check import blocking

    assert blocking(page) == []
    facets.locator("a", has_text="Statement").click()
    page.wait_for_load_state()
    expect(page.locator(".chips a.chip")).to_have_count(4)
    facets_after = page.locator("#filters")
    expect(facets_after).to_be_hidden()
    page.context.close()


def test_filter_chips_remove_one_clear_all_and_stay_for_a_new_query(page: Page, site: str) -> None:
    page.goto(site + "/?q=Sagaing")
    page.locator("#facet-type ~ ul a", has_text="Report").click()
    page.wait_for_url("**type=report**")
    page.locator("#facet-language ~ ul a", has_text="English").click()
    page.wait_for_url("**lang=en**")
    chips = page.locator(".chips a.chip")
    expect(chips).to_have_count(2)
    expect(chips.first).to_contain_text("Report")
    # A new query keeps both filters.
    search(page, "arrests")
    page.wait_for_url("**q=arrests**")
    assert "type=report" in page.url and "lang=en" in page.url
    expect(chips).to_have_count(2)
    expect(page.locator(".result-title a mark").first).to_have_text("Arrests")
    shot(page, "filter-chips")
    from axe_check import blocking

    assert blocking(page) == []
    # Removing one leaves the other.
    chips.filter(has_text="Report").click()
    page.wait_for_load_state()
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text("English")
    assert "type=report" not in page.url
    # A filter that matches nothing stays, counted 0, and can be cleared with the rest.
    page.goto(site + "/?q=arrests&lang=en&org=Nobody+At+All")
    expect(chips.filter(has_text="Nobody At All")).to_contain_text("(0)")
    expect(page.locator(".results-count")).to_have_text("0 results")
    shot(page, "filter-chips-zero")
    assert blocking(page) == []
    page.locator(".clear-all a").click()
    page.wait_for_load_state()
    expect(chips).to_have_count(0)
    assert page.url.endswith("/?q=arrests")
    expect(page.locator(".result-title a").first).to_be_visible()
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_print_shows_results_without_navigation_forms_or_filters(page: Page, site: str) -> None:
    page.goto(site + "/?q=Sagaing&type=report")
    expect(page.locator(".facets")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (".site-header", "form.search-form", ".facets", ".pagination, .export"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".result-title a").first).to_be_visible()


INK_HEIGHT = """async (b64) => {
  const img = new Image();
  img.src = "data:image/png;base64," + b64;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data;
  let top = -1, bottom = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (px[(y * img.width + x) * 4] < 128) { if (top < 0) top = y; bottom = y; break; }
    }
  }
  return bottom - top + 1;
}"""


@pytest.mark.parametrize("ui", ["en", "my"])
def test_burmese_letters_are_no_smaller_than_latin_at_one_font_size(
    page: Page, site: str, ui: str
) -> None:
    import base64

    page.goto(site + f"/about?ui={ui}")
    page.evaluate(
        """() => {
        for (const [lang, text] of [["en", "xxxx"], ["my", "ကကကက"]]) {
          const span = document.createElement("span");
          span.id = "ink-" + lang; span.lang = lang; span.textContent = text;
          span.style.fontSize = "60px"; span.style.display = "inline-block";
          span.style.color = "#000"; span.style.background = "#fff";
          document.querySelector("main").prepend(span);
        }
      }"""
    )
    heights = {}
    for lang in ("en", "my"):
        png = page.locator(f"#ink-{lang}").screenshot()
        heights[lang] = page.evaluate(INK_HEIGHT, base64.b64encode(png).decode())
    # The body of a Burmese consonant against the height of a Latin x.
    assert heights["my"] >= 0.95 * heights["en"], heights


def test_pages_load_without_console_errors_or_a_missing_favicon(page: Page, site: str) -> None:
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    for path in ("/", "/?q=Sagaing", "/about", "/items/2023-09-10-arbitrary-arrests-in-sagaing"):
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert icon == site + "/static/favicon.svg"
    assert page.request.get(icon).status == 200
    assert errors == [] and failed == []


# Issue 16, items 5, 6 and 9: the item page, the Burmese interface, the widget and /embed.


@pytest.fixture(scope="module")
def burmese_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample library with Burmese names in its authority file and glossary."""
    import json

    from reslib.catalogue import Catalogue

    home = build_sample(tmp_path_factory.mktemp("burmese"))
    path = home.library / "organizations.json"
    data = json.loads(path.read_text("utf-8"))
    for org in data["organizations"]:
        if org["name"] == "Progressive Voice":
            org["name_my"] = "တိုးတက်သောအသံ"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    Catalogue(home).add_glossary_entry(["Sagaing"], ["စစ်ကိုင်း"], kind="place")
    yield from serve(create_app(home))


def burmese_page(browser: Browser) -> Page:
    return browser.new_context(locale="my-MM").new_page()


BURMESE_DIGITS = set("၀၁၂၃၄၅၆၇၈၉")


def test_burmese_item_page_shows_burmese_names_and_digits(
    browser: Browser, burmese_site: str
) -> None:
    from axe_check import blocking

    page = burmese_page(browser)
    page.goto(burmese_site + "/items/2023-09-10-arbitrary-arrests-in-sagaing")
    expect(page.locator("html")).to_have_attribute("lang", "my")
    meta = page.locator(".item-meta")
    expect(meta.locator('a[href^="/?org="]')).to_have_text("တိုးတက်သောအသံ")
    expect(meta.locator('a[href^="/?place="]')).to_have_text("စစ်ကိုင်း")
    expect(meta.locator("time").first).to_have_text("၂၀၂၃-၀၉-၁၀")
    expect(page.locator("#h-similar")).to_have_text("ဆင်တူသည့် အရာများ")
    shot(page, "item-burmese")
    assert blocking(page) == []
    page.context.close()


def test_burmese_search_page_shows_burmese_names_and_digits(
    browser: Browser, burmese_site: str
) -> None:
    from axe_check import blocking

    page = burmese_page(browser)
    page.goto(burmese_site + "/?q=Sagaing")
    count = page.locator(".results-count").inner_text()
    assert count.startswith("ရလဒ် ") and set(count.split()[1]) <= BURMESE_DIGITS
    expect(page.locator(".result-org").first).to_have_text("တိုးတက်သောအသံ")
    facet = page.locator("#facet-organizations ~ ul li").filter(has_text="တိုးတက်သောအသံ")
    assert set(facet.locator(".count").inner_text()) <= BURMESE_DIGITS
    expect(page.locator("#facet-places ~ ul a").filter(has_text="စစ်ကိုင်း")).to_have_count(1)
    expect(page.locator(".export")).to_contain_text("Atom ဖိဒ်")
    shot(page, "search-burmese-names")
    assert blocking(page) == []
    page.context.close()


def test_item_page_file_more_like_this_and_accessibility(page: Page, site: str) -> None:
    from axe_check import blocking

    page.goto(site + "/items/2021-03-01-open-letter")
    expect(page.locator(".file-facts")).to_have_text("(PDF, 52 bytes)")
    preview = page.locator("a.preview")
    expect(preview).to_have_attribute("target", "_blank")
    expect(page.locator("a.download")).to_have_attribute(
        "href", "/items/2021-03-01-open-letter/file"
    )
    similar = page.locator(".item-similar li a")
    expect(similar.first).to_be_visible()
    shot(page, "item-file-similar")
    assert blocking(page) == []
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_widget_links_open_a_new_tab_and_show_translations(
    page: Page, site: str, partner: str
) -> None:
    from axe_check import blocking

    page.goto(partner + "/")
    box = page.locator("#box")
    box.locator(".reslib-w-input").fill("Sagaing")
    box.locator(".reslib-w-button").click()
    title = box.locator("a.reslib-w-title").first
    expect(title).to_be_visible()
    for link in box.locator(".reslib-w a").all():
        assert link.get_attribute("target") == "_blank", link.inner_text()
        assert "noopener" in (link.get_attribute("rel") or "")
    other = box.locator(".reslib-w-translations a")
    expect(other.first).to_be_visible()
    expect(box.locator(".reslib-w-translations").first).to_contain_text("အခြားဘာသာဖြင့်လည်း")
    shown = {title.inner_text() for title in box.locator("a.reslib-w-title").all()}
    shown |= {a.inner_text() for a in other.all()}
    assert {"Arbitrary Arrests in Sagaing Region", BURMESE_TITLE} <= shown
    # Burmese labels: the count in Burmese digits.
    status = box.locator(".reslib-w-status").inner_text()
    assert status.startswith("ရလဒ် ") and set(status.split()[1]) <= BURMESE_DIGITS
    with page.context.expect_page() as opened:
        title.click()
    assert opened.value.url.startswith(site + "/items/")
    assert page.url.startswith(partner)  # the partner's page stays where it was
    opened.value.close()
    shot(page, "widget-new-tab-translations")
    assert blocking(page) == []
    assert page.csp_errors == []  # type: ignore[attr-defined]


def test_widget_counts_one_result_in_the_singular(page: Page, site: str) -> None:
    page.goto(site + "/embed?ui=en")
    box = page.locator("#reslib-demo")
    box.locator(".reslib-w-input").fill("arrests")
    box.locator(".reslib-w-input").press("Enter")
    expect(box.locator(".reslib-w-status")).to_have_text("1 result")


def test_embed_builder_updates_the_snippet_and_preview_and_copies(
    browser: Browser, site: str
) -> None:
    from axe_check import blocking

    context = browser.new_context(locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    page.goto(site + "/embed")
    code = page.locator("#snippet-code")
    expect(code).to_contain_text('data-ui="en"')
    page.locator('input[name="w_ui"][value="my"]').check()
    expect(code).to_contain_text('data-ui="my"')
    page.locator("#w_org").select_option("Progressive Voice")
    expect(code).to_contain_text('data-org="Progressive Voice"')
    # The live preview is the widget with the chosen options: Burmese labels.
    expect(page.locator("#reslib-demo .reslib-w-button")).to_have_text("ရှာမည်")
    page.locator("#reslib-demo .reslib-w-input").fill("Sagaing")
    page.locator("#reslib-demo .reslib-w-input").press("Enter")
    expect(page.locator("#reslib-demo a.reslib-w-title").first).to_be_visible()
    shot(page, "embed-builder-script")
    page.locator('input[name="variant"][value="iframe"]').check()
    expect(code).to_contain_text("/widget/frame?ui=my&amp;org=Progressive+Voice")
    expect(page.locator('.variant-note[data-variant="iframe"]')).to_be_visible()
    expect(page.locator('.variant-note[data-variant="script"]')).to_be_hidden()
    frame = page.frame_locator("#embed-preview iframe.embed-frame")
    expect(frame.locator("button[type=submit]")).to_have_text("ရှာမည်")
    assert "variant=iframe" in page.url  # the address keeps the choices
    page.locator("#snippet-copy").click()
    expect(page.locator("#snippet-status")).to_have_text("Copied: paste it into your page.")
    assert page.evaluate("navigator.clipboard.readText()") == code.inner_text()
    shot(page, "embed-builder-iframe")
    assert blocking(page) == []
    context.close()


def test_embed_builder_works_without_javascript(browser: Browser, site: str) -> None:
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/embed")
    expect(page.locator("#snippet-code")).to_contain_text("/static/widget.js")
    expect(page.locator("#snippet-copy")).to_be_hidden()
    page.locator("#w_type").select_option("report")
    page.locator("button.embed-update").click()
    page.wait_for_url("**w_type=report**")
    expect(page.locator("#snippet-code")).to_contain_text('data-type="report"')
    context.close()


def test_email_me_new_results_from_the_search_page(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search alerts: fill the search page's form, then confirm through the mailed link (a real
    SMTP server, aiosmtpd, takes the mail)."""
    from alerts_smtp import link, smtp_server, use_server

    from reslib.alerts import AlertStore

    with smtp_server() as inbox:
        use_server(monkeypatch, inbox.port)
        home = build_sample(tmp_path / "library")
        server = serve(create_app(home))
        site = next(server)
        context = browser.new_context(locale="en-US")
        try:
            page = context.new_page()
            page.goto(site + "/?q=Sagaing")
            page.get_by_label("Email me new results for this search").fill("reader@example.org")
            shot(page, "alert-form")
            page.get_by_role("button", name="Email me new results").click()
            expect(page.locator("h1")).to_have_text("Check your mailbox")
            assert "reader@example.org" not in page.content()
            assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == "reader@example.org"
            page.goto(site + link(inbox.messages[0], "confirm"))
            page.get_by_role("button", name="Confirm the alert").click()
            expect(page.locator("h1")).to_have_text("Your alert is confirmed")
            shot(page, "alert-confirmed")
            [alert] = AlertStore(home).load()
            assert alert.is_confirmed and alert.query["q"] == "Sagaing" and alert.ui == "en"
        finally:
            context.close()
            server.close()


@pytest.mark.parametrize("ui", ["en", "my"])
def test_search_guide_and_browse_pages_pass_axe(browser: Browser, site: str, ui: str) -> None:
    from axe_check import blocking

    page = browser.new_context(locale="my-MM" if ui == "my" else "en-US").new_page()
    page.goto(site + "/about")
    expect(page.locator("html")).to_have_attribute("lang", ui)
    expect(page.locator(".guide-examples dt")).to_have_count(8)
    shot(page, f"about-guide-{ui}")
    assert blocking(page) == []
    page.goto(site + "/browse/organizations")
    assert blocking(page) == []
    page.context.close()
