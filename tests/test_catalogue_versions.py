"""Versions, confined attachments and writes that fail cleanly (issue 11, items 3, 6 and 9).

A record's ``updated`` stamp is its version: a write that states the version it read is
refused when someone saved the record since. ``source_file`` only ever names a file kept in
``library/files/ID/``. A refused save leaves every file as it was.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reslib.catalogue import Catalogue
from reslib.catalogue.records import safe_file_name
from reslib.config import Home
from reslib.errors import Conflict, InvalidInput
from reslib.models import ID_RE, Record, next_stamp, now


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    cat = Catalogue(Home(tmp_path / "lib"))
    cat.init()
    return cat


def record(record_id: str = "letter", **kw) -> Record:  # type: ignore[no-untyped-def]
    return Record(id=record_id, type="report", title=record_id, language="en", date="2023", **kw)


def library_bytes(cat: Catalogue) -> dict[str, bytes]:
    lib = cat.home.library
    return {
        str(p.relative_to(lib)): p.read_bytes()
        for p in lib.rglob("*")
        if p.is_file() and p.name != ".lock"
    }


def test_a_save_over_a_newer_version_is_refused_and_keeps_the_newer_one(
    catalogue: Catalogue,
) -> None:
    catalogue.add(record())
    mine = catalogue.get("letter")
    theirs = catalogue.get("letter")
    theirs.summary = "Their change"
    catalogue.save(theirs, expected_updated=theirs.updated)
    mine.summary = "My change"
    with pytest.raises(Conflict, match="saved by someone else") as refused:
        catalogue.save(mine, expected_updated=mine.updated)
    assert "nothing saved" in refused.value.message
    assert catalogue.get("letter").summary == "Their change"


def test_a_save_of_the_version_read_goes_through(catalogue: Catalogue) -> None:
    catalogue.add(record())
    mine = catalogue.get("letter")
    read = mine.updated
    mine.summary = "Mine"
    report = catalogue.save(mine, expected_updated=read)
    assert catalogue.get("letter").summary == "Mine"
    assert datetime.fromisoformat(report.record.updated) > datetime.fromisoformat(read)


def test_every_save_is_a_new_version_even_within_one_second(catalogue: Catalogue) -> None:
    catalogue.add(record())
    versions = [catalogue.get("letter").updated]
    for n in range(3):
        catalogue.update("letter", [f"summary=take {n}"])
        versions.append(catalogue.get("letter").updated)
    moments = [datetime.fromisoformat(v) for v in versions]
    assert moments == sorted(set(moments))
    assert all(m <= datetime.now(UTC) for m in moments)


def test_next_stamp_keeps_whole_seconds_unless_a_second_holds_two_versions() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", next_stamp("2000-01-01T00:00:00Z"))
    # A version stamped this very second: the next one is later, and not in the future.
    previous = now()
    following = datetime.fromisoformat(next_stamp(previous))
    assert datetime.fromisoformat(previous) < following <= datetime.now(UTC)
    # A clock set back: a microsecond past the previous version, never an older stamp.
    assert next_stamp("2999-01-01T00:00:00Z") == "2999-01-01T00:00:00.000001Z"
    assert next_stamp("2999-01-01T00:00:00.000001Z") == "2999-01-01T00:00:00.000002Z"
    assert re.fullmatch(r"\d{4}-.*Z", next_stamp("not a stamp"))


def test_update_and_remove_refuse_a_stale_version(catalogue: Catalogue) -> None:
    catalogue.add(record())
    read = catalogue.get("letter").updated
    catalogue.update("letter", ["summary=changed meanwhile"])
    with pytest.raises(Conflict):
        catalogue.update("letter", ["topics+=aid"], expected_updated=read)
    with pytest.raises(Conflict):
        catalogue.remove("letter", expected_updated=read)
    assert catalogue.get("letter").topics == []


def test_a_link_written_back_is_a_new_version_of_the_other_record(catalogue: Catalogue) -> None:
    catalogue.add(record("english"))
    opened = catalogue.get("english")
    catalogue.add(record("burmese", translations=["english"]))
    opened.summary = "edited while the link was written back"
    with pytest.raises(Conflict):
        catalogue.save(opened, expected_updated=opened.updated)
    assert catalogue.get("english").translations == ["burmese"]


@pytest.mark.parametrize(
    "source_file",
    [
        "/etc/passwd",
        "../../etc/passwd",
        "files/letter/../../../etc/passwd",
        "files/other/doc.pdf",
        "files/letter",
        "files/letter/missing.pdf",
    ],
)
def test_source_file_must_be_a_file_in_the_records_folder(
    catalogue: Catalogue, source_file: str
) -> None:
    (catalogue.files_dir / "other").mkdir(parents=True)
    (catalogue.files_dir / "other" / "doc.pdf").write_bytes(b"%PDF")
    catalogue.add(record())
    before = library_bytes(catalogue)
    with pytest.raises(InvalidInput, match="field 'source_file'"):
        catalogue.update("letter", [f"source_file={source_file}"])
    with pytest.raises(InvalidInput, match="field 'source_file'"):
        catalogue.add(record("new", source_file=source_file.replace("letter", "new")))
    assert library_bytes(catalogue) == before


def test_a_symbolic_link_out_of_the_records_folder_is_refused(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the site")
    folder = catalogue.files_dir / "letter"
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "innocent.pdf")
    catalogue.add(record())
    with pytest.raises(InvalidInput, match="not a file inside library/files/letter/"):
        catalogue.update("letter", ["source_file=files/letter/innocent.pdf"])


def test_a_file_kept_in_the_records_folder_is_accepted(catalogue: Catalogue) -> None:
    folder = catalogue.files_dir / "letter"
    folder.mkdir(parents=True)
    (folder / "scan.pdf").write_bytes(b"%PDF")
    catalogue.add(record())
    catalogue.update("letter", ["source_file=files/letter/scan.pdf"])
    assert catalogue.get("letter").source_file == "files/letter/scan.pdf"


def test_attachment_names_lose_control_and_bidi_characters(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    source = tmp_path / "invoice\u202efdp.exe\x1b[31m\u2066.pdf"
    source.write_bytes(b"%PDF")
    report = catalogue.add(record(), attach=source)
    assert report.record.source_file == "files/letter/invoicefdp.exe[31m.pdf"
    assert (catalogue.home.library / report.record.source_file).read_bytes() == b"%PDF"


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("a\u202ab\u202cc\u2069d\u200f.txt", "abcd.txt"),
        ("line\nbreak\x85\x9f.txt", "linebreak.txt"),
        ("caf\udce9.txt", "caf\ufffd.txt"),
        ("\u202e..", "file"),
    ],
)
def test_safe_file_name(name: str, stored: str) -> None:
    assert safe_file_name(name) == stored


def test_a_save_refused_late_writes_no_organization_and_no_attachment(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF")
    before = library_bytes(catalogue)
    broken = record(organizations=["Brand New Group"], summary="bytes \udcfe that were not UTF-8")
    with pytest.raises(InvalidInput, match="field 'summary' is not valid UTF-8"):
        catalogue.add(broken, attach=source)
    assert library_bytes(catalogue) == before
    assert not (catalogue.files_dir / "letter").exists()
    assert catalogue.organizations.resolve("Brand New Group") is None


def test_an_id_with_a_trailing_newline_is_not_an_id() -> None:
    assert ID_RE.match("letter")
    assert not ID_RE.match("letter\n")
    with pytest.raises(InvalidInput, match="field 'id'"):
        record("letter\n").validate()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organizations", ["Good Group", "bad \udcfe group"]),
        ("places", ["\ud800"]),
        ("summary", "summary \udfff"),
    ],
)
def test_text_that_is_not_utf8_is_refused_in_any_field_and_list(
    catalogue: Catalogue, field: str, value: object
) -> None:
    before = library_bytes(catalogue)
    with pytest.raises(InvalidInput, match=f"field '{field}' is not valid UTF-8"):
        catalogue.add(record(**{field: value}))
    assert library_bytes(catalogue) == before


def test_the_utf8_check_finds_a_lone_surrogate_anywhere_and_passes_what_holds_no_text() -> None:
    from reslib.models import encodes_as_utf8

    assert encodes_as_utf8(["Sagaing", {"key": ("a", 1, None, 2.5, True)}])
    assert not encodes_as_utf8(["Sagaing", {"key": ("a", "\udcff")}])
    assert not encodes_as_utf8({"\udcff": "x"})
    assert encodes_as_utf8(object())  # nothing JSON could write: no text in it
