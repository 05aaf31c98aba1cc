"""/oai through the Flask test client: what each verb says, sets, date ranges, tokens, errors.

The library is the project's sample library (``library/``, 31 records); tests that change it
get their own copy. Every response is also checked against the schemas (``validate``).
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from lxml import etree
from test_oai_schema import BASE, DC, OAI, REPO, get, sample_home, validate

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.models import Record
from reslib.oai import dublin_core as dc_format
from reslib.oai import mods, tokens
from reslib.oai.request import selection
from reslib.oai.view import RecordView
from reslib.web import create_app

EN = "2023-09-15-new-tricks-same-desperate-attempt"
MY = "2023-09-15-lhanykwatsait-aalarrtuu-aasaeeaasaan-kyaoepammhu"
BILINGUAL = "2023-11-09-myanmar-escalation-of-clashes-shmmyawwatnhang"
KHRG = "Karen Human Rights Group"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"


def oai_id(item_id: str) -> str:
    return f"oai:reslib.example:{item_id}"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return sample_home(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


@pytest.fixture
def own_home(tmp_path: Path) -> Home:
    """A copy of the sample library this test may change (no index: /oai reads files)."""
    shutil.copytree(REPO / "library", tmp_path / "library")
    return Home(tmp_path)


def ask(client: FlaskClient, query: str) -> etree._Element:
    return validate(get(client, query))


def error_code(document: etree._Element) -> str | None:
    error = document.find(f"{OAI}error")
    return None if error is None else error.get("code")


def headers(document: etree._Element) -> list[etree._Element]:
    return document.findall(f".//{OAI}header")


def ids(document: etree._Element) -> list[str]:
    return [h.findtext(f"{OAI}identifier", "").rsplit(":", 1)[1] for h in headers(document)]


def harvest_ids(client: FlaskClient, query: str) -> list[str]:
    """Every identifier of a list, following its resumption tokens."""
    found: list[str] = []
    document = ask(client, query)
    verb = query.split("&")[0]
    while True:
        assert error_code(document) is None, etree.tostring(document)
        found += ids(document)
        token = document.findtext(f".//{OAI}resumptionToken")
        if not token:
            return found
        document = ask(client, f"{verb}&resumptionToken={token}")


def sample_records(home: Home) -> list[Record]:
    return list(Catalogue(home).records())


# -- Identify, ListMetadataFormats -----------------------------------------------------------


def test_identify_names_the_endpoint_persistent_deletions_and_seconds(
    client: FlaskClient, home: Home
) -> None:
    identify = ask(client, "verb=Identify").find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}baseURL") == f"{BASE}/oai"
    assert identify.findtext(f"{OAI}protocolVersion") == "2.0"
    assert identify.findtext(f"{OAI}deletedRecord") == "persistent"
    assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    earliest = min(r.updated for r in sample_records(home))
    assert identify.findtext(f"{OAI}earliestDatestamp") == earliest
    assert identify.findtext(f"{OAI}adminEmail") == "webmaster@reslib.example"


def test_identify_gives_the_admin_address_of_the_setting(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESLIB_OAI_ADMIN_EMAIL", "librarian@example.org")
    identify = ask(client, "verb=Identify").find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}adminEmail") == "librarian@example.org"


def test_list_metadata_formats_offers_oai_dc_for_the_repository_and_an_item(
    client: FlaskClient,
) -> None:
    for query in ("verb=ListMetadataFormats", f"verb=ListMetadataFormats&identifier={oai_id(EN)}"):
        prefixes = [e.text for e in ask(client, query).iter(f"{OAI}metadataPrefix")]
        assert prefixes == ["oai_dc", "mods"]
    unknown = ask(client, f"verb=ListMetadataFormats&identifier={oai_id('no-such-item')}")
    assert error_code(unknown) == "idDoesNotExist"


# -- oai_dc ---------------------------------------------------------------------------------


def dublin_core(client: FlaskClient, item_id: str) -> etree._Element:
    document = ask(client, f"verb=GetRecord&metadataPrefix=oai_dc&identifier={oai_id(item_id)}")
    assert error_code(document) is None
    found = document.find(f".//{OAI_DC}")
    assert found is not None
    return found


def values(dc: etree._Element, element: str) -> list[str]:
    return [e.text or "" for e in dc.findall(f"{DC}{element}")]


def test_dublin_core_holds_both_languages_titles_marked_with_their_language(
    client: FlaskClient, home: Home
) -> None:
    catalogue = Catalogue(home)
    english, burmese = catalogue.get(EN), catalogue.get(MY)
    for item_id in (EN, MY):
        dc = dublin_core(client, item_id)
        titles = {
            (e.get("{http://www.w3.org/XML/1998/namespace}lang"), e.text)
            for e in dc.findall(f"{DC}title")
        }
        assert titles == {("en", english.title), ("my", burmese.title)}
        assert values(dc, "title")[0] == catalogue.get(item_id).title


def test_dublin_core_maps_every_public_field(client: FlaskClient, home: Home) -> None:
    record = Catalogue(home).get(MY)
    dc = dublin_core(client, MY)
    assert values(dc, "creator") == record.organizations
    assert values(dc, "subject") == [*record.places, *record.topics]
    assert values(dc, "description") == [record.summary]
    assert values(dc, "date") == [record.date]
    assert values(dc, "type") == ["Text", record.type]
    assert values(dc, "language") == ["my"]
    assert values(dc, "relation") == [f"{BASE}/items/{EN}"]


def test_dublin_core_identifier_is_the_item_pages_canonical_address(client: FlaskClient) -> None:
    dc = dublin_core(client, EN)
    page = BeautifulSoup(client.get(f"/items/{EN}", base_url=BASE).data, "html.parser")
    canonical = page.find("link", rel="canonical")
    assert canonical is not None
    assert values(dc, "identifier") == [canonical["href"]] == [f"{BASE}/items/{EN}"]


def test_a_bilingual_item_has_both_languages_and_is_in_both_language_sets(
    client: FlaskClient,
) -> None:
    assert values(dublin_core(client, BILINGUAL), "language") == ["en", "my"]
    for code in ("en", "my"):
        query = f"verb=ListIdentifiers&metadataPrefix=oai_dc&set=lang:{code}"
        assert BILINGUAL in harvest_ids(client, query)


def item_url(item_id: str) -> str:
    return f"{BASE}/items/{item_id}"


def test_an_undated_record_has_no_date_in_either_format() -> None:
    undated = Record(id="undated", type="report", title="No date known", language="en", date="")
    dated = Record(id="dated", type="report", title="Dated", language="en", date="2023-09")
    assert [e for e in dc_format.oai_dc(RecordView(undated, item_url)) if e.tag == "dc:date"] == []
    assert [
        e.text for e in dc_format.oai_dc(RecordView(dated, item_url)) if e.tag == "dc:date"
    ] == ["2023-09"]
    assert mods.mods(RecordView(undated, item_url)).find("originInfo") is None
    issued = mods.mods(RecordView(dated, item_url)).find("originInfo/dateIssued")
    assert issued is not None and issued.text == "2023-09"


# -- mods -------------------------------------------------------------------------------------

MODS = "{http://www.loc.gov/mods/v3}"


def mods_of(client: FlaskClient, item_id: str) -> etree._Element:
    document = ask(client, f"verb=GetRecord&metadataPrefix=mods&identifier={oai_id(item_id)}")
    found = document.find(f".//{MODS}mods")
    assert found is not None
    return found


def texts(element: etree._Element, path: str) -> list[str]:
    return [e.text or "" for e in element.findall(path.replace("m:", MODS))]


def test_mods_keeps_what_dublin_core_flattens(client: FlaskClient, home: Home) -> None:
    record = Catalogue(home).get(MY)
    english = Catalogue(home).get(EN)
    found = mods_of(client, MY)
    titles = found.findall(f"{MODS}titleInfo")
    assert [(t.get("type"), t.get("lang"), t.findtext(f"{MODS}title")) for t in titles] == [
        (None, "bur", record.title),
        ("translated", "eng", english.title),
    ]
    assert texts(found, "m:name/m:namePart") == record.organizations
    assert found.find(f"{MODS}name").get("type") == "corporate"
    assert texts(found, "m:subject/m:geographic") == record.places
    assert texts(found, "m:subject/m:topic") == record.topics
    issued = found.find(f"{MODS}originInfo/{MODS}dateIssued")
    assert (issued.text, issued.get("encoding")) == (record.date, "w3cdtf")
    assert texts(found, "m:language/m:languageTerm") == ["bur"]
    other = found.find(f"{MODS}relatedItem[@type='otherVersion']")
    assert other.findtext(f"{MODS}titleInfo/{MODS}title") == english.title
    assert other.findtext(f"{MODS}identifier") == item_url(EN)
    assert texts(found, "m:identifier") == [item_url(MY)]
    assert texts(found, "m:recordInfo/m:recordChangeDate") == [record.updated]


def test_mods_links_a_weekly_update_and_the_items_it_lists(client: FlaskClient, home: Home) -> None:
    update = Catalogue(home).get(EN)
    assert update.type == "update" and update.related
    listed = texts(mods_of(client, EN), "m:relatedItem[@type='references']/m:identifier")
    assert listed == [item_url(i) for i in update.related]
    item = update.related[0]
    assert texts(mods_of(client, item), "m:relatedItem[@type='isReferencedBy']/m:identifier") == [
        item_url(EN)
    ]


def test_a_bilingual_item_in_mods_has_both_language_codes(client: FlaskClient) -> None:
    assert texts(mods_of(client, BILINGUAL), "m:language/m:languageTerm") == ["eng", "bur"]


# -- sets -----------------------------------------------------------------------------------


def test_list_sets_names_types_languages_and_the_organizations_with_records(
    client: FlaskClient,
) -> None:
    specs = [e.text for e in ask(client, "verb=ListSets").iter(f"{OAI}setSpec")]
    assert {"type", "type:report", "type:statement", "lang", "lang:en", "lang:my", "org"} <= set(
        specs
    )
    assert {"org:KHRG", "org:OCHA", "org:PV"} <= set(specs)
    assert len(specs) == len(set(specs))


def test_a_set_harvest_returns_exactly_the_sets_records(client: FlaskClient, home: Home) -> None:
    records = sample_records(home)
    khrg = sorted(r.id for r in records if KHRG in r.organizations)
    reports = sorted(r.id for r in records if r.type == "report")
    assert khrg and reports
    base = "verb=ListIdentifiers&metadataPrefix=oai_dc"
    assert sorted(harvest_ids(client, f"{base}&set=org:KHRG")) == khrg
    # Any spelling of the organization's names, in any case, names the same set.
    assert sorted(harvest_ids(client, f"{base}&set=org:khrg")) == khrg
    assert sorted(harvest_ids(client, f"{base}&set=type:report")) == reports
    # A parent set holds its children.
    assert len(harvest_ids(client, f"{base}&set=type")) == len(records)


def test_a_headers_set_specs_say_where_the_record_belongs(client: FlaskClient) -> None:
    document = ask(client, f"verb=GetRecord&metadataPrefix=oai_dc&identifier={oai_id(EN)}")
    assert [e.text for e in document.iter(f"{OAI}setSpec")] == ["type:update", "lang:en", "org:PV"]


def test_an_unknown_set_matches_nothing_and_a_malformed_one_is_a_bad_argument(
    client: FlaskClient,
) -> None:
    base = "verb=ListRecords&metadataPrefix=oai_dc"
    assert error_code(ask(client, f"{base}&set=org:nobody")) == "noRecordsMatch"
    assert error_code(ask(client, f"{base}&set=org:two%20words")) == "badArgument"


# -- from / until ---------------------------------------------------------------------------


def restamp(home: Home, stamps: dict[str, str]) -> None:
    """Give records chosen ``updated`` stamps, written as the catalogue writes them."""
    catalogue = Catalogue(home)
    for item_id, stamp in stamps.items():
        catalogue.files.write(catalogue.get(item_id).with_changes(updated=stamp))


def test_from_and_until_select_on_updated_at_day_and_second_granularity(own_home: Home) -> None:
    restamp(
        own_home,
        {
            EN: "2030-01-01T23:59:59Z",
            MY: "2030-01-02T00:00:00.250000Z",
            BILINGUAL: "2030-01-03T10:00:00Z",
        },
    )
    client = create_app(own_home, {"TESTING": True}).test_client()
    base = "verb=ListIdentifiers&metadataPrefix=oai_dc"
    assert harvest_ids(client, f"{base}&from=2030-01-01") == [EN, MY, BILINGUAL]
    assert harvest_ids(client, f"{base}&from=2030-01-01&until=2030-01-01") == [EN]
    assert harvest_ids(client, f"{base}&from=2030-01-02&until=2030-01-02") == [MY]
    # A saved stamp's microseconds are below the granularity: it counts as its whole second.
    seconds = "from=2030-01-02T00:00:00Z&until=2030-01-03T10:00:00Z"
    assert harvest_ids(client, f"{base}&{seconds}") == [MY, BILINGUAL]
    none_after = ask(client, f"{base}&from=2030-01-03T10:00:01Z")
    assert error_code(none_after) == "noRecordsMatch"
    datestamps = [
        h.findtext(f"{OAI}datestamp") for h in headers(ask(client, f"{base}&from=2030-01-02"))
    ]
    assert datestamps == ["2030-01-02T00:00:00Z", "2030-01-03T10:00:00Z"]


@pytest.mark.parametrize(
    "dates",
    [
        "from=2023-09-01&until=2023-09-01T00:00:00Z",
        "from=2023-10-01&until=2023-09-01",
        "from=2023-09-01T00:00:00",
        "from=2023-09-01T00:00:00%2B07:00",
        "until=2023-9-1",
        "until=2023-02-30",
    ],
)
def test_bad_dates_and_ranges_are_bad_arguments(client: FlaskClient, dates: str) -> None:
    document = ask(client, f"verb=ListRecords&metadataPrefix=oai_dc&{dates}")
    assert error_code(document) == "badArgument"
    # After a bad argument the response echoes the base URL only.
    assert document.find(f"{OAI}request").attrib == {}


# -- the other errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=identify", "badVerb"),
        ("verb=Identify&set=type", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&color=red", "badArgument"),
        ("verb=ListRecords&metadataPrefix=", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai%20dc", "badArgument"),
        ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
        (f"verb=GetRecord&identifier={oai_id(EN)}", "badArgument"),
        ("verb=ListIdentifiers&resumptionToken=x&metadataPrefix=oai_dc", "badArgument"),
        (
            f"verb=GetRecord&metadataPrefix=marc21&identifier={oai_id(EN)}",
            "cannotDisseminateFormat",
        ),
        ("verb=ListIdentifiers&metadataPrefix=marc21", "cannotDisseminateFormat"),
        (
            f"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:{EN}",
            "idDoesNotExist",
        ),
        (f"verb=GetRecord&metadataPrefix=oai_dc&identifier={EN}", "idDoesNotExist"),
        ("verb=ListSets&resumptionToken=anything", "badResumptionToken"),
        ("verb=ListRecords&resumptionToken=", "badResumptionToken"),
        ("verb=ListRecords&metadataPrefix=oai_dc&until=1999-12-31", "noRecordsMatch"),
    ],
)
def test_each_error_condition_has_its_code(client: FlaskClient, query: str, code: str) -> None:
    assert error_code(ask(client, query)) == code


def test_post_is_answered_like_get(client: FlaskClient) -> None:
    query = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "org:KHRG"}
    posted = client.post("/oai", data=query, base_url=BASE)
    assert posted.status_code == 200
    as_get = get(client, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=org:KHRG")
    assert ids(validate(posted.data)) == ids(etree.fromstring(as_get))


# -- resumption tokens ----------------------------------------------------------------------


def first_token(client: FlaskClient, verb: str = "ListIdentifiers") -> etree._Element:
    document = ask(client, f"verb={verb}&metadataPrefix=oai_dc")
    token = document.find(f".//{OAI}resumptionToken")
    assert token is not None and token.text
    return token


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESLIB_OAI_PAGE_SIZE", "5")


def test_pages_carry_cursor_complete_size_and_expiry(
    client: FlaskClient, home: Home, small_pages: None
) -> None:
    total = len(sample_records(home))
    token = first_token(client)
    assert token.get("cursor") == "0"
    assert token.get("completeListSize") == str(total)
    expires = datetime.strptime(token.get("expirationDate"), "%Y-%m-%dT%H:%M:%SZ")
    hours = (expires.replace(tzinfo=UTC) - datetime.now(UTC)) / timedelta(hours=1)
    assert 23.9 < hours <= 24
    second = ask(client, f"verb=ListIdentifiers&resumptionToken={token.text}")
    assert second.find(f".//{OAI}resumptionToken").get("cursor") == "5"
    everything = harvest_ids(client, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    assert sorted(everything) == sorted(r.id for r in sample_records(home))
    assert len(everything) == total


def test_the_last_page_ends_with_an_empty_token(
    client: FlaskClient, home: Home, small_pages: None
) -> None:
    document = ask(client, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    while (token := document.find(f".//{OAI}resumptionToken")).text:
        document = ask(client, f"verb=ListIdentifiers&resumptionToken={token.text}")
    total = len(sample_records(home))
    assert token.get("completeListSize") == str(total)
    assert token.get("cursor") == str(total - len(headers(document)))
    assert token.get("expirationDate") is None


def test_a_token_altered_cut_short_or_for_another_verb_is_refused(
    client: FlaskClient, small_pages: None
) -> None:
    text = first_token(client).text
    flipped = text[:5] + ("A" if text[5] != "A" else "B") + text[6:]
    for bad in (flipped, text[:-3], text + "x", "1." + text):
        document = ask(client, f"verb=ListIdentifiers&resumptionToken={bad}")
        assert error_code(document) == "badResumptionToken", bad
    document = ask(client, f"verb=ListRecords&resumptionToken={text}")
    assert error_code(document) == "badResumptionToken"
    assert "ListIdentifiers" in document.findtext(f"{OAI}error")


def test_a_token_carries_its_query(client: FlaskClient, small_pages: None) -> None:
    burmese = harvest_ids(client, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=lang:my")
    assert len(burmese) > 5
    document = ask(client, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=lang:my")
    text = document.findtext(f".//{OAI}resumptionToken")
    following = ids(ask(client, f"verb=ListIdentifiers&resumptionToken={text}"))
    assert ids(document) + following == burmese


def made_token(issued: datetime, **changes: str) -> str:
    chosen = selection("oai_dc", changes.get("set", ""), changes.get("start", ""), "")
    place = tokens.Place(datetime(2020, 1, 1, tzinfo=UTC), changes.get("id", "a"))
    return tokens.encode(tokens.Token("ListIdentifiers", chosen, place, issued))


def test_an_expired_token_or_one_issued_in_the_future_is_refused(client: FlaskClient) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    fresh = made_token(now - timedelta(hours=23))
    assert error_code(ask(client, f"verb=ListIdentifiers&resumptionToken={fresh}")) is None
    expired = made_token(now - timedelta(hours=25))
    document = ask(client, f"verb=ListIdentifiers&resumptionToken={expired}")
    assert error_code(document) == "badResumptionToken"
    assert "expired" in document.findtext(f"{OAI}error")
    future = made_token(now + timedelta(days=2))
    assert (
        error_code(ask(client, f"verb=ListIdentifiers&resumptionToken={future}"))
        == "badResumptionToken"
    )


def test_a_well_signed_token_with_a_bad_query_is_refused(client: FlaskClient) -> None:
    now = datetime.now(UTC)
    text = made_token(now)
    version, body, _ = text.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    for field, value in (
        ("f", "yesterday"),
        ("s", "two words"),
        ("i", "../etc"),
        ("t", "2020-01-01T00:00:00"),
    ):
        forged = dict(data, **{field: value})
        raw = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
        head = f"{version}.{raw}"
        token = f"{head}.{tokens._digest(head)}"
        document = ask(client, f"verb=ListIdentifiers&resumptionToken={token}")
        assert error_code(document) == "badResumptionToken", field


def test_a_harvest_continues_across_changes_and_misses_nothing(
    own_home: Home, small_pages: None
) -> None:
    client = create_app(own_home, {"TESTING": True}).test_client()
    catalogue = Catalogue(own_home)
    before = {r.id for r in catalogue.records()}
    document = ask(client, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    seen = ids(document)
    token = document.findtext(f".//{OAI}resumptionToken")
    # Meanwhile: a harvested record is edited, one not yet harvested is removed, one is added.
    catalogue.update(seen[0], ["summary=Edited while a harvest ran."])
    not_yet = sorted(before - set(seen))[0]
    catalogue.remove(not_yet)
    catalogue.add(
        Record(
            id="added-meanwhile",
            type="news",
            title="Added meanwhile",
            language="en",
            date="2030-01-01",
        )
    )
    deleted: list[str] = []
    while token:
        document = ask(client, f"verb=ListIdentifiers&resumptionToken={token}")
        assert error_code(document) is None
        for header in headers(document):
            item_id = header.findtext(f"{OAI}identifier").rsplit(":", 1)[1]
            seen.append(item_id)
            if header.get("status") == "deleted":
                deleted.append(item_id)
        token = document.findtext(f".//{OAI}resumptionToken")
    assert set(seen) == before | {"added-meanwhile"}
    assert deleted == [not_yet]
    # The edited record comes again, with its new datestamp, at the end of the order.
    assert seen.count(seen[0]) == 2


# -- deleted records ------------------------------------------------------------------------


def test_a_removed_record_is_a_deleted_record_dated_when_it_was_removed(own_home: Home) -> None:
    removed = Catalogue(own_home).remove(EN)
    tombstone = (own_home.library / "tombstones" / f"{EN}.json").read_text("utf-8")
    client = create_app(own_home, {"TESTING": True}).test_client()
    document = ask(client, f"verb=GetRecord&metadataPrefix=oai_dc&identifier={oai_id(EN)}")
    header = document.find(f".//{OAI}header")
    assert header.get("status") == "deleted"
    assert header.findtext(f"{OAI}datestamp") in tombstone
    assert document.find(f".//{OAI}metadata") is None
    assert removed.id == EN
    listed = ask(client, "verb=ListRecords&metadataPrefix=oai_dc")
    statuses = {h.findtext(f"{OAI}identifier"): h.get("status") for h in headers(listed)}
    assert statuses[oai_id(EN)] == "deleted"
    assert list(statuses.values()).count("deleted") == 1
    # Its translation no longer names it.
    assert values(dublin_core(client, MY), "relation") == []
    # A deleted record's sets are unknown (tombstones keep no type): it is in every set.
    in_a_set = ask(client, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=org:KHRG")
    assert oai_id(EN) in [h.findtext(f"{OAI}identifier") for h in headers(in_a_set)]


def test_a_change_after_the_list_settled_is_seen_at_once(own_home: Home) -> None:
    client = create_app(own_home, {"TESTING": True}).test_client()
    query = f"verb=GetRecord&metadataPrefix=oai_dc&identifier={oai_id(EN)}"
    before = ask(client, query).findtext(f".//{OAI}datestamp")
    # Past the clock tick after which the process reuses its list without reading folders.
    time.sleep(1.2)
    assert ask(client, query).findtext(f".//{OAI}datestamp") == before
    Catalogue(own_home).update(EN, ["summary=Changed after the list settled."])
    after = ask(client, query)
    assert after.findtext(f".//{OAI}datestamp") != before
    assert values(after.find(f".//{OAI_DC}"), "description") == ["Changed after the list settled."]


def test_a_broken_record_file_is_left_out_and_the_harvest_goes_on(own_home: Home) -> None:
    good = sorted(r.id for r in sample_records(own_home))
    records = own_home.library / "records"
    (records / "not-json.json").write_text("{not json", "utf-8")
    bad_date = Catalogue(own_home).get(EN).to_dict() | {"id": "bad-date", "date": "2023-13"}
    (records / "bad-date.json").write_text(json.dumps(bad_date), "utf-8")
    client = create_app(own_home, {"TESTING": True}).test_client()
    assert sorted(harvest_ids(client, "verb=ListRecords&metadataPrefix=oai_dc")) == good
    assert "not-json" not in harvest_ids(client, "verb=ListIdentifiers&metadataPrefix=oai_dc")
