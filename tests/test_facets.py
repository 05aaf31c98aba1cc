"""Facets that add up (issue 13, item 4): every facet count is the total its click returns.

Checked for every facet value shown, in several states (no filter, one, two values of one
facet, two facets), through ``search()``, the JSON API and the search page's own links, and
for every entry of the browse pages; on the web sample library (``build_sample``: a report
and its Burmese translation among others) and on the seeds imported into a library made by
``reslib init``. Values of one facet combine with OR, facets with AND, and a filtered
facet's values are counted as if it were not applied, so a second value can be added.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import shared_path
from flask.testing import FlaskClient
from test_web_sample import build_sample

from reslib.catalogue import Catalogue
from reslib.cli import cli
from reslib.config import Home
from reslib.search import SearchRequest, search
from reslib.search.facets import LANGUAGE_SELECTS
from reslib.web import create_app

#: Facet names -> the request field (and query parameter) that filters on them.
PARAMS = {
    "type": "type",
    "language": "lang",
    "organizations": "org",
    "year": "year",
    "places": "place",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return build_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The seeds imported into a library made by ``reslib init`` (indexed by the import)."""
    root = tmp_path_factory.mktemp("seeds") / "lib"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    imported = runner.invoke(
        cli, ["--home", str(root), "import", str(shared_path("seeds")), "--quiet"]
    )
    assert imported.exit_code == 0, imported.output
    return Home(root)


@pytest.fixture(params=["sample", "seeds"])
def home(request: pytest.FixtureRequest) -> Home:
    found: Home = request.getfixturevalue(request.param)
    return found


def states(home: Home) -> list[SearchRequest]:
    """Requests to check the facets of: the whole library, a word, and filters on them."""
    out = [SearchRequest(), SearchRequest(q="Myanmar")]
    facets = search(home, SearchRequest()).facets
    for name, param in PARAMS.items():
        values = [f.value for f in facets[name]]
        if values:
            out.append(SearchRequest(**{param: values[:1]}))  # type: ignore[arg-type]
        if len(values) > 1:
            out.append(SearchRequest(**{param: values[:2]}))  # type: ignore[arg-type]
    types, years = facets["type"], facets["year"]
    out.append(SearchRequest(type=[types[-1].value], year=[years[0].value]))
    out.append(SearchRequest(q="Myanmar", type=[types[0].value], lang=["en"]))
    return out


def alone(request: SearchRequest, param: str, value: str) -> SearchRequest:
    """``request`` with its ``param`` filter set to ``value`` alone: adding the value when the
    facet was not filtered on, the value by itself when it was."""
    changed: SearchRequest = replace(request, **{param: [value]})
    return changed


def test_every_facet_count_is_the_total_of_its_click(home: Home) -> None:
    checked = 0
    for request in states(home):
        response = search(home, request)
        for name, values in response.facets.items():
            for f in values:
                clicked = search(home, alone(request, PARAMS[name], f.value))
                assert clicked.total == f.count, (request, name, f.value)
                checked += 1
    assert checked > 100


def test_the_total_counts_results_and_so_do_facets(sample: Home) -> None:
    # Six records, five results: the Burmese report is grouped under its English original.
    response = search(sample, SearchRequest())
    assert response.total == 5
    report = next(f for f in response.facets["type"] if f.value == "report")
    assert report.count == 1 == search(sample, SearchRequest(type=["report"])).total
    year = next(f for f in response.facets["year"] if f.value == "2023")
    assert year.count == 3 == search(sample, SearchRequest(year=["2023"])).total


def test_values_of_one_facet_combine_with_or_and_facets_with_and(home: Home) -> None:
    facets = search(home, SearchRequest()).facets
    first, second = (f.value for f in facets["type"][:2])
    one, two = (search(home, SearchRequest(type=[v], limit=100)) for v in (first, second))
    both = search(home, SearchRequest(type=[first, second], limit=100))
    assert both.total == one.total + two.total  # a record has one type
    assert {r.id for r in both.results} == {r.id for r in one.results + two.results}
    year = facets["year"][0].value
    narrowed = search(home, SearchRequest(type=[first, second], year=[year], limit=100))
    assert {r.id for r in narrowed.results} == {
        r.id for r in both.results if r.date.startswith(year)
    }


def test_a_filtered_facet_counts_its_other_values_as_if_it_were_not(sample: Home) -> None:
    unfiltered = {f.value: f.count for f in search(sample, SearchRequest()).facets["type"]}
    filtered = search(sample, SearchRequest(type=["report"])).facets["type"]
    assert {f.value: f.count for f in filtered} == unfiltered
    assert [f.value for f in filtered if f.selected] == ["report"]
    # The other facets count within the filter.
    languages = search(sample, SearchRequest(type=["report"])).facets["language"]
    assert {f.value: f.count for f in languages} == {"en": 1, "my": 1}


def test_languages_count_as_the_language_filter_selects(home: Home) -> None:
    facets = search(home, SearchRequest()).facets["language"]
    assert {f.value for f in facets} <= set(LANGUAGE_SELECTS)
    for f in facets:
        assert search(home, SearchRequest(lang=[f.value])).total == f.count


def test_a_selected_value_that_matches_nothing_is_still_listed(sample: Home) -> None:
    response = search(sample, SearchRequest(org=["Nobody At All"]))
    assert response.total == 0
    (listed,) = [f for f in response.facets["organizations"] if f.selected]
    assert (listed.value, listed.count) == ("Nobody At All", 0)


# -- through the web: the API, the page's own links and the browse pages ---------------------


def client_of(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


def page_total(client: FlaskClient, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    heading = page.select_one(".results-count").get_text()
    match = re.match(r"(\d+) results?", heading)
    assert match, heading
    return int(match.group(1))


def query_of(request: SearchRequest) -> list[tuple[str, str]]:
    pairs = [("q", request.q)] if request.q else []
    for param in PARAMS.values():
        pairs += [(param, v) for v in getattr(request, param)]
    return pairs


def test_api_facet_counts_are_the_totals_of_their_filters(home: Home) -> None:
    client = client_of(home)
    for request in states(home)[:6]:
        pairs = query_of(request)
        body = client.get("/api/search?" + urlencode(pairs)).get_json()
        assert body["total"] == search(home, request).total
        for name, values in body["facets"].items():
            param = PARAMS[name]
            for f in values:
                clicked = [(k, v) for k, v in pairs if k != param] + [(param, f["value"])]
                total = client.get("/api/search?" + urlencode(clicked)).get_json()["total"]
                assert total == f["count"], (pairs, name, f)


def test_every_facet_link_on_the_page_returns_its_count(home: Home) -> None:
    client = client_of(home)
    for request in states(home)[:6]:
        query = urlencode(query_of(request))
        page = BeautifulSoup(client.get("/?" + query).get_data(as_text=True), "html.parser")
        twin = client.get("/api/search?" + query).get_json()
        for section in page.select("section.facet"):
            name = section["aria-labelledby"].removeprefix("facet-")
            param = PARAMS[name]
            items = section.select("li")
            # One context, two renderings: the page lists the twin's values and counts.
            counts = [int(li.select_one(".count").get_text()) for li in items]
            assert counts == [f["count"] for f in twin["facets"][name]]
            assert [("active" in li.get("class", [])) for li in items] == [
                bool(f.get("selected")) for f in twin["facets"][name]
            ]
            for li, f in zip(items, twin["facets"][name], strict=True):
                if not getattr(request, param):
                    # The link adds the value: its page shows the count as its total.
                    assert page_total(client, li.a["href"]) == f["count"], (query, f)
                    continue
                # In a filtered facet the link adds the value to the others (or removes
                # it); the count is what the value gives alone.
                pairs = [(k, v) for k, v in query_of(request) if k != param]
                pairs.append((param, f["value"]))
                assert page_total(client, "/?" + urlencode(pairs)) == f["count"], (query, f)


def filters_of(href: str) -> list[tuple[str, str]]:
    """The filter parameters of a link of the page, sorted."""
    return sorted((k, v) for k, v in parse_qsl(href.removeprefix("/?")) if k in PARAMS.values())


def test_page_and_api_filter_on_repeated_values(sample: Home) -> None:
    client = client_of(sample)
    both = "/api/search?type=report&type=statement"
    body = client.get(both).get_json()
    assert body["total"] == 2
    assert {f["value"] for f in body["facets"]["type"] if f.get("selected")} == {
        "report",
        "statement",
    }
    assert page_total(client, "/?type=report&type=statement") == 2
    languages = client.get("/api/search?lang=en&lang=my").get_json()
    assert languages["total"] == client.get("/api/search").get_json()["total"]
    assert client.get("/api/search?lang=en&lang=xx").status_code == 400


def test_a_second_value_of_a_facet_can_be_added_and_each_removed(sample: Home) -> None:
    client = client_of(sample)
    page = BeautifulSoup(client.get("/?type=report").get_data(as_text=True), "html.parser")
    statement = next(a for a in page.select("#facet-type ~ ul a") if "statement" in a["href"])
    assert filters_of(statement["href"]) == [("type", "report"), ("type", "statement")]
    added = BeautifulSoup(client.get(statement["href"]).get_data(as_text=True), "html.parser")
    selected = added.select("#facet-type ~ ul li.active a")
    assert len(selected) == 2
    assert sorted(filters_of(link["href"]) for link in selected) == [
        [("type", "report")],
        [("type", "statement")],
    ]


def test_a_value_asked_for_by_another_name_is_selected_and_removable(tmp_path: Path) -> None:
    home = build_sample(tmp_path)
    organizations = Catalogue(home).organizations
    organizations.get("Amnesty International").acronyms.append("AI")
    organizations.save()
    client = client_of(home)
    body = client.get("/api/search?org=ai").get_json()
    (selected,) = [f for f in body["facets"]["organizations"] if f.get("selected")]
    assert selected["value"] == "Amnesty International"
    page = BeautifulSoup(client.get("/?org=ai").get_data(as_text=True), "html.parser")
    link = page.select_one("#facet-organizations ~ ul li.active a")
    assert filters_of(link["href"]) == []


def test_browse_pages_count_what_their_links_return(home: Home) -> None:
    client = client_of(home)
    for by in ("organizations", "types", "years"):
        data = client.get(f"/browse/{by}.json").get_json()
        assert data["total"] == page_total(client, "/")
        entries = [e for e in data["entries"] if e["count"] is not None]
        assert entries
        for entry in entries:
            assert page_total(client, entry["url"]) == entry["count"], (by, entry)
        page = BeautifulSoup(client.get(f"/browse/{by}").get_data(as_text=True), "html.parser")
        shown = {
            li.a["href"]: int(li.select_one(".count").get_text())
            for li in page.select(".browse-list li")
            if li.select_one(".count")
        }
        assert shown == {e["url"]: e["count"] for e in entries}
