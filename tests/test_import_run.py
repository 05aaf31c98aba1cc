"""The import run across formats: idempotency, hand edits, duplicates, bad input, Ctrl-C."""

from __future__ import annotations

import os
import signal

import pytest
from import_fixtures.library import make_catalogue
from import_fixtures.pdf import make_pdf
from import_fixtures.textdump import update_dump
from import_fixtures.wordpress import wordpress_page

from reslib.analysis import unicode_to_zawgyi
from reslib.catalogue import Catalogue
from reslib.importers import ImportOptions, detect_language, import_paths
from reslib.models import Record

PARAGRAPHS = [
    "The junta’s aerial attacks on civilians clearly show its disregard for the lives of people.",
    "The international community must stop engaging with the junta and support local groups.",
]
SHARED_REPORT = ("Coup Watch October 2023", "ALTSEAN-Burma")


def write(path, text: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def first_update(tmp_path, paragraphs=PARAGRAPHS):
    return write(
        tmp_path / "in" / "week1.txt",
        update_dump(
            "First Week",
            "October 2nd, 2023",
            paragraphs,
            statements=[("Stop the airstrikes now", "Fortify Rights")],
            reports=[SHARED_REPORT],
        ),
    )


def record_titled(catalogue: Catalogue, title: str) -> Record:
    (record,) = [r for r in catalogue.records() if r.title == title]
    return record


# -- idempotency and hand edits ---------------------------------------------------------------


def test_second_import_of_same_file_reports_everything_unchanged(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    source = first_update(tmp_path)
    first = import_paths(catalogue, [source])
    stamps = {r.id: r.updated for r in catalogue.records()}

    second = import_paths(catalogue, [source])

    assert len(first.created) == 3
    assert second.created == [] and second.updated == []
    assert sorted(second.unchanged) == sorted(first.created)
    assert {r.id: r.updated for r in catalogue.records()} == stamps


def test_reimport_of_edited_source_updates_the_record(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    source = first_update(tmp_path)
    import_paths(catalogue, [source])
    first_update(tmp_path, [*PARAGRAPHS, "A paragraph added to the page later."])

    summary = import_paths(catalogue, [source])

    update = record_titled(catalogue, "First Week")
    assert summary.updated == [update.id]
    assert update.body.endswith("A paragraph added to the page later.")
    assert summary.conflicts == []


def test_reimport_never_overwrites_a_hand_edit_and_reports_the_conflict(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    source = first_update(tmp_path)
    import_paths(catalogue, [source])
    update = record_titled(catalogue, "First Week")
    catalogue.update(update.id, ["body=Rewritten by the librarian.", "summary=Hand summary."])
    first_update(tmp_path, [*PARAGRAPHS, "A paragraph added to the page later."])

    summary = import_paths(catalogue, [source])

    kept = catalogue.get(update.id)
    assert kept.body == "Rewritten by the librarian."
    assert kept.summary == "Hand summary."
    assert summary.conflicts == [
        {
            "id": update.id,
            "field": "body",
            "message": "edited by hand since the last import and changed in the source: "
            "kept the edit",
        }
    ]


def test_hand_edit_of_unchanged_source_field_is_kept_without_conflict(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    source = first_update(tmp_path)
    import_paths(catalogue, [source])
    update = record_titled(catalogue, "First Week")
    catalogue.update(update.id, ["title=First Week of October"])

    summary = import_paths(catalogue, [source])

    assert catalogue.get(update.id).title == "First Week of October"
    assert summary.conflicts == []
    assert update.id in summary.unchanged


# -- duplicates --------------------------------------------------------------------------------


def test_resource_listed_in_two_updates_is_one_record_related_to_both(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    first_update(tmp_path)
    write(
        tmp_path / "in" / "week2.txt",
        update_dump("Second Week", "October 9th, 2023", PARAGRAPHS, reports=[SHARED_REPORT]),
    )

    summary = import_paths(catalogue, [tmp_path / "in"])

    shared = record_titled(catalogue, "Coup Watch October 2023")
    week1 = record_titled(catalogue, "First Week")
    week2 = record_titled(catalogue, "Second Week")
    assert sorted(shared.related) == sorted([week1.id, week2.id])
    assert shared.id in week1.related and shared.id in week2.related
    assert shared.date == "2023-10-02", "the first listing dates the resource"
    assert len(summary.created) == 4


def test_near_identical_titles_are_reported_not_merged(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    write(
        tmp_path / "in" / "week.txt",
        update_dump(
            "A Week",
            "October 2nd, 2023",
            PARAGRAPHS,
            reports=[
                ("Humanitarian Needs of Displaced Communities in Karenni State", "Fortify Rights"),
                ("Humanitarian Need of Displaced Community in Karenni State", "Fortify Rights"),
                ("Myanmar Humanitarian Update No. 32", "OCHA"),
                ("Myanmar Humanitarian Update No. 34", "OCHA"),
            ],
        ),
    )

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert len(summary.created) == 5
    titles = [{d["title"], d["other_title"]} for d in summary.possible_duplicates]
    assert titles == [
        {
            "Humanitarian Needs of Displaced Communities in Karenni State",
            "Humanitarian Need of Displaced Community in Karenni State",
        }
    ]


# -- language, translations, organizations ---------------------------------------------------


def test_language_comes_from_the_share_of_burmese_letters():
    assert detect_language("Myanmar junta raids news agency") == "en"
    assert detect_language("မြန်မာ စစ်ခေါင်းဆောင်များနှင့် NUG") == "my"
    assert detect_language("Open letter / အိတ်ဖွင့်ပေးစာ ဖင်လန်နှင့်") == "en+my"
    assert detect_language("2023 – 10") == "en"


def test_translation_is_linked_by_language_marker_in_url(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    url = "https://example.org/{}2023/10/statement-on-airstrikes/"
    write(
        tmp_path / "in" / "en.html",
        wordpress_page("Statement on airstrikes", PARAGRAPHS, url=url.format("")),
    )
    write(
        tmp_path / "in" / "my.html",
        wordpress_page(
            "လေကြောင်းတိုက်ခိုက်မှုများဆိုင်ရာ ထုတ်ပြန်ချက်",
            ["စစ်ကောင်စီ၏ လေကြောင်းတိုက်ခိုက်မှုများသည် အရပ်သားများကို ထိခိုက်စေသည်။" * 3],
            url=url.format("my/"),
        ),
    )

    import_paths(catalogue, [tmp_path / "in"])

    english = record_titled(catalogue, "Statement on airstrikes")
    burmese = record_titled(catalogue, "လေကြောင်းတိုက်ခိုက်မှုများဆိုင်ရာ ထုတ်ပြန်ချက်")
    assert (english.language, burmese.language) == ("en", "my")
    assert english.translations == [burmese.id]
    assert burmese.translations == [english.id]


def test_new_organization_is_added_to_the_authority_file_and_reported(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    write(
        tmp_path / "in" / "week.txt",
        update_dump(
            "A Week",
            "October 2nd, 2023",
            PARAGRAPHS,
            statements=[("Release all political prisoners", "Kachin Women’s Association Thailand")],
        ),
    )

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert summary.new_organizations == ["Kachin Women’s Association Thailand"]
    reloaded = Catalogue(catalogue.home).organizations
    assert reloaded.resolve("Kachin Women’s Association Thailand") is not None


def test_zawgyi_text_is_stored_as_unicode_with_the_original_kept(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    unicode_title = "မြန်မာနိုင်ငံ လူ့အခွင့်အရေး အစီရင်ခံစာ"
    unicode_body = "စစ်ကောင်စီသည် ကျေးရွာများကို မီးရှို့ဖျက်ဆီးခဲ့သည်။ " * 4
    write(
        tmp_path / "in" / "zawgyi.txt",
        update_dump(
            unicode_to_zawgyi(unicode_title), "October 2nd, 2023", [unicode_to_zawgyi(unicode_body)]
        ),
    )

    import_paths(catalogue, [tmp_path / "in"])

    (record,) = catalogue.records()
    assert record.title == unicode_title
    assert record.body == unicode_body.strip()
    assert record.language == "my"
    assert record.original["title"] == unicode_to_zawgyi(unicode_title)


# -- bad input ---------------------------------------------------------------------------------


def skipped_reason(summary, name: str) -> str:
    (reason,) = [s["reason"] for s in summary.skipped if s["path"].endswith(name)]
    return reason


def test_each_kind_of_bad_input_is_skipped_with_a_reason(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    bad = tmp_path / "bad"
    write(bad / "empty.txt", "")
    write(bad / "picture.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(bad / "menu.html", "<html><body><nav><a href='/'>Home</a></nav><p>Hi</p></body></html>")
    write(bad / "cut.pdf", make_pdf([["Report title", "Some text"]])[:300])
    write(bad / "list.csv", "title,type\nA report,report\n")
    write(
        bad / "latin1.txt",
        "Caf\xe9 r\xe9sum\xe9 – \xa9 2023\n\nSeptember 2nd, 2023\n".encode("cp1252"),
    )
    with (bad / "huge.txt").open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no disk space used

    summary = import_paths(catalogue, [bad])

    assert summary.created == []
    assert catalogue.ids() == []
    assert skipped_reason(summary, "empty.txt") == "empty file"
    assert skipped_reason(summary, "picture.html").startswith("binary file with a .html name")
    assert skipped_reason(summary, "menu.html").startswith("no article")
    assert skipped_reason(summary, "cut.pdf").startswith("truncated PDF")
    assert skipped_reason(summary, "list.csv") == "missing required column 'date'"
    assert "unknown 8-bit encoding" in skipped_reason(summary, "latin1.txt")
    assert skipped_reason(summary, "huge.txt").startswith("too large (200 MB")
    assert summary.exit_code == 1


def test_plain_text_without_a_date_line_is_skipped(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    source = write(tmp_path / "notes.txt", "Some notes\n\nwith no date anywhere\n")

    summary = import_paths(catalogue, [source])

    assert skipped_reason(summary, "notes.txt").startswith("plain text without a date line")


def test_missing_path_is_skipped(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")

    summary = import_paths(catalogue, [tmp_path / "nowhere"])

    assert summary.skipped == [
        {"path": str(tmp_path / "nowhere"), "reason": "no such file or folder"}
    ]


def test_assets_of_saved_pages_are_passed_over_in_folders(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    write(tmp_path / "in" / "page.html", wordpress_page("A saved page", PARAGRAPHS))
    write(tmp_path / "in" / "page_files" / "style.html", b"\x00\x01binary")
    write(tmp_path / "in" / "logo.png", b"\x89PNG\r\n\x1a\n\x00")

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert summary.skipped == []
    assert len(summary.created) == 1


# -- dry run and interruption ------------------------------------------------------------------


def test_dry_run_reports_what_would_happen_and_writes_nothing(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    source = first_update(tmp_path)
    authority = (catalogue.home.library / "organizations.json").read_bytes()
    write(
        tmp_path / "in" / "more.txt",
        update_dump("More", "October 3rd, 2023", PARAGRAPHS, reports=[("X", "A New Group")]),
    )

    summary = import_paths(catalogue, [source.parent], ImportOptions(dry_run=True))

    assert summary.dry_run and len(summary.created) == 5
    assert summary.new_organizations == ["A New Group"]
    assert catalogue.ids() == []
    assert (catalogue.home.library / "organizations.json").read_bytes() == authority
    assert catalogue.organizations.resolve("A New Group") is None


class InterruptOnce:
    """A catalogue listener that presses Ctrl-C while the first record is being written."""

    def __init__(self) -> None:
        self.sent = False

    def record_saved(self, record: Record) -> None:
        if not self.sent:
            self.sent = True
            os.kill(os.getpid(), signal.SIGINT)

    def record_removed(self, record_id: str) -> None:
        pass


def test_ctrl_c_finishes_the_document_being_written_and_stops(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    first_update(tmp_path)
    write(
        tmp_path / "in" / "week2.txt",
        update_dump("Second Week", "October 9th, 2023", PARAGRAPHS, reports=[("Y", "KHRG")]),
    )
    catalogue.listeners.append(InterruptOnce())

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert summary.interrupted
    assert sorted(r.title for r in catalogue.records()) == [
        "Coup Watch October 2023",
        "First Week",
        "Stop the airstrikes now",
    ]
    update = record_titled(catalogue, "First Week")
    assert len(update.related) == 2
    assert all(update.id in catalogue.get(i).related for i in update.related)
    assert list(catalogue.records_dir.glob(".*.tmp")) == []


def test_ctrl_c_while_reading_a_file_leaves_earlier_files_imported(tmp_path, monkeypatch):
    catalogue = make_catalogue(tmp_path / "lib")
    first_update(tmp_path)
    write(tmp_path / "in" / "week2.txt", update_dump("Second", "October 9th, 2023", PARAGRAPHS))
    from reslib.importers import textdump

    real = textdump.parse_text

    def interrupted(path, text, options):
        if path.name == "week2.txt":
            raise KeyboardInterrupt
        return real(path, text, options)

    monkeypatch.setattr(textdump, "parse_text", interrupted)

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert summary.interrupted
    assert len(catalogue.ids()) == 3
    assert "Second" not in [r.title for r in catalogue.records()]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("type", "leaflet", "unknown type"), ("language", "xx", "unknown language")],
)
def test_invalid_options_are_refused_before_anything_runs(option, value, message):
    from reslib.errors import InvalidInput

    with pytest.raises(InvalidInput, match=message):
        ImportOptions(**{option: value})


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("page.txt", b"<!DOCTYPE html><html><body>", "html"),
        (
            "export.xml",
            b'<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">',
            "wxr",
        ),
        ("rows.json", b'{"title": "A", "date": "2023"}\n{"title": "B"}', "json"),
        ("rows.txt", b'{"title": "A", "date": "2023"}\n{"title": "B"}', "jsonl"),
        ("rows.txt", b'[{"title": "A"}]', "json"),
        ("holdings.csv", b"title,date\nA,2023\n", "csv"),
        ("report", b"%PDF-1.7\n", "pdf"),
        ("update.txt", b"New Tricks\n\nSeptember 15th, 2023\n", "text"),
    ],
)
def test_format_is_detected_from_content_then_extension(name, head, expected):
    from pathlib import Path

    from reslib.importers import detect_format

    assert detect_format(Path(name), head) == expected


def test_record_made_by_hand_with_the_same_url_is_left_as_the_librarian_made_it(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    url = "https://progressivevoicemyanmar.org/2023/09/15/new-tricks/"
    catalogue.add(
        Record(
            id="new-tricks",
            type="update",
            title="New Tricks (catalogued by hand)",
            language="en",
            date="2023-09",
            source_url=url,
        )
    )
    write(tmp_path / "in" / "page.html", wordpress_page("New Tricks", PARAGRAPHS, url=url))

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert summary.created == [] and summary.skipped == []
    assert summary.unchanged == ["new-tricks"]
    record = catalogue.get("new-tricks")
    assert (record.title, record.date, record.body) == (
        "New Tricks (catalogued by hand)",
        "2023-09",
        "",
    )


def test_every_imported_field_gets_a_value_from_the_importer():
    from reslib.importers.base import Item
    from reslib.importers.run import IMPORTED_FIELDS, imported_values

    values = imported_values(Item(key="k", title="A title", date="2023"), ImportOptions(), None)

    # A record field added to the model is imported (and its hand edits guarded) unless
    # run.IMPORTED_FIELDS leaves it out; this fails until one of the two is decided.
    assert tuple(values) == IMPORTED_FIELDS
