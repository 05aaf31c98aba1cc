"""A saved WordPress weekly update with its "Resources from the past week" list (issue 15).

Modelled on ../shared/seeds/003_*.txt, the 20 November 2023 update: the same sections and
listings (the Burmese open letter right after its English original), here as a WordPress
theme renders them, each listing's title a link to the resource. ``update_page`` writes the
list in the markup variants themes use: a listing's ``By …`` line in its own paragraph or
after a ``<br>``; the reports under a heading or after empty spacer paragraphs (the blank
lines of the text dump).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

URL = "https://progressivevoicemyanmar.org/2023/11/20/aid-for-the-people-by-the-people/"
NAMING_FOOTNOTE = (
    "[1] One year following the 1988 pro-democracy uprising, the former military junta "
    "changed the country’s name from Burma to Myanmar overnight."
)
CLOSING = (
    "Progressive Voice is a participatory, rights-based policy research and advocacy "
    "organization that was born out of Burma Partnership."
)
INTRO = [
    "“The time is now to cut ties with the junta and provide much needed aid directly to the "
    "people through the people.”",
    "Local civil society organizations remain on the frontlines of the humanitarian response, "
    "delivering aid through trusted networks to the people displaced by the junta’s airstrikes.",
]


@dataclass(frozen=True)
class Listing:
    title: str
    by: str
    href: str


def _link(slug: str) -> str:
    return f"https://resources.example.org/2023/11/{slug}/"


OPEN_LETTER_EN = (
    "Open letter: Finland and Switzerland must stop lending legitimacy to Myanmar military "
    "junta and its sham peace efforts"
)
OPEN_LETTER_MY = (
    "မြန်မာ စစ်ခေါင်းဆောင်များနှင့် ၎င်းတို့၏ ငြိမ်းချမ်းရေး အယောင်ပြ ကြိုးပမ်းမှုအား "
    "အသိအမှတ်ပြုမှု မပေးရန် ဖင်လန်နှင့် ဆွစ်ဇာလန်တို့ကို တောင်းဆိုခြင်း"
)
CSOS = "661 Civil Society Organizations"
OCHA = "UN Office for the Coordination of Humanitarian Affairs"
KHRG = "Karen Human Rights Group"

STATEMENTS = [
    Listing(OPEN_LETTER_EN, CSOS, _link("open-letter-finland-switzerland")),
    Listing(OPEN_LETTER_MY, CSOS, _link("open-letter-finland-switzerland-mm")),
    Listing(
        "Myanmar junta raids Rakhine State news agency, arrests journalist",
        "Committee to Protect Journalists",
        _link("rakhine-news-agency-raid"),
    ),
    Listing(
        "U.N. to review Bangladesh’s human rights record on November 13",
        "Fortify Rights",
        _link("bangladesh-upr"),
    ),
    Listing(
        "In the Dark – The crime of enforced disappearances and their impacts on the rural "
        "communities of Southeast Burma since the 2021 coup",
        KHRG,
        _link("in-the-dark-statement"),
    ),
]
REPORTS = [
    Listing(
        "Coup Watch October 2023: Illegal Junta Hit by More Sanctions and Resistance Offensive",
        "ALTSEAN-Burma, Asia Democracy Network, Asian Forum for Human Rights and Development, "
        "Burma Human Rights Network, Initiatives for International Dialogue, International "
        "Federation for Human Rights, Progressive Voice, US Campaign for Burma and Women’s "
        "Peace Network",
        _link("coup-watch-october-2023"),
    ),
    Listing(
        "In the Dark – The crime of enforced disappearance and its impacts on the rural "
        "communities of Southeast Burma since the 2021 coup",
        KHRG,
        "https://resources.example.org/wp-content/uploads/2023/11/In-the-Dark.pdf",
    ),
    Listing(
        "Summary of SAC human rights violations in Karenni State and Pekhon Township "
        "(Oct 23 – Nov 5, 2023)",
        "Karenni Civil Society Network",
        _link("karenni-summary"),
    ),
    Listing(
        "Myanmar Humanitarian Update No. 34 | 10 November 2023",
        OCHA,
        _link("humanitarian-update-34"),
    ),
    Listing(
        "Myanmar: Escalation of clashes in northern Shan and the Northwest Flash Update #3 "
        "(As of 9 November 2023)",
        OCHA,
        _link("flash-update-3"),
    ),
]
#: Every listing of the page, in order.
LISTINGS = STATEMENTS + REPORTS


def _listing_html(listing: Listing, by_after_br: bool) -> str:
    title = f'<a href="{escape(listing.href)}">{escape(listing.title)}</a>'
    by = f"By {escape(listing.by)}"
    if by_after_br:
        return f"<p><strong>{title}</strong><br>\n{by}</p>\n"
    return f"<p>{title}</p>\n<p>{by}</p>\n"


def update_page(
    paragraphs: Sequence[str] = INTRO,
    *,
    title: str = "Aid for the People, by the People",
    date_iso: str = "2023-11-20T08:00:00+00:00",
    statements: Sequence[Listing] = STATEMENTS,
    reports: Sequence[Listing] = REPORTS,
    reports_heading: str | None = "Reports",
    by_after_br: bool = False,
    resources_heading: str = "Resources from the past week",
) -> str:
    """The update as a WordPress theme saves it: chrome around, the post in ``entry-content``.

    ``reports_heading=None``: the reports follow two empty spacer paragraphs, no heading
    (``""``: neither, straight after the statements);
    ``by_after_br``: each listing is one paragraph, its ``By …`` line after a ``<br>``.
    """
    intro = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    resources = ""
    if resources_heading:
        resources = f"<h3>{escape(resources_heading)}</h3>\n"
        if statements:
            resources += "<h4>Statements and Press Releases</h4>\n"
            resources += "".join(_listing_html(x, by_after_br) for x in statements)
        if reports:
            if reports_heading is None:
                resources += "<p>&nbsp;</p>\n<p>&nbsp;</p>\n"
            elif reports_heading:
                resources += f"<h4>{escape(reports_heading)}</h4>\n"
            resources += "".join(_listing_html(x, by_after_br) for x in reports)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>{escape(title)} &#8211; Progressive Voice</title>
<link rel="canonical" href="{URL}">
<meta property="og:site_name" content="Progressive Voice">
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="{date_iso}">
<script>var pvData = {{"nonce": "abc"}};</script>
</head>
<body class="post-template-default single single-post">
<header id="masthead"><nav class="main-navigation"><a href="/">Home</a>
<a href="/category/weekly-highlights/">Weekly Highlights</a>
<a href="/resources/">Resources</a></nav></header>
<main id="main">
<article class="post type-post status-publish hentry category-weekly-highlights">
<header class="entry-header">
<h1 class="entry-title">{escape(title)}</h1>
<div class="entry-meta"><time class="entry-date published" datetime="{date_iso}">November
20th, 2023</time> • Author: <span class="author vcard"><a class="url fn n"
href="/author/pv/">Progressive Voice</a></span> • 7 minute read</div>
</header>
<div class="entry-content">
<figure class="wp-block-image"><img src="/wp-content/uploads/2023/11/aid.jpg" alt="">
<figcaption>Featured image</figcaption></figure>
{intro}<p>{escape(NAMING_FOOTNOTE)}</p>
{resources}<p><em>{escape(CLOSING)}</em></p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul>
<li><a href="https://twitter.com/share?url={URL}">Twitter</a></li>
<li><a href="https://www.facebook.com/sharer.php?u={URL}">Facebook</a></li></ul></div>
</div>
<footer class="entry-footer"><span class="cat-links"><a href="/category/weekly-highlights/"
rel="category tag">Weekly Highlights</a></span></footer>
</article>
</main>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Recent posts</h2><ul>
<li><a href="/2023/11/13/older/">An older weekly update about something else</a></li></ul>
</section></aside>
<footer id="colophon"><p>© 2023 Progressive Voice. All rights reserved.</p></footer>
</body></html>
"""
