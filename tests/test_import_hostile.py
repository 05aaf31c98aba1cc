"""Hostile and careless input (issue 11, items 3, 8, 9 and 10): paths a manifest may not
follow, inputs that took minutes, budgets of size and time, values of the wrong kind.

Slow inputs are asserted on their outcome, never on a speed: each runs with a small time
budget (``RESLIB_IMPORT_FILE_SECONDS``), so the quadratic paths they used to take would end
in a "took longer than" skip, and the test would fail on the reason.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
from pathlib import Path

import pytest
from import_fixtures.hostile import flate_bomb_pdf, nested_html
from import_fixtures.library import make_catalogue
from import_fixtures.pdf import make_pdf
from import_fixtures.wordpress import wordpress_page, wxr_export, wxr_item

from reslib.catalogue import Catalogue
from reslib.importers import FORMATS, ImportOptions, import_paths
from reslib.models import Record

PARAGRAPHS = [
    "The junta’s aerial attacks on civilians clearly show its disregard for the lives of people.",
    "The international community must stop engaging with the junta and support local groups.",
]


@pytest.fixture(autouse=True)
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every input here must finish (or be skipped for its own reason) well within this."""
    monkeypatch.setenv("RESLIB_IMPORT_FILE_SECONDS", "20")


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def reasons(summary) -> list[str]:  # type: ignore[no-untyped-def]
    return [s["reason"] for s in summary.skipped]


def manifest(tmp_path: Path, rows: list[dict], name: str = "rows.json") -> Path:
    return write(tmp_path / "in" / name, json.dumps(rows, ensure_ascii=False))


# -- item 3: the files a manifest may name ---------------------------------------------------


def test_a_manifest_row_naming_a_file_outside_its_folder_is_skipped(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    write(tmp_path / "secret.txt", "the librarian's private notes")
    source = manifest(
        tmp_path,
        [
            {"title": "Leak", "date": "2023", "file": "../secret.txt"},
            {"title": "Passwords", "date": "2023", "file": "../../../../../../etc/passwd"},
            {"title": "Fine", "date": "2023"},
        ],
    )

    summary = import_paths(catalogue, [source])

    assert [r.title for r in catalogue.records()] == ["Fine"]
    assert reasons(summary) == [
        "record 1: file '../secret.txt' is outside the manifest's folder: move it beside the "
        "manifest or name its folder with --files-from",
        "record 2: file '../../../../../../etc/passwd' is outside the manifest's folder: move it "
        "beside the manifest or name its folder with --files-from",
    ]
    assert list(catalogue.files_dir.rglob("*.txt")) == []


def test_a_symlink_beside_the_manifest_is_followed_to_where_it_points(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    write(tmp_path / "outside" / "secret.txt", "not for the public")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    source = manifest(tmp_path, [{"title": "Notes", "date": "2023", "file": "notes.txt"}])

    summary = import_paths(catalogue, [source])

    assert catalogue.ids() == []
    assert "is outside the manifest's folder" in reasons(summary)[0]


def test_a_folder_the_librarian_allows_may_hold_the_files(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    write(tmp_path / "documents" / "report.pdf", make_pdf([["Coup Watch", "Sanctions rose."]]))
    source = manifest(
        tmp_path, [{"title": "Coup Watch", "date": "2023", "file": "../documents/report.pdf"}]
    )

    summary = import_paths(
        catalogue, [source], ImportOptions(allowed_dirs=[tmp_path / "documents"])
    )

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.body == "Coup Watch\nSanctions rose."
    assert record.source_file == f"files/{record.id}/report.pdf"


@pytest.mark.parametrize("name", ["/proc/self/environ", "/dev/zero", "/sys/kernel/hostname"])
def test_system_folders_are_refused_even_when_allowed(tmp_path, name):
    catalogue = make_catalogue(tmp_path / "lib")
    source = manifest(tmp_path, [{"title": "System", "date": "2023", "file": name}])

    summary = import_paths(catalogue, [source], ImportOptions(allowed_dirs=[Path("/")]))

    assert catalogue.ids() == []
    (reason,) = reasons(summary)
    assert reason.startswith(f"record 1: file {name!r} is inside /")
    assert reason.endswith("system folders are never imported")


def test_a_fifo_named_by_a_manifest_is_refused_without_blocking(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    (tmp_path / "in").mkdir()
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    source = manifest(tmp_path, [{"title": "Pipe", "date": "2023", "file": "pipe.txt"}])

    summary = import_paths(catalogue, [source])

    assert reasons(summary) == ["record 1: file 'pipe.txt' is not a regular file"]


# -- item 8: budgets of size and time ---------------------------------------------------------


def test_a_file_over_the_size_setting_is_skipped_naming_the_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("RESLIB_IMPORT_FILE_MB", "1")
    catalogue = make_catalogue(tmp_path / "lib")
    big = write(tmp_path / "in" / "big.html", wordpress_page("Big", PARAGRAPHS * 12000))
    write(tmp_path / "in" / "small.html", wordpress_page("Small", PARAGRAPHS))

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert [r.title for r in catalogue.records()] == ["Small"]
    assert summary.skipped == [
        {
            "path": str(big),
            "reason": "too large (2 MB; the limit is 1 MB: RESLIB_IMPORT_FILE_MB)",
        }
    ]


def test_a_file_named_by_a_manifest_has_the_size_budget_too(tmp_path, monkeypatch):
    monkeypatch.setenv("RESLIB_IMPORT_FILE_MB", "1")
    catalogue = make_catalogue(tmp_path / "lib")
    write(tmp_path / "in" / "big.txt", "words " * 400_000)
    source = manifest(tmp_path, [{"title": "Big", "date": "2023", "file": "big.txt"}])

    summary = import_paths(catalogue, [source])

    assert catalogue.ids() == []
    assert reasons(summary) == [
        "record 1: file 'big.txt': too large (2 MB; the limit is 1 MB: RESLIB_IMPORT_FILE_MB)"
    ]


def spin(*args, **kwargs):  # type: ignore[no-untyped-def]
    """A parser stuck in a loop of its own (pure Python: what the time budget can stop)."""
    while True:
        pass


def test_a_file_over_the_time_budget_is_skipped_and_the_run_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv("RESLIB_IMPORT_FILE_SECONDS", "0.3")
    from reslib.importers import textdump

    monkeypatch.setattr(textdump, "parse_text", spin)
    catalogue = make_catalogue(tmp_path / "lib")
    stuck = write(tmp_path / "in" / "a-stuck.txt", "A title\n\nOctober 2nd, 2023\n\nText.\n")
    write(tmp_path / "in" / "b-page.html", wordpress_page("A page", PARAGRAPHS))
    alarm_handler = signal.getsignal(signal.SIGALRM)

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert [r.title for r in catalogue.records()] == ["A page"]
    (skip,) = summary.skipped
    assert skip["path"] == str(stuck)
    assert skip["reason"].startswith("took longer than 0.3 s to read")
    assert "RESLIB_IMPORT_FILE_SECONDS" in skip["reason"]
    # Nothing of the timer is left behind.
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == alarm_handler


def test_a_file_named_by_a_manifest_has_its_own_time_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("RESLIB_IMPORT_FILE_SECONDS", "0.3")
    from reslib.importers import pdf

    real = pdf.parse_pdf

    def stuck_on_one(path, data, options):  # type: ignore[no-untyped-def]
        if path.name == "stuck.pdf":
            spin()
        return real(path, data, options)

    monkeypatch.setattr(pdf, "parse_pdf", stuck_on_one)
    catalogue = make_catalogue(tmp_path / "lib")
    write(tmp_path / "in" / "stuck.pdf", make_pdf([["Stuck"]]))
    write(tmp_path / "in" / "fine.pdf", make_pdf([["Fine report", "Some text here."]]))
    source = manifest(
        tmp_path,
        [
            {"title": "Stuck", "date": "2023", "file": "stuck.pdf"},
            {"title": "Fine", "date": "2023", "file": "fine.pdf"},
        ],
    )

    summary = import_paths(catalogue, [source])

    assert [r.title for r in catalogue.records()] == ["Fine"]
    (reason,) = reasons(summary)
    assert reason.startswith("record 1: file 'stuck.pdf': took longer than 0.3 s to read")


def test_a_json_manifest_with_a_hundred_thousand_keys_is_refused_for_its_columns(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    row = {"title": "Many keys", "date": "2023"} | {f"k{i}": i for i in range(100_000)}
    source = manifest(tmp_path, [row])

    summary = import_paths(catalogue, [source])

    assert catalogue.ids() == []
    (reason,) = reasons(summary)
    assert reason.startswith("unknown column 'k0'")


def test_nested_divs_and_paragraphs_are_read_in_linear_time(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    page = write(tmp_path / "in" / "nested.html", nested_html(8000))  # 80 KB

    summary = import_paths(catalogue, [page])

    assert len(page.read_bytes()) >= 80_000
    (reason,) = reasons(summary)
    assert reason.startswith("no article in the page")


def test_a_wordpress_export_with_deeply_nested_content_is_imported(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    deep_xml = "<x>" * 100_000 + "deep" + "</x>" * 100_000
    items = [
        wxr_item(1, "Nested markup", "<div><p>Some words " * 8000, link="https://e.org/1")
        + deep_xml,
        wxr_item(2, "A plain post", "<p>" + PARAGRAPHS[0] + "</p>", link="https://e.org/2"),
    ]
    source = write(tmp_path / "in" / "export.xml", wxr_export(items))

    summary = import_paths(catalogue, [source])

    assert summary.skipped == []
    assert sorted(r.title for r in catalogue.records()) == ["A plain post", "Nested markup"]


def test_a_wordpress_translation_group_of_hundreds_is_noted_not_linked(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    items = [
        wxr_item(
            n,
            f"Post number {n}",
            f"<p>{PARAGRAPHS[0]}</p>",
            link=f"https://e.org/{n}",
            categories=(
                ("language", "my" if n % 2 else "en", "Burmese" if n % 2 else "English"),
                ("post_translations", "pll_all", "pll_all"),
            ),
        )
        for n in range(60)
    ]
    source = write(tmp_path / "in" / "export.xml", wxr_export(items))

    summary = import_paths(catalogue, [source])

    assert len(summary.created) == 60
    assert summary.translations == []
    assert any("translation group 'pll_all' has 60 posts: not linked" in n for n in summary.notes)


def test_a_flate_bomb_pdf_is_skipped_past_the_decompression_cap(tmp_path, monkeypatch):
    monkeypatch.setenv("RESLIB_IMPORT_PDF_MB", "1")
    catalogue = make_catalogue(tmp_path / "lib")
    write(tmp_path / "in" / "spread.pdf", flate_bomb_pdf(pages=3, stream_bytes=600_000))
    write(tmp_path / "in" / "single.pdf", flate_bomb_pdf(pages=1, stream_bytes=8 << 20))
    write(tmp_path / "in" / "small.pdf", flate_bomb_pdf(pages=1, stream_bytes=100_000))

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert [r.title for r in catalogue.records()] == ["Hello bomb"]
    cap = (
        "its pages decompress to more than 1 MB (the limit is RESLIB_IMPORT_PDF_MB): "
        "a compression bomb, or raise the limit"
    )
    assert summary.skipped == [
        {"path": str(tmp_path / "in" / "single.pdf"), "reason": cap},
        {"path": str(tmp_path / "in" / "spread.pdf"), "reason": cap},
    ]


# -- item 8: the lock is taken only to write -------------------------------------------------


def lock_is_free(catalogue: Catalogue) -> bool:
    """Whether another process could take the library lock now (flock conflicts between
    two opens of the file even within one process)."""
    fd = os.open(catalogue.home.library / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_parsing_runs_without_the_library_lock(tmp_path, monkeypatch):
    from reslib.importers import htmlpage

    catalogue = make_catalogue(tmp_path / "lib")
    real = htmlpage.parse_html
    free_while_parsing = []

    def watched(path, data, options):  # type: ignore[no-untyped-def]
        free_while_parsing.append(lock_is_free(catalogue))
        return real(path, data, options)

    monkeypatch.setattr("reslib.importers.run.FORMATS", {**FORMATS, "html": watched})
    for n in range(3):
        write(
            tmp_path / "in" / f"{n}.html",
            wordpress_page(f"Page {n}", PARAGRAPHS, url=f"https://e.org/{n}"),
        )

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert len(summary.created) == 3
    assert free_while_parsing == [True, True, True]


class BatchWatcher:
    """A listener that notes each batch (an index commit) and whether the lock was held."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.batches: list[tuple[int, bool]] = []
        self.saved = 0

    def batch_begin(self) -> None:
        self.saved = 0

    def batch_end(self) -> None:
        self.batches.append((self.saved, not lock_is_free(self.catalogue)))

    def record_saved(self, record: Record) -> None:
        self.saved += 1

    def record_removed(self, record_id: str) -> None:
        pass


def test_documents_are_written_in_groups_each_committed_under_the_lock(tmp_path, monkeypatch):
    monkeypatch.setattr("reslib.importers.run.WRITE_GROUP_ITEMS", 2)
    catalogue = make_catalogue(tmp_path / "lib")
    watcher = BatchWatcher(catalogue)
    catalogue.listeners.append(watcher)
    for n in range(5):
        write(
            tmp_path / "in" / f"{n}.html",
            wordpress_page(f"Page {n}", PARAGRAPHS, url=f"https://e.org/{n}"),
        )

    summary = import_paths(catalogue, [tmp_path / "in"])

    assert len(summary.created) == 5
    assert watcher.batches == [(2, True), (2, True), (1, True)]


def test_a_record_another_writer_adds_while_a_file_is_parsed_is_matched_not_duplicated(
    tmp_path, monkeypatch
):
    from reslib.importers import htmlpage

    catalogue = make_catalogue(tmp_path / "lib")
    url = "https://e.org/statement"
    real = htmlpage.parse_html

    def meanwhile(path, data, options):  # type: ignore[no-untyped-def]
        Catalogue(catalogue.home).add(
            Record(
                id="by-hand",
                type="statement",
                title="By hand",
                language="en",
                date="2023",
                source_url=url,
            )
        )
        return real(path, data, options)

    monkeypatch.setattr("reslib.importers.run.FORMATS", {**FORMATS, "html": meanwhile})
    source = write(tmp_path / "in" / "page.html", wordpress_page("Statement", PARAGRAPHS, url=url))

    summary = import_paths(catalogue, [source])

    assert catalogue.ids() == ["by-hand"]
    assert summary.unchanged == ["by-hand"]


# -- items 9 and 10: one-line reasons, clean values ------------------------------------------


def test_a_lone_surrogate_skips_its_row_and_the_rows_after_it_are_imported(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    lines = [
        '{"title": "Before", "date": "2023"}',
        '{"title": "Broken \\ud800 title", "date": "2023"}',
        '{"title": "After", "date": "2023"}',
    ]
    source = write(tmp_path / "in" / "rows.jsonl", "\n".join(lines) + "\n")

    summary = import_paths(catalogue, [source])

    assert sorted(r.title for r in catalogue.records()) == ["After", "Before"]
    assert reasons(summary) == [
        "line 2: field 'title' holds an invalid character (U+D800, half of a surrogate pair): "
        "not text"
    ]
    "\n".join(summary.lines()).encode("utf-8")  # printable: no surrogate in the report


def test_a_jsonl_line_that_is_not_utf8_skips_only_that_line(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    data = b'{"title": "Good", "date": "2023"}\n{"title": "Bad \xed\xa0\x80", "date": "2023"}\n'
    source = write(
        tmp_path / "in" / "rows.jsonl", data + b'{"title": "Also good", "date": "2023"}\n'
    )

    summary = import_paths(catalogue, [source])

    assert sorted(r.title for r in catalogue.records()) == ["Also good", "Good"]
    assert reasons(summary) == ["line 2: not UTF-8 text"]


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be", "utf-16"])
def test_a_manifest_with_a_byte_order_mark_is_read_in_its_encoding(tmp_path, codec):
    catalogue = make_catalogue(tmp_path / "lib")
    text = "title,date\nမြန်မာ အစီရင်ခံစာ,2023\n"
    data = text.encode(codec)
    if codec == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    source = write(tmp_path / "in" / "rows.csv", data)

    summary = import_paths(catalogue, [source])

    assert summary.skipped == []
    assert [r.title for r in catalogue.records()] == ["မြန်မာ အစီရင်ခံစာ"]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"title": {"a": 1}}, "field 'title' is an object: give text"),
        ({"summary": True}, "field 'summary' is true/false: give text"),
        ({"date": 2023}, "field 'date' is a number: give text"),
        ({"body": ["a", "b"]}, "field 'body' is a list: give text"),
        ({"topics": [1, 2]}, "field 'topics' holds a number: give a list of text"),
        ({"organizations": {"x": 1}}, "field 'organizations' is an object: give text or a list"),
        ({"places": [["Sagaing"]]}, "field 'places' holds a list: give a list of text"),
    ],
)
def test_a_json_value_of_the_wrong_type_skips_its_row_naming_the_field(tmp_path, row, reason):
    catalogue = make_catalogue(tmp_path / "lib")
    source = manifest(
        tmp_path, [{"title": "Row", "date": "2023"} | row, {"title": "Good", "date": "2023"}]
    )

    summary = import_paths(catalogue, [source])

    assert [r.title for r in catalogue.records()] == ["Good"]
    (got,) = reasons(summary)
    assert got.startswith(f"record 1: {reason}")
    stored = json.dumps([r.to_dict() for r in catalogue.records()])
    assert "{'a'" not in stored and "True" not in stored


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        ({"id": "letter", "title": "Other"}, "record 2: id 'letter' is given to record 1 already"),
        (
            {"title": "Other", "source_url": "https://e.org/letter"},
            "record 2: same source_url as record 1: one record cannot come from two rows",
        ),
        (
            {"title": "Letter"},
            "record 2: same title as record 1 and no id or source_url to tell them apart: "
            "give each an id",
        ),
    ],
)
def test_a_repeated_row_is_skipped_not_merged_into_the_first(tmp_path, second, reason):
    catalogue = make_catalogue(tmp_path / "lib")
    first = {"title": "Letter", "date": "2023-01-01", "summary": "First"}
    if "id" in second:
        first["id"] = "letter"
    if "source_url" in second:
        first["source_url"] = "https://e.org/letter"
    source = manifest(tmp_path, [first, second | {"date": "2024-02-02", "summary": "Second"}])

    summary = import_paths(catalogue, [source])

    (record,) = catalogue.records()
    assert (record.title, record.date, record.summary) == ("Letter", "2023-01-01", "First")
    assert reasons(summary) == [reason]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("h.csv", "title,date\n", "no rows under the header: nothing to import"),
        ("h.csv", "title,date\n,\n , \n", "no rows under the header: nothing to import"),
        ("h.json", "[]", "no records in the manifest: nothing to import"),
        ("h.json", '{"records": []}', "no records in the manifest: nothing to import"),
    ],
)
def test_a_manifest_without_rows_is_skipped_so_the_run_fails(tmp_path, name, content, reason):
    catalogue = make_catalogue(tmp_path / "lib")
    source = write(tmp_path / "in" / name, content)

    summary = import_paths(catalogue, [source])

    assert summary.skipped == [{"path": str(source), "reason": reason}]
    assert summary.exit_code == 1


def test_control_characters_are_removed_at_import(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    rows = [
        {
            "title": "Bell\u0007 and \u202eright-to-left\u202c override",
            "date": "2023",
            "summary": "Next\u0085line and \u2066isolate\u2069 and NUL\u0000",
            "body": "Para one\tkept tab\r\n\r\nPara two\u001b[31m",
            "topics": ["Sanc\u0008tions"],
            "organizations": ["Progressive Voice\u202d"],
        }
    ]
    source = manifest(tmp_path, rows)

    summary = import_paths(catalogue, [source])

    assert summary.skipped == []
    (record,) = catalogue.records()
    assert record.title == "Bell and right-to-left override"
    assert record.summary == "Nextline and isolate and NUL"
    assert record.body == "Para one\tkept tab\n\nPara two[31m"
    assert record.topics == ["Sanctions"]
    assert record.organizations == ["Progressive Voice"]


def test_a_skipped_row_does_not_write_its_new_organization(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    catalogue.add(Record(id="taken", type="report", title="By hand", language="en", date="2023"))
    authority = (catalogue.home.library / "organizations.json").read_bytes()
    source = manifest(
        tmp_path,
        [{"id": "taken", "title": "Row", "date": "2023", "organizations": ["Ghost Organization"]}],
    )

    summary = import_paths(catalogue, [source])

    assert reasons(summary) == ["record taken exists already (not from this source)"]
    assert summary.new_organizations == []
    assert (catalogue.home.library / "organizations.json").read_bytes() == authority
    assert Catalogue(catalogue.home).organizations.resolve("Ghost Organization") is None


def test_a_new_organization_losing_to_a_hand_edit_is_not_written(tmp_path):
    catalogue = make_catalogue(tmp_path / "lib")
    rows = [
        {
            "id": "coup-watch",
            "title": "Coup Watch",
            "date": "2023",
            "organizations": "ALTSEAN-Burma",
        }
    ]
    source = manifest(tmp_path, rows)
    import_paths(catalogue, [source])
    catalogue.update("coup-watch", ["organizations=Progressive Voice"])
    manifest(tmp_path, [rows[0] | {"organizations": "A Brand New Group"}])

    summary = import_paths(catalogue, [source])

    assert catalogue.get("coup-watch").organizations == ["Progressive Voice"]
    assert [c["field"] for c in summary.conflicts] == ["organizations"]
    assert summary.new_organizations == []
    assert Catalogue(catalogue.home).organizations.resolve("A Brand New Group") is None


def test_a_lock_held_elsewhere_mid_run_stops_the_run_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setattr("reslib.importers.run.WRITE_GROUP_ITEMS", 1)
    monkeypatch.setenv("RESLIB_LOCK_TIMEOUT", "0.2")
    catalogue = make_catalogue(tmp_path / "lib")
    real = FORMATS["html"]
    held: list[int] = []

    def another_writer_takes_the_lock(path, data, options):  # type: ignore[no-untyped-def]
        if path.name == "b.html":
            fd = os.open(catalogue.home.library / ".lock", os.O_RDWR)
            fcntl.flock(fd, fcntl.LOCK_EX)
            held.append(fd)
        return real(path, data, options)

    monkeypatch.setattr(
        "reslib.importers.run.FORMATS", {**FORMATS, "html": another_writer_takes_the_lock}
    )
    for name in ("a", "b"):
        write(
            tmp_path / "in" / f"{name}.html",
            wordpress_page(name, PARAGRAPHS, url=f"https://e.org/{name}"),
        )
    try:
        summary = import_paths(catalogue, [tmp_path / "in"])
    finally:
        for fd in held:
            os.close(fd)

    assert [r.title for r in catalogue.records()] == ["a"]
    (skip,) = summary.skipped
    assert skip["path"] == str(tmp_path / "in" / "b.html")
    assert skip["reason"].startswith("not imported: the library at")
    assert "the run stopped: the library lock could not be had" in summary.notes


def test_a_lock_held_elsewhere_before_anything_is_written_is_the_runs_error(tmp_path, monkeypatch):
    from reslib.errors import Conflict

    monkeypatch.setenv("RESLIB_LOCK_TIMEOUT", "0.2")
    catalogue = make_catalogue(tmp_path / "lib")
    source = write(tmp_path / "in" / "a.html", wordpress_page("A page", PARAGRAPHS))
    fd = os.open(catalogue.home.library / ".lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(Conflict, match="locked by another reslib process"):
            import_paths(catalogue, [source])
    finally:
        os.close(fd)
    assert catalogue.ids() == []
