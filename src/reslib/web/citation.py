"""Citation metadata of an item page: Highwire ``citation_*``, Dublin Core and schema.org.

Zotero and Google Scholar read the Highwire tags, other harvesters Dublin Core or the JSON-LD
block; all three are built here from one record so they agree.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..models import Record

_SCHEMA_TYPE = {"report": "Report", "news": "NewsArticle", "press-release": "NewsArticle"}


def _languages(record: Record) -> list[str]:
    return record.language.split("+")


def meta_tags(record: Record, url: str, file_url: str | None) -> list[tuple[str, str]]:
    """``(name, content)`` pairs for ``<meta>``; Jinja escapes each content."""
    tags: list[tuple[str, str]] = [("citation_title", record.title)]
    tags += [("citation_author", org) for org in record.organizations]
    tags.append(("citation_publication_date", record.date.replace("-", "/")))
    tags += [("citation_language", lang) for lang in _languages(record)]
    tags.append(("citation_abstract_html_url", url))
    if record.type == "report" and record.organizations:
        tags.append(("citation_technical_report_institution", record.organizations[0]))
    if file_url and file_url.lower().endswith(".pdf"):
        tags.append(("citation_pdf_url", file_url))
    tags.append(("DC.title", record.title))
    tags += [("DC.creator", org) for org in record.organizations]
    tags.append(("DC.date", record.date))
    tags += [("DC.language", lang) for lang in _languages(record)]
    tags.append(("DC.type", "Text"))
    tags.append(("DC.identifier", url))
    if record.summary:
        tags.append(("DC.description", record.summary))
    tags += [("DC.subject", s) for s in record.topics]
    tags += [("DC.coverage", p) for p in record.places]
    return tags


def json_ld(
    record: Record, url: str, file_url: str | None, translation_urls: list[str]
) -> dict[str, Any]:
    langs = _languages(record)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": _SCHEMA_TYPE.get(record.type, "CreativeWork"),
        "@id": url,
        "url": url,
        "name": record.title,
        "headline": record.title,
        "datePublished": record.date,
        "inLanguage": langs[0] if len(langs) == 1 else langs,
        "author": [{"@type": "Organization", "name": org} for org in record.organizations],
    }
    if record.summary:
        data["description"] = record.summary
    if record.topics:
        data["keywords"] = record.topics
    if record.places:
        data["contentLocation"] = [{"@type": "Place", "name": p} for p in record.places]
    if record.source_url:
        data["sameAs"] = record.source_url
    if translation_urls:
        data["workTranslation"] = [{"@id": u} for u in translation_urls]
    if file_url:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": file_url}
    return data


def script_json(data: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
