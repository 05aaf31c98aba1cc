"""Saved pages in the layouts the first importer misread: each article's text is found, by
trafilatura and by reslib's own reading when trafilatura finds nothing (issue 14, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_fixtures import pages
from import_fixtures.library import make_catalogue
from import_fixtures.pages import ARTICLE
from import_fixtures.wordpress import wordpress_page

from reslib.analysis import unicode_to_zawgyi
from reslib.importers import extract, import_paths
from reslib.importers.base import ParseOptions, SkipFile
from reslib.importers.htmlpage import parse_html

OPTIONS = ParseOptions(read_author_line=lambda line: None, resolve_organization=lambda _: False)  # type: ignore[arg-type,return-value]
ARTICLE_BODY = "\n\n".join(ARTICLE)


def parse(html: str):
    doc = parse_html(Path("in/page.html"), html.encode("utf-8"), OPTIONS)
    (item,) = doc.items
    return item, doc.notes


@pytest.fixture(params=["trafilatura", "fallback"])
def reader(request, monkeypatch):
    """Each test runs twice: as pages are read, and with trafilatura finding nothing."""
    if request.param == "fallback":
        monkeypatch.setattr(extract, "trafilatura_text", lambda html: "")
    return request.param


@pytest.mark.parametrize(
    "layout",
    [
        pages.comment_blockquote_page,
        pages.share_wrapper_page,
        pages.br_page,
        pages.sibling_divs_page,
    ],
)
def test_the_whole_article_is_the_body(layout, reader):
    item, _ = parse(layout())

    assert item.provenance["extracted_by"] == reader
    for paragraph in ARTICLE:
        assert paragraph in item.body
    for chrome in ("Home", "Popular", "All rights", "Twitter", "Thank you for this report"):
        assert chrome not in item.body


def test_paragraphs_stay_paragraphs(reader):
    for layout in (pages.br_page, pages.share_wrapper_page, pages.comment_blockquote_page):
        item, _ = parse(layout())
        assert item.body == ARTICLE_BODY, layout.__name__


def test_text_without_any_p_element_is_found(reader):
    item, _ = parse(pages.no_p_page())

    assert item.body.endswith(ARTICLE_BODY)


def test_a_listing_page_keeps_every_teaser_not_only_the_first(reader):
    item, _ = parse(pages.listing_page())

    assert item.title == "News archive"
    for n in range(1, 6):
        assert f"Teaser {n}:" in item.body


def test_text_found_only_by_the_fallback_is_imported_with_a_note(monkeypatch):
    monkeypatch.setattr(extract, "trafilatura_text", lambda html: "")

    item, notes = parse(pages.sibling_divs_page())

    assert item.provenance["extracted_by"] == "fallback"
    assert "main text found by reslib's own reading (trafilatura none)" in notes


def test_stray_letters_are_not_an_article():
    html = pages.page("<main>" + "<div><p>x</p></div>" * 200 + "</main>")

    with pytest.raises(SkipFile, match="no article in the page"):
        parse(html)


def test_the_heading_repeated_at_the_start_of_the_text_is_not_body():
    item, _ = parse(pages.sibling_divs_page())

    assert item.title == "A report on airstrikes"
    assert not item.body.startswith("A report on airstrikes")


def test_a_page_without_a_date_gives_an_item_with_its_date_unknown_and_a_note():
    item, notes = parse(pages.br_page())

    assert item.date == ""
    assert "no date in the page: imported with its date unknown" in notes


def test_an_extractor_that_fails_loses_no_page(monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise ValueError("lxml tripped")

    monkeypatch.setattr(trafilatura, "extract", broken)

    item, notes = parse(pages.sibling_divs_page())

    assert item.provenance["extracted_by"] == "fallback"
    assert "main text found by reslib's own reading (trafilatura none)" in notes
    assert all(paragraph in item.body for paragraph in ARTICLE)


def test_a_weekly_update_keeps_its_list_of_resources():
    resources = [f"Report {n}: Sagaing airstrikes, an account by local groups" for n in range(6)]
    links = "".join(f'<li><a href="/r{n}.pdf">{text}</a></li>' for n, text in enumerate(resources))
    page = wordpress_page("Weekly Update", [*ARTICLE[:1]]).replace(
        '<div class="entry-content">', f'<div class="entry-content"><ul>{links}</ul>'
    )

    item, _ = parse(page)

    assert item.provenance["extracted_by"] == "wordpress"
    assert item.body == "\n\n".join([*resources, ARTICLE[0]])


def test_zawgyi_in_a_page_trafilatura_reads_is_converted_paragraph_by_paragraph(tmp_path):
    burmese = [
        "စစ်ကောင်စီ၏ လေကြောင်းတိုက်ခိုက်မှုများသည် အရပ်သားများကို ထိခိုက်စေသည်။ " * 3,
        "ဒေသခံများ ထွက်ပြေးနေရသည်။ " * 5,
    ]
    html = pages.page(
        "<main><h1>"
        + unicode_to_zawgyi("ထုတ်ပြန်ချက်")
        + "</h1>"
        + pages.paragraphs([unicode_to_zawgyi(p) for p in burmese])
        + "</main>",
        title=unicode_to_zawgyi("ထုတ်ပြန်ချက်"),
        head='<meta property="article:published_time" content="2023-11-20">',
    )
    source = tmp_path / "in" / "zawgyi.html"
    source.parent.mkdir()
    source.write_text(html, "utf-8")
    catalogue = make_catalogue(tmp_path / "lib")

    summary = import_paths(catalogue, [source])

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.imported["extracted_by"] == "trafilatura"
    assert record.title == "ထုတ်ပြန်ချက်"
    assert record.body == "\n\n".join(p.strip() for p in burmese)
    assert record.language == "my"


def test_pdf_links_are_taken_from_the_article_not_the_footer():
    html = pages.page(
        f'<div class="story">{pages.paragraphs(ARTICLE)}'
        '<p><a href="/files/report.pdf">The full report</a></p></div>'
        '<div class="footer-widget"><a href="/annual-report.pdf">Annual report</a></div>',
        head='<link rel="canonical" href="https://example.org/news/report">',
    ).replace("© 2023", '<a href="/privacy.pdf">Privacy</a> © 2023')

    item, _ = parse(html)

    assert item.documents == ["https://example.org/files/report.pdf"]


def test_a_page_without_a_date_is_imported_with_its_date_unknown(tmp_path):
    source = tmp_path / "in" / "undated.html"
    source.parent.mkdir()
    source.write_text(pages.br_page(), "utf-8")
    catalogue = make_catalogue(tmp_path / "lib")

    summary = import_paths(catalogue, [source])

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.date == ""
    assert record.body == ARTICLE_BODY
    assert any("no date in the page" in note for note in summary.notes)
