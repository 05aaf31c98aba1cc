"""A stored file's name never breaks or disguises the download (issue 11, items 9 and 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.models import Record
from reslib.web import create_app
from reslib.web.i18n import Strings, size_parts
from reslib.web.item_views import download_name


@pytest.mark.parametrize(
    ("name", "offered"),
    [
        ("report.pdf", "report.pdf"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("crlf\r\nSet-Cookie: x=1.pdf", "crlfSet-Cookie: x=1.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u2067\n.pdf", "item-1.pdf"),
        ("အစီရင်ခံစာ.pdf", "အစီရင်ခံစာ.pdf"),
    ],
)
def test_the_offered_name_has_no_control_or_bidi_characters(name: str, offered: str) -> None:
    assert download_name("item-1", name) == offered


def test_a_file_whose_name_holds_a_newline_downloads(tmp_path: Path) -> None:
    home = Home(tmp_path)
    cat = Catalogue(home)
    cat.init()
    source = tmp_path / "in" / "annual\nreport.txt"
    source.parent.mkdir()
    source.write_text("the text\n")
    cat.add(
        Record(id="r1", type="report", title="Annual", language="en", date="2023"),
        attach=source,
    )
    with create_app(home, {"TESTING": True}).test_client().get("/items/r1/file") as response:
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "annualreport.txt" in disposition
        assert "\n" not in disposition and response.get_data() == b"the text\n"


def _library_with_files(tmp_path: Path, files: dict[str, bytes]) -> FlaskClient:
    """One record per file, its id the file's stem."""
    home = Home(tmp_path)
    cat = Catalogue(home)
    cat.init()
    for name, content in files.items():
        source = tmp_path / "in" / name
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(content)
        rid = Path(name).stem
        cat.add(Record(id=rid, type="report", title=rid, language="en", date="2023"), attach=source)
    return create_app(home, {"TESTING": True}).test_client()


PDF = b"%PDF-1.4\n" + b"x" * 2000


@pytest.fixture
def files_client(tmp_path: Path) -> FlaskClient:
    return _library_with_files(
        tmp_path,
        {
            "real.pdf": PDF,
            "fake.pdf": b"<html><script>alert(1)</script></html>",
            "page.html": b"<html><script>alert(1)</script></html>",
            "image.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        },
    )


def test_a_pdf_asked_inline_opens_in_the_browser(files_client: FlaskClient) -> None:
    with files_client.get("/items/real/file?inline=1") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("inline;")
        assert response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.get_data() == PDF


def test_a_pdf_still_downloads_by_default(files_client: FlaskClient) -> None:
    with files_client.get("/items/real/file") as response:
        assert response.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("rid", ["fake", "page", "image"])
def test_no_html_or_svg_is_ever_served_inline(files_client: FlaskClient, rid: str) -> None:
    with files_client.get(f"/items/{rid}/file?inline=1") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.mimetype != "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_file_is_shown_with_its_type_and_size_and_a_pdf_preview(
    files_client: FlaskClient,
) -> None:
    page = BeautifulSoup(files_client.get("/items/real").get_data(as_text=True), "html.parser")
    cell = page.select_one(".item-file")
    assert cell.select_one("a.download")["href"] == "/items/real/file"
    assert cell.select_one(".file-facts").get_text() == "(PDF, 2 KB)"
    preview = cell.select_one("a.preview")
    assert preview["href"] == "/items/real/file?inline=1"
    assert preview["target"] == "_blank" and "noopener" in preview["rel"]
    burmese = BeautifulSoup(
        files_client.get("/items/real?ui=my").get_data(as_text=True), "html.parser"
    )
    assert burmese.select_one(".file-facts").get_text() == "(PDF, ၂ KB)"
    assert burmese.select_one("a.preview").get_text() == "PDF ကို တက်ဘ်အသစ်တွင် ဖွင့်ရန်"


def test_a_file_that_is_not_a_pdf_has_no_preview(files_client: FlaskClient) -> None:
    page = BeautifulSoup(files_client.get("/items/fake").get_data(as_text=True), "html.parser")
    assert page.select_one("a.preview") is None
    body = files_client.get("/api/items/fake").get_json()
    assert body["file"]["preview"] is None and body["file"]["type"] == "application/octet-stream"
    real = files_client.get("/api/items/real").get_json()["file"]
    assert real == {
        "name": "real.pdf",
        "url": "/items/real/file",
        "type": "application/pdf",
        "size": len(PDF),
        "preview": "/items/real/file?inline=1",
    }


@pytest.mark.parametrize(
    ("size", "en", "my"),
    [
        (1, "1 byte", "၁ ဘိုက်"),
        (512, "512 bytes", "၅၁၂ ဘိုက်"),
        (2048, "2 KB", "၂ KB"),
        (5 * 1024 * 1024 + 300 * 1024, "5.3 MB", "၅.၃ MB"),
    ],
)
def test_file_sizes_read_in_both_languages(size: int, en: str, my: str) -> None:
    strings = Strings(Path(__file__).resolve().parents[1] / "web" / "i18n")
    key, n = size_parts(size)
    assert (strings.get("en", key, n=n), strings.get("my", key, n=n)) == (en, my)
