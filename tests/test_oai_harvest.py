"""Harvesting /oai with Sickle, a real OAI-PMH client from PyPI, over HTTP.

The site runs in a thread on a free local port. Sickle harvests the project's
sample library whole, and a generated library of 2,000 records (three of them removed) through
resumption tokens, 50 to a page; every page it receives is also checked against the schemas.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator
from sickle.models import Record as SickleRecord
from test_oai_schema import sample_home, validate
from werkzeug.serving import make_server

from reslib.catalogue import Catalogue, RecordFiles
from reslib.config import Home
from reslib.models import LANGUAGES, TYPES, Record
from reslib.web import create_app

GENERATED = 2_000
PAGE = 50
REMOVED = ("gen-0007", "gen-0500", "gen-1999")
ORGANIZATIONS = (
    ("Karen Human Rights Group", "KHRG"),
    ("Progressive Voice", "PV"),
    ("Women's League of Burma", "WLB"),
)
START = datetime(2024, 1, 1, tzinfo=UTC)


def serve(home: Home) -> Iterator[str]:
    """The site over ``home`` on a free local port, until the generator closes.

    Werkzeug's threaded server, for its clean ``shutdown`` (closing waitress from another
    thread can fail its select loop with a closed descriptor).
    """
    server = make_server("127.0.0.1", 0, create_app(home), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/oai"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def generated_record(n: int) -> Record:
    """Record ``n``: types, languages and organizations in turn; two records per minute, so
    datestamps tie and the id breaks the tie."""
    stamp = (START + timedelta(minutes=n // 2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Record(
        id=f"gen-{n:04d}",
        type=list(TYPES)[n % len(TYPES)],
        title=f"Generated record {n}",
        language=list(LANGUAGES)[n % len(LANGUAGES)],
        date="2024-01-01",
        organizations=[ORGANIZATIONS[n % len(ORGANIZATIONS)][0]],
        summary=f"Record number {n} of a generated library.",
        places=["Sagaing"] if n % 2 else [],
        added=stamp,
        updated=stamp,
    )


def build_generated(root: Path) -> Home:
    home = Home(root)
    catalogue = Catalogue(home)
    catalogue.init()
    for name, acronym in ORGANIZATIONS:
        catalogue.add_organization(name, acronyms=[acronym])
    files = RecordFiles(home)
    # 2,000 atomic writes with two fsyncs each take most of a minute on this machine; the
    # durability they buy is not what these tests are about.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", lambda fd: None)
        for n in range(GENERATED):
            files.write(generated_record(n))
        for item_id in REMOVED:
            catalogue.remove(item_id)
    return home


@pytest.fixture(autouse=True)
def page_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESLIB_OAI_PAGE_SIZE", str(PAGE))


@pytest.fixture(scope="module")
def sample_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(sample_home(tmp_path_factory.mktemp("sample")))


@pytest.fixture(scope="module")
def generated_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build_generated(tmp_path_factory.mktemp("generated")))


def test_sickle_harvests_the_whole_sample_library(sample_endpoint: str) -> None:
    records = list(Sickle(sample_endpoint).ListRecords(metadataPrefix="oai_dc"))
    expected = sorted(
        p.stem for p in (Path(__file__).parents[1] / "library" / "records").glob("*.json")
    )
    assert sorted(r.header.identifier.rsplit(":", 1)[1] for r in records) == expected
    assert not any(r.deleted for r in records)
    for record in records:
        assert record.metadata["title"] and record.metadata["identifier"]
    in_mods = list(Sickle(sample_endpoint).ListRecords(metadataPrefix="mods"))
    assert [r.header.identifier for r in in_mods] == [r.header.identifier for r in records]
    assert all(r.metadata["title"] and r.metadata["genre"] for r in in_mods)
    identify = Sickle(sample_endpoint).Identify()
    assert identify.baseURL == sample_endpoint
    assert identify.deletedRecord == "persistent"


def test_sickle_harvests_2000_records_through_resumption_tokens(generated_endpoint: str) -> None:
    sickle = Sickle(generated_endpoint, iterator=OAIResponseIterator)
    pages = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    assert len(pages) == GENERATED // PAGE
    records = []
    for page in pages:
        validate(page.raw.encode("utf-8"))
        records += [SickleRecord(e) for e in page.xml.iterfind(f".//{sickle.oai_namespace}record")]
    identifiers = [r.header.identifier.rsplit(":", 1)[1] for r in records]
    assert len(identifiers) == len(set(identifiers)) == GENERATED
    assert sorted(identifiers) == [f"gen-{n:04d}" for n in range(GENERATED)]
    deleted = sorted(r.header.identifier.rsplit(":", 1)[1] for r in records if r.deleted)
    assert deleted == sorted(REMOVED)
    # Deletions are the newest changes: they come last.
    assert set(identifiers[-3:]) == set(REMOVED)
    live = [r for r in records if not r.deleted]
    assert live[0].metadata["title"] == ["Generated record 0"]
    assert live[-1].metadata["creator"] == [ORGANIZATIONS[1998 % len(ORGANIZATIONS)][0]]


def test_sickle_gets_a_deleted_record(generated_endpoint: str) -> None:
    record = Sickle(generated_endpoint).GetRecord(
        identifier="oai:127.0.0.1:gen-0500", metadataPrefix="oai_dc"
    )
    assert record.deleted
    assert record.header.datestamp >= datetime.now(UTC).strftime("%Y-%m-%d")


def test_sickle_harvests_a_set_and_a_date_range(generated_endpoint: str) -> None:
    sickle = Sickle(generated_endpoint)
    khrg = [h for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="org:KHRG")]
    live = {f"gen-{n:04d}" for n in range(0, GENERATED, len(ORGANIZATIONS))} - set(REMOVED)
    assert {h.identifier.rsplit(":", 1)[1] for h in khrg if not h.deleted} == live
    # Tombstones keep no sets: the removed records are told to every set's harvester.
    assert sorted(h.identifier.rsplit(":", 1)[1] for h in khrg if h.deleted) == sorted(REMOVED)
    assert all("org:KHRG" in h.setSpecs for h in khrg if not h.deleted)

    # Minutes 100 to 199 of the generated stamps: records 200 to 399.
    start = (START + timedelta(minutes=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    until = (START + timedelta(minutes=199)).strftime("%Y-%m-%dT%H:%M:%SZ")
    window = list(
        sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": start, "until": until})
    )
    assert [h.identifier.rsplit(":", 1)[1] for h in window] == [
        f"gen-{n:04d}" for n in range(200, 400)
    ]
    days = list(
        sickle.ListIdentifiers(
            metadataPrefix="oai_dc", **{"from": "2024-01-01", "until": "2024-01-01"}
        )
    )
    # 1,440 minutes of the first day hold the first 2,000 records' stamps (1,000 minutes).
    assert len([h for h in days if not h.deleted]) == GENERATED - len(REMOVED)


def test_sickle_lists_sets_and_formats(generated_endpoint: str) -> None:
    sickle = Sickle(generated_endpoint)
    specs = {s.setSpec for s in sickle.ListSets()}
    assert {"type:report", "lang:my", "org:KHRG", "org:PV", "org:WLB"} <= specs
    assert [f.metadataPrefix for f in sickle.ListMetadataFormats()] == ["oai_dc", "mods"]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (
            {"metadataPrefix": "oai_dc", "from": "2024-02-01", "until": "2024-01-01"},
            oaiexceptions.BadArgument,
        ),
        ({"metadataPrefix": "marc21"}, oaiexceptions.CannotDisseminateFormat),
        ({"resumptionToken": "1.e30.0000000000000000"}, oaiexceptions.BadResumptionToken),
        ({"metadataPrefix": "oai_dc", "set": "org:nobody"}, oaiexceptions.NoRecordsMatch),
    ],
)
def test_sickle_raises_each_list_error(
    generated_endpoint: str, arguments: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        next(iter(Sickle(generated_endpoint).ListRecords(**arguments)))


def test_sickle_raises_id_does_not_exist_and_bad_verb(generated_endpoint: str) -> None:
    sickle = Sickle(generated_endpoint)
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(identifier="oai:127.0.0.1:gen-9999", metadataPrefix="oai_dc")
    # Sickle sends only the verbs it knows; its raw request shows the answer to another.
    response = sickle.harvest(verb="ListEverything")
    assert response.xml.find(f".//{sickle.oai_namespace}error").get("code") == "badVerb"
