"""The generic news spider: a site profile says where to look; this walks robots.txt, sitemaps, feeds and listings."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, UsageError
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from twisted.python.failure import Failure

from newsspider.crawl.incremental import needs_refresh
from newsspider.crawl.pool import EXTRACTION_CRASHED, ExtractionPool
from newsspider.discovery import Entry, UrlMapper, parse_feed, parse_sitemap, sitemaps_from_robots
from newsspider.extract import decode_html
from newsspider.items import ArticleItem
from newsspider.sites.profile import SiteProfile

_TRUE = {"1", "true", "yes", "on"}


class NewsSpider(Spider):
    """Crawl one site described by `profile`; subclasses set `name` and `profile` and nothing else."""

    profile: ClassVar[SiteProfile]
    #: Spider arguments (-a NAME=VALUE) this spider understands; anything else is a usage error.
    arguments: ClassVar[frozenset[str]] = frozenset({"base_url", "full", "max_listing_pages", "follow_article_links"})

    @classmethod
    def check_arguments(cls, arguments: dict[str, Any]) -> None:
        """Refuse bad spider arguments with one clear message (raised before the crawl starts)."""
        unknown = sorted(set(arguments) - cls.arguments - {"_job"})
        if unknown:
            raise UsageError(
                f"unknown spider argument(s): {', '.join(unknown)}; known: {', '.join(sorted(cls.arguments))}",
                print_help=False,
            )
        base_url = arguments.get("base_url") or cls.profile.base_url
        try:
            parts = urlsplit(base_url)
            parts.port  # noqa: B018 (raises on a malformed port)
        except ValueError:
            parts = urlsplit("")
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise UsageError(
                f"base_url must be an http(s) URL like https://example.org/, got {base_url!r}", print_help=False
            )
        max_pages = arguments.get("max_listing_pages")
        if max_pages not in (None, "") and not str(max_pages).isdigit():
            raise UsageError(f"max_listing_pages must be a whole number, got {max_pages!r}", print_help=False)

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        self.check_arguments(kwargs)
        parts = urlsplit(kwargs.pop("base_url", None) or self.profile.base_url)
        self.full = str(kwargs.pop("full", "0")).lower() in _TRUE
        self.follow_article_links = str(kwargs.pop("follow_article_links", "1")).lower() in _TRUE
        max_pages = kwargs.pop("max_listing_pages", None)
        super().__init__(name, **kwargs)
        self.base_url = f"{parts.scheme}://{parts.netloc}"
        self.allowed_domains = [parts.hostname or ""]
        self.max_listing_pages = int(max_pages) if max_pages else self.profile.max_listing_pages
        self.mapper = UrlMapper(self.profile, self.base_url, self.max_listing_pages)
        self.run_started = datetime.now(timezone.utc)
        #: Sitemap lastmod per crawl URL, and (ETag, Last-Modified) per fetched article URL, for the state stage.
        self.lastmods: dict[str, str] = {}
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        self.refreshed: set[str] = set()
        #: Page URLs already requested or ruled out this run: pages repeat the same links (menus, "Recent Posts"),
        #: and a Request built only for the dupefilter to drop it costs more than the page's own processing.
        self.scheduled: set[str] = set()
        self.discovered: set[str] = set()
        self.run_id = f"{self.run_started:%Y-%m-%dT%H-%M-%SZ}-{os.getpid()}"

    # --- discovery --------------------------------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extractor = ExtractionPool.from_crawler(crawler)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        # Entry points are fetched every run, even when a JOBDIR's persisted dupefilter has seen them before,
        # as Scrapy's own start requests are (dont_filter); `discovery_request` keeps them once per run.
        requests = [self.discovery_request(self.base_url + self.profile.robots_txt, self.parse_robots, "robots", 30)]
        requests += [self.sitemap_request(self.base_url + path, probe=True) for path in self.profile.sitemaps]
        requests += [
            self.discovery_request(self.base_url + path, self.parse_feed, "feed", 20, probe=True)
            for path in self.profile.feeds
        ]
        requests += [
            self.discovery_request(self.base_url + path, self.parse_page, "listing", 10)
            for path in self.profile.listings
        ]
        for request in requests:
            if request is not None:
                yield request

    def discovery_request(
        self, url: str, callback: Any, source: str, priority: int, *, probe: bool = False
    ) -> Request | None:
        if url in self.discovered:
            return None
        self.discovered.add(url)
        meta = {"newsspider_source": source, "newsspider_probe": probe}
        if source == "listing":
            meta["newsspider_kind"] = "listing"
        # With a shared (Redis) frontier the dupefilter is per crawl, not stale: let it share discovery too.
        refetch = not self.settings.get("REDIS_URL")
        return Request(url, callback=callback, errback=self.on_error, meta=meta, priority=priority, dont_filter=refetch)

    def sitemap_request(self, url: str, *, probe: bool = False) -> Request | None:
        return self.discovery_request(url, self.parse_sitemap, "sitemap", 20, probe=probe)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        for url in sitemaps_from_robots(response.body, response.url):
            crawl_url = self.mapper.to_crawl_url(url)
            request = self.sitemap_request(crawl_url) if crawl_url else None
            if request is not None:
                yield request

    def sitemap_filter(self, entries: Iterable[Entry]) -> Iterable[Entry]:
        """SitemapSpider's hook: the place to skip entries by lastmod (the incremental middleware does)."""
        yield from entries

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        body = self._sitemap_body(response)
        kind, entries = parse_sitemap(body) if body else ("invalid", [])
        if kind == "invalid":
            self._count("discovery/invalid_sitemap")
            if not response.meta.get("newsspider_probe"):
                self.logger.warning("Ignoring invalid sitemap %s", response.url)
            return
        self._count("discovery/sitemaps")
        for entry in self.sitemap_filter(entries):
            url = self.mapper.to_crawl_url(entry.url)
            if not url:
                continue
            if entry.is_sitemap:
                request = self.sitemap_request(url)
                if request is not None:
                    yield request
            else:
                yield from self.page_requests([url], source="sitemap", lastmod=entry.lastmod)

    def _sitemap_body(self, response: Response) -> bytes | None:
        if gzip_magic_number(response):
            try:
                return gunzip(response.body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception:  # a corrupt or oversized (bomb) gzip is an invalid sitemap, not a crash
                return None
        return response.body

    def parse_feed(self, response: Response) -> Iterable[Request]:
        entries = parse_feed(response.body)
        if not entries:
            self._count("discovery/empty_feed")
            return
        self._count("discovery/feeds")
        for entry in entries:
            url = self.mapper.to_crawl_url(entry.url)
            if url:
                yield from self.page_requests([url], source="feed", lastmod=entry.lastmod)

    def page_requests(self, urls: Iterable[str], *, source: str, lastmod: str | None = None) -> Iterable[Request]:
        for url in urls:
            if url in self.discovered or (url in self.scheduled and not lastmod):
                continue  # an entry point (fetched anyway) or already requested
            kind = self.mapper.kind(url)
            if kind == "skip":
                self.scheduled.add(url)
                continue
            meta = {"newsspider_source": source, "newsspider_kind": kind}
            refresh = False
            if lastmod and source == "sitemap":
                meta["newsspider_lastmod"] = lastmod
                self.lastmods[url] = lastmod
                # Changed since the last run: fetch it even if a listing link already queued (and skipped) it.
                refresh = url not in self.refreshed and needs_refresh(self.crawler, url, lastmod)
                if refresh:
                    self.refreshed.add(url)
            if url in self.scheduled and not refresh:
                continue
            self.scheduled.add(url)
            yield Request(
                url,
                callback=self.parse_page,
                errback=self.on_error,
                meta=meta,
                dont_filter=refresh,
                priority=5 if kind == "listing" else 0,
            )

    # --- pages ------------------------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        if not isinstance(response, TextResponse):
            self._count("pages/not_html")
            content_type = response.headers.get("Content-Type", b"?").decode("latin-1")
            self.logger.info("Not an HTML page (%s): %s", content_type, response.url)
            return
        fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        # Decoded by our rules, not Scrapy's: a mislabelled charset must not turn into mojibake.
        html = decode_html(response.body, _header(response, b"Content-Type"))
        result = await self.extractor.extract(html, response.url, self.profile, fetched_at, self.mapper)
        is_article = result.record is not None
        if is_article:
            # A page that names no canonical address of its own is known by its live address, not the mirror's.
            result.record["canonical_url"] = self.mapper.to_live_url(result.record["canonical_url"])
            self._count("pages/article")
            self.validators[response.url] = (_header(response, b"ETag"), _header(response, b"Last-Modified"))
            yield ArticleItem(**result.record)
        elif result.reason and result.reason.startswith(EXTRACTION_CRASHED):
            self._count(f"errors/{EXTRACTION_CRASHED}")
        else:
            self._count("pages/not_article")
            if response.meta.get("newsspider_kind") == "article":
                self.logger.info("No article at %s: %s", response.url, result.reason)
                self._count("pages/no_article_at_article_url")
        if is_article and not self.follow_article_links:
            return
        for request in self.page_requests(result.links, source="link"):
            yield request

    # --- errors -----------------------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            message = failure.getErrorMessage()
            if "DOWNLOAD_MAXSIZE" in message or "max size" in message.lower():
                self._failed(request, "too_large", message, response=False)
            elif "max redirections" in message.lower():
                self._failed(request, "redirect_loop", message, response=False)
            return  # otherwise skipped on purpose (already known, robots.txt, not modified): counted where decided
        if request.meta.get("newsspider_probe") or request.meta.get("newsspider_source") == "robots":
            # Probing well-known sitemap and feed addresses: a 404 there is normal, not an error.
            self._count("discovery/probe_missing")
            if response is None:
                self._count("requests/failed_no_response")
            return
        if response is not None:
            kind = f"http_{response.status}"
            dead_link = (
                request.meta.get("newsspider_source") == "link" or request.meta.get("newsspider_kind") == "listing"
            )
            if response.status in {404, 410} and dead_link:
                # A dead link on some page, or a missing listing page, is the web's normal noise, not a failed crawl.
                self._count("broken_links")
                self.logger.debug("Broken link %s: %s", request.url, kind)
                return
            self._failed(request, kind, kind, response=True)
            return
        kind = "too_large" if "Cancelled" in (failure.type.__name__ if failure.type else "") else None
        kind = kind or (failure.type.__name__ if failure.type else "Error")
        self._failed(request, kind, failure.getErrorMessage() or kind, response=False)

    def _failed(self, request: Request, kind: str, reason: str, *, response: bool) -> None:
        """Count and log one failed URL with its reason; failures without a response feed the error ratio."""
        self._count(f"errors/{kind}")
        if not response:
            self._count("requests/failed_no_response")
        self.logger.warning("Failed %s: %s", request.url, reason)

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"newsspider/{key}")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
