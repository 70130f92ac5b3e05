"""`-a since=YYYY-MM-DD`: a first crawl of a big archive that fits in a night takes only what is recent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any


def day_of(text: str | None) -> date | None:
    """The day of a sitemap lastmod, feed date or record date: ISO 8601 (a day, a moment) or RFC 822 (RSS)."""
    if not text:
        return None
    text = text.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


class SincePaging:
    """A listing's next page is requested once the articles its page links to are known, and not at all when every
    one of them turned out older than `since` (the listing has reached older articles).

    Requests are opaque here: the spider registers each article link of a listing page (`linked`), hands over the
    page's next-page requests (`hold`), and reports each linked page's verdict (`resolved`).
    """

    def __init__(self) -> None:
        self._listing_of: dict[str, str] = {}
        self._pending: dict[str, int] = {}
        self._articles: dict[str, int] = {}
        self._newer: set[str] = set()
        self._held: dict[str, list[Any]] = {}
        self.stopped = 0

    def linked(self, listing: str, url: str) -> None:
        if url not in self._listing_of:
            self._listing_of[url] = listing
            self._pending[listing] = self._pending.get(listing, 0) + 1

    def hold(self, listing: str, request: Any) -> bool:
        """True when the next-page request waits for the listing page's articles; False: request it now."""
        if not self._pending.get(listing):
            return False
        self._held.setdefault(listing, []).append(request)
        return True

    def resolved(self, url: str, *, article: bool, older: bool = False) -> list[Any]:
        """A linked page's verdict; returns the next-page requests that may go now."""
        listing = self._listing_of.pop(url, None)
        if listing is None:
            return []
        self._pending[listing] -= 1
        if article:
            self._articles[listing] = self._articles.get(listing, 0) + 1
            if not older:
                self._newer.add(listing)
        if self._pending[listing] > 0:
            return []
        del self._pending[listing]
        held = self._held.pop(listing, [])
        if self._articles.pop(listing, 0) and listing not in self._newer:
            self.stopped += len(held)
            return []
        self._newer.discard(listing)
        return held

    def release_all(self) -> Iterator[Any]:
        """When the crawl is idle (some linked pages were never fetched, e.g. known from an earlier run): page on."""
        held, self._held = self._held, {}
        for requests in held.values():
            yield from requests
