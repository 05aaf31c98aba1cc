"""The OpenAPI 3.0 description served at ``/api/openapi.json``.

Written by hand to say exactly what the views do (parameters, limits, both success and error
shapes); ``tests/test_web_openapi.py`` runs schemathesis against the live app to keep it so.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from .. import __version__
from ..models import LANGUAGES, TYPES
from ..search import MAX_DEPTH, MAX_QUERY_LENGTH
from ..search.similar import MAX_LIMIT as MAX_SIMILAR
from .params import DATE_PATTERN, MAX_LIMIT, SORTS
from .render import json_response

bp = Blueprint("openapi", __name__)

_STR = {"type": "string"}
_STR_LIST = {"type": "array", "items": _STR}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": required if required is not None else list(props),
    }


_FACET = {
    "type": "array",
    "items": _obj(
        {
            "value": _STR,
            "count": {
                "type": "integer",
                "minimum": 0,
                "description": "The total that adding this value to the search gives (for a "
                "value of a filtered facet: that filtering on this value alone gives).",
            },
            "selected": {
                "type": "boolean",
                "enum": [True],
                "description": "Present (true) when the search filters on this value.",
            },
        },
        ["value", "count"],
    ),
}
_BRIEF = _obj(
    {"id": _STR, "title": _STR, "type": _STR, "language": _STR, "date": _STR},
)
_RESULT = _obj(
    {
        "id": _STR,
        "title": _STR,
        "type": _STR,
        "language": _STR,
        "date": _STR,
        "organizations": _STR_LIST,
        "snippet": {**_STR, "description": "HTML: escaped text and <mark>."},
        "translations": {
            "type": "array",
            "items": _obj({"id": _STR, "title": _STR, "language": _STR}),
        },
        "score": {"type": "number", "nullable": True},
    }
)

SCHEMAS: dict[str, Any] = {
    "Error": {
        **_obj(
            {
                "ok": {"type": "boolean", "enum": [False]},
                "status": {"type": "integer"},
                "error": _STR,
                "message": _STR,
            }
        ),
        "additionalProperties": False,
    },
    "SearchResponse": _obj(
        {
            "query": _STR,
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "limit": {"type": "integer", "minimum": 1},
            "sort": {"type": "string", "enum": list(SORTS)},
            "results": {"type": "array", "items": _RESULT},
            "facets": _obj(
                {name: _FACET for name in ("type", "language", "organizations", "year", "places")}
            ),
            "expanded": {"type": "array", "items": {}},
            "did_you_mean": {"type": "string", "nullable": True},
        }
    ),
    "Item": _obj(
        {
            "item": _obj(
                {
                    "id": _STR,
                    "type": {"type": "string", "enum": list(TYPES)},
                    "title": _STR,
                    "language": {"type": "string", "enum": list(LANGUAGES)},
                    "date": _STR,
                    "organizations": _STR_LIST,
                    "summary": _STR,
                    "body": _STR,
                    "source_url": _STR,
                    "places": _STR_LIST,
                    "topics": _STR_LIST,
                    "added": _STR,
                    "updated": _STR,
                }
            ),
            "translations": {"type": "array", "items": _BRIEF},
            "listed_in": {"type": "array", "items": _BRIEF},
            "related": {"type": "array", "items": _BRIEF},
            "file": {
                **_obj(
                    {
                        "name": _STR,
                        "url": {**_STR, "description": "The file, as a download."},
                        "type": {**_STR, "description": "Its MIME type."},
                        "size": {"type": "integer", "minimum": 0, "description": "Bytes."},
                        "preview": {
                            **_STR,
                            "nullable": True,
                            "description": "A PDF's address that opens it in the browser "
                            "(Content-Disposition: inline); null for any other file.",
                        },
                    }
                ),
                "nullable": True,
            },
            "similar": {
                "type": "array",
                "items": _RESULT,
                "description": "Up to 5 records most like this one (as /api/items/{id}/similar).",
            },
            "links": _obj(
                {"html": _STR, "json": _STR, "bibtex": _STR, "ris": _STR, "similar": _STR}
            ),
        }
    ),
    "Similar": _obj(
        {
            "id": {**_STR, "description": "The item asked about."},
            "results": {
                "type": "array",
                "items": _RESULT,
                "description": "Best first, one per translation group; the item's own "
                "translations left out.",
            },
        }
    ),
    "Strings": _obj(
        {
            "lang": {"type": "string", "enum": ["en", "my"]},
            "strings": {"type": "object", "additionalProperties": _STR},
            "types": {"type": "object", "additionalProperties": _STR},
            "languages": {"type": "object", "additionalProperties": _STR},
        }
    ),
}


def _list_param(name: str, description: str, items: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description
        + " Repeat the parameter for several values: an item may have any of them (the"
        " filters of different parameters must all hold).",
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": items},
    }


SEARCH_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "q",
        "in": "query",
        "description": 'The query: words, "a phrase", -excluded. Empty lists everything.',
        "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
    },
    _list_param("type", "Only items of this type.", {"type": "string", "enum": list(TYPES)}),
    _list_param(
        "lang",
        "Only items in this language (bilingual items match either; en+my: bilingual only).",
        {"type": "string", "enum": list(LANGUAGES)},
    ),
    _list_param("org", "Only items by this organization.", _STR),
    _list_param(
        "year",
        "Only items of this year (undated: those whose date is unknown).",
        {"type": "string", "pattern": r"^(\d{4}|undated)$"},
    ),
    _list_param("place", "Only items about this place.", _STR),
    {
        "name": "date",
        "in": "query",
        "description": "A date or a range, either end optional: 2023-09..2023-11, 2023...",
        "schema": {"type": "string", "pattern": DATE_PATTERN},
    },
    {
        "name": "sort",
        "in": "query",
        "description": "relevance (default with a query) or date (newest first).",
        "schema": {"type": "string", "enum": list(SORTS)},
    },
    {
        "name": "page",
        "in": "query",
        "description": f"Page number; page x limit may not pass {MAX_DEPTH} (400 past it).",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    {
        "name": "limit",
        "in": "query",
        "description": "Results per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10},
    },
    {
        "name": "exact",
        "in": "query",
        "description": "Match the words exactly: no stemming, no glossary expansion.",
        "schema": {"type": "boolean", "default": False},
    },
]


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def spec() -> dict[str, Any]:
    error = _json("Error", "The one error shape.")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "reslib API",
            "version": __version__,
            "description": "Search the library and read its items. Open to every origin (CORS).",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search; the same parameters as the search page.",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": _json("SearchResponse", "A page of results with facets."),
                        "400": error,
                        "503": _json("Error", "The library has no usable index yet."),
                    },
                }
            },
            "/api/items/{id}": {
                "get": {
                    "operationId": "item",
                    "summary": "One item with its translations and related items.",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": _STR}],
                    "responses": {
                        "200": _json("Item", "The item."),
                        "404": error,
                        "410": error,
                    },
                }
            },
            "/api/items/{id}/similar": {
                "get": {
                    "operationId": "similar",
                    "summary": "More like this: the records sharing the item's rarest terms, "
                    "organizations and places, its translations left out.",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": _STR},
                        {
                            "name": "limit",
                            "in": "query",
                            "description": "How many records.",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_SIMILAR,
                                "default": 5,
                            },
                        },
                    ],
                    "responses": {
                        "200": _json("Similar", "The records most like the item."),
                        "400": error,
                        "404": error,
                        "410": error,
                        "503": _json("Error", "The library has no usable index yet."),
                    },
                }
            },
            "/api/export": {
                "get": {
                    "operationId": "export",
                    "summary": "A whole result list as a file, streamed: the search's results "
                    "in its order (page and limit ignored), up to the server's export limit "
                    "(RESLIB_EXPORT_MAX, 5000 by default); X-Total-Count says how many the "
                    "search found and X-Export-Max the limit, so a shortened list shows.",
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "description": "jsonl (one record per line, the default), csv, "
                            "bibtex or ris.",
                            "schema": {
                                "type": "string",
                                "enum": ["jsonl", "csv", "bibtex", "ris"],
                                "default": "jsonl",
                            },
                        },
                        *[p for p in SEARCH_PARAMETERS if p["name"] not in ("page", "limit")],
                    ],
                    "responses": {
                        "200": {
                            "description": "The records, one entry each.",
                            "headers": {
                                "X-Total-Count": {"schema": {"type": "integer", "minimum": 0}},
                                "X-Export-Max": {"schema": {"type": "integer", "minimum": 1}},
                            },
                            "content": {
                                "application/jsonl": {"schema": _STR},
                                "text/csv": {"schema": _STR},
                                "application/x-bibtex": {"schema": _STR},
                                "application/x-research-info-systems": {"schema": _STR},
                            },
                        },
                        "400": error,
                        "503": _json("Error", "The library has no usable index yet."),
                    },
                }
            },
            "/api/i18n/{lang}": {
                "get": {
                    "operationId": "strings",
                    "summary": "The partner widget's interface strings in one language.",
                    "parameters": [
                        {"name": "lang", "in": "path", "required": True, "schema": _STR}
                    ],
                    "responses": {"200": _json("Strings", "The strings."), "404": error},
                }
            },
            **ALERT_PATHS,
        },
        "components": {"schemas": {**SCHEMAS, **ALERT_SCHEMAS}},
    }


# -- Search alerts (reslib.web.alerts_views): the one API route, subscribing ------------------
ALERT_SCHEMAS: dict[str, Any] = {
    "AlertRequest": {
        **_obj(
            {
                "email": {
                    "type": "string",
                    "format": "email",
                    "maxLength": 254,
                    "description": "The address to mail; it is sent a link to confirm first. "
                    "Never repeated in any answer.",
                },
                "q": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
                "type": {"type": "array", "items": {"type": "string", "enum": list(TYPES)}},
                "lang": {"type": "array", "items": {"type": "string", "enum": list(LANGUAGES)}},
                "org": _STR_LIST,
                "year": _STR_LIST,
                "place": _STR_LIST,
                "date": {"type": "string", "pattern": DATE_PATTERN},
                "exact": {"type": "boolean"},
                "ui": {
                    "type": "string",
                    "enum": ["en", "my"],
                    "description": "The language of the mails (default: the request's).",
                },
            },
            ["email"],
        ),
        "description": "The search's words and filters, as /api/search takes them (a filter "
        "may also be one string); a search with neither words nor filters is refused.",
    },
    "AlertPending": _obj(
        {
            "ok": {"type": "boolean", "enum": [True]},
            "status": {"type": "string", "enum": ["pending"]},
            "alert": _obj(
                {
                    "query": {"type": "object"},
                    "description": _STR,
                    "search": _STR,
                    "ui": {"type": "string", "enum": ["en", "my"]},
                }
            ),
            "confirm_hours": {"type": "number"},
            "message": _STR,
        }
    ),
}
ALERT_PATHS: dict[str, Any] = {
    "/api/alerts": {
        "post": {
            "operationId": "subscribe",
            "summary": "Ask for new results of a search by email (double opt-in).",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/AlertRequest"}}
                },
            },
            "responses": {
                "202": {
                    "description": "A confirmation link was mailed, unless the address already "
                    "has this alert (the answer is the same, so it tells nobody which).",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/AlertPending"}
                        }
                    },
                },
                "400": {
                    "description": "Not an address, an empty search, or a bad filter.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "413": {
                    "description": "A body over 64 KB.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "429": {
                    "description": "Too many alerts awaiting confirmation for this address or "
                    "from this client.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "503": {
                    "description": "Alerts are off on this site, or the mail could not be sent.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        }
    }
}


@bp.get("/api/openapi.json")
def openapi() -> Response:
    return json_response(spec())
