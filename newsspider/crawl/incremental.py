"""Incremental crawling in scrapy-deltafetch's shape: one spider middleware decides, from each request and its meta,
whether a page an earlier run emitted is skipped, or fetched again (conditionally) because its sitemap lastmod moved.

What it reads from `request.meta` (the spider's side of the interface):

- `newsspider_url_key`: the URL's identity in the state (else the URL itself, through `url_key`);
- `newsspider_kind`: "listing" pages are never skipped (they are how new articles are found);
- `newsspider_lastmod`: the sitemap's lastmod for the page, compared with the one stored;
- `newsspider_refetch`: fetch it whatever the state knows (`-a full=1`).

Nothing here reads spider attributes; the state store comes from `store_of(crawler)`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newsspider.crawl.state import sitemap_lastmod, store_of, url_key
from newsspider.state import UrlState

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newsspider.crawl.state import Store


logger = logging.getLogger(__name__)


class NotModified(IgnoreRequest):
    """A conditional request answered 304: the page is as the state knows it."""


class Decision(Enum):
    FETCH = "fetch"  # unknown, a listing, or asked for: the request goes on as it is
    SKIP = "skip"  # an earlier run emitted it and nothing says it changed
    REFRESH = "refresh"  # emitted before, but its sitemap lastmod moved: ask again, conditionally
    FETCHED = "fetched"  # requested earlier in this run already: what it gave is as new as it gets


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def lastmod_moved(new: str | None, stored: str | None) -> bool:
    """True when a sitemap's lastmod is later than the one stored (unknown on either side: not moved)."""
    new_moment, stored_moment = _moment(new), _moment(stored)
    if new_moment is None or stored_moment is None:
        return False
    return new_moment > stored_moment


def latest(one: str | None, other: str | None) -> str | None:
    """The later of two lastmods (either may be missing or unreadable)."""
    if not one or not other:
        return one or other
    return other if lastmod_moved(other, one) else one


class IncrementalMiddleware(BaseSpiderMiddleware):
    """Spider middleware: requests for pages an earlier run emitted leave the spider only when their sitemap lastmod
    moved (then past the dupefilter, with If-None-Match/If-Modified-Since); a 304 answer ends there, counted as
    unchanged. Without a state store (NEWSSPIDER_STATE_ENABLED=False, `scrapy shell`) every request goes on."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        #: Article pages let through this run (by URL key): none is fetched twice in a run, whatever sitemaps say.
        self.requested: set[str] = set()
        #: Known pages skipped this run (by URL key): a page a link and a sitemap both give is counted once.
        self.skipped: set[str] = set()
        #: Sitemap lastmods of pages requested this run, by URL key: a page a link requested first (so its request
        #: has none) still gets the lastmod a sitemap gave it, for the next run's comparison.
        self.lastmods: dict[str, str] = {}

    def decide(self, request: Request, store: Store) -> Decision:
        """What to do with one request, from its meta and what the state knows about its URL."""
        if request.meta.get("newsspider_kind") != "article" or request.meta.get("newsspider_refetch"):
            return Decision.FETCH
        key = url_key(request)
        known = store.url(key)
        if known is None:
            return Decision.FETCH
        lastmod = sitemap_lastmod(request)
        moved = lastmod_moved(lastmod, known.lastmod)
        if moved and key not in self.requested:
            return Decision.REFRESH
        if lastmod and (moved or not known.lastmod):
            store.record_url(UrlState(known.url, known.key, lastmod=lastmod))  # remembered for the next comparison
        return Decision.FETCHED if key in self.requested else Decision.SKIP

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        store = store_of(self.crawler)
        if store is None:
            return request
        decision = self.decide(request, store)
        key = url_key(request)
        if decision in {Decision.FETCH, Decision.REFRESH} and request.meta.get("newsspider_kind") == "article":
            self.requested.add(key)
            if lastmod := sitemap_lastmod(request):
                self.lastmods[key] = latest(lastmod, self.lastmods.get(key))
        if decision is Decision.SKIP:
            if key not in self.skipped:
                self.skipped.add(key)
                self.crawler.stats.inc_value("newsspider/incremental/skipped")
                logger.debug("Already have %s", request.url)
            return None
        if decision is Decision.FETCHED:
            return None
        if decision is Decision.REFRESH:
            known = store.url(key)
            self.crawler.stats.inc_value("newsspider/incremental/refreshed")
            headers = {}
            if known is not None and known.etag:
                headers["If-None-Match"] = known.etag
            if known is not None and known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
            # Past the dupefilter: a link may have requested (and this middleware skipped) the page earlier this run.
            return request.replace(dont_filter=True, headers={**request.headers.to_unicode_dict(), **headers})
        return request

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        """An article on its way to the state stage: the latest sitemap lastmod its page was given this run (sitemaps
        may disagree: a news sitemap's publication date, a post sitemap's modification) travels in the response's
        meta, so the next run compares with the latest."""
        if response is not None:
            lastmod = latest(sitemap_lastmod(response), self.lastmods.pop(url_key(response), None))
            if lastmod:
                response.meta["newsspider_lastmod"] = lastmod
        return item

    def process_spider_input(self, response: Response) -> None:
        """A 304 to a conditional request: the page is unchanged; note the new lastmod and stop here."""
        if response.status != 304:
            return
        store = store_of(self.crawler)
        known = store.url(url_key(response)) if store is not None else None
        if store is not None and known is not None:
            lastmod = sitemap_lastmod(response)
            store.record_url(UrlState(known.url, known.key, lastmod))
            store.touch_article(known.key, lastmod)
        self.crawler.stats.inc_value("newsspider/articles/unchanged")
        raise NotModified(f"not modified: {response.url}")
