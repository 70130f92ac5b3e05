"""What a site publishes about its pages: robots.txt sitemap lines, sitemaps and feeds, read into URL entries."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

_XML_PARSER_OPTIONS = {"recover": True, "resolve_entities": False, "no_network": True, "huge_tree": False}


@dataclass(frozen=True)
class Entry:
    """A URL a source published, with the freshness hint it gave (sitemap lastmod, feed date)."""

    url: str
    lastmod: str | None = None
    is_sitemap: bool = False


def sitemaps_from_robots(body: bytes, base_url: str) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    return [
        urljoin(base_url, line.split(":", 1)[1].strip())
        for line in text.splitlines()
        if line.strip().lower().startswith("sitemap:") and ":" in line
    ]


def parse_sitemap(body: bytes) -> tuple[str, list[Entry]]:
    """("sitemapindex" | "urlset" | "invalid", entries) for a sitemap document; never raises on bad XML."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(**_XML_PARSER_OPTIONS))
    except (etree.XMLSyntaxError, ValueError):
        return "invalid", []
    if root is None:
        return "invalid", []
    kind = etree.QName(root).localname.lower()
    if kind not in {"sitemapindex", "urlset"}:
        return "invalid", []
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        # Only the entry's own children: <image:loc> and <video:loc> inside a <url> are not the page.
        values = {etree.QName(c).localname.lower(): (c.text or "").strip() for c in node if isinstance(c.tag, str)}
        loc = values.get("loc")
        if not loc:
            continue
        lastmod = values.get("lastmod") or None
        if lastmod is None:
            published = node.xpath(".//*[local-name()='publication_date']/text()")
            lastmod = published[0].strip() if published else None
        entries.append(Entry(loc, lastmod, is_sitemap=kind == "sitemapindex"))
    return kind, entries


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
