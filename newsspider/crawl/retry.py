"""Retries that honour Retry-After without holding anything: a 429 or 503 is retried after the wait the server asks
for (the request is put back later, no download slot waits), and a wait beyond RETRY_AFTER_MAX defers the URL to
the next night: not fetched, counted, and not in the state, so the next run asks again."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.response import response_status_message

from newsspider.crawl.robots import FETCH

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.internet.interfaces import IDelayedCall

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = frozenset({429, 503})
#: How many deferred URLs the summary lists by name (all are counted).
LISTED_DEFERRED = 50


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


def defer_to_next_run(crawler: Crawler, request: Request, reason: str, detail: str) -> None:
    """Count a URL this run leaves for the next one (it is not in the state, so the next run asks again)."""
    stats = crawler.stats
    stats.inc_value("newsspider/deferred/count")
    stats.inc_value(f"newsspider/deferred/reason/{reason}")
    listed = stats.get_value("newsspider/deferred/urls") or []
    if len(listed) < LISTED_DEFERRED:
        stats.set_value("newsspider/deferred/urls", [*listed, request.url])
    logger.info("Deferred to the next run: %s (%s)", request.url, detail)


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware; a 429/503 with Retry-After is retried after that wait (at most RETRY_AFTER_MAX
    seconds) by putting the retry back into the scheduler then, so no slot is held and signals are heard."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX", 60.0)
        self.waiting: dict[Request, IDelayedCall] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if (
            response.status not in RETRY_AFTER_STATUSES
            or response.status not in self.retry_http_codes
            or request.meta.get("dont_retry", False)
            or request.meta.get(FETCH)  # robots.txt: retried at once; a 5xx in the end means disallow all
        ):
            return super().process_response(request, response)
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if not wait:
            return super().process_response(request, response)
        if wait > self.max_wait:
            detail = f"HTTP {response.status} with Retry-After {wait:.0f} s, beyond RETRY_AFTER_MAX {self.max_wait:g} s"
            defer_to_next_run(self.crawler, request, "retry_after", detail)
            raise IgnoreRequest(f"deferred to the next run: {detail}")
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response  # retries used up: the page failed, as any other
        from twisted.internet import reactor

        self.waiting[retry] = reactor.callLater(wait, self._put_back, retry)
        raise IgnoreRequest(f"retried in {wait:g} s (Retry-After)")

    def _put_back(self, request: Request) -> None:
        if self.waiting.pop(request, None) is not None and self.crawler.engine.spider is not None:
            self.crawler.engine.crawl(request)

    def spider_idle(self, spider: Any) -> None:
        if self.waiting:
            raise DontCloseSpider

    def spider_closed(self, spider: Any = None) -> None:
        """Retries still waiting when the run stops are the next run's (counted as deferred; the run summary
        settles them before it counts)."""
        for request, call in list(self.waiting.items()):
            if call.active():
                call.cancel()
            defer_to_next_run(self.crawler, request, "stopped_while_waiting", "the run stopped during its Retry-After")
        self.waiting.clear()
