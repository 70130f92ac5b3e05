"""`-a since=YYYY-MM-DD`: a first crawl of a big archive that fits in a night takes only what is recent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass
class _Listing:
    """One listing page: its linked pages not judged yet, how many were articles and newer ones, its next pages."""

    pending: int = 0
    articles: int = 0
    newer: int = 0
    held: list[Any] = field(default_factory=list)

    def note(self, article: bool, older: bool) -> None:
        self.articles += article
        self.newer += article and not older

    @property
    def reached_older(self) -> bool:
        """Every article it links to (there is at least one) is older than `since`: paging on finds only older."""
        return self.articles > 0 and self.newer == 0


class SincePaging:
    """A listing's next page is requested once the articles its page links to are known, and not at all when every
    one of them turned out older than `since` (the listing has reached older articles).

    Requests are opaque here: the spider registers each article link of a listing page (`linked`), then hands over
    the page's next-page requests (`hold`), and reports each page's verdict (`resolved`).
    """

    def __init__(self) -> None:
        #: Pages already judged: (article, older than since).
        self._verdicts: dict[str, tuple[bool, bool]] = {}
        self._waiting: dict[str, list[str]] = {}
        self._listings: dict[str, _Listing] = {}
        self.stopped = 0

    def linked(self, listing: str, url: str) -> None:
        """A listing page links to `url` (maybe requested already, from elsewhere, maybe judged already)."""
        state = self._listings.setdefault(listing, _Listing())
        if url in self._verdicts:
            state.note(*self._verdicts[url])
        else:
            state.pending += 1
            self._waiting.setdefault(url, []).append(listing)

    def hold(self, listing: str, request: Any) -> bool:
        """False: request this next page now. True: it waits for the listing page's articles, or it is dropped
        because they were all older (counted in `stopped`)."""
        state = self._listings.get(listing)
        if state is None or (state.pending == 0 and not state.reached_older):
            return False
        if state.pending == 0:
            self.stopped += 1
        else:
            state.held.append(request)
        return True

    def resolved(self, url: str, *, article: bool, older: bool = False) -> list[Any]:
        """A page's verdict; returns the next-page requests that may go now."""
        self._verdicts[url] = (article, older)
        released: list[Any] = []
        for listing in self._waiting.pop(url, []):
            state = self._listings[listing]
            state.pending -= 1
            state.note(article, older)
            if state.pending == 0 and state.held:
                held, state.held = state.held, []
                if state.reached_older:
                    self.stopped += len(held)
                else:
                    released += held
        return released

    def release_all(self) -> Iterator[Any]:
        """When the crawl is idle (some linked pages were never fetched, e.g. known from an earlier run): page on."""
        for state in self._listings.values():
            held, state.held = state.held, []
            yield from held
