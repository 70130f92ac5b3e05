"""What a site publishes about its pages: robots.txt sitemap lines, sitemaps, feeds and the feeds a page announces."""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

_XML_PARSER_OPTIONS = {"recover": True, "resolve_entities": False, "no_network": True, "huge_tree": False}

#: Where sites usually put a sitemap, probed when robots.txt names none (and the profile lists none).
USUAL_SITEMAPS = (
    "/sitemap.xml",
    "/sitemap_index.xml",
    "/wp-sitemap.xml",
    "/sitemap-index.xml",
    "/news-sitemap.xml",
    "/sitemap_news.xml",
)
#: Where sites usually put a feed, probed when the home page announces none (and the profile lists none).
USUAL_FEEDS = ("/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/rss/", "/index.xml")


@dataclass(frozen=True)
class Entry:
    """A URL a source published, with the freshness hint it gave (sitemap lastmod, feed date)."""

    url: str
    lastmod: str | None = None
    is_sitemap: bool = False


def sitemaps_from_robots(body: bytes, base_url: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt, as absolute URLs (Scrapy's own reader)."""
    return list(sitemap_urls_from_robots(body, base_url=base_url))


class NewsSitemap(Sitemap):
    """Scrapy's streaming sitemap reader, plus Google News sitemaps: `<news:publication_date>` is the lastmod of an
    entry that gives none. Only an entry's own children are read (`<image:loc>` inside a `<url>` is not the page)."""

    __slots__ = ("truncated",)

    def __init__(self, body: bytes) -> None:
        super().__init__(body)
        self.truncated = False

    def _process_sitemap_element(self, elem: Any) -> dict[str, Any] | None:
        published = None
        for child in elem:
            if isinstance(child.tag, str) and child.tag.endswith("news"):  # <news:news>, read before it is cleared
                dates = [d.text for d in child if isinstance(d.tag, str) and d.tag.endswith("publication_date")]
                published = dates[0].strip() if dates and dates[0] else None
        entry = super()._process_sitemap_element(elem)
        if entry is not None and published:
            entry["publication_date"] = published
        return entry

    def entries(self) -> Iterator[Entry]:
        """The sitemap's entries, read as they are needed; a document cut short ends them (and sets `truncated`)."""
        is_index = self.type == "sitemapindex"
        try:
            for values in self:
                loc = values.get("loc")
                if loc:
                    lastmod = values.get("lastmod") or values.get("publication_date") or None
                    yield Entry(loc, lastmod, is_sitemap=is_index)
        except etree.XMLSyntaxError:
            self.truncated = True


def read_sitemap(body: bytes) -> NewsSitemap | None:
    """A sitemap index or URL set to read entries from; None when the body is not one (HTML, garbage, empty)."""
    if not body or not body.strip():
        return None
    try:
        sitemap = NewsSitemap(body)
    except (etree.XMLSyntaxError, StopIteration, ValueError):
        return None
    return sitemap if sitemap.type in {"urlset", "sitemapindex"} else None


def parse_feed(body: bytes) -> list[Entry]:
    """Article links of an RSS 2.0, RSS 1.0 or Atom feed, with their dates."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(**_XML_PARSER_OPTIONS))
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    entries = []
    for item in root.xpath("//*[local-name()='item' or local-name()='entry']"):
        link = None
        date = None
        for child in item:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname.lower()
            if name == "link" and link is None:
                rel = child.get("rel", "alternate")
                link = (child.get("href") if rel == "alternate" else None) or (child.text or "").strip() or None
            elif name in {"pubdate", "updated", "published", "date"} and date is None:
                date = (child.text or "").strip() or None
        if link is None:
            guid = item.xpath("*[local-name()='guid'][not(@isPermaLink='false')]/text()")
            link = guid[0].strip() if guid else None
        if link:
            entries.append(Entry(link, date))
    return entries


_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
#: Only the document's head announces feeds; a page's size must not make this slow.
_HEAD_LIMIT = 256 * 1024


def announced_feeds(html: str, base_url: str) -> list[str]:
    """Feed URLs a page announces with `<link rel="alternate" type="application/rss+xml" href=...>` in its head."""
    end = html.find("</head>", 0, _HEAD_LIMIT)
    head = html[: end if end >= 0 else _HEAD_LIMIT]
    feeds = []
    for tag in _LINK_TAG.findall(head):
        attributes = {m[0].lower(): html_entities.unescape(m[1] or m[2] or m[3]) for m in _ATTRIBUTE.findall(tag)}
        rel = attributes.get("rel", "").lower().split()
        kind = attributes.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in _FEED_TYPES and attributes.get("href"):
            feeds.append(urljoin(base_url, attributes["href"].strip()))
    return list(dict.fromkeys(feeds))
