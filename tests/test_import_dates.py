"""Dates from every place real pages keep them, and from the date lines people type
(issue 14, item 1): English and Burmese, Burmese digits, Zawgyi; never a guess."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_fixtures import pages

from reslib.analysis import unicode_to_zawgyi
from reslib.importers.base import ParseOptions
from reslib.importers.dates import parse_date
from reslib.importers.htmlpage import parse_html

OPTIONS = ParseOptions(read_author_line=lambda line: None, resolve_organization=lambda _: False)  # type: ignore[arg-type,return-value]
BODY = pages.paragraphs(pages.ARTICLE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("November 20, 2023", "2023-11-20"),
        ("Posted on 20th November 2023 by admin", "2023-11-20"),
        ("on the 5th of May, 2021", "2021-05-05"),
        ("2023-11-20T08:00:00+06:30", "2023-11-20"),
        ("2023/11/20", "2023-11-20"),
        ("Updated 20.11.2023", "2023-11-20"),
        ("Sat, 25 Nov 2023 09:30:00 +0000", "2023-11-25"),
        ("D:20230915120000Z", "2023-09-15"),
        ("(မိုးမခ) ဧပြီ ၂၂၊ ၂၀၁၆", "2016-04-22"),
        ("၂၀၂၃ ခုနှစ် နိုဝင်ဘာလ ၂၀ ရက်", "2023-11-20"),
        ("၂၀ နိုဝင်ဘာ ၂၀၂၃", "2023-11-20"),
        ("ဇူလိုင် ၅ ရက်၊ ၂၀၂၄", "2024-07-05"),
        ("သြဂုတ် 3, 2022", "2022-08-03"),
        ("၂ဝ နိုဝင်ဘာ ၂ဝ၂၃", "2023-11-20"),  # the letter wa typed for zero
    ],
)
def test_date_lines_as_people_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("line", ["(မိုးမခ) ဧပြီ ၂၂၊ ၂၀၁၆", "၂၀၂၃ ခုနှစ် နိုဝင်ဘာလ ၂၀ ရက်", "ဒီဇင်ဘာ ၁၊ ၂၀၂၀"])
def test_a_zawgyi_date_line_reads_as_its_unicode_twin(line):
    assert parse_date(unicode_to_zawgyi(line)) == parse_date(line) is not None


@pytest.mark.parametrize(
    "text", ["11/20/2023", "20/11/2023", "November 2023", "Chapter 12, 2023 pages", "၂၀၂၃"]
)
def test_what_is_not_a_whole_date_is_no_date(text):
    assert parse_date(text) is None


def date_of(html: str) -> str:
    doc = parse_html(Path("in/page.html"), html.encode("utf-8"), OPTIONS)
    return doc.items[0].date


def json_ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            json_ld('{"@type": "NewsArticle", "datePublished": "2023-11-20T10:00:00Z"}'),
            "2023-11-20",
        ),
        (
            json_ld(
                '{"@graph": [{"@type": "WebSite", "datePublished": "2010-01-01"},'
                ' {"@type": "BlogPosting", "datePublished": "2023-11-21"}]}'
            ),
            "2023-11-21",
        ),
        (
            '<meta property="article:published_time" content="2023-11-22T08:00:00+06:30">',
            "2023-11-22",
        ),
        ('<meta name="DC.date.issued" content="2023-11-23">', "2023-11-23"),
        ('<meta name="dcterms.date" content="2023-11-24">', "2023-11-24"),
        ('<meta name="citation_publication_date" content="2023/11/25">', "2023-11-25"),
        ('<meta name="citation_date" content="2023-11-26">', "2023-11-26"),
    ],
)
def test_dates_the_page_declares(head, expected):
    assert date_of(pages.page(f"<main>{BODY}</main>", head=head)) == expected


def test_a_time_element_gives_the_date():
    body = f'<main><time datetime="2023-11-27T09:00">Monday</time>{BODY}</main>'
    assert date_of(pages.page(body)) == "2023-11-27"


def test_a_published_time_element_wins_over_an_earlier_updated_one():
    body = (
        '<article><time class="updated" datetime="2024-01-02">Jan 2</time>'
        f'<time class="entry-date published" datetime="2023-11-28">Nov 28</time>{BODY}</article>'
    )
    assert date_of(pages.page(body)) == "2023-11-28"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/2023/11/20/airstrikes-in-sagaing/", "2023-11-20"),
        ("https://example.org/news/2023/11/airstrikes/", "2023-11"),
        ("https://example.org/2023/13/40/not-a-date/", ""),
    ],
)
def test_the_url_path_gives_the_date(url, expected):
    head = f'<link rel="canonical" href="{url}">'
    assert date_of(pages.page(f"<main>{BODY}</main>", head=head)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Posted on November 29, 2023 by Admin", "2023-11-29"),
        ("(မိုးမခ) ဧပြီ ၂၂၊ ၂၀၁၆", "2016-04-22"),
        (unicode_to_zawgyi("(မိုးမခ) ဧပြီ ၂၂၊ ၂၀၁၆"), "2016-04-22"),
        ("၂၀၂၃ ခုနှစ် နိုဝင်ဘာလ ၂၀ ရက်", "2023-11-20"),
    ],
)
def test_a_visible_date_line_gives_the_date(line, expected):
    body = f'<main><h1>A report</h1><div class="post-date">{line}</div>{BODY}</main>'
    assert date_of(pages.page(body)) == expected


def test_a_date_line_at_the_start_of_the_text_gives_the_date():
    body = f"<main><p>Yangon, 30 November 2023 —</p>{BODY}</main>"
    assert date_of(pages.page(body)) == "2023-11-30"


def test_what_the_page_declares_wins_over_the_url_and_the_text():
    head = (
        '<link rel="canonical" href="https://example.org/2020/01/01/x/">'
        '<meta property="article:published_time" content="2023-11-22">'
    )
    body = f"<main><p>Posted on November 29, 2023</p>{BODY}</main>"
    assert date_of(pages.page(body, head=head)) == "2023-11-22"


def test_a_modified_date_is_the_last_resort():
    head = '<meta property="article:modified_time" content="2024-02-03">'
    assert date_of(pages.page(f"<main>{BODY}</main>", head=head)) == "2024-02-03"


def test_a_page_that_names_no_date_has_none():
    assert date_of(pages.page(f"<main>{BODY}</main>")) == ""
