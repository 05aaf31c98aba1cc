"""WordPress exports: posts and pages, terms, Polylang languages and translations, attachments."""

from __future__ import annotations

from import_fixtures.library import make_catalogue
from import_fixtures.wordpress import wxr_export, wxr_item

from reslib.analysis import unicode_to_zawgyi
from reslib.importers import import_paths

EN_BODY = (
    "<p>The Women's League of Burma condemns the junta's airstrikes on displaced people.</p>\n"
    "<p>We call on ASEAN to act now.</p>"
)
MY_TITLE = "အမျိုးသမီးအဖွဲ့ချုပ် ထုတ်ပြန်ချက်"
MY_BODY = "စစ်ကောင်စီ၏ လေကြောင်းတိုက်ခိုက်မှုများကို ပြင်းထန်စွာ ရှုတ်ချပါသည်။\n\nအာဆီယံ အရေးယူရန် တောင်းဆိုပါသည်။"


def export(tmp_path):
    items = [
        wxr_item(
            10,
            "Statement on airstrikes against IDPs",
            EN_BODY,
            link="https://www.womenofburma.org/statements/airstrikes-idps",
            categories=(
                ("category", "statements", "Statements"),
                ("post_tag", "idps", "IDPs"),
                ("language", "en", "English"),
                ("post_translations", "pll_6561", "pll_6561"),
            ),
            excerpt="WLB condemns the airstrikes.",
        ),
        wxr_item(
            11,
            unicode_to_zawgyi(MY_TITLE),
            unicode_to_zawgyi(MY_BODY),
            link="https://www.womenofburma.org/my/statements/airstrikes-idps-burmese",
            categories=(
                ("category", "statements", "Statements"),
                ("language", "my", "မြန်မာ"),
                ("post_translations", "pll_6561", "pll_6561"),
            ),
            creator="editor1",
        ),
        wxr_item(
            12,
            "statement-airstrikes.pdf",
            "",
            post_type="attachment",
            parent=10,
            status="inherit",
            attachment_url="https://www.womenofburma.org/wp-content/uploads/statement.pdf",
        ),
        wxr_item(
            13,
            "About us",
            "<p>Who we are and what we do for the women of Burma.</p>",
            post_type="page",
            link="https://www.womenofburma.org/about",
        ),
        wxr_item(14, "Draft post", "<p>Not ready.</p>", status="draft"),
        wxr_item(15, "Menu", "", post_type="nav_menu_item"),
    ]
    path = tmp_path / "in" / "wlb.WordPress.2023-11-30.xml"
    path.parent.mkdir(parents=True)
    path.write_text(wxr_export(items), encoding="utf-8")
    return path


def test_published_posts_and_pages_become_records(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")

    summary = import_paths(catalogue, [export(tmp_path)])

    assert summary.skipped == []
    titles = sorted(r.title for r in catalogue.records())
    assert titles == sorted(["Statement on airstrikes against IDPs", MY_TITLE, "About us"])
    assert any("2 draft, private or non-post item(s) ignored" in n for n in summary.notes)


def test_post_fields_come_from_the_export(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    import_paths(catalogue, [export(tmp_path)])
    records = {r.title: r for r in catalogue.records()}

    post = records["Statement on airstrikes against IDPs"]
    assert post.date == "2023-11-25"
    assert post.type == "statement"
    assert post.language == "en"
    assert post.organizations == ["Women’s League of Burma"]
    assert post.topics == ["Statements", "IDPs"]
    assert post.summary == "WLB condemns the airstrikes."
    assert post.body == (
        "The Women's League of Burma condemns the junta's airstrikes on displaced people."
        "\n\nWe call on ASEAN to act now."
    )
    assert post.source_url == "https://www.womenofburma.org/statements/airstrikes-idps"
    assert post.imported["documents"] == [
        "https://www.womenofburma.org/wp-content/uploads/statement.pdf"
    ]


def test_polylang_translation_group_is_linked_and_zawgyi_converted(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    import_paths(catalogue, [export(tmp_path)])
    records = {r.title: r for r in catalogue.records()}

    english = records["Statement on airstrikes against IDPs"]
    burmese = records[MY_TITLE]
    assert burmese.language == "my"
    assert burmese.body == MY_BODY
    assert english.translations == [burmese.id]
    assert burmese.translations == [english.id]
    assert burmese.organizations == ["Women’s League of Burma"], "the site, not the login"
    assert burmese.imported["author"] == "Daw Editor"


def test_reimporting_the_export_changes_nothing(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    path = export(tmp_path)
    import_paths(catalogue, [path])

    summary = import_paths(catalogue, [path])

    assert summary.created == [] and summary.updated == []
    assert len(summary.unchanged) == 3


def test_export_that_is_not_xml_is_skipped(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    path = tmp_path / "broken.xml"
    path.write_text(wxr_export([])[:300], encoding="utf-8")

    summary = import_paths(catalogue, [path])

    assert summary.skipped[0]["reason"].startswith("invalid XML")


def raw_item(post_id: int, title: str, categories: str, *, date: str = "2023-11-25 09:30:00"):
    """An ``<item>`` whose ``<category>`` elements are written as given (``wxr_item`` always
    writes a domain)."""
    item = wxr_item(post_id, title, EN_BODY, link=f"https://e.org/{post_id}", date=date)
    return item.replace("</item>", categories + "</item>")


def test_categories_without_a_domain_become_topics(tmp_path):
    item = raw_item(
        20,
        "A statement",
        "<category><![CDATA[Press Releases]]></category>"
        '<category nicename="women-rights"><![CDATA[Women Rights]]></category>'
        '<category domain="post_tag" nicename="idps"><![CDATA[IDPs]]></category>'
        '<category domain="nav_menu" nicename="main"><![CDATA[Main menu]]></category>',
    )
    source = tmp_path / "in" / "export.xml"
    source.parent.mkdir()
    source.write_text(wxr_export([item]), "utf-8")
    catalogue = make_catalogue(tmp_path / "lib")

    summary = import_paths(catalogue, [source])

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.topics == ["Press Releases", "Women Rights", "IDPs"]
    assert record.type == "press-release", "guessed from the domain-less category"


def test_a_category_named_only_by_its_nicename_is_a_topic(tmp_path):
    item = raw_item(21, "A post", '<category nicename="elections"></category>')
    source = tmp_path / "in" / "export.xml"
    source.parent.mkdir()
    source.write_text(wxr_export([item]), "utf-8")
    catalogue = make_catalogue(tmp_path / "lib")

    import_paths(catalogue, [source])

    (record,) = catalogue.records()
    assert record.topics == ["elections"]


def test_a_post_without_a_date_is_imported_with_its_date_unknown(tmp_path):
    item = raw_item(22, "Undated post", "", date="0000-00-00 00:00:00").replace(
        "<pubDate>Sat, 25 Nov 2023 09:30:00 +0000</pubDate>", ""
    )
    source = tmp_path / "in" / "export.xml"
    source.parent.mkdir()
    source.write_text(wxr_export([item]), "utf-8")
    catalogue = make_catalogue(tmp_path / "lib")

    summary = import_paths(catalogue, [source])

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Undated post"
    assert record.date == ""
