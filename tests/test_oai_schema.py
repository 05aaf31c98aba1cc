"""Every /oai response is valid OAI-PMH 2.0, with valid oai_dc or MODS inside.

The schemas are the public ones, vendored in ``tests/data/xsd`` (its README names their
sources). ``validate`` is the helper the other OAI tests use on what they receive.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from lxml import etree

from reslib.config import Home
from reslib.index import rebuild
from reslib.web import create_app

REPO = Path(__file__).resolve().parents[1]
XSD = Path(__file__).resolve().parent / "data" / "xsd"
BASE = "http://reslib.example"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
#: Schemas imported by absolute address, and the vendored copy each one is read from.
_IMPORTED = {
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",  # by the Dublin Core schema
    "http://www.loc.gov/mods/xml.xsd": "xml.xsd",  # by MODS: the Library's copy of it
    "http://www.loc.gov/standards/xlink/xlink.xsd": "xlink.xsd",  # by MODS
}

# The envelope's schema imports no format's (a format sits inside <metadata> as ##other,
# strict), so one schema document without a namespace of its own imports them all.
_BOTH = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="OAI-PMH.xsd"/>
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="oai_dc.xsd"/>
  <xs:import namespace="http://www.loc.gov/mods/v3" schemaLocation="mods-3-6.xsd"/>
</xs:schema>"""


class _VendoredSchemas(etree.Resolver):
    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if url in _IMPORTED:
            return self.resolve_filename(str(XSD / _IMPORTED[url]), context)
        return None


@cache
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_VendoredSchemas())
    document = etree.fromstring(_BOTH, parser, base_url=str(XSD / "both.xsd"))
    return etree.XMLSchema(document)


def validate(body: bytes) -> etree._Element:
    """The parsed response; fails the test, naming the schema error, if it is not valid."""
    document = etree.fromstring(body)
    checker = schema()
    assert checker.validate(document), f"{checker.error_log.last_error}\n{body[:2000]!r}"
    return document


def sample_home(root: Path) -> Home:
    """The project's sample library (31 records), copied and indexed."""
    shutil.copytree(REPO / "library", root / "library")
    home = Home(root)
    rebuild(home)
    return home


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    home = sample_home(tmp_path_factory.mktemp("sample"))
    return create_app(home, {"TESTING": True}).test_client()


def get(client: FlaskClient, query: str) -> bytes:
    response = client.get(f"/oai?{query}", base_url=BASE)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    return response.data


FIRST = "oai:reslib.example:2023-09-15-new-tricks-same-desperate-attempt"


@pytest.mark.parametrize(
    "query",
    [
        "verb=Identify",
        "verb=ListMetadataFormats",
        f"verb=ListMetadataFormats&identifier={FIRST}",
        "verb=ListSets",
        "verb=ListIdentifiers&metadataPrefix=oai_dc",
        "verb=ListRecords&metadataPrefix=oai_dc",
        "verb=ListRecords&metadataPrefix=oai_dc&set=lang:my",
        f"verb=GetRecord&metadataPrefix=oai_dc&identifier={FIRST}",
        "verb=ListRecords&metadataPrefix=mods",
        f"verb=GetRecord&metadataPrefix=mods&identifier={FIRST}",
    ],
)
def test_every_verb_answers_valid_oai_pmh(client: FlaskClient, query: str) -> None:
    document = validate(get(client, query))
    assert document.find(f"{OAI}error") is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("verb=Nonsense", "badVerb"),
        ("", "badVerb"),
        ("verb=ListRecords", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2023-13-01", "badArgument"),
        ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:reslib.example:nope",
            "idDoesNotExist",
        ),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=not%20a%20uri", "idDoesNotExist"),
        ("verb=ListRecords&resumptionToken=forged", "badResumptionToken"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2001-01-01&until=2001-01-02",
            "noRecordsMatch",
        ),
    ],
)
def test_every_error_answers_valid_oai_pmh(client: FlaskClient, query: str, code: str) -> None:
    document = validate(get(client, query))
    assert [e.get("code") for e in document.findall(f"{OAI}error")] == [code]


def test_the_schemas_refuse_a_response_that_breaks_them(client: FlaskClient) -> None:
    dc = get(client, f"verb=GetRecord&metadataPrefix=oai_dc&identifier={FIRST}")
    mods = get(client, f"verb=GetRecord&metadataPrefix=mods&identifier={FIRST}")
    broken = [
        dc.replace(b"<dc:creator>", b"<dc:author>").replace(b"</dc:creator>", b"</dc:author>"),
        dc.replace(b"<datestamp>", b"<stamp>").replace(b"</datestamp>", b"</stamp>"),
        mods.replace(b'type="corporate"', b'type="company"'),
        mods.replace(b"<typeOfResource>text<", b"<typeOfResource>essay<"),
    ]
    for body in broken:
        assert body not in (dc, mods)
        assert not schema().validate(etree.fromstring(body))
