"""WordPress exports' weekly updates split like saved pages and text dumps (issue 15 item 5).

A post of a WXR export whose content has a "Resources from the past week" list gives the
update and one record per listing, linked both ways, read by the same functions as the saved
page (``htmlpage.resource_blocks``, ``resources.add_listings``): the seed text dump, the saved
page and the WXR post of one update give the same records in fresh libraries.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import shared_path
from import_fixtures.library import make_catalogue
from import_fixtures.update_page import (
    INTRO,
    LISTINGS,
    OPEN_LETTER_EN,
    OPEN_LETTER_MY,
    REPORTS,
    STATEMENTS,
    URL,
    Listing,
    update_page,
)
from import_fixtures.wordpress import wxr_export, wxr_item
from test_import_html_update import SEED, TITLE, TYPES, by_title, listing_view, seed_paragraphs

from reslib.catalogue import Catalogue
from reslib.importers import import_paths

SITE = "Progressive Voice"


def post_content(page: str) -> str:
    """What WordPress stores of a saved update page: its ``entry-content``, as written."""
    content = BeautifulSoup(page, "html.parser").find(class_="entry-content")
    assert content is not None
    return content.decode_contents()


def update_item(content: str, *, post_id: int = 7, link: str = URL, title: str = TITLE) -> str:
    return wxr_item(
        post_id,
        title,
        content,
        creator="pvadmin",  # a login the export does not name: the site is the publisher
        date="2023-11-20 08:00:00",
        link=link,
        categories=(("category", "weekly-highlights", "Weekly Highlights"),),
    )


def import_file(root: Path, name: str, content: str) -> tuple[Catalogue, object]:
    catalogue = make_catalogue(root / "lib")
    path = root / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return catalogue, import_paths(catalogue, [path])


def import_export(root: Path, items: list[str]) -> tuple[Catalogue, object]:
    return import_file(root, "pv.WordPress.xml", wxr_export(items, site=SITE))


def classic_editor_content(paragraphs: list[str] = INTRO) -> str:
    """The update as the classic editor stores it: no ``<p>``, a blank line between
    paragraphs, a listing's ``By …`` on the line under its title (WordPress renders a
    ``<br>``), two ``&nbsp;`` paragraphs before the reports."""

    def listing(x: Listing) -> str:
        return f'<strong><a href="{escape(x.href)}">{escape(x.title)}</a></strong>\nBy {x.by}'

    parts = [escape(p) for p in paragraphs]
    parts.append(
        "<h3>Resources from the past week</h3>\n<h4>Statements and Press Releases</h4>\n"
        + listing(STATEMENTS[0])
    )
    parts += [listing(x) for x in STATEMENTS[1:]]
    parts += ["&nbsp;", "&nbsp;"]
    parts += [listing(x) for x in REPORTS]
    return "\n\n".join(parts)


def test_update_post_gives_the_update_and_one_record_per_listing_linked_both_ways(tmp_path):
    catalogue, summary = import_export(tmp_path, [update_item(post_content(update_page()))])

    assert summary.skipped == []
    assert len(summary.created) == 1 + len(LISTINGS)
    records = by_title(catalogue)
    update = records[TITLE]
    assert (update.type, update.date, update.organizations) == (
        "update",
        "2023-11-20",
        ["Progressive Voice"],
    )
    assert update.source_url == URL
    assert sorted(update.related) == sorted(records[x.title].id for x in LISTINGS)
    assert "Resources from the past week" not in update.body
    assert "By Fortify Rights" not in update.body
    for listing in LISTINGS:
        record = records[listing.title]
        assert record.related == [update.id], listing.title
        assert (record.type, record.date) == (TYPES[listing.title], "2023-11-20"), listing.title
        assert record.source_url == listing.href, listing.title
    english, burmese = records[OPEN_LETTER_EN], records[OPEN_LETTER_MY]
    assert english.translations == [burmese.id] and burmese.translations == [english.id]


def test_seed_dump_saved_page_and_export_post_of_one_update_give_the_same_records(tmp_path):
    seed = shared_path("seeds", SEED).read_text(encoding="utf-8")
    page = update_page(seed_paragraphs(seed), reports_heading=None)
    from_dump, dump_summary = import_file(tmp_path / "dump", "update.txt", seed)
    from_page, page_summary = import_file(tmp_path / "page", "update.html", page)
    from_wxr, wxr_summary = import_export(tmp_path / "wxr", [update_item(post_content(page))])

    assert dump_summary.skipped == page_summary.skipped == wxr_summary.skipped == []
    assert len(from_wxr.ids()) == len(from_dump.ids()) == 1 + len(LISTINGS)
    assert listing_view(from_wxr) == listing_view(from_page) == listing_view(from_dump)
    dump_update, wxr_update = by_title(from_dump)[TITLE], by_title(from_wxr)[TITLE]
    for field in ("type", "date", "organizations", "language", "body"):
        assert getattr(wxr_update, field) == getattr(dump_update, field), field
    assert len(wxr_update.related) == len(LISTINGS)
    assert len(wxr_summary.translations) == len(dump_summary.translations) == 1


def test_classic_editor_content_gives_the_records_the_page_gives(tmp_path):
    page, _ = import_file(tmp_path / "page", "u.html", update_page(reports_heading=None))
    wxr, summary = import_export(tmp_path / "wxr", [update_item(classic_editor_content())])

    assert summary.skipped == []
    assert listing_view(wxr) == listing_view(page)
    urls = {r.title: r.source_url for r in wxr.records()}
    assert all(urls[x.title] == x.href for x in LISTINGS)
    assert by_title(wxr)[TITLE].body == by_title(page)[TITLE].body


def test_reimporting_the_export_changes_nothing(tmp_path):
    catalogue, _ = import_export(tmp_path, [update_item(post_content(update_page()))])
    before = {p.name: p.read_bytes() for p in catalogue.records_dir.glob("*.json")}

    summary = import_paths(catalogue, [tmp_path / "in" / "pv.WordPress.xml"])

    assert summary.created == [] and summary.updated == []
    assert len(summary.unchanged) == 1 + len(LISTINGS)
    after = {p.name: p.read_bytes() for p in catalogue.records_dir.glob("*.json")}
    assert after == before


def test_a_resource_listed_by_two_updates_of_one_export_is_one_record_dated_by_the_first(
    tmp_path,
):
    shared = STATEMENTS[2]
    later = wxr_item(
        8,
        "Another week of airstrikes",
        post_content(update_page(statements=[shared], reports=[])),
        creator="pvadmin",
        date="2023-11-27 08:00:00",
        link="https://progressivevoicemyanmar.org/2023/11/27/another-week/",
    )
    catalogue, summary = import_export(tmp_path, [update_item(post_content(update_page())), later])

    assert summary.skipped == []
    records = by_title(catalogue)
    assert len(records) == 2 + len(LISTINGS)
    listed = records[shared.title]
    first, second = records[TITLE], records["Another week of airstrikes"]
    assert (listed.date, listed.type) == ("2023-11-20", "statement")
    assert sorted(listed.related) == sorted([first.id, second.id])
    assert second.related == [listed.id]


def test_a_listing_whose_link_is_a_post_of_the_export_is_that_post(tmp_path):
    statement = STATEMENTS[3]
    post = wxr_item(
        9,
        statement.title,
        "<p>Fortify Rights calls on the UN Human Rights Council to press Bangladesh.</p>",
        creator="pvadmin",
        date="2023-11-10 10:00:00",
        link=statement.href,
    )
    for items in (
        [post, update_item(post_content(update_page()))],
        [
            update_item(post_content(update_page())),
            post,
        ],
    ):
        root = tmp_path / str(len(list(tmp_path.iterdir())))
        catalogue, summary = import_export(root, items)

        assert summary.skipped == []
        records = by_title(catalogue)  # asserts no two records share a title
        assert len(records) == 1 + len(LISTINGS)
        own = records[statement.title]
        assert own.date == "2023-11-10", "the post's own fields, not the listing's"
        assert "press Bangladesh" in own.body
        assert own.related == [records[TITLE].id]


def test_post_naming_the_list_in_a_sentence_stays_one_record(tmp_path):
    sentence = (
        "Resources from the past week are listed on our website, with the statements and "
        "reports of our partners in Myanmar and the region."
    )
    content = f"<p>An update on the humanitarian crisis in Myanmar.</p>\n<p>{sentence}</p>"
    catalogue, summary = import_export(tmp_path, [update_item(content)])

    (record,) = catalogue.records()
    assert len(summary.created) == 1
    assert record.related == []
    assert sentence in record.body
