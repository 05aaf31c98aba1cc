"""Citation metadata of an item page: Highwire ``citation_*``, Dublin Core and schema.org.

Zotero and Google Scholar read the Highwire tags, other harvesters Dublin Core or the JSON-LD
block; all three are built here from one record so they agree. The BibTeX and RIS downloads
carry an address too: the record's source URL, or else the item's own page.

Translations: the catalogue links translations both ways and keeps no word of which came
first, so ``original`` decides it the same way from every member of a group: the record added
first; among records added together, one with a source (a web address, a file or an import)
before one written here; then English, the language most of the library's sources publish
in first; then the id. The original's JSON-LD lists its translations (``workTranslation``),
each translation names the original (``translationOfWork``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from .. import export
from ..models import Record

_SCHEMA_TYPE = {"report": "Report", "news": "NewsArticle", "press-release": "NewsArticle"}


def _languages(record: Record) -> list[str]:
    return record.language.split("+")


def meta_tags(record: Record, url: str, pdf_url: str | None) -> list[tuple[str, str]]:
    """``(name, content)`` pairs for ``<meta>``; Jinja escapes each content. ``pdf_url``:
    the attached file's absolute address when it is a PDF."""
    tags: list[tuple[str, str]] = [("citation_title", record.title)]
    tags += [("citation_author", org) for org in record.organizations]
    if record.date:  # undated: no date tags rather than empty ones
        tags.append(("citation_publication_date", record.date.replace("-", "/")))
    tags += [("citation_language", lang) for lang in _languages(record)]
    tags.append(("citation_abstract_html_url", url))
    if record.type == "report" and record.organizations:
        tags.append(("citation_technical_report_institution", record.organizations[0]))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags.append(("DC.title", record.title))
    tags += [("DC.creator", org) for org in record.organizations]
    if record.date:
        tags.append(("DC.date", record.date))
    tags += [("DC.language", lang) for lang in _languages(record)]
    tags.append(("DC.type", "Text"))
    tags.append(("DC.identifier", url))
    if record.summary:
        tags.append(("DC.description", record.summary))
    tags += [("DC.subject", s) for s in record.topics]
    tags += [("DC.coverage", p) for p in record.places]
    return tags


def original(records: Iterable[Record]) -> Record:
    """The original among a record and its translations (see the module docstring)."""

    def key(r: Record) -> tuple[str, bool, bool, str]:
        sourced = bool(r.source_url or r.source_file or r.imported)
        return (r.added or "~", not sourced, r.language != "en", r.id)

    return min(records, key=key)


def json_ld(
    record: Record,
    url: str,
    file_url: str | None,
    translations: list[Record],
    page_url: Any,
) -> dict[str, Any]:
    """schema.org JSON-LD; ``translations`` are the record's translations (records) and
    ``page_url(id)`` the absolute address of an item's page."""
    langs = _languages(record)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": _SCHEMA_TYPE.get(record.type, "CreativeWork"),
        "@id": url,
        "url": url,
        "name": record.title,
        "headline": record.title,
        "inLanguage": langs[0] if len(langs) == 1 else langs,
        "author": [{"@type": "Organization", "name": org} for org in record.organizations],
    }
    if record.date:
        data["datePublished"] = record.date
    if record.summary:
        data["description"] = record.summary
    if record.topics:
        data["keywords"] = record.topics
    if record.places:
        data["contentLocation"] = [{"@type": "Place", "name": p} for p in record.places]
    if record.source_url:
        data["sameAs"] = record.source_url
    if translations:
        first = original([record, *translations])
        if first.id == record.id:
            data["workTranslation"] = [{"@id": page_url(t.id)} for t in translations]
        else:
            data["translationOfWork"] = {"@id": page_url(first.id)}
    if file_url:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": file_url}
    return data


def with_address(record: Record, url: str) -> Record:
    """The record as a citation gives it: with ``url`` as its address when it has no source
    URL of its own (the record itself is left as it is)."""
    return record if record.source_url else dataclasses.replace(record, source_url=url)


def bibtex(record: Record, url: str) -> str:
    """The record's BibTeX entry; one with no source URL gives ``url`` (its page) as both
    ``url`` (biblatex, Zotero) and ``howpublished`` (classic BibTeX styles)."""
    text = export.to_bibtex([with_address(record, url)])
    if record.source_url:
        return text
    # The entry's last field, then its closing brace: the address goes between them.
    fields, closing, rest = text.rpartition("\n}")
    return f"{fields},\n  howpublished = {{\\url{{{url}}}}}{closing}{rest}"


def ris(record: Record, url: str) -> str:
    """The record's RIS entry, with ``UR`` its page when it has no source URL."""
    return export.to_ris([with_address(record, url)])


def script_json(data: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
