"""WordPress export files (WXR): posts and pages, with their terms, authors and attachments.

Only published posts and pages become records; drafts, revisions, menu items and the like are
ignored (noted, not skipped: they are not bad input). Categories and tags become topics,
whether or not the export names their ``domain``. A post without a date is imported with its
date unknown.
Languages and translation groups come from Polylang (``language`` and ``post_translations``
taxonomies) or WPML's import meta (``_wpml_import_language_code``,
``_wpml_import_translation_group``). Attachments are recorded as document links of their
parent post.

Authors are people's logins more often than organizations: an author's display name becomes
the record's organization only when the authority file knows it; otherwise the site (the
channel title) is the publisher.

A post with a "Resources from the past week" list (a weekly update) is split as a saved page
of it is, by the same functions (``htmlpage``'s ``resource_blocks`` and ``update_body``, and
``resources.add_listings``): the post is the ``update`` and every listing a record related
to it both ways. Post content keeps WordPress's own line breaks (a blank line between
paragraphs, a single newline a ``<br>``, as WordPress renders it), so a listing's ``By …``
line on the line under its title is read as the saved page's ``<br>``. A resource listed by
several posts of one export is one item, dated by the first listing (as in separate files,
where a later update only adds a link and fills blanks); a listing whose link is a post of
the export is that post.

Parsed with the standard library's expat, which refuses external entities and limits entity
expansion; WXR files come from partners, not from the open web.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from .base import (
    Document,
    Item,
    ParseOptions,
    SkipFile,
    clean_space,
    file_key,
    guess_type,
    url_key,
)
from .blocks import html_to_text
from .dates import parse_date
from .encoding import decode
from .htmlpage import may_hold_resources, resource_blocks, update_body
from .resources import add_listings

_LANGUAGE_NAMES = {
    "en": "en",
    "en_us": "en",
    "en_gb": "en",
    "english": "en",
    "my": "my",
    "mm": "my",
    "my_mm": "my",
    "burmese": "my",
    "myanmar": "my",
    "မြန်မာ": "my",
    "မြန်မာဘာသာ": "my",
}


#: Taxonomies whose terms become topics. Exports of older WordPress versions and of other
#: tools write ``<category>`` without a ``domain``: those are categories too.
_TERM_DOMAINS = frozenset(["", "category", "post_tag", "tag"])

#: Posts a translation group may hold before it is taken for a broken export.
MAX_GROUP = 20

# Block-level markup: a newline next to it is layout, not a line break (as in WordPress's
# ``wpautop``).
_BLOCK = (
    r"(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|figure|figcaption|table|thead|tbody|tr"
    r"|td|th|hr|pre|section|article|header|footer|aside|address|br)"
)
_ENDS_WITH_BLOCK_RE = re.compile(rf"(?:</?{_BLOCK}\b[^<>]*>|-->)\s*$", re.IGNORECASE)
_STARTS_WITH_BLOCK_RE = re.compile(rf"^\s*(?:</?{_BLOCK}\b|<!--)", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _prefix(tag: str) -> str:
    """The namespace family of a tag: ``wp``, ``content``, ``excerpt``, ``dc`` or ``""``."""
    if not tag.startswith("{"):
        return ""
    uri = tag[1:].split("}", 1)[0]
    if "wordpress.org/export" in uri:
        return "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"
    if "purl.org/rss/1.0/modules/content" in uri:
        return "content"
    if "purl.org/dc/elements" in uri:
        return "dc"
    return "?"


def _child(elem: ET.Element, prefix: str, name: str) -> str:
    for c in elem:
        if _local(c.tag) == name and _prefix(c.tag) == prefix:
            return (c.text or "").strip()
    return ""


def _language(value: str) -> str:
    return _LANGUAGE_NAMES.get(value.strip().lower().replace("-", "_"), "")


def is_wxr(head: bytes) -> bool:
    return b"<rss" in head and b"wordpress.org/export" in head


def parse_wxr(path: Path, data: bytes, options: ParseOptions) -> Document:
    text = decode(data)
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise SkipFile(f"invalid XML: {exc}") from None
    channel = root.find("channel")
    if channel is None:
        raise SkipFile("no <channel> in the WordPress export")
    site = clean_space(channel.findtext("title") or "")
    site_link = (channel.findtext("link") or "").strip()
    authors: dict[str, str] = {}
    for elem in channel:
        if _local(elem.tag) == "author" and _prefix(elem.tag) == "wp":
            login = _child(elem, "wp", "author_login")
            authors[login] = _child(elem, "wp", "author_display_name") or login

    doc = Document(key=file_key(path), format="wxr")
    updates: list[_Update] = []
    attachments: dict[str, list[str]] = {}
    groups: dict[str, list[int]] = {}
    posts: dict[str, int] = {}
    ignored = 0
    for elem in channel.findall("item"):
        post_type = _child(elem, "wp", "post_type")
        post_id = _child(elem, "wp", "post_id")
        if post_type == "attachment":
            parent = _child(elem, "wp", "post_parent")
            url = _child(elem, "wp", "attachment_url") or (elem.findtext("guid") or "").strip()
            if parent and url:
                attachments.setdefault(parent, []).append(url)
            continue
        if post_type not in ("post", "page") or _child(elem, "wp", "status") != "publish":
            ignored += 1
            continue
        item, group = _post_item(elem, post_id, site, site_link, authors, options, doc.key)
        if item is None:
            continue
        if group:
            groups.setdefault(group, []).append(len(doc.items))
        posts[post_id] = len(doc.items)
        doc.items.append(item)
        update = _read_update(item, _child(elem, "content", "encoded"), options)
        if update is not None:
            update.index = len(doc.items) - 1
            updates.append(update)
    # Listings go after every post, so that a listing of a post of the export is that post.
    _add_updates(doc, updates)
    for parent, urls in attachments.items():
        if parent in posts:
            item = doc.items[posts[parent]]
            item.documents = list(dict.fromkeys([*item.documents, *urls]))
    for name, members in groups.items():
        if len(members) > MAX_GROUP:
            # A group is one post per language; hundreds in one group is a broken export,
            # and linking every pair of them would take quadratic time.
            doc.notes.append(
                f"translation group {name[:60]!r} has {len(members)} posts: not linked"
            )
            continue
        for a in members:
            for b in members:
                if a < b and doc.items[a].language != doc.items[b].language:
                    doc.translations.append((a, b))
    if ignored:
        doc.notes.append(f"{ignored} draft, private or non-post item(s) ignored")
    if not doc.items and not ignored:
        raise SkipFile("no posts or pages in the WordPress export")
    return doc


def _post_item(
    elem: ET.Element,
    post_id: str,
    site: str,
    site_link: str,
    authors: dict[str, str],
    options: ParseOptions,
    doc_key: str,
) -> tuple[Item | None, str]:
    title = clean_space(elem.findtext("title") or "")
    link = (elem.findtext("link") or "").strip()
    date = (
        parse_date(_child(elem, "wp", "post_date"))
        or parse_date(elem.findtext("pubDate") or "")
        or ""
    )
    body = html_to_text(_child(elem, "content", "encoded"))
    summary = html_to_text(_child(elem, "excerpt", "encoded"))
    topics: list[str] = []
    language, group = "", ""
    for cat in elem.findall("category"):
        domain = cat.get("domain", "")
        name = clean_space(cat.text or "") or clean_space(cat.get("nicename", ""))
        if domain in _TERM_DOMAINS and name:
            topics.append(name)
        elif domain == "language":
            language = _language(cat.get("nicename", "")) or _language(name)
        elif domain == "post_translations":
            group = cat.get("nicename", "") or name
    for meta in elem:
        if _local(meta.tag) != "postmeta":
            continue
        meta_key, meta_value = _child(meta, "wp", "meta_key"), _child(meta, "wp", "meta_value")
        if meta_key == "_wpml_import_language_code":
            language = _language(meta_value) or language
        elif meta_key == "_wpml_import_translation_group":
            group = "wpml:" + meta_value
    creator = authors.get(_child(elem, "dc", "creator"), _child(elem, "dc", "creator"))
    item = Item(
        key=url_key(link) if link.startswith("http") else f"{doc_key}#post{post_id}",
        title=title,
        date=date,
        language=language,
        organizations=[creator] if creator and options.resolve_organization(creator) else [],
        publisher=site,
        summary=summary,
        body=body,
        source_url=link if link.startswith("http") else "",
        topics=list(dict.fromkeys(topics)),
        provenance={"wordpress_id": post_id, "author": creator, "site": site_link or site},
    )
    if not title:
        item.skip_reason = f"post {post_id}: no title"
    item.type = guess_type(*topics, title, default="")
    item.type_guessed = True
    return item, group


@dataclass
class _Update:
    """A weekly update's post (``index`` in the document) and its listings, read into a
    document of their own (the post first) before they join the export's."""

    listed: Document
    index: int = 0


def _post_soup(content: str) -> BeautifulSoup:
    """A post's content as WordPress renders it: a blank line ends a paragraph, a single
    newline between two lines of text is a ``<br>``."""
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", content.replace("\r\n", "\n").replace("\r", "\n")):
        lines = chunk.split("\n")
        out = lines[:1]
        for before, line in itertools.pairwise(lines):
            text_both = before.strip() and line.strip()
            layout = _ENDS_WITH_BLOCK_RE.search(before) or _STARTS_WITH_BLOCK_RE.match(line)
            out.append(("<br>\n" if text_both and not layout else "\n") + line)
        paragraphs.append("".join(out))
    return BeautifulSoup("<div><p>" + "</p><p>".join(paragraphs) + "</p></div>", "html.parser")


def _read_update(item: Item, content: str, options: ParseOptions) -> _Update | None:
    """The post made a weekly update with its listings, when its content has the list
    (``htmlpage``'s reading); None otherwise, the post left as it was."""
    if not may_hold_resources(content):
        return None
    blocks = resource_blocks(_post_soup(content), item.source_url, chrome_removed=False)
    if blocks is None:
        return None
    item.type, item.type_guessed = "update", False
    item.body = update_body(item.body)
    listed = Document(key="", format="wxr", items=[item])
    add_listings(blocks, listed, options)
    return _Update(listed)


#: Fields a resource listed again fills when the first listing left them blank.
_FILLED = ("date", "source_url", "language", "summary")


def _add_updates(doc: Document, updates: list[_Update]) -> None:
    """The updates' listings added to ``doc`` with their links: one item per resource (the
    first listing's, blanks filled by later ones), and a listing whose link is a post of the
    export is that post."""
    by_key = {item.key: i for i, item in enumerate(doc.items)}
    posts = len(doc.items)
    # Pairs linked already, either way and of either kind (a listing that is a post may be
    # named by an update twice).
    linked: set[tuple[int, int]] = set()
    for update in updates:
        listed = update.listed
        where = [update.index]
        for item in listed.items[1:]:
            found = by_key.get(item.key)
            if found is None and item.source_url:
                found = by_key.get(url_key(item.source_url))
            if found is None:
                found = by_key[item.key] = len(doc.items)
                if item.source_url:
                    by_key.setdefault(url_key(item.source_url), found)
                doc.items.append(item)
            elif found >= posts:
                first = doc.items[found]
                for name in _FILLED:
                    if not getattr(first, name):
                        setattr(first, name, getattr(item, name))
            where.append(found)
        for pairs, into in ((listed.related, doc.related), (listed.translations, doc.translations)):
            for a, b in pairs:
                a, b = where[a], where[b]
                if a != b and (min(a, b), max(a, b)) not in linked:
                    linked.add((min(a, b), max(a, b)))
                    into.append((a, b))
        doc.notes += listed.notes
