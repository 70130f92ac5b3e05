"""What a site publishes, read by the spider: robots.txt, sitemaps (read as the crawl takes their entries) and feeds,
those the home page announces or, when there are none, those at the usual addresses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number

from newsspider.discovery import USUAL_FEEDS, USUAL_SITEMAPS, Entry, parse_feed, read_sitemap, sitemaps_from_robots
from newsspider.discovery.frontier import LIMITS_PREFIX

if TYPE_CHECKING:
    from newsspider.discovery.sources import NewsSitemap


class PublishedSources:
    """The NewsSpider's readers of robots.txt, sitemaps and feeds (a part of the spider, apart for its length)."""

    # Provided by NewsSpider.
    profile: Any
    backlog: Any
    crawler: Any
    settings: Any
    logger: Any

    def usual_sitemaps(self) -> Iterator[Request]:
        """When neither the profile nor robots.txt names a sitemap: the places sites usually put one."""
        if not self.profile.sitemaps:
            yield from filter(None, (self.sitemap_request(path, probe=True) for path in USUAL_SITEMAPS))

    def parse_robots(self, response: Response) -> Iterator[Request]:
        urls = sitemaps_from_robots(response.body, response.url)
        self._count("discovery/robots_sitemaps", len(urls))
        for url in urls:
            request = self.sitemap_request(url)
            if request is not None:
                yield request
        if not urls:
            yield from self.usual_sitemaps()

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """A sitemap index or URL set, read as the crawl takes its entries (NEWSSPIDER_MAX_SITEMAP_URLS)."""
        self.backlog.arrived(first_url(response))
        sitemap = read_sitemap(self._sitemap_body(response) or b"")
        if sitemap is None:
            self._count("discovery/invalid_sitemap")
            if not response.meta.get("newsspider_probe"):
                self.logger.warning("Ignoring invalid sitemap %s", response.url)
            yield from self.refill()
            return
        self._count("discovery/sitemaps")
        entries = self.since_filter(self._entries(sitemap, response.url), "sitemap_entries_skipped")
        if sitemap.type == "sitemapindex":
            self.backlog.add_index(filter(None, (self.sitemap_request(entry.url) for entry in entries)))
        else:
            self.backlog.add_urlset(self.page_requests(((e.url, e.lastmod) for e in entries), source="sitemap"))
        yield from self.refill()

    def _entries(self, sitemap: NewsSitemap, url: str) -> Iterator[Entry]:
        """The sitemap's entries, relative locations (against the protocol, but seen) resolved against it."""
        for entry in sitemap.entries():
            yield entry if "://" in entry.url else replace(entry, url=urljoin(url, entry.url))
        if sitemap.truncated:
            self._count("discovery/truncated_sitemap")
            self.logger.warning("Sitemap %s is cut short; read what it had", url)

    def refill(self, *, when_low: bool = False) -> Iterator[Request]:
        """Requests from sitemaps waiting to be read, while the scheduler holds fewer than NEWSSPIDER_MAX_SITEMAP_URLS
        (with `when_low`: only once it holds fewer than half). Taken a few at a time as Scrapy takes them, so the
        scheduler's length is known at each step."""
        cap = self.settings.getint("NEWSSPIDER_MAX_SITEMAP_URLS")
        scheduler = self.crawler.engine.scheduler if self.crawler.engine is not None else None
        if not self.backlog.pending or (cap and when_low and self._waiting(scheduler) >= cap // 2):
            return
        deferred = self.backlog.deferred
        while self.backlog.pending:
            waiting = self._waiting(scheduler)
            if cap and waiting >= cap:
                self.backlog.mark_deferred()  # the rest is read as the crawl drains the scheduler
                break
            batch = self.backlog.take(min(50, cap - waiting) if cap else None)
            if not batch and not self.backlog.movable:
                break  # only child sitemaps left, and enough of them in flight: their entries come first
            self.crawler.stats.max_value("newsspider/discovery/requests_waiting_max", waiting + len(batch))
            yield from batch
        if self.backlog.deferred > deferred:
            self.crawler.stats.inc_value(LIMITS_PREFIX + "sitemap_urls", self.backlog.deferred - deferred)

    @staticmethod
    def _waiting(scheduler: Any) -> int:
        return len(scheduler) if scheduler is not None else 0

    def _sitemap_body(self, response: Response) -> bytes | None:
        if gzip_magic_number(response):
            try:
                return gunzip(response.body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception:  # a corrupt or oversized (bomb) gzip is an invalid sitemap, not a crash
                return None
        return response.body

    def parse_feed(self, response: Response) -> Iterator[Request]:
        entries = parse_feed(response.body)
        if not entries:
            self._count("discovery/empty_feed")
            return
        self._count("discovery/feeds")
        entries = self.since_filter(entries, "feed_entries_skipped")
        yield from self.page_requests(((entry.url, None) for entry in entries), source="feed")

    def since_filter(self, entries: Iterable[Entry], counter: str) -> Iterator[Entry]:
        """Sitemap and feed entries, without those older than `since` (counted as newsspider/since/<counter>)."""
        for entry in entries:
            if self.older_than_since(entry.lastmod):
                self._count(f"since/{counter}")
            else:
                yield entry

    def home_feeds(self, announced: Iterable[str]) -> Iterator[Request]:
        """The feeds the home page announces; none announced and none in the profile: the usual feed paths."""
        announced = [url for url in announced if not self.profile.is_denied_path(url_path(url))]  # comment feeds
        self._count("discovery/announced_feeds", len(announced))
        for url in announced:
            request = self.feed_request(url, probe=True)  # a feed announced but missing is the site's noise
            if request is not None:
                yield request
        if not announced and not self.profile.feeds:
            yield from filter(None, (self.feed_request(path, probe=True) for path in USUAL_FEEDS))


def first_url(response: Response) -> str:
    """The URL the page was requested as, before any redirect."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def url_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
