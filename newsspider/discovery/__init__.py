"""Discovery stage: what a site publishes (robots.txt, sitemaps, feeds, links) turned into URLs to crawl."""

from newsspider.discovery.sources import Entry, parse_feed, parse_sitemap, sitemaps_from_robots
from newsspider.discovery.urls import UrlMapper, iter_links

__all__ = ["Entry", "UrlMapper", "iter_links", "parse_feed", "parse_sitemap", "sitemaps_from_robots"]
