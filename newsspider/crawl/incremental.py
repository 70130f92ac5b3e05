"""Incremental crawling: article pages earlier runs emitted are not fetched again unless their lastmod moved."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from newsspider.crawl.state import store_of, url_key
from newsspider.state import UrlState

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


logger = logging.getLogger(__name__)


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


class IncrementalMiddleware:
    """Downloader middleware: known article URLs are not fetched again unless their sitemap lastmod moved."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        if not crawler.settings.getbool("NEWSSPIDER_STATE_ENABLED", True):
            raise NotConfigured
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        store = store_of(self.crawler)
        spider = self.crawler.spider
        if store is None or getattr(spider, "full", False) or request.meta.get("newsspider_kind") != "article":
            return
        known = store.url(url_key(spider, request.url))
        if known is None:
            return
        lastmod = request.meta.get("newsspider_lastmod")
        if lastmod_moved(lastmod, known.lastmod):
            # Changed since last time by the sitemap's word: ask again, conditionally.
            if known.etag:
                request.headers.setdefault(b"If-None-Match", known.etag.encode())
            if known.last_modified:
                request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode())
            return
        if lastmod and not known.lastmod:
            store.record_url(UrlState(known.url, known.key, lastmod=lastmod))
        self.crawler.stats.inc_value("newsspider/incremental/skipped")
        raise IgnoreRequest(f"already have {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304:
            store = store_of(self.crawler)
            known = store.url(url_key(self.crawler.spider, request.url)) if store else None
            if store is not None and known is not None:
                store.record_url(UrlState(known.url, known.key, lastmod=request.meta.get("newsspider_lastmod")))
                store.touch_article(known.key, request.meta.get("newsspider_lastmod"))
            self.crawler.stats.inc_value("newsspider/articles/unchanged")
            raise IgnoreRequest(f"not modified: {request.url}")
        return response


def needs_refresh(crawler: Crawler, url: str, lastmod: str | None) -> bool:
    """True when the state knows `url` and the sitemap's lastmod for it moved since: fetch it again."""
    store = store_of(crawler)
    if store is None or not lastmod:
        return False
    known = store.url(url_key(crawler.spider, url))
    return known is not None and lastmod_moved(lastmod, known.lastmod)
