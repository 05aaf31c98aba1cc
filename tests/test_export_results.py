"""Export of a whole result list (issue 16, item 7): every result in the page's order, not
the current page of ten, in BibTeX, RIS, CSV and JSON Lines, streamed a record at a time,
up to ``RESLIB_EXPORT_MAX`` records with a polite word on the results page past it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from test_web_sample import build_sample

from reslib import export
from reslib.config import Home
from reslib.models import Record
from reslib.search import SearchRequest, search
from reslib.search.engine import result_ids
from reslib.web import create_app

#: The sample library lists five results (six records: a translation goes with its original).
ALL = 5


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return build_sample(tmp_path_factory.mktemp("library"))


@pytest.fixture(scope="module")
def app(home: Home) -> Flask:
    return create_app(home, {"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def records() -> list[Record]:
    return [
        Record(
            id=f"2023-0{n}-01-record-{n}",
            type="report" if n % 2 else "statement",
            title=f'Title {n}, with "quotes", a comma and {{braces}}',
            language="en",
            date=f"2023-0{n}-01",
            organizations=["Progressive Voice", "Asia Justice and Rights"][: n % 2 + 1],
            summary=f"Line one of {n}.\nLine two, with a comma.",
            places=["Sagaing"],
        )
        for n in range(1, 5)
    ]


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_pieces_of_an_export_make_the_whole_export(fmt: str) -> None:
    pieces = list(export.iter_export(records(), fmt))
    assert len(pieces) == len(records())
    assert "".join(pieces) == export.export(records(), fmt)
    assert list(export.iter_export([], fmt)) == ([] if fmt != "csv" else [export.to_csv([])])


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_an_export_reads_each_record_only_when_it_writes_it(fmt: str) -> None:
    read: list[str] = []

    def source() -> Iterator[Record]:
        for record in records():
            read.append(record.id)
            yield record

    pieces = export.iter_export(source(), fmt)
    first = next(pieces)
    assert len(read) == 1
    assert records()[0].id in first
    rest = list(pieces)
    assert len(read) == len(records()) and len(rest) == len(records()) - 1


def ids_in(body: str, fmt: str) -> list[str]:
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in body.splitlines()]
    if fmt == "ris":
        return [line[6:] for line in body.splitlines() if line.startswith("ID  - ")]
    if fmt == "bibtex":
        return [line.split("{", 1)[1].rstrip(",") for line in body.splitlines() if line[:1] == "@"]
    return [line.split(",", 1)[0] for line in body.splitlines()[1:]]


@pytest.mark.parametrize(
    ("url", "fmt"),
    [
        ("/export.bib", "bibtex"),
        ("/export.ris", "ris"),
        ("/export.csv", "csv"),
        ("/export.jsonl", "jsonl"),
        ("/api/export?format=bibtex", "bibtex"),
        ("/api/export?format=ris", "ris"),
        ("/api/export?format=csv", "csv"),
        ("/api/export", "jsonl"),
    ],
)
def test_an_export_holds_the_whole_result_list_in_page_order(
    client: FlaskClient, home: Home, url: str, fmt: str
) -> None:
    # Page 2 of 2 results a page: the export ignores where the reader is in the list.
    sep = "&" if "?" in url else "?"
    response = client.get(f"{url}{sep}limit=2&page=2")
    assert response.status_code == 200
    assert response.is_streamed
    shown = [r.id for r in search(home, SearchRequest(sort="date", limit=10)).results]
    assert len(shown) == ALL
    assert ids_in(response.get_data(as_text=True), fmt) == shown
    assert response.headers["X-Total-Count"] == str(ALL)
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")


def test_an_export_follows_the_search_and_its_filters(client: FlaskClient) -> None:
    body = client.get("/export.jsonl?q=Sagaing&lang=my").get_data(as_text=True)
    assert ids_in(body, "jsonl") == ["2023-09-10-sagaing-arrests-my"]
    body = client.get("/export.jsonl?q=statement+OR+letter&sort=date").get_data(as_text=True)
    assert ids_in(body, "jsonl") == [
        "2023-11-01-joint-statement-on-airstrikes",
        "2021-03-01-open-letter",
    ]


def test_an_export_stops_at_the_documented_limit(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESLIB_EXPORT_MAX", "2")
    response = client.get("/export.jsonl")
    assert len(ids_in(response.get_data(as_text=True), "jsonl")) == 2
    assert response.headers["X-Total-Count"] == str(ALL)
    assert response.headers["X-Export-Max"] == "2"


def test_a_script_on_another_site_may_read_how_long_the_list_was(client: FlaskClient) -> None:
    response = client.get("/api/export?q=Sagaing", headers={"Origin": "https://partner.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Total-Count", "X-Export-Max"} <= exposed


def test_the_results_page_says_politely_when_an_export_would_be_cut(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def notice(url: str) -> str | None:
        page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
        found = page.select_one(".export-limit")
        return found.get_text(" ", strip=True) if found else None

    assert notice("/") is None
    monkeypatch.setenv("RESLIB_EXPORT_MAX", "2")
    assert notice("/") == (
        "This search found 5 results; an export holds the first 2. Narrow the search with "
        "a filter or more words to export them all."
    )
    assert notice("/?q=Sagaing") is None


def test_the_results_page_links_every_export_for_the_whole_list(client: FlaskClient) -> None:
    page = BeautifulSoup(
        client.get("/?q=Sagaing&type=report&limit=2&page=1").get_data(as_text=True),
        "html.parser",
    )
    links = {a.get_text(): a["href"] for a in page.select(".export a")}
    for label, path in (
        ("BibTeX", "/export.bib"),
        ("RIS", "/export.ris"),
        ("CSV", "/export.csv"),
        ("JSON Lines", "/export.jsonl"),
    ):
        assert links[label] == f"{path}?q=Sagaing&type=report", label


def test_an_unknown_export_format_is_a_400_in_the_one_error_shape(client: FlaskClient) -> None:
    response = client.get("/api/export?format=pdf")
    assert response.status_code == 400
    body = response.get_json()
    assert body["ok"] is False and "jsonl" in body["message"]


def test_result_ids_are_the_pages_ids_in_order_past_the_page_depth(home: Home) -> None:
    for req in (SearchRequest(q="Sagaing OR statement OR letter"), SearchRequest(sort="date")):
        total, ids = result_ids(home, req, 100)
        pages = [
            r.id
            for page in (1, 2, 3)
            for r in search(home, SearchRequest(q=req.q, sort=req.sort, page=page, limit=2)).results
        ]
        assert ids == pages
        assert total == len(ids)
    assert result_ids(home, SearchRequest(sort="date"), 2) == (ALL, pages[:2])


def test_the_export_api_matches_its_openapi_description(app: Flask) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema["/api/export"]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def call(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate()

    call()
