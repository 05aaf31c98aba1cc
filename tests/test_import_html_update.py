"""Saved HTML weekly updates split like text dumps (issue 15 item 5).

A saved page with a "Resources from the past week" list gives the update and one record per
listing, linked both ways, read by the same parser as the text dumps
(``reslib.importers.resources``); the seed dump and the page of the same update give the
same records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path
from import_fixtures.library import make_catalogue
from import_fixtures.update_page import (
    LISTINGS,
    OPEN_LETTER_EN,
    OPEN_LETTER_MY,
    REPORTS,
    STATEMENTS,
    URL,
    Listing,
    update_page,
)

from reslib.catalogue import Catalogue
from reslib.importers import import_paths
from reslib.models import Record

TITLE = "Aid for the People, by the People"
SEED = "003_60643668854d5302.txt"

#: The type each listing of the page gets from its section (and, for statements, its title).
TYPES = {
    OPEN_LETTER_EN: "open-letter",
    OPEN_LETTER_MY: "open-letter",  # its original's: its title has no "open letter" words
    **{x.title: "statement" for x in STATEMENTS[2:]},
    **{x.title: "report" for x in REPORTS},
}


def import_into(root: Path, name: str, content: str) -> tuple[Catalogue, object]:
    catalogue = make_catalogue(root / "lib")
    path = root / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return catalogue, import_paths(catalogue, [path])


def by_title(catalogue: Catalogue) -> dict[str, Record]:
    records = {r.title: r for r in catalogue.records()}
    assert len(records) == len(catalogue.ids()), "two records share a title"
    return records


def listing_view(catalogue: Catalogue) -> dict[str, tuple]:
    """Per listing: what a reader sees of it, its links named by title."""
    records = by_title(catalogue)
    title_of = {r.id: r.title for r in records.values()}
    return {
        r.title: (
            r.type,
            r.date,
            tuple(r.organizations),
            r.language,
            tuple(sorted(title_of[i] for i in r.related)),
            tuple(sorted(title_of[i] for i in r.translations)),
        )
        for r in records.values()
        if r.type != "update"
    }


def test_update_page_gives_the_update_and_one_record_per_listing_linked_both_ways(tmp_path):
    catalogue, summary = import_into(tmp_path, "aid.html", update_page())

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
    for listing in LISTINGS:
        record = records[listing.title]
        assert record.related == [update.id], listing.title
        assert record.type == TYPES[listing.title], listing.title
        assert record.date == "2023-11-20", listing.title
        assert record.source_url == listing.href, listing.title
    coup_watch = records[REPORTS[0].title].organizations
    assert coup_watch[0] == "ALTSEAN-Burma" and coup_watch[-1] == "Women’s Peace Network"
    assert records[STATEMENTS[2].title].organizations == ["Committee to Protect Journalists"]


def test_update_body_stops_before_the_list_and_drops_the_boilerplate(tmp_path):
    catalogue, _ = import_into(tmp_path, "aid.html", update_page())

    body = by_title(catalogue)[TITLE].body
    assert body.startswith("“The time is now to cut ties with the junta")
    assert body.endswith("displaced by the junta’s airstrikes.")
    for kept_out in (
        "Featured image",
        "from Burma to Myanmar",
        "Resources from the past week",
        "Statements and Press Releases",
        "By Fortify Rights",
        "Progressive Voice is a participatory",
        "Share this",
    ):
        assert kept_out not in body


def test_burmese_listing_after_its_english_one_is_its_translation(tmp_path):
    catalogue, summary = import_into(tmp_path, "aid.html", update_page())
    records = by_title(catalogue)

    english, burmese = records[OPEN_LETTER_EN], records[OPEN_LETTER_MY]
    assert burmese.language == "my"
    assert english.translations == [burmese.id]
    assert burmese.translations == [english.id]
    assert summary.translations == [sorted([english.id, burmese.id])]
    others = [r for r in records.values() if r.id not in (english.id, burmese.id)]
    assert all(r.translations == [] for r in others)


@pytest.mark.parametrize(
    "markup",
    [
        {"by_after_br": True},
        {"reports_heading": None},
        {"reports_heading": None, "by_after_br": True},
    ],
    ids=["by-after-br", "reports-after-spacers", "both"],
)
def test_theme_markup_variants_give_the_same_records(tmp_path, markup):
    plain, _ = import_into(tmp_path / "plain", "aid.html", update_page())
    variant, _ = import_into(tmp_path / "variant", "aid.html", update_page(**markup))

    assert listing_view(variant) == listing_view(plain)
    urls = {r.title: r.source_url for r in variant.records()}
    assert all(urls[x.title] == x.href for x in LISTINGS)


def test_reports_without_spacers_or_heading_stay_in_the_statements_section(tmp_path):
    # The blank lines (spacer paragraphs) are what start the untitled list: without them the
    # reports are read as more statements, as a text dump without its blank lines would be.
    catalogue, _ = import_into(tmp_path, "aid.html", update_page(reports_heading=""))
    records = by_title(catalogue)

    assert records[REPORTS[2].title].type == "statement"


def seed_paragraphs(text: str) -> list[str]:
    """The seed's body paragraphs: between the date line and the list, blank-line separated."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if "Author:" in line) + 1
    end = next(i for i, line in enumerate(lines) if line.strip() == "Resources from the past week")
    blocks = "\n".join(lines[start:end]).split("\n\n")
    return [
        " ".join(b.split())
        for b in blocks
        if b.strip() and b.strip() != "Featured image" and not b.strip().startswith("[1]")
    ]


def test_seed_dump_and_saved_page_of_the_same_update_give_the_same_records(tmp_path):
    seed = shared_path("seeds", SEED).read_text(encoding="utf-8")
    from_dump, dump_summary = import_into(tmp_path / "dump", "update.txt", seed)
    page = update_page(seed_paragraphs(seed), reports_heading=None)
    from_page, page_summary = import_into(tmp_path / "page", "update.html", page)

    assert dump_summary.skipped == [] and page_summary.skipped == []
    assert len(from_page.ids()) == len(from_dump.ids()) == 1 + len(LISTINGS)
    assert listing_view(from_page) == listing_view(from_dump)
    assert {t: v[0] for t, v in listing_view(from_page).items()} == TYPES
    dump_update, page_update = by_title(from_dump)[TITLE], by_title(from_page)[TITLE]
    for field in ("type", "date", "organizations", "language"):
        assert getattr(page_update, field) == getattr(dump_update, field), field
    assert page_update.body == dump_update.body
    assert len(page_update.related) == len(dump_update.related) == len(LISTINGS)
    assert page_summary.translations and len(page_summary.translations) == len(
        dump_summary.translations
    )


def dump_with_urls(listings_by_section: list[tuple[str, list[Listing]]], url_after_by: bool) -> str:
    """A text dump of the page that kept each listing's address on a line of its own."""
    lines = [TITLE, "", "November 20th, 2023  •  Author:   Progressive Voice", ""]
    lines += ["The people deliver aid where the junta blocks it, week after week.", ""]
    lines += ["Resources from the past week", "", ""]
    for heading, listings in listings_by_section:
        lines += [heading, ""]
        for x in listings:
            if url_after_by:
                lines += [x.title, "", f"By {x.by}", x.href, ""]
            else:
                lines += [x.title, x.href, "", f"By {x.by}", ""]
    return "\n".join(lines)


@pytest.mark.parametrize("url_after_by", [False, True], ids=["url-after-title", "url-after-by"])
def test_text_dump_url_lines_give_the_links_the_page_gives(tmp_path, url_after_by):
    sections = [("Statements and Press Releases", STATEMENTS), ("Reports", REPORTS)]
    dump, _ = import_into(tmp_path / "dump", "u.txt", dump_with_urls(sections, url_after_by))
    page, _ = import_into(tmp_path / "page", "u.html", update_page())

    def links(catalogue: Catalogue) -> dict[str, tuple[str, str]]:
        return {r.title: (r.type, r.source_url) for r in catalogue.records() if r.type != "update"}

    assert links(dump) == links(page)
    assert {t: url for t, (_, url) in links(dump).items()} == {x.title: x.href for x in LISTINGS}


def test_reimporting_the_page_changes_nothing(tmp_path):
    catalogue, _ = import_into(tmp_path, "aid.html", update_page())
    before = {p.name: p.read_bytes() for p in catalogue.records_dir.glob("*.json")}

    summary = import_paths(catalogue, [tmp_path / "in" / "aid.html"])

    assert summary.created == [] and summary.updated == []
    assert len(summary.unchanged) == 1 + len(LISTINGS)
    after = {p.name: p.read_bytes() for p in catalogue.records_dir.glob("*.json")}
    assert after == before


def test_page_without_the_list_stays_one_record(tmp_path):
    catalogue, summary = import_into(tmp_path, "aid.html", update_page(resources_heading=""))

    (record,) = catalogue.records()
    assert len(summary.created) == 1
    assert record.related == []
    assert "cut ties with the junta" in record.body


def test_page_naming_the_list_in_a_sentence_stays_one_record(tmp_path):
    sentence = (
        "Resources from the past week are listed on our website, with the statements and "
        "reports of our partners in Myanmar and the region."
    )
    page = update_page(["An update on the humanitarian crisis in Myanmar.", sentence])
    page = page.replace("<h3>Resources from the past week</h3>", "")
    catalogue, _ = import_into(tmp_path, "aid.html", page)

    (record,) = catalogue.records()
    assert sentence in record.body


def test_link_shared_by_several_listings_is_nobody_s_and_relative_links_are_made_absolute(
    tmp_path,
):
    home = "https://progressivevoicemyanmar.org/"
    statements = [
        Listing("Statement one on the airstrikes in Sagaing", "Fortify Rights", home),
        Listing("Statement two on the airstrikes in Karenni", "Fortify Rights", home),
        Listing("Statement three on aid", "Fortify Rights", "/2023/11/18/statement-three/"),
    ]
    page = update_page(statements=statements, reports=[])
    catalogue, _ = import_into(tmp_path, "aid.html", page)
    records = by_title(catalogue)

    assert len(records) == 4
    assert records[statements[0].title].source_url == ""
    assert records[statements[1].title].source_url == ""
    assert records[statements[2].title].source_url == (
        "https://progressivevoicemyanmar.org/2023/11/18/statement-three/"
    )
