"""Retries that honour Retry-After: a 429 or 503 waits as long as the server asks (up to a cap) before retrying."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

RETRY_AFTER_STATUSES = frozenset({429, 503})


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


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, plus a pause of Retry-After seconds (at most RETRY_AFTER_MAX) before a retry."""

    def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX")

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if response.status in RETRY_AFTER_STATUSES and not request.meta.get("dont_retry", False):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait:
                await asyncio.sleep(min(wait, self.max_wait))
        return super().process_response(request, response)
