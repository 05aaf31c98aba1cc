"""Records whose date is unknown (issue 14, item 1): valid, listed, warned, found, sorted last.

A record's date may be ``""`` (``models.UNDATED``): most real pages carry no date, and a page
without one is imported with its date unknown rather than skipped. The catalogue lists such
records after the dated ones and outside every date range; ``reslib check`` warns about each;
search sorts them after every dated record and counts them under the year facet value
``undated``, whose count is the total its click returns, as for any year.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from test_facets import PARAMS, alone, client_of, page_total, states
from test_web_sample import build_sample

from reslib.catalogue import Catalogue, RecordFilter, select
from reslib.cli import cli
from reslib.config import Home
from reslib.errors import InvalidInput
from reslib.export import export
from reslib.importers import import_paths
from reslib.library import open_library
from reslib.models import UNDATED, UNDATED_YEAR, Record
from reslib.search import SearchRequest, search


def run(home: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--home", str(home), *args])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    assert CliRunner().invoke(cli, ["init", "--empty", str(tmp_path)]).exit_code == 0
    return tmp_path


def add(home: Path, title: str, *date: str) -> str:
    result = run(home, "add", "--title", title, "--type", "report", "--language", "en",
                 "--summary", "Displacement in Karenni.", "--json", *date)  # fmt: skip
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["id"])


# -- the record and the catalogue -----------------------------------------------------------


def test_a_record_with_an_empty_date_is_valid_and_written_as_empty() -> None:
    record = Record.from_dict(
        {"id": "a-note", "type": "report", "title": "A note", "language": "en", "date": ""}
    )
    assert record.undated and record.date == UNDATED and record.year == ""
    assert record.to_dict()["date"] == ""
    # Left out of a hand-made file, the date is unknown too; a wrong date stays an error.
    assert Record.from_dict({"id": "b", "type": "report", "title": "B", "language": "en"}).undated
    with pytest.raises(InvalidInput, match="invalid date"):
        Record.from_dict(
            {"id": "c", "type": "report", "title": "C", "language": "en", "date": "someday"}
        )


def test_add_undated_by_cli_then_list_check_and_edit(home: Path) -> None:
    dated = add(home, "Dated report", "--date", "2023-05")
    undated = add(home, "A report of unknown date", "--undated")
    assert json.loads((home / "library" / "records" / f"{undated}.json").read_text())["date"] == ""

    listed = run(home, "list", "--json")
    assert [r["id"] for r in json.loads(listed.stdout)] == [dated, undated]
    only = run(home, "list", "--undated", "--json")
    assert [r["id"] for r in json.loads(only.stdout)] == [undated]
    # An unknown date is in no range, open-ended or not.
    for bounds in (["--from", "2000"], ["--to", "2030"], ["--from", "2000", "--to", "2030"]):
        ranged = run(home, "list", *bounds, "--json")
        assert [r["id"] for r in json.loads(ranged.stdout)] == [dated], bounds

    checked = run(home, "check", "--json")
    assert checked.exit_code == 0, checked.output  # a warning, not an error
    problems = json.loads(checked.stdout)["problems"]
    assert [(p["where"], p["field"], p["severity"]) for p in problems] == [
        (undated, "date", "warning")
    ]
    assert "1 warning(s)" in run(home, "check").output

    assert run(home, "edit", undated, "--set", "date=2022-01").exit_code == 0
    assert json.loads(run(home, "list", "--undated", "--json").stdout) == []
    assert run(home, "edit", dated, "--set", "date=").exit_code == 0
    assert [r["id"] for r in json.loads(run(home, "list", "--undated", "--json").stdout)] == [dated]


def test_add_asks_for_a_date_or_undated_and_not_both(home: Path) -> None:
    both = run(home, "add", "--title", "T", "--type", "report", "--language", "en",
               "--date", "2023", "--undated")  # fmt: skip
    assert both.exit_code == 2 and "not both" in both.output
    neither = run(home, "add", "--title", "T", "--type", "report", "--language", "en")
    assert neither.exit_code == 1 and "--undated" in neither.output
    ranged = run(home, "list", "--undated", "--from", "2020")
    assert ranged.exit_code == 2


def test_add_from_json_without_a_date(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "r.json"
    source.write_text(json.dumps({"type": "report", "title": "No Date Here", "language": "en"}))
    result = run(home, "add", "--from-json", str(source), "--json")
    assert result.exit_code == 0, result.output
    saved = json.loads(result.stdout)
    assert (saved["id"], saved["date"]) == ("no-date-here", "")


UNDATED_PAGE = """<html><head><meta charset="utf-8"><title>Families flee Sagaing</title></head>
<body><main><h1>Families flee Sagaing</h1>
<p>Civil society organizations condemn the airstrikes on schools in Sagaing and call for an
arms embargo.</p>
<p>Families fled to the forest and need food, shelter and medicine.</p></main></body></html>"""


def test_a_page_without_a_date_is_imported_undated_listed_warned_and_found(
    home: Path, tmp_path: Path
) -> None:
    dated = add(home, "Dated report", "--date", "2023-05")
    page = tmp_path / "in" / "families.html"
    page.parent.mkdir()
    page.write_text(UNDATED_PAGE, "utf-8")
    summary = import_paths(open_library(Home(home)), [page])
    assert summary.skipped == []
    (imported,) = [r for r in Catalogue(Home(home)).records() if r.id != dated]
    assert imported.date == ""

    assert [r["id"] for r in json.loads(run(home, "list", "--undated", "--json").stdout)] == [
        imported.id
    ]
    problems = json.loads(run(home, "check", "--json").stdout)["problems"]
    assert {(p["where"], p["field"]) for p in problems} == {(imported.id, "date")}
    found = search(Home(home), SearchRequest(q="Sagaing"))
    assert [r.id for r in found.results] == [imported.id]
    by_date = search(Home(home), SearchRequest(sort="date"))
    assert [r.id for r in by_date.results] == [dated, imported.id]
    (undated,) = [f for f in by_date.facets["year"] if f.value == UNDATED_YEAR]
    assert undated.count == search(Home(home), SearchRequest(year=[UNDATED_YEAR])).total == 1


def test_bibtex_and_ris_leave_the_year_out(tmp_path: Path) -> None:
    record = Record("a-note", "report", "A note", "en", UNDATED)
    bibtex, ris = export([record], "bibtex"), export([record], "ris")
    assert "year" not in bibtex and "title = {A note}" in bibtex
    assert "PY  -" not in ris and "DA  -" not in ris and "TI  - A note" in ris


# -- search: found, sorted last, counted under "undated" -------------------------------------


def undated_sample(root: Path) -> Home:
    """The web sample plus undated records: a report and its Burmese translation (one result),
    and a statement."""
    home = build_sample(root)
    cat = open_library(home)
    cat.add(Record("undated-karenni-report", "report", "Karenni displacement report", "en",
                   UNDATED, summary="Displacement in Karenni and Sagaing."))  # fmt: skip
    cat.add(Record("undated-karenni-report-my", "report", "ကရင်နီ အစီရင်ခံစာ", "my", UNDATED,
                   summary="ကရင်နီ", translations=["undated-karenni-report"]))  # fmt: skip
    cat.add(Record("undated-statement", "statement", "Statement on Sagaing", "en", UNDATED,
                   summary="Sagaing villagers."))  # fmt: skip
    return home


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return undated_sample(tmp_path_factory.mktemp("undated"))


def test_undated_records_are_found_and_sorted_after_every_dated_one(sample: Home) -> None:
    found = search(sample, SearchRequest(q="Sagaing", sort="date", limit=50))
    dates = [r.date for r in found.results]
    assert "undated-statement" in {r.id for r in found.results}
    assert dates == sorted(dates, key=lambda d: (d != "", d), reverse=True)
    assert dates[-1] == "" and dates[0] != ""
    listing = search(sample, SearchRequest(sort="date", limit=50))
    assert [r.date for r in listing.results][-2:] == ["", ""]


def test_the_undated_facet_counts_results_and_its_click_returns_them(sample: Home) -> None:
    facets = search(sample, SearchRequest()).facets["year"]
    assert facets[-1].value == UNDATED_YEAR  # after the oldest year
    # Three undated records, two results: the translation is grouped with its original.
    assert facets[-1].count == 2
    clicked = search(sample, SearchRequest(year=[UNDATED_YEAR], limit=50))
    assert clicked.total == 2
    shown = {r.id for r in clicked.results}
    shown |= {t.id for r in clicked.results for t in r.translations}
    assert shown == {"undated-karenni-report", "undated-karenni-report-my", "undated-statement"}
    assert search(sample, SearchRequest(q="year:undated")).total == 2
    assert search(sample, SearchRequest(year=["2023", UNDATED_YEAR])).total == 5


def test_every_facet_count_is_its_click_total_with_undated_records(sample: Home) -> None:
    requests = [
        *states(sample),
        SearchRequest(year=[UNDATED_YEAR]),
        SearchRequest(q="Sagaing", year=[UNDATED_YEAR]),
        SearchRequest(type=["report"], year=["2023", UNDATED_YEAR]),
    ]
    checked = 0
    for request in requests:
        for name, values in search(sample, request).facets.items():
            for f in values:
                clicked = search(sample, alone(request, PARAMS[name], f.value))
                assert clicked.total == f.count, (request, name, f.value)
                checked += name == "year" and f.value == UNDATED_YEAR
    # Not every state holds an undated record (a filter on an organization, say); most do.
    assert checked > len(requests) // 2


# -- the web: pages, API, feeds and citations do not trip over a missing date ----------------


def test_api_and_page_filter_on_undated(sample: Home) -> None:
    client = client_of(sample)
    body = client.get("/api/search?year=undated").get_json()
    assert body["total"] == 2
    assert [f for f in body["facets"]["year"] if f.get("selected")] == [
        {"value": "undated", "count": 2, "selected": True}
    ]
    assert page_total(client, "/?year=undated") == 2
    refused = client.get("/api/search?year=someday")
    assert refused.status_code == 400 and "undated" in refused.get_json()["message"]
    assert run(Path(sample.root), "search", "--year", "someday").exit_code == 1
    cli_found = run(Path(sample.root), "search", "--year", "undated", "--json")
    assert json.loads(cli_found.stdout)["total"] == 2


def test_the_undated_facet_and_browse_entry_have_labels_in_both_languages(sample: Home) -> None:
    client = client_of(sample)
    for ui, label in (("en", "Undated"), ("my", "ရက်စွဲမသိ")):
        headers = {"Accept-Language": ui}
        page = BeautifulSoup(client.get("/", headers=headers).get_data(as_text=True), "html.parser")
        links = page.select("#facet-year ~ ul a")
        assert label in links[-1].get_text() and "year=undated" in links[-1]["href"]
        browse = client.get("/browse/years", headers=headers).get_data(as_text=True)
        entries = BeautifulSoup(browse, "html.parser").select(".browse-list a")
        assert label in entries[-1].get_text()
    years = client.get("/browse/years.json").get_json()["entries"]
    assert years[-1] == {"value": "undated", "count": 2, "url": "/?year=undated"}


def test_item_page_citations_and_feed_of_an_undated_record(sample: Home) -> None:
    client = client_of(sample)
    page = client.get("/items/undated-statement")
    assert page.status_code == 200
    html = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert "Undated" in html.select_one(".item-meta").get_text()
    names = {m.get("name") for m in html.select("meta")}
    assert "DC.date" not in names and "citation_publication_date" not in names
    ld = json.loads(html.select_one('script[type="application/ld+json"]').get_text())
    assert "datePublished" not in ld
    assert client.get("/items/undated-statement.json").get_json()["item"]["date"] == ""
    assert "year" not in client.get("/items/undated-statement.bib").get_data(as_text=True)
    assert "PY  -" not in client.get("/items/undated-statement.ris").get_data(as_text=True)

    feed = client.get("/feed.atom?q=Sagaing")
    assert feed.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    entries = {
        e.findtext(f"{atom}id").rsplit("/", 1)[-1]: e
        for e in ET.fromstring(feed.data).iter(f"{atom}entry")
    }
    entry = entries["undated-statement"]
    assert entry.find(f"{atom}published") is None
    assert entry.findtext(f"{atom}updated").endswith("Z")
    assert entries["2023-09-10-arbitrary-arrests-in-sagaing"].find(f"{atom}published") is not None
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200


def test_catalogue_selection_puts_undated_records_last(sample: Home) -> None:
    chosen = select(Catalogue(sample), RecordFilter())
    undated = [r.undated for r in chosen]
    assert undated == sorted(undated) and undated[-1]
    assert [r.id for r in select(Catalogue(sample), RecordFilter(undated=True))] == [
        "undated-karenni-report",
        "undated-karenni-report-my",
        "undated-statement",
    ]
