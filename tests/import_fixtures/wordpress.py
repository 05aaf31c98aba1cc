"""HTML pages in the shape of real WordPress themes, generic pages, and WXR exports."""

from __future__ import annotations

from html import escape


def wordpress_page(
    title: str,
    paragraphs: list[str],
    *,
    date_iso: str = "2023-09-15T08:00:00+00:00",
    date_text: str = "September 15, 2023",
    author: str = "Progressive Voice",
    url: str = "https://progressivevoicemyanmar.org/2023/09/15/new-tricks/",
    categories: tuple[str, ...] = ("Weekly Updates",),
    links: tuple[str, ...] = (),
    charset: str = "utf-8",
    lang: str = "en-US",
) -> str:
    """A single-post page as Twenty-Twenty-style themes render it: chrome all around."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    link_html = "".join(f'<p><a href="{escape(h)}">Download</a></p>' for h in links)
    cats = ", ".join(
        f'<a href="/category/{i}/" rel="category tag">{escape(c)}</a>'
        for i, c in enumerate(categories)
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="{charset}">
<title>{escape(title)} &#8211; Progressive Voice</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:site_name" content="Progressive Voice">
<meta property="og:description" content="A weekly update.">
<meta name="generator" content="WordPress 6.3.1">
<script>var wpData = {{"nonce": "abc"}};</script>
<style>body {{ color: black; }}</style>
</head>
<body class="post-template-default single single-post">
<header id="site-header"><nav class="primary-menu"><a href="/">Home</a><a href="/about/">About</a>
<a href="/resources/">Resources</a></nav></header>
<main id="site-content">
<article class="post-1 post type-post status-publish hentry">
<header class="entry-header">
<div class="entry-categories">{cats}</div>
<h1 class="entry-title">{escape(title)}</h1>
<div class="post-meta"><span class="author vcard"><a class="url fn n" href="/author/pv/">{
        escape(author)
    }</a></span>
<time class="entry-date published" datetime="{date_iso}">{date_text}</time></div>
</header>
<div class="entry-content">
{body}
{link_html}
<div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><ul><li>Twitter</li>
<li>Facebook</li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3><p>Another update entirely,
with enough words to look like an article paragraph if the importer kept it.</p></div>
</div>
</article>
<div id="comments" class="comments-area"><h2>One comment</h2><p>Great article, thanks for
sharing this with all of us here.</p><form><textarea></textarea></form></div>
</main>
<aside class="widget-area"><section class="widget"><h2>Recent posts</h2><ul><li>Older post
about something else that should never reach the body</li></ul></section></aside>
<footer id="site-footer"><p>© 2023 Progressive Voice. All rights reserved.</p></footer>
<script src="/wp-includes/js/wp-embed.min.js"></script>
</body></html>
"""


def generic_page(title: str, paragraphs: list[str], *, published: str, site: str) -> str:
    """A non-WordPress news page: og: tags, <meta> date, content in <main>."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)} | {escape(site)}</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{escape(site)}">
<meta property="article:published_time" content="{published}">
</head><body>
<div class="topbar"><a href="/">{escape(site)}</a> <a href="/news">News</a></div>
<main><div class="story">{body}</div></main>
<div class="footer-links"><a href="/privacy">Privacy</a></div>
</body></html>"""


def wxr_export(items: list[str], *, site: str = "Women's League of Burma") -> str:
    """A WordPress export (WXR 1.2) around ``items`` (see ``wxr_item``)."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
    xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:wfw="http://wellformedweb.org/CommentAPI/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>{escape(site)}</title>
<link>https://www.womenofburma.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[wlbadmin]]></wp:author_login>
<wp:author_display_name><![CDATA[Women's League of Burma]]></wp:author_display_name>
</wp:author>
<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[editor1]]></wp:author_login>
<wp:author_display_name><![CDATA[Daw Editor]]></wp:author_display_name></wp:author>
{"".join(items)}
</channel>
</rss>
"""


def wxr_item(
    post_id: int,
    title: str,
    content: str,
    *,
    post_type: str = "post",
    status: str = "publish",
    creator: str = "wlbadmin",
    date: str = "2023-11-25 09:30:00",
    link: str = "",
    categories: tuple[tuple[str, str, str], ...] = (),
    excerpt: str = "",
    parent: int = 0,
    attachment_url: str = "",
) -> str:
    """One ``<item>``; categories are (domain, nicename, name) triples."""
    cats = "".join(
        f'<category domain="{d}" nicename="{n}"><![CDATA[{name}]]></category>'
        for d, n, name in categories
    )
    attachment = (
        f"<wp:attachment_url>{escape(attachment_url)}</wp:attachment_url>" if attachment_url else ""
    )
    return f"""<item>
<title>{escape(title)}</title>
<link>{escape(link)}</link>
<pubDate>Sat, 25 Nov 2023 09:30:00 +0000</pubDate>
<dc:creator><![CDATA[{creator}]]></dc:creator>
<guid isPermaLink="false">https://www.womenofburma.org/?p={post_id}</guid>
<description></description>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[post-{post_id}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_parent>{parent}</wp:post_parent>
<wp:post_type><![CDATA[{post_type}]]></wp:post_type>
{attachment}
{cats}
</item>
"""
