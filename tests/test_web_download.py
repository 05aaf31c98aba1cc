"""A stored file's name never breaks or disguises the download (issue 11, items 9 and 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.models import Record
from reslib.web import create_app
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
