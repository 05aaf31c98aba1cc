"""Import, index and search end to end through the command line: what a librarian imports in
Zawgyi, or with ``၀`` (digit zero) typed for ``ဝ`` (wa), is found whichever way a researcher
types the query."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from import_fixtures.library import make_catalogue
from import_fixtures.wordpress import wordpress_page

from reslib.analysis import unicode_to_zawgyi
from reslib.cli import cli

UNICODE_BODY = "ရှမ်းပြည်နယ်တောင်ပိုင်းတွင် တိုက်ပွဲများ ပြင်းထန်စွာ ဖြစ်ပွားခဲ့သည်။"
WA_BODY = "ဒေသခံများက စစ်ဘေးရှောင်များကို ဝိုင်းဝန်းကူညီကြသည်။"
# Enough text for the importer to take the page for an article.
MORE = "ကျေးရွာများမှ လူထုသည် ဘေးကင်းရာသို့ ထွက်ပြေးတိမ်းရှောင်ခဲ့ရပြီး စားနပ်ရိက္ခာ ပြတ်လပ်နေသည်။ " * 3


def cli_json(root: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--home", str(root), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def import_pages(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    make_catalogue(root)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "zawgyi.html").write_text(
        wordpress_page(
            "Fighting in southern Shan",
            [unicode_to_zawgyi(UNICODE_BODY), unicode_to_zawgyi(MORE)],
            url="https://example.org/2024/01/shan/",
            lang="my",
        ),
        encoding="utf-8",
    )
    (pages / "zero.html").write_text(
        wordpress_page(
            "Villagers help the displaced",
            [WA_BODY.replace("ဝ", "\u1040"), MORE],
            url="https://example.org/2024/02/help/",
            lang="my",
        ),
        encoding="utf-8",
    )
    summary = cli_json(root, "import", str(pages), "--json")
    assert summary["counts"]["created"] == 2
    return root


def found(root: Path, query: str) -> list[str]:
    return [r["title"] for r in cli_json(root, "search", query, "--exact", "--json")["results"]]


def test_imported_zawgyi_page_is_found_by_unicode_and_by_zawgyi_queries(tmp_path: Path) -> None:
    root = import_pages(tmp_path)

    assert found(root, "တိုက်ပွဲ") == ["Fighting in southern Shan"]
    assert found(root, unicode_to_zawgyi("တိုက်ပွဲ")) == ["Fighting in southern Shan"]
    # A word inside an unspaced run: only syllables find it.
    assert found(root, "တောင်ပိုင်း") == ["Fighting in southern Shan"]


def test_imported_zero_for_wa_is_found_by_either_spelling(tmp_path: Path) -> None:
    root = import_pages(tmp_path)

    assert found(root, "ဝိုင်းဝန်း") == ["Villagers help the displaced"]
    assert found(root, "\u1040ိုင်း\u1040န်း") == ["Villagers help the displaced"]


def test_imported_items_are_searchable_without_a_manual_reindex(tmp_path: Path) -> None:
    root = import_pages(tmp_path)

    response = cli_json(root, "search", "", "--json")

    assert response["total"] == 2
    assert response["facets"]["language"] == [{"value": "my", "count": 2}]
