"""Saved HTML pages: WordPress themes, the generic fallback, encodings and Zawgyi."""

from __future__ import annotations

from import_fixtures.library import make_catalogue
from import_fixtures.wordpress import generic_page, wordpress_page

from reslib.analysis import unicode_to_zawgyi
from reslib.importers import import_paths

PARAGRAPHS = [
    "The junta’s relentless and devastating aerial attacks highlight the brutality of its "
    "campaign of terror against the people of Myanmar.",
    "ASEAN and the international community must contain the junta’s capacity to wage war.",
]


def import_one(tmp_path, name: str, content: str | bytes, **options):
    catalogue = make_catalogue(tmp_path / "lib")
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    summary = import_paths(catalogue, [path])
    return catalogue, summary


def test_wordpress_page_gives_title_date_author_url_and_entry_content(tmp_path):
    page = wordpress_page("New Tricks, Same Desperate Attempt", PARAGRAPHS)
    catalogue, summary = import_one(tmp_path, "new-tricks.html", page)

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "New Tricks, Same Desperate Attempt"
    assert record.date == "2023-09-15"
    assert record.organizations == ["Progressive Voice"]
    assert record.source_url == "https://progressivevoicemyanmar.org/2023/09/15/new-tricks/"
    assert record.summary == "A weekly update."
    assert record.body == "\n\n".join(PARAGRAPHS)
    assert record.type == "update"
    assert record.topics == ["Weekly Updates"]
    assert record.language == "en"


def test_wordpress_chrome_never_reaches_the_body(tmp_path):
    catalogue, _ = import_one(tmp_path, "p.html", wordpress_page("A statement", PARAGRAPHS))

    (record,) = catalogue.records()
    for chrome in ("Share this", "Related", "Great article", "Recent posts", "All rights", "Home"):
        assert chrome not in record.body
    assert "wpData" not in record.body and "color: black" not in record.body


def test_pdf_links_in_the_page_are_recorded_as_absolute_urls(tmp_path):
    page = wordpress_page(
        "Coup Watch October 2023",
        PARAGRAPHS,
        links=("/wp-content/uploads/2023/11/Coup-Watch-Oct-2023.pdf", "https://x.org/a.PDF?dl=1"),
    )
    catalogue, _ = import_one(tmp_path, "coup-watch.html", page)

    (record,) = catalogue.records()
    assert record.imported["documents"] == [
        "https://progressivevoicemyanmar.org/wp-content/uploads/2023/11/Coup-Watch-Oct-2023.pdf",
        "https://x.org/a.PDF?dl=1",
    ]


def test_generic_page_uses_main_og_title_and_meta_date(tmp_path):
    page = generic_page(
        "Myanmar junta raids Rakhine State news agency, arrests journalist",
        PARAGRAPHS,
        published="2023-11-14T10:00:00Z",
        site="Committee to Protect Journalists",
    )
    catalogue, summary = import_one(tmp_path, "cpj.html", page)

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Myanmar junta raids Rakhine State news agency, arrests journalist"
    assert record.date == "2023-11-14"
    assert record.organizations == ["Committee to Protect Journalists"]
    assert record.body == "\n\n".join(PARAGRAPHS)
    assert record.type == "news", "guessed from the word 'news' in the title"
    assert record.imported["source"] == "file:in/cpj.html"


def test_type_and_organization_options_fill_what_the_page_does_not_say(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    path = tmp_path / "in" / "page.html"
    path.parent.mkdir()
    page = generic_page("Monthly brief", PARAGRAPHS, published="2023-11-01", site="")
    path.write_text(page.replace('<meta property="og:site_name" content="">', ""), "utf-8")
    from reslib.importers import ImportOptions

    import_paths(catalogue, [path], ImportOptions(type="report", organizations=["Fortify Rights"]))

    (record,) = catalogue.records()
    assert record.type == "report"
    assert record.organizations == ["Fortify Rights"]


def test_declared_legacy_charset_is_decoded(tmp_path):
    page = wordpress_page("Café statement – résumé", PARAGRAPHS, charset="windows-1252")
    catalogue, summary = import_one(tmp_path, "cafe.html", page.encode("cp1252"))

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Café statement – résumé"


def test_undeclared_8bit_page_is_skipped(tmp_path):
    page = wordpress_page("Café statement – résumé", PARAGRAPHS).replace(
        '<meta charset="utf-8">', ""
    )
    catalogue, summary = import_one(tmp_path, "cafe.html", page.encode("cp1252"))

    assert catalogue.ids() == []
    assert "unknown 8-bit encoding" in summary.skipped[0]["reason"]


def test_zawgyi_page_is_converted_and_detected_as_burmese(tmp_path):
    title = "မြန်မာ စစ်ခေါင်းဆောင်များနှင့် ငြိမ်းချမ်းရေး"
    body = "စစ်ကောင်စီ၏ လေကြောင်းတိုက်ခိုက်မှုများသည် အရပ်သားများကို ထိခိုက်စေသည်။ " * 3
    page = wordpress_page(unicode_to_zawgyi(title), [unicode_to_zawgyi(body)], lang="my")
    catalogue, _ = import_one(tmp_path, "zawgyi.html", page)

    (record,) = catalogue.records()
    assert record.title == title
    assert record.body == body.strip()
    assert record.language == "my"
    assert record.original["body"] == unicode_to_zawgyi(body).strip()
