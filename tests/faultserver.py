"""A fault-injecting HTTP server on 127.0.0.1: a small generated WordPress-like site with broken pages mixed in."""

from __future__ import annotations

import gzip
import json
import socket
import struct
import threading
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

# --- the site's content -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """One article page: what the template renders, and so what the crawler must emit for it."""

    path: str
    headline: str
    paragraphs: tuple[str, ...]
    author: str | None = "Anna Keller"
    published: str | None = "2024-03-12T09:30:00+01:00"
    section: str = "Politics"
    post_id: int = 1000

    @property
    def body(self) -> str:
        """The record body schema v1 expects: the paragraphs joined by one blank line."""
        return "\n\n".join(self.paragraphs)


_BANK = (
    "Diplomats said a compromise could still be reached before the leaders meet in Brussels at the end of June, "
    "although several capitals have yet to show their hand.",
    "The Commission has promised to publish an impact assessment in the autumn, after critics complained that the "
    "original proposal had been drafted without consulting the industries it would affect.",
    "Opposition to the plan is strongest in the smaller member states, whose ministers fear that the new rules "
    "would hand a lasting advantage to the largest companies in the single market.",
    "Officials in Berlin and Paris have so far avoided taking a public position, but people familiar with the "
    "talks said both governments wanted stronger safeguards written into the text.",
    "Consumer groups welcomed the direction of travel but warned that enforcement had been the weak point of "
    "every comparable law adopted over the past decade.",
    "A spokesperson for the Council presidency said the file remained a priority and that technical meetings "
    "would continue every week until the summer recess.",
    "Analysts at two Brussels think tanks estimated the cost of the measures at between four and seven billion "
    "euros a year, most of it borne by national budgets rather than the EU.",
    "Trade unions have asked to be consulted before any final text is agreed, arguing that workers in the "
    "affected sectors had been left out of the discussion so far.",
    "The European Parliament's negotiating team is expected to vote on its mandate next month, which would allow "
    "formal talks with the member states to begin before the elections.",
    "Several MEPs said privately that the timetable was unrealistic and that the file was likely to be handed "
    "over to the next Commission for completion.",
    "Industry associations said they supported the goals of the proposal but asked for a transition period of at "
    "least three years to adapt their supply chains.",
    "The European Court of Auditors noted in a report last year that similar schemes had been slowed down by "
    "complex application procedures and a lack of staff in national administrations.",
    "Regional authorities in southern Europe have asked for a larger share of the funds, citing the damage "
    "caused by last summer's drought and wildfires.",
    "Environmental organisations described the draft as a missed opportunity and said they would challenge "
    "parts of it before the EU courts if it was adopted unchanged.",
    "Ministers will return to the issue at their next meeting in Luxembourg, where the presidency hopes to "
    "secure a general approach before handing over to its successor.",
    "A survey published last week found that a majority of citizens in 19 of the 27 member states supported "
    "common European action on the issue, with the highest approval in Portugal and Ireland.",
)


def _paragraphs(lead: str, seed: int, count: int = 4) -> tuple[str, ...]:
    """A story-specific lead paragraph followed by `count` distinct, deterministic paragraphs from the bank."""
    picked = []
    for i in range(count):
        first = _BANK[(seed * 5 + i * 3) % len(_BANK)]
        second = _BANK[(seed * 7 + i * 3 + 1) % len(_BANK)]
        picked.append(first if first == second else f"{first} {second}")
    return (lead, *picked)


def _story(path: str, headline: str, lead: str, seed: int, **kwargs: Any) -> Story:
    return Story(path, headline, _paragraphs(lead, seed), post_id=2000 + seed, **kwargs)


#: Good articles discovered through the ordinary sources (plain sitemap, gzip sitemap, feed, listings).
MIGRATION = _story(
    "/politics/council-agrees-migration-pact-reform/",
    "Council agrees its position on migration pact reform after all-night talks",
    "Interior ministers reached a common position on the reform of the EU's asylum rules early on Friday, ending "
    "a negotiation that had stalled for more than two years over how to share responsibility for new arrivals.",
    1,
    author="Anna Keller",
    published="2024-03-08T06:15:00+01:00",
)
ECB = _story(
    "/economy/ecb-holds-rates-as-growth-stalls/",
    "ECB holds interest rates steady as eurozone growth stalls",
    "The European Central Bank kept its deposit rate at 4% on Thursday, saying that inflation was falling faster "
    "than expected but that it was too early to discuss cuts while wage growth remained strong.",
    2,
    author="Marco Bellini",
    published="2024-03-07T14:45:00+01:00",
    section="Economy",
)
WIND = _story(
    "/energy/offshore-wind-auction-draws-record-bids/",
    "Offshore wind auction in the North Sea draws record number of bids",
    "Thirteen consortia have bid for the right to build wind farms off the Danish and German coasts, the largest "
    "field ever seen in a European offshore auction, energy ministers from both countries said on Tuesday.",
    3,
    author="Sofia Marques",
    published="2024-02-27T11:00:00+01:00",
    section="Energy",
)
FREIGHT = _story(
    "/transport/rail-freight-corridor-opens-between-ports/",
    "New rail freight corridor opens between Rotterdam and Genoa",
    "The first scheduled freight train on the upgraded corridor between the ports of Rotterdam and Genoa arrived "
    "on Monday, cutting the journey by almost a day compared with the route it replaces.",
    4,
    author="Jan de Vries",
    published="2024-02-19T08:00:00+01:00",
    section="Transport",
)
ANTIBIOTICS = _story(
    "/health/pharmacists-warn-of-antibiotic-shortages/",
    "Pharmacists warn of antibiotic shortages ahead of the winter season",
    "Pharmacists in at least twelve member states have reported shortages of common antibiotics for children, "
    "their European association said on Wednesday, calling for joint purchasing of the most critical medicines.",
    5,
    author="Claire Dubois",
    published="2024-01-31T10:20:00+01:00",
    section="Health",
)
LOBBYING = _story(
    "/politics/meps-back-stricter-lobbying-register/",
    "MEPs back a stricter lobbying register after the cash-for-influence scandal",
    "The European Parliament voted on Wednesday to make its transparency register mandatory for anyone seeking "
    "a meeting with its members, in the most far-reaching response yet to last year's corruption scandal.",
    6,
    author="Anna Keller",
    published="2024-01-17T16:05:00+01:00",
)
LATE_PAYMENTS = _story(
    "/economy/small-firms-struggle-with-late-payments/",
    "Small firms struggle as late payments pile up across the single market",
    "One in four small businesses in the EU has had to delay paying its own suppliers because its customers paid "
    "late, according to a survey published on Monday by the European association of craft and small enterprises.",
    7,
    author="Marco Bellini",
    published="2024-01-08T09:00:00+01:00",
    section="Economy",
)
GRID = _story(
    "/energy/grid-operators-call-for-faster-permits/",
    "Grid operators call for faster permits as connection queues grow",
    "Europe's electricity grid operators have asked governments to halve the time it takes to approve new "
    "power lines, warning that hundreds of gigawatts of wind and solar projects are waiting to be connected.",
    8,
    author="Sofia Marques",
    published="2023-12-12T12:30:00+01:00",
    section="Energy",
)

#: Good articles behind transient faults: the crawler must retry and then emit them.
FLAKY_500 = _story(
    "/politics/flaky-500-budget-talks-resume/",
    "Budget talks resume as net payers soften their stance",
    "Negotiations on the revision of the EU's long-term budget resumed on Thursday after the group of net "
    "contributors signalled that it could accept a modest increase in the ceiling for emergency spending.",
    9,
    author="Jan de Vries",
    published="2023-11-30T07:45:00+01:00",
)
FLAKY_503 = _story(
    "/economy/flaky-503-customs-reform-deal/",
    "Customs reform deal promises a single EU data hub for imports",
    "Member states and MEPs struck a provisional deal on Tuesday night on the biggest overhaul of the customs "
    "union since 1968, replacing 111 national IT systems with one European data hub for imported goods.",
    10,
    author="Claire Dubois",
    published="2023-11-21T22:10:00+01:00",
    section="Economy",
)
RATE_LIMITED = _story(
    "/energy/rate-limited-hydrogen-bank-results/",
    "Hydrogen bank's first auction backs seven projects in four countries",
    "The European Hydrogen Bank will support seven renewable hydrogen projects in Spain, Portugal, Finland and "
    "Norway with €720 million, the Commission said on Tuesday after its first pilot auction.",
    11,
    author="Sofia Marques",
    published="2023-11-14T13:00:00+01:00",
    section="Energy",
)

#: An article with no date and no byline anywhere: still an article.
UNDATED = _story(
    "/politics/undated-unsigned-explainer-qualified-majority/",
    "Explainer: how qualified majority voting works in the Council",
    "Most EU laws are adopted in the Council by qualified majority, which requires the support of 55% of member "
    "states representing at least 65% of the bloc's population, rather than by unanimity.",
    12,
    author=None,
    published=None,
)

#: Text with the characters that charset faults break: curly quotes, dashes, the euro sign and accents.
_CP1252_PARAGRAPHS = (
    "Brussels’ plan to cut red tape for farmers won the backing of 24 ministers on Monday – but France’s minister "
    "said the “simplification” did not go far enough and called for a pause on new environmental rules.",
    "The package, worth €1.2 billion over three years, lets farms under ten hectares skip inspections, a change "
    "the Commission says will save the sector’s smallest businesses around €2,000 each every year.",
    "Farmers’ groups from Rhône-Alpes to Bavaria said the relief was welcome but late, after months of protests "
    "in which tractors blocked motorways and the centre of Brussels – the café terraces of Place Luxembourg "
    "included.",
    "Environmental campaigners accused ministers of “dismantling the Green Deal piece by piece” and said they "
    "would ask the European Ombudsman to examine how the proposal had been prepared in under a month.",
)
_LATIN1_PARAGRAPHS = (
    "Österreichs Regierung hat am Mittwoch ein Paket zur Senkung der Energiepreise vorgestellt, das Haushalte im "
    "kommenden Winter um durchschnittlich 450 Euro entlasten soll, wie der Finanzminister in Wien erklärte.",
    "Die Maßnahmen umfassen eine befristete Senkung der Stromsteuer sowie Zuschüsse für Familien mit geringem "
    "Einkommen; größere Unternehmen profitieren über einen Bonus für Investitionen in Energieeffizienz.",
    "Kritiker in Brüssel äußerten Zweifel, ob die Förderung mit den europäischen Beihilferegeln vereinbar sei, "
    "und verwiesen auf ähnliche Programme, die die Kommission im Frühjahr geprüft hatte.",
    "Die Opposition nannte das Paket «zu spät und zu klein» und forderte eine dauerhafte Lösung für die "
    "Netzentgelte, die in den vergangenen Jahren um mehr als 30 Prozent gestiegen seien.",
)
_UTF8_PARAGRAPHS = (
    "Poland’s new government has unblocked €137 billion in EU funds after judicial reforms in Warsaw – a "
    "decision welcomed by Commission President Ursula von der Leyen as “a new chapter” for the country.",
    "Ministers in Kraków and Łódź said the money would go first to rail lines, hospitals and the energy "
    "transition, with the Żerań power station among the projects named in the first tranche.",
    "Critics in Budapest and the European Parliament’s Renew group questioned whether the reforms went far "
    "enough, pointing to appointments made under the previous government that are still in force.",
    "The Commission said payments would be reviewed every six months, and that it could suspend them again if "
    "Poland’s courts’ independence was not restored in full – a condition the justice minister accepted.",
)
CP1252_AS_UTF8 = Story(
    "/politics/charset-cp1252-declared-utf8-farm-rules/",
    "Ministers back simpler farm rules – but France wants more",
    _CP1252_PARAGRAPHS,
    author="Claire Dubois",
    published="2024-02-26T18:00:00+01:00",
    post_id=3001,
)
LATIN1_NO_CHARSET = Story(
    "/economy/charset-latin1-undeclared-energiepaket/",
    "Österreich präsentiert Energiepaket für den Winter",
    _LATIN1_PARAGRAPHS,
    author="Lukas Gruber",
    published="2023-10-18T10:00:00+02:00",
    section="Economy",
    post_id=3002,
)
UTF8_BOM = Story(
    "/politics/charset-utf8-bom-poland-funds/",
    "Poland’s €137 billion in EU funds unblocked after court reforms",
    _UTF8_PARAGRAPHS,
    author="Piotr Nowak",
    published="2024-02-29T15:40:00+01:00",
    post_id=3003,
)
HEADER_LIES = Story(
    "/politics/charset-header-latin1-body-utf8-farm-rules/",
    "Farm rules: “simplification” package wins ministers’ backing",
    _CP1252_PARAGRAPHS,
    author="Claire Dubois",
    published="2024-02-26T19:00:00+01:00",
    post_id=3004,
)
META_LIES = Story(
    "/economy/charset-meta-cp1252-body-utf8-poland-funds/",
    "Kraków and Łódź first in line for Poland’s unblocked EU funds",
    _UTF8_PARAGRAPHS,
    author="Piotr Nowak",
    published="2024-03-01T09:10:00+01:00",
    section="Economy",
    post_id=3005,
)

#: Listed only in the malformed sitemap, before the damage: lenient sitemap parsing (lxml recover) salvages it.
SALVAGED = _story(
    "/energy/salvaged-from-malformed-sitemap-battery-rules/",
    "Battery passport rules take effect for electric car makers",
    "Makers of electric cars and industrial batteries sold in the EU will have to publish the origin of the raw "
    "materials in each battery and its carbon footprint under rules that took effect on Sunday.",
    14,
    author="Jan de Vries",
    published="2024-02-18T07:00:00+01:00",
    section="Energy",
)

#: A page cut off mid-document (the server sends fewer bytes than the page has, with a matching length).
TRUNCATED = _story(
    "/economy/truncated-html-pension-reform/",
    "Pension reform: finance ministers compare notes on ageing costs",
    "Finance ministers compared plans for coping with the cost of ageing populations on Tuesday, as new figures "
    "showed pension spending rising to more than 13% of national output in half of the member states.",
    13,
    author="Marco Bellini",
    published="2023-10-03T11:30:00+02:00",
    section="Economy",
)

#: Cut off before its first paragraph: nothing of the article arrived, so there is nothing to emit.
TRUNCATED_EARLY = _story(
    "/politics/truncated-before-body-cohesion-funds/",
    "Cohesion funds: regions ask for more flexibility",
    "Regional leaders asked the Commission on Wednesday to let them move cohesion money between programmes "
    "without a lengthy approval procedure, saying the rules had not kept up with a series of crises.",
    15,
    author="Claire Dubois",
    published="2023-09-27T12:00:00+02:00",
)

#: Good articles carrying addresses urlsplit rejects: links with bad ports or hosts, and a rel=canonical with one.
BAD_HREFS = _story(
    "/politics/bad-hrefs-trade-defence-review/",
    "Trade defence review puts anti-dumping duties under scrutiny",
    "The Commission opened a review of its anti-dumping rules on Thursday, asking businesses whether the duties "
    "imposed on imports of steel, chemicals and solar panels had protected European producers as intended.",
    16,
    author="Marco Bellini",
    published="2023-09-14T10:00:00+02:00",
)
BAD_CANONICAL = _story(
    "/economy/bad-canonical-eu-bond-sale/",
    "EU bond sale draws strong demand from central banks",
    "The Commission raised €7 billion in a syndicated sale of ten-year bonds on Tuesday, with orders of more than "
    "€60 billion, as central banks and pension funds sought high-quality euro assets.",
    17,
    author="Jan de Vries",
    published="2023-09-05T15:20:00+02:00",
    section="Economy",
)
INVALID_HREFS = (
    "http://127.0.0.1:99999/politics/port-out-of-range/",
    "http://[::1/politics/broken-ipv6/",
    "http://127.0.0.1:notaport/politics/port-not-a-number/",
    "http://",
    "//",
    "?",
    "#top",
)

ORDINARY = (MIGRATION, ECB, WIND, FREIGHT, ANTIBIOTICS, LOBBYING, LATE_PAYMENTS, GRID)
RECOVERED = (FLAKY_500, FLAKY_503, RATE_LIMITED)
CHARSET_GOOD = (CP1252_AS_UTF8, LATIN1_NO_CHARSET, UTF8_BOM, HEADER_LIES, META_LIES)
#: Every page the crawler must emit exactly once, with this headline and body.
GOOD = (*ORDINARY, *RECOVERED, *CHARSET_GOOD, UNDATED, SALVAGED)

# Faulty article URLs: no record may ever come from them.
ALWAYS_500 = "/politics/always-500-summit-preview/"
NOT_FOUND = "/politics/gone-404-deleted-story/"
GONE = "/economy/gone-410-retracted-story/"
SLOW = "/energy/slow-response-grid-tariffs/"
DROPPED = "/transport/dropped-connection-airport-slots/"
EMPTY = "/politics/empty-200-page/"
HEADLINE_ONLY = "/politics/headline-only-live-blog/"
OVERSIZED = "/economy/oversized-page-annual-report/"
ENCODING_BOMB = "/economy/content-encoding-gzip-bomb/"
PDF = "/economy/annual-report-pdf/"
PNG = "/energy/chart-png/"
LOOP_A = "/politics/redirect-loop-a/"
LOOP_B = "/politics/redirect-loop-b/"
OFFSITE = "/transport/offsite-redirect-story/"
DEAD_LINK = "/health/dead-link-from-listing/"
BOMB_TARGET = "/politics/only-listed-inside-the-gzip-bomb/"

# Sitemaps.
SITEMAP_INDEX = "/sitemap_index.xml"
POST_SITEMAP = "/post-sitemap.xml"
GZIP_SITEMAP = "/post-sitemap2.xml.gz"
MALFORMED_SITEMAP = "/malformed-sitemap.xml"
BOMB_SITEMAP = "/bomb-sitemap.xml.gz"
SELF_INDEX = "/self-listing-sitemap-index.xml"

#: DOWNLOAD_MAXSIZE a test should set: every good page fits, OVERSIZED does not, bombs inflate far beyond it.
MAXSIZE = 256 * 1024
#: DOWNLOAD_TIMEOUT a test should set; SLOW answers only after SLOW_SECONDS.
TIMEOUT = 2
SLOW_SECONDS = 3.5
BOMB_BYTES = 50 * 1024 * 1024


# --- rendering --------------------------------------------------------------------------------------------

_NAV = (
    '<header id="masthead" class="site-header"><div class="site-branding"><a href="/" rel="home">EU Reporter</a>'
    '</div><nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">'
    '<li><a href="/">Home</a></li><li><a href="/category/politics/">Politics</a></li>'
    '<li><a href="/category/economy/">Economy</a></li><li><a href="/category/energy/">Energy</a></li>'
    '<li><a href="/about-us/">About us</a></li></ul></nav></header>'
)
_FOOTER = (
    '<footer id="colophon" class="site-footer"><div class="site-info">EU Reporter is an independent news website '
    'covering the politics, economy and people of the European Union. <a href="/privacy-policy/">Privacy policy'
    '</a> · <a href="/contact/">Contact</a></div><div id="cookie-notice" class="cookie-consent">This website uses '
    'cookies to improve your experience. <a href="/privacy-policy/">Read more</a></div></footer>'
)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _human_date(iso: str) -> str:
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    return f"{months[int(iso[5:7]) - 1]} {int(iso[8:10])}, {iso[:4]}"


def article_html(
    story: Story,
    base: str,
    *,
    meta_charset: str | None = "utf-8",
    related: tuple[Story, ...] = (),
    paragraphs: bool = True,
    canonical: str | None = None,
    links: tuple[str, ...] = (),
) -> str:
    """The WordPress single-post template: JSON-LD, OpenGraph, byline, entry content, related posts, chrome."""
    url = base + story.path
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": "EU Reporter"},
        "articleSection": story.section,
    }
    if story.author:
        ld["author"] = {"@type": "Person", "name": story.author}
    if story.published:
        ld["datePublished"] = story.published
    head = [
        f'<meta charset="{meta_charset}">' if meta_charset else "",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(story.headline)} – EU Reporter</title>",
        f'<link rel="canonical" href="{_esc(canonical or url)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{_esc(story.headline)}">',
        f'<meta property="og:url" content="{url}">',
        '<meta property="og:site_name" content="EU Reporter">',
        f'<meta property="article:section" content="{story.section}">',
    ]
    if story.published:
        head.append(f'<meta property="article:published_time" content="{story.published}">')
    head.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    meta = []
    if story.author:
        meta.append(
            f'<span class="byline">By <span class="author vcard"><a class="url fn n" '
            f'href="/author/{_slug(story.author)}/">{_esc(story.author)}</a></span></span>'
        )
    if story.published:
        meta.append(
            f'<span class="posted-on"><time class="entry-date published" datetime="{story.published}">'
            f"{_human_date(story.published)}</time></span>"
        )
    content = "\n".join(f"<p>{_esc(p)}</p>" for p in story.paragraphs) if paragraphs else ""
    related_items = "".join(f'<li><a href="{s.path}">{_esc(s.headline)}</a></li>' for s in related)
    related_items += "".join(f'<li><a href="{_esc(href)}">More</a></li>' for href in links)
    cid = story.post_id
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
{chr(10).join(h for h in head if h)}
</head>
<body class="post-template-default single single-post postid-{cid} single-format-standard">
<div id="page" class="site">
{_NAV}
<div id="content" class="site-content"><main id="main" class="site-main">
<article id="post-{cid}" class="post-{cid} post type-post status-publish format-standard hentry">
<header class="entry-header">
<div class="cat-links"><a href="/category/{_slug(story.section)}/" rel="category tag">{story.section}</a></div>
<h1 class="entry-title">{_esc(story.headline)}</h1>
<div class="entry-meta">{" ".join(meta)}</div>
</header>
<div class="entry-content">
{content}
</div>
<footer class="entry-footer"><div class="sharedaddy sd-sharing"><h3 class="sd-title">Share this:</h3>
<a href="https://twitter.com/intent/tweet?url={url}">Twitter</a> <a href="https://www.facebook.com/sharer.php?u={url}">
Facebook</a></div></footer>
</article>
<aside id="related-posts" class="related-posts widget"><h3 class="widget-title">Related posts</h3>
<ul>{related_items}</ul></aside>
</main>
<aside id="secondary" class="widget-area sidebar"><section class="widget widget_newsletter"><h2 class="widget-title">
Newsletter</h2><p>Get the day’s top stories from Brussels every morning.</p></section></aside>
</div>
{_FOOTER}
</div>
</body>
</html>
"""


def listing_html(
    title: str, stories: list[tuple[str, str]], *, body_class: str = "home blog", next_page: str | None = None
) -> str:
    """A WordPress archive/home page: one teaser <article> per (path, headline), and pagination."""
    teasers = "\n".join(
        f'<article class="post type-post status-publish hentry"><h2 class="entry-title"><a href="{path}" '
        f'rel="bookmark">{_esc(headline)}</a></h2><div class="entry-summary"><p>{_esc(headline)}. Read the full '
        f'story for the details.</p></div><a class="more-link" href="{path}">Read more</a></article>'
        for path, headline in stories
    )
    pagination = (
        f'<nav class="pagination"><a class="next page-numbers" href="{next_page}">Next</a></nav>' if next_page else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="utf-8"><title>{_esc(title)} – EU Reporter</title>
<meta property="og:type" content="website"></head>
<body class="{body_class}"><div id="page" class="site">{_NAV}
<div id="content" class="site-content"><main id="main" class="site-main">
<h1 class="page-title">{_esc(title)}</h1>
{teasers}
{pagination}
</main></div>{_FOOTER}</div></body></html>
"""


def _urlset(base: str, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc><lastmod>2024-03-01T10:00:00+00:00</lastmod></url>" for p in paths)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>\n"
    ).encode()


def _sitemapindex(base: str, paths: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in paths)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{maps}</sitemapindex>\n"
    ).encode()


def _feed(base: str, stories: list[Story]) -> bytes:
    items = "".join(
        f"<item><title>{_esc(s.headline)}</title><link>{base}{s.path}</link>"
        f"<pubDate>Mon, 04 Mar 2024 10:00:00 +0000</pubDate><description>{_esc(s.paragraphs[0])}</description></item>"
        for s in stories
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>EU Reporter</title>'
        f"<link>{base}/</link><description>News from Brussels</description>{items}</channel></rss>\n"
    ).encode()


@lru_cache(maxsize=4)
def gzip_bomb(inner_prefix: bytes, inner_suffix: bytes) -> bytes:
    """gzip of prefix + BOMB_BYTES spaces + suffix: about 50 kB on the wire, 50 MB once inflated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(inner_prefix)]
    parts.extend(compressor.compress(chunk) for _ in range(BOMB_BYTES // len(chunk)))
    parts.append(compressor.compress(inner_suffix))
    parts.append(compressor.flush())
    return b"".join(parts)


def _bomb_sitemap(base: str) -> bytes:
    prefix = b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    suffix = f"<url><loc>{base}{BOMB_TARGET}</loc></url></urlset>\n".encode()
    return gzip_bomb(prefix, suffix)


# --- the server -------------------------------------------------------------------------------------------

Route = Callable[["FaultHandler", int], None]


class FaultHandler(BaseHTTPRequestHandler):
    """Answers each path with its scripted behaviour; `attempt` is how often that path has been asked for."""

    server: FaultServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        attempt = self.server.record(path)
        route = self.server.routes.get(path)
        try:
            if route is None:
                self.send_body(b"<html><body class='error404'><h1>Not found</h1></body></html>", status=404)
            else:
                route(self, attempt)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeouts, cancelled oversized downloads): nothing left to do

    def send_body(
        self,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 301) -> None:
        self.send_body(b"", content_type="text/html; charset=utf-8", status=status, headers={"Location": location})

    def drop_mid_response(self, body: bytes) -> None:
        """Promise the whole body, send a third of it, then reset the connection."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 3])
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST on close
        self.connection.close()
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class _Log:
    counts: Counter[str] = field(default_factory=Counter)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)


class FaultServer(ThreadingHTTPServer):
    """The faulty site on 127.0.0.1 (a free port); `requests` counts what a crawl asked for, per path."""

    daemon_threads = True

    def __init__(
        self, site: Callable[[str], dict[str, Route]] | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        super().__init__((host, port), FaultHandler)
        self.stopping = threading.Event()
        self._log = _Log()
        self.routes: dict[str, Route] = (site or build_site)(self.url)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> Counter[str]:
        with self._log.lock:
            return Counter(self._log.counts)

    def request_times(self, path: str) -> list[float]:
        with self._log.lock:
            return list(self._log.times[path])

    def record(self, path: str) -> int:
        with self._log.lock:
            self._log.counts[path] += 1
            self._log.times[path].append(time.monotonic())
            return self._log.counts[path]

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a handler that died with its client (reset, timeout) is part of the script, not news

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="fault-server", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


def page(
    body: bytes | str,
    content_type: str = "text/html; charset=utf-8",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Route:
    """A fixed answer: these bytes with this status and these headers, every time."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda handler, attempt: handler.send_body(data, content_type, status, headers)


def fail_first(times: int, status: int, good: Route, headers: dict[str, str] | None = None) -> Route:
    """`status` for the first `times` requests, then the good page."""
    failure = page(f"<html><body><h1>Error {status}</h1></body></html>", status=status, headers=headers)

    def route(handler: FaultHandler, attempt: int) -> None:
        (failure if attempt <= times else good)(handler, attempt)

    return route


def slow(seconds: float, good: Route) -> Route:
    """The good page, but only after `seconds` (or nothing, when the server stops first)."""

    def route(handler: FaultHandler, attempt: int) -> None:
        if handler.server.stopping.wait(seconds):
            return
        good(handler, attempt)

    return route


def _pdf() -> bytes:
    """A small PDF as real ones start: the binary comment line, then a compressed content stream."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Annual report 2023) Tj ET")
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n3 0 obj<</Length "
        + str(len(stream)).encode()
        + b"/Filter/FlateDecode>>stream\n"
        + stream
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _png() -> bytes:
    raw = b"\x00\xff\x00\x00"  # one red pixel row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") + (1).to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def charset_pages(base: str) -> dict[str, tuple[bytes, str]]:
    """The charset faults: each page's bytes and its Content-Type header, by path."""
    related = ORDINARY[:2]
    cp1252 = article_html(CP1252_AS_UTF8, base, related=related).encode("cp1252")
    latin1 = article_html(LATIN1_NO_CHARSET, base, meta_charset=None, related=related)
    latin1 = latin1.replace("’", "'").replace("–", "-")  # the template's own typography is not latin-1
    bom = b"\xef\xbb\xbf" + article_html(UTF8_BOM, base, meta_charset=None, related=related).encode("utf-8")
    header_lies = article_html(HEADER_LIES, base, meta_charset="utf-8", related=related).encode("utf-8")
    meta_lies = article_html(META_LIES, base, meta_charset="windows-1252", related=related).encode("utf-8")
    return {
        CP1252_AS_UTF8.path: (cp1252, "text/html; charset=utf-8"),  # cp1252 bytes, declared UTF-8 twice
        LATIN1_NO_CHARSET.path: (latin1.encode("latin-1"), "text/html"),  # no charset anywhere
        UTF8_BOM.path: (bom, "text/html"),  # only the byte-order mark says UTF-8
        HEADER_LIES.path: (header_lies, "text/html; charset=iso-8859-1"),  # header wrong, <meta> right
        META_LIES.path: (meta_lies, "text/html; charset=utf-8"),  # header right, <meta> wrong
    }


def build_site(base: str) -> dict[str, Route]:
    """Every path of the faulty site and how it answers. Discovery: robots -> index -> sitemaps, feed, listings."""
    routes: dict[str, Route] = {}
    html_type = "text/html; charset=utf-8"

    def article(story: Story, **kwargs: Any) -> bytes:
        others = tuple(s for s in ORDINARY if s is not story)[:3]
        return article_html(story, base, related=others, **kwargs).encode("utf-8")

    for story in (*ORDINARY, UNDATED):
        routes[story.path] = page(article(story))
    routes[FLAKY_500.path] = fail_first(1, 500, page(article(FLAKY_500)))
    routes[FLAKY_503.path] = fail_first(1, 503, page(article(FLAKY_503)))
    routes[RATE_LIMITED.path] = fail_first(1, 429, page(article(RATE_LIMITED)), headers={"Retry-After": "1"})

    for path, (body, content_type) in charset_pages(base).items():
        routes[path] = page(body, content_type)

    # Broken pages.
    full = article(TRUNCATED)
    cut = full.index(TRUNCATED.paragraphs[3][:60].encode()) + 40  # mid-sentence, inside the fourth paragraph
    routes[TRUNCATED.path] = page(full[:cut])
    early = article(TRUNCATED_EARLY)
    routes[TRUNCATED_EARLY.path] = page(early[: early.index(b'<div class="entry-meta">') + 10])
    routes[ALWAYS_500] = page("<html><body><h1>Internal Server Error</h1></body></html>", status=500)
    routes[NOT_FOUND] = page("<html><body class='error404'><h1>Page not found</h1></body></html>", status=404)
    routes[GONE] = page("<html><body><h1>Gone</h1><p>This story was retracted.</p></body></html>", status=410)
    slow_story = Story(SLOW, "Grid tariffs", ECB.paragraphs, post_id=4001)
    routes[SLOW] = slow(SLOW_SECONDS, page(article(slow_story)))
    dropped_story = Story(DROPPED, "Airport slots", WIND.paragraphs, post_id=4002)
    dropped_body = article(dropped_story)
    routes[DROPPED] = lambda handler, attempt: handler.drop_mid_response(dropped_body)
    routes[EMPTY] = page(b"")
    headline_only = Story(HEADLINE_ONLY, "Live: EU leaders meet in Brussels for the spring summit", (), post_id=4003)
    routes[HEADLINE_ONLY] = page(article(headline_only, paragraphs=False))
    huge = Story(
        OVERSIZED,
        "Annual report of the European Investment Fund, in full",
        tuple(p for _ in range(300) for p in GRID.paragraphs),
        post_id=4004,
    )
    routes[OVERSIZED] = page(article(huge))
    assert len(article(huge)) > MAXSIZE
    bomb_page = gzip_bomb(article(ECB)[:2000], b"</p></div></article></body></html>")
    routes[ENCODING_BOMB] = page(bomb_page, html_type, headers={"Content-Encoding": "gzip"})
    routes[PDF] = page(_pdf(), "application/pdf")
    routes[PNG] = page(_png(), "image/png")
    routes[LOOP_A] = lambda handler, attempt: handler.redirect(LOOP_B)
    routes[LOOP_B] = lambda handler, attempt: handler.redirect(LOOP_A, 302)
    routes[OFFSITE] = lambda handler, attempt: handler.redirect("http://example.invalid/transport/story/")
    routes[BOMB_TARGET] = page(article(Story(BOMB_TARGET, "Bomb target", MIGRATION.paragraphs, post_id=4005)))
    routes[SALVAGED.path] = page(article(SALVAGED))

    # Discovery.
    routes["/robots.txt"] = page(
        f"User-agent: *\nDisallow: /wp-admin/\n\nSitemap: {base}{SITEMAP_INDEX}\nSitemap: {base}{SELF_INDEX}\n",
        "text/plain; charset=utf-8",
    )
    routes[SITEMAP_INDEX] = page(
        _sitemapindex(base, [POST_SITEMAP, GZIP_SITEMAP, MALFORMED_SITEMAP, BOMB_SITEMAP, SELF_INDEX]),
        "application/xml; charset=utf-8",
    )
    routes[SELF_INDEX] = page(_sitemapindex(base, [SELF_INDEX, POST_SITEMAP]), "application/xml; charset=utf-8")
    sitemap_paths = [
        MIGRATION.path,
        ECB.path,
        WIND.path,
        GRID.path,
        UNDATED.path,
        *(s.path for s in RECOVERED),
        *(s.path for s in CHARSET_GOOD),
        TRUNCATED.path,
        TRUNCATED_EARLY.path,
        ALWAYS_500,
        NOT_FOUND,
        GONE,
        SLOW,
        DROPPED,
        EMPTY,
        HEADLINE_ONLY,
        OVERSIZED,
        ENCODING_BOMB,
        PDF,
        OFFSITE,
    ]
    routes[POST_SITEMAP] = page(_urlset(base, sitemap_paths), "application/xml; charset=utf-8")
    routes[GZIP_SITEMAP] = page(
        gzip.compress(_urlset(base, [FREIGHT.path, ANTIBIOTICS.path]), mtime=0), "application/x-gzip"
    )
    malformed = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}{SALVAGED.path}</loc><lastmod>2024-03-01</lastmod></url>"
        f"<url><loc>{base}{ECB.path}<lastmod>&bogus;</url></loc>\x00\x01<<urlset>"
    ).encode()
    routes[MALFORMED_SITEMAP] = page(malformed, "application/xml; charset=utf-8")
    routes[BOMB_SITEMAP] = page(_bomb_sitemap(base), "application/x-gzip")
    routes["/feed/"] = page(_feed(base, [LOBBYING, GRID, CP1252_AS_UTF8]), "application/rss+xml; charset=utf-8")
    home = [(s.path, s.headline) for s in (GRID, MIGRATION, WIND)]
    home += [(p, "Teaser") for p in (PDF, PNG, LOOP_A, OFFSITE, DEAD_LINK, HEADLINE_ONLY, EMPTY)]
    routes["/"] = page(listing_html("Latest news", home, next_page="/page/2/"))
    routes["/page/2/"] = page(
        listing_html(
            "Latest news – page 2",
            [(LATE_PAYMENTS.path, LATE_PAYMENTS.headline), (ECB.path, ECB.headline)],
            body_class="home blog paged paged-2",
        )
    )
    by_section: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_author: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for story in GOOD:
        by_section[_slug(story.section)].append((story.path, story.headline))
        if story.author:
            by_author[_slug(story.author)].append((story.path, story.headline))
    for name, items in by_section.items():
        routes[f"/category/{name}/"] = page(listing_html(name.title(), items, body_class="archive category"))
    for name, items in by_author.items():
        routes[f"/author/{name}/"] = page(listing_html(name.title(), items, body_class="archive author"))
    return routes


# --- small sites for the exit-status scenarios ------------------------------------------------------------


def _small_site(base: str, good: tuple[Story, ...], extra: dict[str, Route], sitemap: list[str]) -> dict[str, Route]:
    routes: dict[str, Route] = {s.path: page(article_html(s, base)) for s in good}
    routes.update(extra)
    robots = "User-agent: *\n" + (f"Sitemap: {base}{POST_SITEMAP}\n" if sitemap else "")
    routes["/robots.txt"] = page(robots, "text/plain; charset=utf-8")
    if sitemap:
        routes[POST_SITEMAP] = page(_urlset(base, sitemap), "application/xml; charset=utf-8")
    routes["/"] = page(listing_html("Latest news", [(s.path, s.headline) for s in good]))
    return routes


def error_storm_site(status: int | None, failing: int = 40) -> Callable[[str], dict[str, Route]]:
    """Two good articles and `failing` article URLs that always answer `status` (None: drop the connection)."""

    def build(base: str) -> dict[str, Route]:
        bad = [f"/politics/storm-{status or 'dropped'}-story-{i}/" for i in range(failing)]
        body = article_html(Story("/x/", "Dropped", ECB.paragraphs), base).encode("utf-8")
        if status is None:
            error: Route = lambda handler, attempt: handler.drop_mid_response(body)  # noqa: E731
        else:
            error = page(f"<html><body><h1>Error {status}</h1></body></html>", status=status)
        return _small_site(base, ORDINARY[:2], dict.fromkeys(bad, error), [s.path for s in ORDINARY[:2]] + bad)

    return build


def no_articles_site(base: str) -> dict[str, Route]:
    """A site that answers, with a home page and an about page, but links to no article at all."""
    routes = _small_site(base, (), {}, [])
    routes["/about-us/"] = page(listing_html("About us", [], body_class="page page-id-2"))
    return routes


def slow_site_of(seconds: float) -> Callable[[str], dict[str, Route]]:
    """Two good articles and four that answer only after `seconds`: a crawl still running when stopped."""

    def build(base: str) -> dict[str, Route]:
        slow_paths = [f"/economy/slow-story-{i}/" for i in range(4)]
        slow_routes: dict[str, Route] = {}
        for i, path in enumerate(slow_paths):
            story = Story(path, f"Slow story number {i} about the grid", ECB.paragraphs, post_id=5000 + i)
            answer = page(article_html(story, base))
            slow_routes[path] = slow(seconds, answer) if seconds else answer
        return _small_site(base, ORDINARY[:2], slow_routes, [s.path for s in ORDINARY[:2]] + slow_paths)

    return build


slow_site = slow_site_of(SLOW_SECONDS)


def bad_urls_site(base: str) -> dict[str, Route]:
    """Two plain articles, one linking to unparseable addresses, one whose rel=canonical is unparseable."""
    bad_links = article_html(BAD_HREFS, base, related=ORDINARY[:2], links=INVALID_HREFS)
    bad_canonical = article_html(
        BAD_CANONICAL, base, related=ORDINARY[:2], canonical=f"https://www.eureporter.co:99999{BAD_CANONICAL.path}"
    )
    extra = {BAD_HREFS.path: page(bad_links), BAD_CANONICAL.path: page(bad_canonical)}
    good = (*ORDINARY[:2], BAD_HREFS, BAD_CANONICAL)
    return _small_site(base, ORDINARY[:2], extra, [s.path for s in good])


# --- sites for the nightly-safety scenarios (robots.txt, Retry-After, a full disk) ------------------------


def _with_feed(base: str, routes: dict[str, Route], stories: tuple[Story, ...]) -> dict[str, Route]:
    routes["/feed/"] = page(_feed(base, list(stories)), "application/rss+xml; charset=utf-8")
    return routes


def robots_site(robots: str, status: int = 200, delay: float = 0.0) -> Callable[[str], dict[str, Route]]:
    """Four good articles (sitemap, feed, home page) behind this robots.txt, answered after `delay` seconds."""

    def build(base: str) -> dict[str, Route]:
        good = ORDINARY[:4]
        routes = _with_feed(base, _small_site(base, good, {}, [s.path for s in good]), good[:2])
        answer = page(f"{robots}\nSitemap: {base}{POST_SITEMAP}\n", "text/plain; charset=utf-8", status=status)
        routes["/robots.txt"] = slow(delay, answer) if delay else answer
        return routes

    return build


#: Articles whose server asks, the first night, to come back much later (429 + Retry-After).
LIMITED = tuple(
    _story(
        f"/economy/rate-limited-story-{i}/",
        f"Member states report progress on the single market scoreboard, chapter {i}",
        f"Chapter {i} of the Commission's single market scoreboard shows how quickly member states transposed "
        f"the rules adopted in {2010 + i}, and where infringement procedures are still open.",
        40 + i,
    )
    for i in range(16)
)


def rate_limited_site(retry_after: str | None, waits: int = 0) -> Callable[[str], dict[str, Route]]:
    """Four good articles, and LIMITED answering 429 with `retry_after` (None: they are good articles too);
    `waits` of them answer 429 with Retry-After: 2 once, then the page (a wait within the cap)."""

    def build(base: str) -> dict[str, Route]:
        good = ORDINARY[:4]
        extra: dict[str, Route] = {}
        for index, story in enumerate(LIMITED):
            article = page(article_html(story, base))
            if retry_after is None:
                extra[story.path] = article
            elif index < waits:
                extra[story.path] = fail_first(1, 429, article, headers={"Retry-After": "2"})
            else:
                extra[story.path] = page("<h1>Too many requests</h1>", status=429, headers={"Retry-After": retry_after})
        return _small_site(base, good, extra, [s.path for s in (*good, *LIMITED)])

    return build


#: Articles of the full-disk site: each record is some 2.5 kB of JSON.
MANY = tuple(
    _story(
        f"/politics/full-disk-story-{i}/",
        f"Regional assembly number {i} votes on the cohesion fund reform",
        f"The regional assembly number {i} voted on Tuesday on the reform of the cohesion funds, after a debate "
        "that lasted most of the day and ended with a narrow majority.",
        60 + i,
    )
    for i in range(24)
)


def many_articles_site(base: str) -> dict[str, Route]:
    return _small_site(base, MANY, {}, [s.path for s in MANY])
