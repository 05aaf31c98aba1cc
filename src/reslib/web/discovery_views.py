"""How browsers, feed readers and crawlers find us: Atom feeds, OpenSearch, sitemaps, robots.

Also the language switch, which only sets a cookie and sends the visitor back where they were.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request

from ..errors import NotFound
from ..models import Record
from ..search import search
from . import deps, feeds, i18n
from .params import parse_search, query_string
from .redirects import local_target
from .templating import t

bp = Blueprint("discovery", __name__)

#: Items per sitemap file; the protocol allows 50,000, smaller files are kinder to crawlers.
SITEMAP_CHUNK = 10_000
STATIC_PAGES = ("/", "/about", "/browse/organizations", "/browse/types", "/browse/years")


def base_url() -> str:
    return request.host_url.rstrip("/")


@bp.get("/feed.atom")
def feed() -> Response:
    args = request.args.copy()
    args.setdefault("limit", "20")
    # A feed is about what is new, whatever the page's sort would be.
    args["sort"] = "date"
    req = parse_search(args)
    results = search(deps.home(), req).to_dict()["results"]
    cat = deps.catalogue()
    records = []
    for r in results:
        try:
            records.append(cat.get(r["id"]))
        except NotFound:
            continue
    qs = query_string(req, sort="", limit="")
    title = t("feed.title", q=req.q) if req.q.strip() else t("feed.title_all")
    body = feeds.atom_feed(
        title=title,
        self_url=f"{base_url()}/feed.atom" + (f"?{qs}" if qs else ""),
        html_url=f"{base_url()}/" + (f"?{qs}" if qs else ""),
        base_url=base_url(),
        records=records,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    body = feeds.opensearch(
        base_url=base_url(), short_name="reslib", description=t("opensearch.description")
    )
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.get("/sitemap.xml")
def sitemap_index() -> Response:
    count = len(deps.catalogue().ids())
    chunks = max(1, -(-count // SITEMAP_CHUNK))
    urls = [f"{base_url()}/sitemap-pages.xml"]
    urls += [f"{base_url()}/sitemap-items-{n}.xml" for n in range(1, chunks + 1)]
    return Response(feeds.sitemap_index(urls), mimetype="application/xml")


@bp.get("/sitemap-pages.xml")
def sitemap_pages() -> Response:
    urls = [(base_url() + path, None) for path in STATIC_PAGES]
    return Response(feeds.sitemap(urls), mimetype="application/xml")


@bp.get("/sitemap-items-<int:number>.xml")
def sitemap_items(number: int) -> Response:
    cat = deps.catalogue()
    ids = cat.ids()[(number - 1) * SITEMAP_CHUNK : number * SITEMAP_CHUNK]
    if number < 1 or (not ids and number > 1):
        abort(404)
    urls = []
    for record_id in ids:
        try:
            record = cat.get(record_id)
        except NotFound:
            continue  # removed while the sitemap was being written
        urls.append((f"{base_url()}/items/{record_id}", _lastmod(record)))
    return Response(feeds.sitemap(urls), mimetype="application/xml")


def _lastmod(record: Record) -> str | None:
    """The record's own last change (``updated``, else ``added``), a W3C datetime as the
    sitemap protocol takes it. Not the file's mtime: a fresh clone of a library would date
    every record the day of the clone."""
    return record.updated or record.added or None


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico where a page names no icon (a JSON twin, a feed)."""
    return redirect("/static/favicon.svg", code=301)


@bp.get("/robots.txt")
def robots() -> Response:
    body = "User-agent: *\nDisallow: /api/\nDisallow: /export.\n"
    body += f"Sitemap: {base_url()}/sitemap.xml\n"
    return Response(body, mimetype="text/plain")


@bp.get("/lang/<code>")
def switch_language(code: str) -> Response:
    if code not in i18n.UI_LANGUAGES:
        raise NotFound(f"no interface language {code!r}: use en or my")
    response = redirect(local_target(request.args.get("next")), code=303)
    response.set_cookie(
        i18n.COOKIE, code, max_age=i18n.COOKIE_MAX_AGE, samesite="Lax", httponly=True
    )
    return response
