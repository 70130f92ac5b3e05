"""Discovery stage: what a site publishes (robots.txt, sitemaps, feeds, links) turned into URLs to crawl."""

from newsspider.discovery.sources import (
    USUAL_FEEDS,
    USUAL_SITEMAPS,
    Entry,
    announced_feeds,
    parse_feed,
    read_sitemap,
    sitemaps_from_robots,
)
from newsspider.discovery.urls import UrlMapper, iter_links

__all__ = [
    "USUAL_FEEDS",
    "USUAL_SITEMAPS",
    "Entry",
    "UrlMapper",
    "announced_feeds",
    "iter_links",
    "parse_feed",
    "read_sitemap",
    "sitemaps_from_robots",
]
