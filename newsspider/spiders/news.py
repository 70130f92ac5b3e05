"""The generic news spider: `scrapy crawl news -a url=ROOT` (any site) or `-a site=NAME` (a profile).

It walks what the site publishes (robots.txt Sitemap lines or the usual sitemap locations, sitemap indexes and
Google News sitemaps, the feeds its home page announces or the usual feed paths, the home page, its sections and
their pagination, links between articles) and lets extraction decide, page by page, what is an article. Limits
(newsspider.discovery.frontier) bound every trap. State decisions are not made here: each request carries its facts
in `meta` for the incremental middleware and the state stage:

- `newsspider_source`: robots | sitemap | feed | listing | link; `newsspider_probe`: a guessed address (404 is fine)
- `newsspider_kind`: listing (fetched every run) | article (maybe an article: skipped when an earlier run emitted it)
- `newsspider_url_key`: the URL's identity in the state (its live address, also when crawling a mirror)
- `newsspider_lastmod`: the sitemap's lastmod for the page; `newsspider_depth`: article pages the link came through
- `newsspider_refetch`: fetch even if known (`-a full=1`, and entry points)

A spider instance is named after its site, so state, lock, output, stats and Redis keys are all per site.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse

if TYPE_CHECKING:
    pass

from newsspider.crawl.pool import EXTRACTION_CRASHED, ExtractionPool
from newsspider.discovery import (
    UrlMapper,
)
from newsspider.discovery.backlog import HELD, SitemapBacklog
from newsspider.discovery.frontier import LIMITS_PREFIX, Admission, Frontier, Limits, is_pagination
from newsspider.discovery.since import SincePaging, day_of
from newsspider.extract import decode_html
from newsspider.items import ArticleItem
from newsspider.normalize import dedupe_key
from newsspider.paths import new_run_id
from newsspider.spiders.arguments import ARGUMENTS, CrawlArguments, resolve
from newsspider.spiders.failures import FailureCounting
from newsspider.spiders.sources import PublishedSources, first_url, url_path

#: Request priorities: discovery first, then listings, then pages; a listing's next page after its articles.
PRIORITY = {"robots": 30, "sitemap": 20, "feed": 20, "listing": 10, "article": 0, "next_page": -1}


class NewsSpider(PublishedSources, FailureCounting, Spider):
    """Crawl one site: `-a url=ROOT` (generic) or `-a site=NAME` (a profile), `-a base_url=` pointing at a mirror."""

    name = "news"
    #: The profile a subclass crawls when no `site` argument names one (`eureporter`).
    site: ClassVar[str | None] = None
    #: Spider arguments (-a NAME=VALUE) this spider understands; anything else is a usage error.
    arguments: ClassVar[frozenset[str]] = frozenset(ARGUMENTS)

    @classmethod
    def check_arguments(
        cls, arguments: dict[str, Any], settings: Any = None, *, required: bool = True
    ) -> CrawlArguments:
        """Refuse bad spider arguments with one clear message (raised before the crawl starts)."""
        return resolve(arguments, settings, allowed=cls.arguments, default_site=cls.site, required=required)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        # `scrapy crawl` has checked the arguments already (a site is required there); other commands may make the
        # spider without any (`scrapy check`).
        crawl = cls.check_arguments(kwargs, crawler.settings, required=False)
        # The profile's politeness and limits, below -s on the command line (Scrapy's "spider" priority).
        for name, value in crawl.profile.settings.items():
            crawler.settings.set(name, value, priority="spider")
        if crawl.max_listing_pages is not None:
            crawler.settings.set("NEWSSPIDER_MAX_LISTING_PAGES", crawl.max_listing_pages, priority="cmdline")
        passed = {k: v for k, v in kwargs.items() if k == "_job"}  # Scrapyd's job id, kept as Scrapy would
        spider = super().from_crawler(crawler, *args, crawl=crawl, **passed)
        spider.extractor = ExtractionPool.from_crawler(crawler)
        spider.frontier = Frontier(Limits.from_settings(crawler.settings))
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    def __init__(self, *args: Any, crawl: CrawlArguments, **kwargs: Any) -> None:
        super().__init__(crawl.profile.name, *args, **kwargs)
        self.profile = crawl.profile
        self.crawl = crawl
        parts = urlsplit(crawl.root)
        self.base_url = f"{parts.scheme}://{parts.netloc}"
        self.mapper = UrlMapper(self.profile, self.base_url)
        hosts = {parts.hostname or ""} | {h.removeprefix("*.") for h in self.profile.hosts()}
        self.allowed_domains = sorted(hosts) if not self.mapper.mirror else [parts.hostname or ""]
        self.run_started = datetime.now(timezone.utc)
        self.run_id = new_run_id(self.run_started)
        #: Page URLs already requested or ruled out this run: pages repeat the same links (menus, "Recent Posts"),
        #: and a Request built only for the dupefilter to drop it costs more than the page's own processing.
        self.scheduled: set[str] = set()
        self.discovered: set[str] = set()
        self.paging = SincePaging() if crawl.since else None
        self.backlog = SitemapBacklog()

    # --- entry points -----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        # Entry points are fetched every run, even when a JOBDIR's persisted dupefilter has seen them before,
        # as Scrapy's own start requests are (dont_filter); `discovery_request` keeps them once per run.
        requests = [self.discovery_request(self.profile.robots_txt, self.parse_robots, "robots")]
        requests += [self.sitemap_request(path, probe=True) for path in self.profile.sitemaps]
        requests += [self.feed_request(path, probe=True) for path in self.profile.feeds]
        requests += [self.discovery_request(path, self.parse_page, "listing") for path in self.profile.listings]
        for request in requests:
            if request is not None:
                yield request

    def discovery_request(
        self, url: str, callback: Any, source: str, *, probe: bool = False, lastmod: str | None = None
    ) -> Request | None:
        """A request for an entry point (robots.txt, sitemap, feed, listing named by the profile): once per run."""
        url = self.base_url + url if url.startswith("/") else self.mapper.to_crawl_url(url, rules=False)
        if url is None or url in self.discovered or not self.frontier.admit_any():
            return None
        self.discovered.add(url)
        meta: dict[str, Any] = {"newsspider_source": source, "newsspider_probe": probe, "newsspider_depth": 0}
        if source == "listing":
            meta.update(newsspider_kind="listing", newsspider_home=urlsplit(url).path in {"", "/"})
        # With a shared (Redis) frontier the dupefilter is per crawl, not stale: let it share discovery too.
        refetch = not self.settings.get("REDIS_URL")
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta=meta,
            priority=PRIORITY[source],
            dont_filter=refetch,
        )

    def sitemap_request(self, url: str, *, probe: bool = False) -> Request | None:
        return self.discovery_request(url, self.parse_sitemap, "sitemap", probe=probe)

    def feed_request(self, url: str, *, probe: bool = False) -> Request | None:
        return self.discovery_request(url, self.parse_feed, "feed", probe=probe)

    # --- pages ------------------------------------------------------------------------------------------

    def page_requests(
        self,
        entries: Iterable[tuple[str, str | None]],
        *,
        source: str,
        page: Response | None = None,
        from_article: bool = False,
    ) -> Iterator[Any]:
        """Requests for discovered pages, (URL, sitemap lastmod) pairs: links of `page` (already resolved), or sitemap
        and feed entries; each past the frontier's limits and once per run (a page a sitemap gives a lastmod may be
        asked for again: the incremental middleware decides). For sitemap entries it also gives HELD for an entry
        the frontier keeps back, so that the sitemap backlog counts it."""
        depth = int(page.meta.get("newsspider_depth", 0)) if page is not None else 0
        later: list[Request] = []
        for raw, lastmod in entries:
            url = raw if page is not None else self.mapper.to_crawl_url(raw)
            if url is None:
                continue  # off the site
            paged = self.paging is not None and page is not None and not is_pagination(url, page.url)
            if paged and self.mapper.kind(url) == "article":
                self.paging.linked(page.url, url)  # its verdict tells whether the listing pages on
            if url in self.discovered or (url in self.scheduled and not lastmod):
                continue  # an entry point (fetched anyway) or already requested
            kind = self.mapper.kind(url)
            if kind == "skip":
                self.scheduled.add(url)
                continue
            next_page = page is not None and is_pagination(url, page.url)
            depth_here = depth + (from_article and not next_page)
            make = partial(
                self._page_request, url, kind, source, depth_here, lastmod, next_page and self.paging is not None
            )
            if url in self.scheduled:
                yield make()  # a sitemap lastmod for a page already requested: the middleware decides
                continue
            admission = self.frontier.admit_page(url, depth_here, linked=page is not None, request=make)
            if admission is Admission.HELD and source == "sitemap":
                yield HELD  # takes room in the sitemap backlog: the frontier holds it
            if not admission:
                continue
            self.scheduled.add(url)
            if self.paging is not None and next_page:
                later.append(make())  # after the page's articles: they tell whether to page on
                continue
            yield make()
        for request in later:
            if page is None or self.paging is None or not self.paging.hold(page.url, request):
                yield request
        self._flush_limits()

    def _page_request(
        self, url: str, kind: str, source: str, depth: int, lastmod: str | None, held_page: bool
    ) -> Request:
        """The request for a page, its facts in meta (the module docstring lists them)."""
        meta: dict[str, Any] = {
            "newsspider_source": source,
            "newsspider_kind": kind,
            "newsspider_depth": depth,
            "newsspider_url_key": dedupe_key(self.mapper.to_live_url(url)),
        }
        if lastmod:
            meta["newsspider_lastmod"] = lastmod
        if self.crawl.full:
            meta["newsspider_refetch"] = True
        priority = PRIORITY["next_page" if held_page else kind]
        return Request(url, callback=self.parse_page, errback=self.on_error, meta=meta, priority=priority)

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        """Extract the page (in the pool); an article becomes an item; its links (and announced feeds) are followed.

        @demo_page 2022/11/15/baltic-ports-brace-for-record-grain-transit/
        @returns items 1 1
        @scrapes url canonical_url headline body authors published language section content_hash
        """
        if not isinstance(response, TextResponse):
            self._count("pages/not_html")
            content_type = response.headers.get("Content-Type", b"?").decode("latin-1")
            self.logger.info("Not an HTML page (%s): %s", content_type, response.url)
            return
        if response.url != first_url(response):
            # Redirected (an entry point's redirect keeps its dont_filter): links to where it landed are not new.
            self.scheduled.add(response.url)
        fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        # Decoded by our rules, not Scrapy's: a mislabelled charset must not turn into mojibake.
        html = decode_html(response.body, _header(response, b"Content-Type"))
        home = bool(response.meta.get("newsspider_home"))
        page = await self.extractor.extract(
            html,
            response.url,
            self.profile,
            fetched_at,
            self.mapper,
            max_links=self.frontier.limits.max_links_per_page,
            with_feeds=home,
        )
        record = page.record
        if record is not None and self.profile.is_declared_non_article(url_path(response.url)):
            record = None  # the profile says pages like this are never articles
        if record is not None:
            # A page that names no canonical address of its own is known by its live address, not the mirror's.
            record["canonical_url"] = self.mapper.to_live_url(record["canonical_url"])
            self._count("pages/article")
        elif page.reason and page.reason.startswith(EXTRACTION_CRASHED):
            self._count(f"errors/{EXTRACTION_CRASHED}")
        else:
            self._count("pages/not_article")
            if response.meta.get("newsspider_kind") == "article":
                self.logger.debug("No article at %s: %s", response.url, page.reason)
        for make in self.frontier.record_verdict(first_url(response), record is not None):
            yield make()  # held back for its family, which turned out to hold articles
        if page.links_cut:  # NEWSSPIDER_MAX_LINKS_PER_PAGE: the first ones in the page were taken
            self.crawler.stats.inc_value(LIMITS_PREFIX + "links_per_page")
        older = record is not None and self.older_than_since(record.get("published"))
        for request in self.resolved(first_url(response), article=record is not None, older=older):
            yield request
        if record is not None:
            if older:
                self._count("since/older_articles")
            else:
                yield ArticleItem(**record)
            if not self.crawl.follow_article_links:
                return
        if home:
            for request in self.home_feeds(page.feeds):
                yield request
        links = ((url, None) for url in page.links)
        for request in self.page_requests(links, source="link", page=response, from_article=record is not None):
            yield request
        for request in self.refill(when_low=True):
            yield request

    def older_than_since(self, moment: str | None) -> bool:
        """True when `-a since=` (or the profile's) is set and this date is before it; unknown dates are not."""
        if self.crawl.since is None or not moment:
            return False
        day = day_of(moment)
        return day is not None and day < self.crawl.since

    def resolved(self, url: str, *, article: bool, older: bool = False) -> list[Request]:
        """With `since`: a listing's next pages that the verdict on one of its linked pages lets go."""
        if self.paging is None:
            return []
        released = self.paging.resolved(url, article=article, older=older)
        self._count("since/listings_stopped", self.paging.stopped)
        self.paging.stopped = 0
        return released

    def spider_idle(self) -> None:
        """Nothing left to fetch: sitemap entries not read yet, and next pages still waiting for their articles
        (known from earlier runs, so never fetched), go now; links held back for a URL family that never proved
        itself count as a limit reached."""
        held = False
        for request in chain(self.refill(), self.paging.release_all() if self.paging is not None else ()):
            self.crawler.engine.crawl(request)  # enqueued at once: the next refill step sees it
            held = True
        if held:
            raise DontCloseSpider
        self.frontier.drain_waiting()
        self._flush_limits()

    def _count(self, key: str, count: int = 1) -> None:
        if count:
            self.crawler.stats.inc_value(f"newsspider/{key}", count)

    def _flush_limits(self) -> None:
        for key, count in self.frontier.pop_reached():
            self.crawler.stats.inc_value(key, count)


__all__ = ["NewsSpider"]


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
