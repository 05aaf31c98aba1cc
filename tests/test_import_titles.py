"""Page titles from the most reliable source, the site's name cut (issue 14, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_fixtures import pages

from reslib.importers.base import ParseOptions
from reslib.importers.htmlpage import parse_html
from reslib.importers.titles import cut_site

OPTIONS = ParseOptions(read_author_line=lambda line: None, resolve_organization=lambda _: False)  # type: ignore[arg-type,return-value]
BODY = pages.paragraphs(pages.ARTICLE)
HEADLINE = "Airstrikes force thousands to flee in Sagaing"


def title_of(body: str, *, title: str, head: str = "") -> str:
    html = pages.page(body, title=title, head=head)
    return parse_html(Path("in/page.html"), html.encode("utf-8"), OPTIONS).items[0].title


def test_a_heading_that_agrees_with_the_page_title_is_taken_as_written():
    body = f"<main><h1>{HEADLINE}</h1>{BODY}</main>"
    assert title_of(body, title=f"{HEADLINE.upper()} | Example Media") == HEADLINE


def test_the_site_logo_heading_loses_to_og_title():
    body = f'<div class="logo"><h1>Example Media</h1></div><main>{BODY}</main>'
    head = f'<meta property="og:title" content="{HEADLINE} – Example Media">'
    head += '<meta property="og:site_name" content="Example Media">'
    assert title_of(body, title="Example Media", head=head) == HEADLINE


def test_a_section_heading_loses_to_the_heading_the_page_title_names():
    body = f"<h1>Latest news</h1><main><h1>{HEADLINE}</h1>{BODY}</main>"
    assert title_of(body, title=f"{HEADLINE} - Example Media") == HEADLINE


def test_a_photo_caption_heading_loses_to_the_json_ld_headline():
    body = f"<main><figure><h1>Smoke over a village near Monywa</h1></figure>{BODY}</main>"
    ld = f'{{"@type": "NewsArticle", "headline": "{HEADLINE}"}}'
    head = f'<script type="application/ld+json">{ld}</script>'
    assert title_of(body, title="Example Media", head=head) == HEADLINE


def test_without_headings_the_page_title_is_taken_without_the_site_name():
    head = '<meta property="og:site_name" content="Example Media">'
    assert title_of(f"<main>{BODY}</main>", title=f"Example Media | {HEADLINE}", head=head) == (
        HEADLINE
    )


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        (f"{HEADLINE} | Example Media", "Example Media", "", HEADLINE),
        (f"Example Media – {HEADLINE}", "Example Media", "", HEADLINE),
        (f"{HEADLINE} - example.org", "", "https://www.example.org/x", HEADLINE),
        (f"{HEADLINE} - The Irrawaddy", "", "", HEADLINE),
        ("Myanmar: a year of airstrikes", "", "", "Myanmar: a year of airstrikes"),
        ("Home", "", "", "Home"),
        ("A - B", "", "", "A - B"),
    ],
)
def test_the_site_name_is_cut(title, site, url, expected):
    assert cut_site(title, site, url) == expected


def test_a_heading_cut_short_gives_way_to_the_whole_declared_title():
    body = f"<main><h1>{HEADLINE[:25]}…</h1>{BODY}</main>"
    head = f'<meta property="og:title" content="{HEADLINE} | Example Media">'
    assert title_of(body, title="Example Media", head=head) == HEADLINE
