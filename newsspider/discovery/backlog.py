"""Sitemaps read as the crawl takes their entries, so that a sitemap index of 300,000 URLs never becomes 300,000
requests waiting in memory (NEWSSPIDER_MAX_SITEMAP_URLS).

A sitemap is parsed lazily (Scrapy's streaming reader); its entries become requests only when the crawl has room
for them. Child sitemaps of an index are requested a few at a time, as the open ones are used up, so that their
bodies are not all held at once either. Requests are opaque here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

#: What a URL set's iterator gives for an entry that is kept back elsewhere: it takes room, but is no request.
HELD = object()


class SitemapBacklog:
    """Iterators of requests from sitemap indexes (child sitemaps) and URL sets (pages), taken from in order."""

    def __init__(self, open_urlsets: int = 2) -> None:
        self.open_urlsets = open_urlsets
        self._indexes: deque[Iterator[Any]] = deque()
        self._urlsets: deque[Iterator[Any]] = deque()
        #: Child sitemaps requested and not yet read (or failed): they count as open URL sets.
        self._children: set[str] = set()
        #: Sitemaps not read in one go (their entries waited for room): the cap was reached.
        self.deferred = 0
        self._deferred_ids: set[int] = set()

    def add_index(self, requests: Iterator[Any]) -> None:
        self._indexes.append(requests)

    def add_urlset(self, requests: Iterator[Any]) -> None:
        self._urlsets.append(requests)

    def arrived(self, url: str) -> None:
        """A sitemap was read (or failed): a child sitemap no longer in flight."""
        self._children.discard(url)

    @property
    def pending(self) -> bool:
        return bool(self._indexes or self._urlsets)

    @property
    def movable(self) -> bool:
        """Whether a take could give something now (a URL set is open, or a child sitemap may be requested)."""
        return bool(self._urlsets) or (
            bool(self._indexes) and len(self._urlsets) + len(self._children) < self.open_urlsets
        )

    def take(self, room: int | None) -> list[Any]:
        """Up to `room` requests (None: all): pages of the open URL sets first; child sitemaps while fewer than
        `open_urlsets` URL sets are open (a child's entries arrive once it is fetched and parsed)."""
        taken: list[Any] = []
        used = 0  # a URL set may also give HELD: an entry kept elsewhere (the frontier's families), room used
        while self._urlsets and (room is None or used < room):
            request = next(self._urlsets[0], None)
            if request is None:
                self._urlsets.popleft()
                continue
            used += 1
            if request is not HELD:
                taken.append(request)
        while self._indexes and len(self._urlsets) + len(self._children) < self.open_urlsets:
            if room is not None and used >= room:
                break
            request = next(self._indexes[0], None)
            if request is None:
                self._indexes.popleft()
            else:
                taken.append(request)
                used += 1
                self._children.add(getattr(request, "url", str(request)))
        self.mark_deferred()
        return taken

    def mark_deferred(self) -> None:
        """The open URL set (if any) waits for room: count it once as a sitemap read in parts."""
        if self._urlsets and id(self._urlsets[0]) not in self._deferred_ids:
            self._deferred_ids.add(id(self._urlsets[0]))
            self.deferred += 1
