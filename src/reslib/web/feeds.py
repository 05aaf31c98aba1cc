"""XML documents: the Atom feed of a search, the OpenSearch description, sitemaps.

Built with ElementTree so every value is escaped; characters XML 1.0 forbids (stray control
characters from an old import) are dropped first, since no escaping can carry them.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree as ET

from ..models import Record
from ..xmlbuild import sub

ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _serialize(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def atom_timestamp(record: Record) -> str:
    """The record's last change; a bare publication date is padded to a full timestamp
    (an undated record that was never saved has neither: the epoch)."""
    if record.updated or record.added:
        return record.updated or record.added
    if not record.date:
        return "1970-01-01T00:00:00Z"
    year, month, day = [*record.date.split("-"), "01", "01"][:3]
    return f"{year}-{month}-{day}T00:00:00Z"


def atom_feed(
    *, title: str, self_url: str, html_url: str, base_url: str, records: Iterable[Record]
) -> bytes:
    feed = ET.Element("feed", {"xmlns": ATOM})
    sub(feed, "title", title)
    sub(feed, "id", self_url)
    sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=html_url, type="text/html")
    updated = sub(feed, "updated", "1970-01-01T00:00:00Z")
    sub(feed, "generator", "reslib")
    newest = ""
    for record in records:
        url = f"{base_url}/items/{record.id}"
        stamp = atom_timestamp(record)
        newest = max(newest, stamp)
        entry = sub(feed, "entry")
        lang = "my" if record.language == "my" else "en"
        sub(entry, "title", record.title, **{"xml:lang": lang})
        sub(entry, "id", url)
        sub(entry, "link", rel="alternate", href=url, type="text/html")
        sub(entry, "updated", stamp)
        if record.date:  # undated: the entry has its ``updated`` stamp only
            sub(entry, "published", atom_timestamp(record.with_changes(updated="", added="")))
        for org in record.organizations or ["reslib"]:
            author = sub(entry, "author")
            sub(author, "name", org)
        if record.summary:
            sub(entry, "summary", record.summary, **{"xml:lang": lang})
        sub(entry, "category", term=record.type)
    if newest:
        updated.text = newest
    return _serialize(feed)


def opensearch(*, base_url: str, short_name: str, description: str) -> bytes:
    root = ET.Element("OpenSearchDescription", {"xmlns": OPENSEARCH})
    sub(root, "ShortName", short_name)
    sub(root, "Description", description)
    sub(root, "InputEncoding", "UTF-8")
    sub(root, "Language", "en")
    sub(root, "Language", "my")
    for mimetype, path in (
        ("text/html", "/?q={searchTerms}&page={startPage?}"),
        ("application/atom+xml", "/feed.atom?q={searchTerms}"),
        ("application/json", "/api/search?q={searchTerms}&page={startPage?}"),
    ):
        sub(root, "Url", type=mimetype, template=base_url + path)
    sub(
        root,
        "Url",
        type="application/opensearchdescription+xml",
        rel="self",
        template=base_url + "/opensearch.xml",
    )
    return _serialize(root)


def sitemap(urls: Iterable[tuple[str, str | None]]) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for loc, lastmod in urls:
        url = sub(root, "url")
        sub(url, "loc", loc)
        if lastmod:
            sub(url, "lastmod", lastmod)
    return _serialize(root)


def sitemap_index(urls: Iterable[str]) -> bytes:
    root = ET.Element("sitemapindex", {"xmlns": SITEMAP})
    for loc in urls:
        sub(sub(root, "sitemap"), "loc", loc)
    return _serialize(root)
