"""Saved pages in the layouts real sites use and the first importer misread (issue 14)."""

from __future__ import annotations

from html import escape

#: Sentences long enough to be an article's paragraphs; numbered so a test can tell which
#: of them reached the body.
ARTICLE = [
    f"Paragraph {n}: the junta's airstrikes on villages in Sagaing Region forced thousands "
    f"of families to flee their homes this week, according to local aid groups."
    for n in range(1, 6)
]


def page(body: str, *, title: str = "A report on airstrikes", head: str = "") -> str:
    """A page around ``body``: navigation, a sidebar and a footer, ``head`` in <head>."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{escape(title)}</title>{head}</head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a>
</nav></header>
{body}
<aside class="sidebar"><h2>Popular</h2><ul><li><a href="/a">An older story everyone read
last month about something else entirely</a></li></ul></aside>
<footer><p>© 2023 Example Media. All rights reserved. Privacy policy and terms of use.</p>
</footer></body></html>"""


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(t)}</p>" for t in texts)


def listing_page() -> str:
    """A category page: five short teasers, each an <article> with an entry-summary."""
    teasers = "".join(
        f'<article class="post hentry"><h2 class="entry-title"><a href="/p{n}">Story {n}</a>'
        f'</h2><div class="entry-content"><p>Teaser {n}: villagers in Sagaing describe the '
        f"night the airstrikes came.</p></div></article>"
        for n in range(1, 6)
    )
    return page(f"<main><h1>News archive</h1>{teasers}</main>", title="News archive – Example")


def comment_blockquote_page() -> str:
    """A post whose theme marks no entry-content, with a comment quoted as ``entry-content``."""
    comment = (
        '<div id="comments" class="comments-area"><ol class="commentlist"><li class="comment">'
        '<blockquote class="entry-content"><p>Thank you for this report, it is very '
        "important that the world knows what is happening in our villages.</p></blockquote>"
        "</li></ol></div>"
    )
    post = f'<div class="post"><h1>A report on airstrikes</h1>{paragraphs(ARTICLE)}</div>'
    return page(f"<main>{post}{comment}</main>")


def share_wrapper_page() -> str:
    """The article inside a wrapper whose class says ``share``, beside the share buttons."""
    buttons = '<ul class="share-buttons"><li><a href="/tw">Twitter</a></li></ul>'
    body = (
        f'<article><h1>A report on airstrikes</h1><div class="social-share-wrapper">'
        f'<div class="story">{paragraphs(ARTICLE)}</div>{buttons}</div></article>'
    )
    return page(body)


def br_page() -> str:
    """Paragraphs written as text separated by ``<br><br>`` in one ``<div>``."""
    text = "<br><br>".join(escape(t) for t in ARTICLE)
    return page(
        f'<div id="content"><h1>A report on airstrikes</h1><div class="text">{text}</div></div>'
    )


def sibling_divs_page() -> str:
    """The article split across sibling ``<div>``s (a photo or an ad between them)."""
    parts = (
        f'<div class="part">{paragraphs(ARTICLE[:2])}</div>'
        '<div class="photo"><img src="a.jpg"><span class="caption">Smoke over a village</span>'
        f'</div><div class="part">{paragraphs(ARTICLE[2:])}</div>'
    )
    return page(f'<div class="story"><h1>A report on airstrikes</h1>{parts}</div>')


def no_p_page() -> str:
    """Text in ``<div>``s and ``<span>``s: not one ``<p>`` in the page."""
    blocks = "".join(f"<div><span>{escape(t)}</span></div>" for t in ARTICLE)
    return page(f'<div class="content"><div class="title">A report</div>{blocks}</div>')
