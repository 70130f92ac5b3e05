"""Failed requests, counted by kind: a guessed address that is missing or a dead link is the web's noise; a page
that could not be fetched is an error of the run (its ratio decides the exit status)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


class FailureCounting:
    """The NewsSpider's errback (a part of the spider, apart for its length)."""

    # Provided by NewsSpider.
    backlog: Any
    logger: Any

    def on_error(self, failure: Failure) -> Iterator[Request]:
        """Count a failed request by kind; what to request instead (the usual sitemaps, for robots.txt), and what
        waits in sitemaps."""
        return chain(self._failed_request(failure), self.refill(when_low=True))

    def _failed_request(self, failure: Failure) -> list[Request]:
        request = failure.request  # type: ignore[attr-defined]
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]
        self.backlog.arrived(first_url)
        follow = self.resolved(first_url, article=False)
        response = getattr(failure.value, "response", None)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            message = failure.getErrorMessage()
            if "DOWNLOAD_MAXSIZE" in message or "max size" in message.lower():
                self._failed(request, "too_large", message, response=False)
            elif "max redirections" in message.lower():
                self._failed(request, "redirect_loop", message, response=False)
            return follow  # otherwise skipped on purpose (known, robots.txt, not modified): counted where decided
        source = request.meta.get("newsspider_source")
        if request.meta.get("newsspider_probe") or source == "robots":
            # Probing well-known sitemap and feed addresses: a 404 there is normal, not an error.
            self._count("discovery/probe_missing")
            if response is None:
                self._count("requests/failed_no_response")
            return follow + list(self.usual_sitemaps()) if source == "robots" else follow
        if response is not None:
            kind = f"http_{response.status}"
            dead_link = source == "link" or request.meta.get("newsspider_kind") == "listing"
            if response.status in {404, 410} and dead_link:
                # A dead link on some page, or a missing listing page, is the web's normal noise, not a failed crawl.
                self._count("broken_links")
                self.logger.debug("Broken link %s: %s", request.url, kind)
            else:
                self._failed(request, kind, kind, response=True)
            return follow
        kind = "too_large" if "Cancelled" in (failure.type.__name__ if failure.type else "") else None
        kind = kind or (failure.type.__name__ if failure.type else "Error")
        self._failed(request, kind, failure.getErrorMessage() or kind, response=False)
        return follow

    def _failed(self, request: Request, kind: str, reason: str, *, response: bool) -> None:
        """Count and log one failed URL with its reason; failures without a response feed the error ratio."""
        self._count(f"errors/{kind}")
        if not response:
            self._count("requests/failed_no_response")
        self.logger.warning("Failed %s: %s", request.url, reason)
