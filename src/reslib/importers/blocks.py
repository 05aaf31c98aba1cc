"""reslib's own reading of a page: chrome removed, the main block found, its text in paragraphs.

Used where a page says where its text is (a WordPress post's ``entry-content``, a WXR post's
HTML) and as the fallback when the maintained extractor (``extract``) finds nothing. Every
walk here is iterative and linear in the page's size: pages nested 100,000 elements deep come
from the open web, and a search per element made such pages take minutes.

Chrome is removed by two rules. Navigation, comments, sidebars and related-post lists always
go. Blocks whose class only *sounds* like chrome (``share``, ``social``, ``widget``, ``menu``,
``ads``) go only when they hold little prose: themes wrap whole articles in a
``share-wrapper`` or ``social-container``, and throwing the article away with its buttons was
the commonest loss on real pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from .base import clean_paragraphs

_STRIP_TAGS = frozenset(["script", "style", "noscript", "template", "iframe", "form", "svg"])
_CHROME_TAGS = frozenset(["nav", "aside", "footer", "button"])
_CHROME_RE = re.compile(
    r"(^|[\s_-])(comments?|commentlist|respond|sidebar|related|jp-relatedposts|breadcrumbs?|"
    r"nav-links|post-navigation|navigation|footer|cookie|newsletter|subscribe)([\s_-]|$)",
    re.IGNORECASE,
)
_WEAK_CHROME_RE = re.compile(
    r"(^|[\s_-])(share|sharing|sharedaddy|social|widget|menu|advert|ads)([\s_-]|$)",
    re.IGNORECASE,
)
#: Prose (text outside links) a block marked only weakly as chrome must hold to be kept.
WEAK_CHROME_KEEP_CHARS = 200
#: Elements whose start and end break the text into paragraphs.
BREAK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "figcaption",
        "table",
        "tr",
        "address",
        "hr",
    ]
)
#: Elements that hold paragraphs of their own (a container's direct text-bearing children).
_PARAGRAPH_TAGS = frozenset(["p", "pre", "blockquote", "h2", "h3", "h4", "h5", "h6"])
_CONTAINERS = frozenset(["div", "section", "td", "article", "main", "body"])
_COMMENT_RE = re.compile(r"comment|respond", re.IGNORECASE)
_WORDPRESS_RE = re.compile(r"^(entry-content|post-content|td-post-content)$")


def child_tags(tag: Tag) -> Iterator[Tag]:
    return (c for c in tag.contents if isinstance(c, Tag))


def post_order(root: Tag) -> Iterator[Tag]:
    """Every element under ``root`` (and ``root`` last), each after all of its descendants."""
    stack = [(root, child_tags(root))]
    while stack:
        tag, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield tag
        else:
            stack.append((child, child_tags(child)))


def values(tag: Tag, attr: str) -> list[str]:
    """A multi-valued attribute (``class``, ``rel``) as a list, however the page wrote it."""
    value = tag.get(attr)
    if value is None:
        return []
    return value.split() if isinstance(value, str) else list(value)


def _marker(tag: Tag) -> str:
    return " ".join([*values(tag, "class"), str(tag.get("id") or "")]).strip()


@dataclass
class Sizes:
    """Per element (by ``id``): its text's length, the part of it inside links, and whether
    it holds a paragraph element; all from one bottom-up pass."""

    text: dict[int, int]
    linked: dict[int, int]
    has_block: dict[int, bool]

    def prose(self, tag: Tag) -> int:
        return self.text[id(tag)] - self.linked[id(tag)]


def sizes(root: Tag) -> Sizes:
    text: dict[int, int] = {}
    linked: dict[int, int] = {}
    has_block: dict[int, bool] = {}
    for tag in post_order(root):
        total = in_links = 0
        block = False
        for child in tag.contents:
            if isinstance(child, Tag):
                total += text[id(child)]
                in_links += linked[id(child)]
                block = block or has_block[id(child)] or child.name in BREAK_TAGS
            elif type(child) in (NavigableString, CData):
                total += len(child.strip())
        text[id(tag)] = total
        linked[id(tag)] = total if tag.name == "a" else in_links
        has_block[id(tag)] = block
    return Sizes(text, linked, has_block)


def remove(root: Tag, doomed: Callable[[Tag], bool]) -> None:
    """Remove every element under ``root`` for which ``doomed`` holds, with its subtree.

    One walk from the top that does not descend into what it removes, then the removals
    (``Tag.decomposed`` searches a whole subtree; asking it per element was quadratic).
    """
    found = []
    stack = list(child_tags(root))
    while stack:
        tag = stack.pop()
        if doomed(tag):
            found.append(tag)
        else:
            stack.extend(child_tags(tag))
    for tag in found:
        tag.decompose()


def remove_chrome(root: Tag) -> None:
    """Remove scripts, navigation, comments and sidebars, and the share/social/widget blocks
    that hold little prose (see the module docstring)."""
    measured = sizes(root)

    def doomed(tag: Tag) -> bool:
        if tag.name in _STRIP_TAGS or tag.name in _CHROME_TAGS:
            return True
        if tag.name in ("html", "body", "article", "main"):
            return False
        marker = _marker(tag)
        if not marker:
            return False
        if _CHROME_RE.search(marker):
            return True
        return (
            _WEAK_CHROME_RE.search(marker) is not None
            and measured.prose(tag) < WEAK_CHROME_KEEP_CHARS
        )

    remove(root, doomed)


def in_chrome(tag: Tag) -> bool:
    """Whether ``tag`` sits in navigation, a sidebar, a footer or comments (the strong rules
    of ``remove_chrome``; a share wrapper may hold the article)."""
    return any(
        parent.name in _CHROME_TAGS or _CHROME_RE.search(_marker(parent))
        for parent in tag.parents
        if isinstance(parent, Tag) and parent.name not in ("html", "body", "article", "main")
    )


def element_text(root: Tag) -> str:
    """The readable text of an element: one paragraph per block element, ``<br>`` a line
    break (two of them a paragraph break), white space of the source collapsed except in
    ``<pre>``. Text outside any block (a ``<div>`` of ``<br>``-separated lines) is kept."""
    parts: list[str] = []
    stack: list[tuple[Tag, Iterator[object]]] = [(root, iter(root.contents))]
    in_pre = 0
    while stack:
        tag, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if tag.name in BREAK_TAGS:
                parts.append("\n\n")
            in_pre -= tag.name == "pre"
            continue
        if isinstance(child, Tag):
            if child.name in _STRIP_TAGS:
                continue
            if child.name == "br":
                parts.append("\n")
                continue
            if child.name in BREAK_TAGS:
                parts.append("\n\n")
            in_pre += child.name == "pre"
            stack.append((child, iter(child.contents)))
        elif type(child) in (NavigableString, CData):
            text = str(child).replace("\u00a0", " ")
            parts.append(text if in_pre else re.sub(r"\s+", " ", text))
    return clean_paragraphs("".join(parts))


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (WordPress post content), paragraphs kept."""
    # WordPress stores paragraphs as blank lines, not <p>, in post_content.
    fragment = re.sub(r"\n\s*\n", "</p><p>", fragment)
    soup = BeautifulSoup(f"<div><p>{fragment}</p></div>", "html.parser")
    remove_chrome(soup)
    return element_text(soup)


def _in_comments(tag: Tag) -> bool:
    return any(_COMMENT_RE.search(_marker(t)) for t in (tag, *tag.parents) if isinstance(t, Tag))


def wordpress_content(soup: BeautifulSoup) -> Tag | None:
    """The one post body a WordPress page declares (``entry-content`` and kin), or None.

    Not a quote or anything inside the comments (themes mark comment text ``entry-content``
    too), and not when several posts' bodies are on the page: that is a listing of teasers.
    """
    found = [
        tag
        for tag in soup.find_all(class_=_WORDPRESS_RE)
        if tag.name != "blockquote" and not _in_comments(tag)
    ]
    outer = [t for t in found if not any(p in found for p in t.parents)]
    return outer[0] if len(outer) == 1 else None


def _own_prose(tag: Tag, measured: Sizes) -> int:
    """Prose a container holds in its own paragraphs: its paragraph children, its text
    children (``<br>``-separated text) and its children that are blocks of bare text."""
    total = 0
    for child in tag.contents:
        if isinstance(child, Tag):
            bare = child.name in _CONTAINERS and not measured.has_block[id(child)]
            if child.name in _PARAGRAPH_TAGS or bare:
                total += measured.prose(child)
        elif type(child) in (NavigableString, CData):
            total += len(child.strip())
    return total


def densest(root: Tag) -> Tag | None:
    """The block holding the most prose in its own paragraphs, widened to its parent while
    the parent's other children hold prose too (an article split across sibling ``div``s)."""
    measured = sizes(root)
    score = {id(t): _own_prose(t, measured) for t in post_order(root) if t.name in _CONTAINERS}
    best = max(
        (t for t in post_order(root) if id(t) in score), key=lambda t: score[id(t)], default=None
    )
    if best is None or score[id(best)] == 0:
        return None
    while isinstance(best.parent, Tag) and best.parent is not root:
        parent = best.parent
        others = sum(
            score.get(id(c), 0)
            for c in child_tags(parent)
            if c is not best and measured.linked[id(c)] * 2 < max(measured.text[id(c)], 1)
        )
        if others * 3 < score[id(best)]:
            break
        score[id(parent)] = score.get(id(parent), 0) + score[id(best)] + others
        best = parent
    return best
