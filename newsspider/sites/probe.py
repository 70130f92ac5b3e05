"""Probing a site for a first profile: what robots.txt, the usual sitemap and feed addresses and the home page say.

A handful of polite requests (robots.txt obeyed, our User-Agent, one at a time) with the standard library; the
crawl itself is Scrapy's. Parsing is the crawler's own (newsspider.discovery).
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from newsspider import settings as defaults
from newsspider.discovery import (
    USUAL_FEEDS,
    USUAL_SITEMAPS,
    announced_feeds,
    parse_feed,
    read_sitemap,
    sitemaps_from_robots,
)

#: (status, body) of a GET; status 0 when there was no answer.
Fetch = Callable[[str], tuple[int, bytes]]
_MAX_BODY = 8 * 1024 * 1024


def fetch(url: str, timeout: float = 20.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": defaults.USER_AGENT, "Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(_MAX_BODY)
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, OSError, ValueError):
        return 0, b""


@dataclass
class Probe:
    """What a site publishes, as found by `probe_site`."""

    root: str
    reachable: bool = False
    robots_sitemaps: list[str] = field(default_factory=list)
    probed_sitemaps: list[str] = field(default_factory=list)
    sitemap_urls: int = 0
    announced_feeds: list[str] = field(default_factory=list)
    probed_feeds: list[str] = field(default_factory=list)
    feed_urls: int = 0
    site_name: str | None = None
    language: str | None = None
    refused_by_robots: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sitemaps(self) -> list[str]:
        return self.robots_sitemaps + self.probed_sitemaps

    @property
    def feeds(self) -> list[str]:
        return self.announced_feeds + self.probed_feeds


_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>([^<]{1,200})</title>", re.IGNORECASE)
_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def probe_site(root: str, get: Fetch = fetch) -> Probe:
    """robots.txt (its Sitemap lines, else the usual sitemap addresses), the home page (name, language, the feeds
    it announces, else the usual feed addresses); every address checked by reading what it returns."""
    parts = urlsplit(root)
    base = f"{parts.scheme}://{parts.netloc}"
    probe = Probe(root=base + "/")
    robots = urllib.robotparser.RobotFileParser()
    status, body = get(base + "/robots.txt")
    robots.parse(body.decode("utf-8", errors="replace").splitlines() if status == 200 else [])
    probe.reachable = status != 0

    def allowed(url: str) -> bool:
        if robots.can_fetch(defaults.USER_AGENT, url):
            return True
        probe.refused_by_robots.append(url)
        return False

    if status == 200:
        probe.robots_sitemaps = sitemaps_from_robots(body, base + "/robots.txt")
    for url in probe.robots_sitemaps or [base + path for path in USUAL_SITEMAPS]:
        if not allowed(url):
            continue
        status, body = get(url)
        probe.reachable |= status != 0
        sitemap = read_sitemap(body) if status == 200 else None
        if sitemap is None:
            continue
        if url not in probe.robots_sitemaps:
            probe.probed_sitemaps.append(url)
        probe.sitemap_urls += sum(1 for _ in sitemap.entries())
    status, body = get(base + "/") if allowed(base + "/") else (0, b"")
    probe.reachable |= status != 0
    html = body.decode("utf-8", errors="replace") if status == 200 else ""
    probe.site_name = _site_name(html)
    language = _LANG.search(html)
    probe.language = language.group(1).lower() if language else None
    probe.announced_feeds = [url for url in announced_feeds(html, base + "/") if "comments" not in url]
    for url in probe.announced_feeds or [base + path for path in USUAL_FEEDS]:
        if not allowed(url):
            continue
        status, body = get(url)
        entries = parse_feed(body) if status == 200 else []
        if entries and url not in probe.announced_feeds:
            probe.probed_feeds.append(url)
        probe.feed_urls += len(entries)
    return probe


def _site_name(page: str) -> str | None:
    for tag in _META.findall(page[:200_000]):
        if re.search(r"""property\s*=\s*["']og:site_name["']""", tag, re.IGNORECASE):
            content = re.search(r"""content\s*=\s*(?:"([^"]*)"|'([^']*)')""", tag, re.IGNORECASE)
            if content and (value := html.unescape(content.group(1) or content.group(2) or "").strip()):
                return value
    title = _TITLE.search(page)
    if title:
        return re.split(r"\s+[-|–—:·]\s+", html.unescape(title.group(1)).strip())[-1].strip() or None
    return None


def profile_toml(probe: Probe, *, written: date | None = None) -> str:
    """A first profile for a probed site: what was found as values, every other field as a commented example."""
    root_host = urlsplit(probe.root).netloc

    def relative(url: str) -> str:
        parts = urlsplit(url)
        if parts.netloc != root_host:
            return url
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def strings(values: list[str]) -> str:
        return "[" + ", ".join(_quote(v) for v in values) + "]"

    sitemaps = [relative(url) for url in probe.probed_sitemaps]
    feeds = [relative(url) for url in probe.probed_feeds]
    lines = [
        f"# Profile written by `newsspider sites add` on {(written or date.today()).isoformat()}.",
        '# Every field is explained in the README ("Adding a site"); `newsspider sites check NAME` tries it.',
        f"url = {_quote(probe.root)}",
        f"site_name = {_quote(probe.site_name or urlsplit(probe.root).hostname or '')}",
        f"languages = {strings([probe.language] if probe.language else [])}",
        "# site_names = []                 # other spellings of the name, stripped from headlines",
        "# domains = []                    # other hosts of the site (language sub-domains); '*.example.org' for all",
        '# timezone = "Europe/Berlin"      # for times printed without a UTC offset',
        '# since = "2024-01-01"            # a first crawl takes nothing older',
        "",
        "[discovery]",
        "# Found every run anyway: robots.txt's Sitemap lines"
        + (f" ({', '.join(probe.robots_sitemaps)})" if probe.robots_sitemaps else " (none)")
        + ", the feeds the home page announces"
        + (f" ({', '.join(probe.announced_feeds)})" if probe.announced_feeds else " (none)")
        + ".",
        f"sitemaps = {strings(sitemaps)}",
        f"feeds = {strings(feeds)}",
        'listings = ["/"]',
        "# follow_article_links = true",
        "",
        "[urls]",
        "# allow = []         # regexes over path?query: only matching URLs are requested",
        "# deny = []          # never requested",
        "# not_articles = []  # requested for their links, never emitted",
        "",
        "# [selectors]        # CSS, or XPath after 'xpath:'; only where the generic rules get a field wrong",
        '# headline = "h1.entry-title"',
        '# authors = ".byline a"',
        '# published = "time.published::attr(datetime)"',
        '# body = "div.entry-content"',
        '# remove = [".ad", ".related-posts"]',
        "",
        "# [politeness]",
        "# download_delay = 1.0",
        "# concurrent_requests_per_domain = 2",
        "",
        "# [limits]",
        "# max_requests = 100000",
        "# max_listing_pages = 50",
    ]
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'
