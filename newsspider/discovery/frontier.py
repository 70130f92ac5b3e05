"""Crawl bounds, decided before a request leaves: every trap (endless calendars, pagination, facets, link farms,
pages with huge link lists) ends at a limit, and each limit reached is counted, not an error.

Pure bookkeeping over URLs and verdicts; the spider asks `admit()` before each request and reports each page's
article-or-not verdict with `record_verdict()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any
from urllib.parse import parse_qsl, urlsplit

#: The stats prefix of every limit reached: newsspider/limits/<name> counts the URLs it kept out.
LIMITS_PREFIX = "newsspider/limits/"
_DIGITS = re.compile(r"\d+")
#: Calendar dates in URLs: /2024/05/17/, /2024/05/, 2024-05-17, 20240517 (eight digits).
_SEPARATED_DATE = re.compile(r"(?<!\d)(\d{4})([/_-])(0[1-9]|1[0-2])(?:\2(0[1-9]|[12]\d|3[01]))?(?!\d)")
_COMPACT_DATE = re.compile(r"(?<!\d)(\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_EARLIEST_YEAR = 1990


class Admission(Enum):
    """The frontier's answer for one page: true only when it may be requested now."""

    ADMITTED = "admitted"
    HELD = "held"  # kept back for its family; requested later if the family turns out to hold articles
    REFUSED = "refused"  # a limit reached (counted)

    def __bool__(self) -> bool:
        return self is Admission.ADMITTED


@dataclass(frozen=True)
class Limits:
    """The bounds of one run (settings NEWSSPIDER_MAX_*; 0 means no bound)."""

    max_requests: int = 100_000
    max_depth: int = 3
    max_links_per_page: int = 500
    max_listing_pages: int = 50
    max_url_length: int = 500

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        return cls(
            max_requests=settings.getint("NEWSSPIDER_MAX_REQUESTS"),
            max_depth=settings.getint("NEWSSPIDER_MAX_DEPTH"),
            max_links_per_page=settings.getint("NEWSSPIDER_MAX_LINKS_PER_PAGE"),
            max_listing_pages=settings.getint("NEWSSPIDER_MAX_LISTING_PAGES"),
            max_url_length=settings.getint("NEWSSPIDER_MAX_URL_LENGTH"),
        )


def families(url: str) -> tuple[str, ...]:
    """The URL families a page belongs to, each with its own budget of pages that are not articles:

    - its path with numbers wildcarded and its query's parameter names: `/news?page=7` -> `/news?page`,
      `/2024/05/17/` -> `/#/#/#/` (a listing's pagination, a calendar);
    - for a URL with a query, its path with any query, `/shop?*` (faceted combinations);
    - for a URL without one, its path with the last segment wildcarded, `/tag/*/` (pages of one kind under one
      parent: tags, authors).
    """
    parts = urlsplit(url)
    path = _DIGITS.sub("#", parts.path) or "/"
    if parts.query:
        names = sorted({_DIGITS.sub("#", name) for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
        return (f"{path}?{'&'.join(names)}", f"{path}?*")
    parent, _, last = path.rstrip("/").rpartition("/")
    if not last or last == "#":
        return (path,)
    return (path, f"{parent}/*{'/' if path.endswith('/') else ''}")


def is_pagination(link: str, page: str) -> bool:
    """A link to another page of the same listing (or calendar): the same URL but for its numbers."""
    return link != page and families(link)[0] == families(page)[0]


def trap_reason(url: str, today: date, max_url_length: int) -> str | None:
    """Why a URL is a crawler trap (never requested), or None: overlong, a path going round in circles, a calendar
    date in the future or before any news site existed."""
    if max_url_length and len(url) > max_url_length:
        return "url too long"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 6 and max(segments.count(s) for s in set(segments)) >= 3:
        return "repeated path segments"
    for moment in _url_dates(parts.path + "?" + parts.query):
        if moment.year < _EARLIEST_YEAR:
            return "calendar date before 1990"
        if moment > today + timedelta(days=1) and moment.replace(day=1) > today:
            return "calendar date in the future"
    return None


def _url_dates(text: str) -> Iterator[date]:
    """Dates written in a URL; numbers that only look like one (years outside 1900-2100, day 31 of June) are not."""
    found = [(m.group(1), m.group(3), m.group(4)) for m in _SEPARATED_DATE.finditer(text)]
    found += [m.groups() for m in _COMPACT_DATE.finditer(text)]
    for year, month, day in found:
        if not 1900 <= int(year) <= 2100:
            continue
        try:
            yield date(int(year), int(month), int(day or 1))
        except ValueError:
            continue


@dataclass
class _Family:
    articles: int = 0
    others: int = 0
    scheduled: int = 0
    waiting: dict[str, Any] = field(default_factory=dict)

    def open(self, cap: int) -> bool:
        """A family is open while it has given fewer than `cap` pages that are not articles (counting those still
        in flight), or while at least half of its pages are articles (a CMS's article URLs, /node/123)."""
        if not cap:
            return True
        resolved = self.articles + self.others
        if resolved and self.articles * 2 >= resolved:
            return True
        return self.scheduled - self.articles < cap


class Frontier:
    """What a run may still request: the limits, a trap detector, and a budget per URL family."""

    #: Requests held back while a new family proves itself (released when it turns out to hold articles).
    MAX_WAITING = 10_000

    def __init__(self, limits: Limits, today: date | None = None) -> None:
        self.limits = limits
        self.today = today or date.today()
        self.requests = 0
        self.reached: dict[str, int] = {}
        self._families: dict[str, _Family] = {}
        self._waiting = 0

    def _count(self, limit: str, n: int = 1) -> None:
        self.reached[limit] = self.reached.get(limit, 0) + n

    def admit_any(self) -> bool:
        """Room for one more request of any kind (discovery or page): NEWSSPIDER_MAX_REQUESTS."""
        if self.limits.max_requests and self.requests >= self.limits.max_requests:
            self._count("requests")
            return False
        self.requests += 1
        return True

    def admit_page(self, url: str, depth: int, *, linked: bool, request: Any = None) -> Admission:
        """May this page be requested? Every page faces the trap detector, its families' budgets and the request
        budget; links also face the depth limit (`depth`: article pages the link was found through, from the
        nearest listing or entry point), sitemap and feed entries do not. A page held back by a family's budget is
        kept (as `request`, opaque here) and released by `record_verdict` if that family turns out to hold articles.
        """
        if trap_reason(url, self.today, self.limits.max_url_length):
            self._count("traps")
            return Admission.REFUSED
        if linked and self.limits.max_depth and depth > self.limits.max_depth:
            self._count("depth")
            return Admission.REFUSED
        keys = families(url)
        closed = [key for key in keys if not self._family(key).open(self.limits.max_listing_pages)]
        if closed:
            first = self._family(closed[0])  # held there: released if that family turns out to hold articles
            if url in first.waiting:
                return Admission.HELD  # already held back, linked again
            if request is not None and self._waiting < self.MAX_WAITING:
                first.waiting[url] = request
                self._waiting += 1
                return Admission.HELD
            self._count("listing_pages")
            return Admission.REFUSED
        if not self.admit_any():
            return Admission.REFUSED
        for key in keys:
            self._family(key).scheduled += 1
        return Admission.ADMITTED

    def record_verdict(self, url: str, is_article: bool) -> list[Any]:
        """Note what a requested page turned out to be; returns held-back requests its family now admits."""
        released: list[Any] = []
        for key in families(url):
            family = self._family(key)
            if is_article:
                family.articles += 1
            else:
                family.others += 1
            if family.waiting and family.open(self.limits.max_listing_pages):
                while family.waiting and family.open(self.limits.max_listing_pages) and self.admit_any():
                    waiting_url, request = family.waiting.popitem()
                    self._waiting -= 1
                    for waiting_key in families(waiting_url):
                        self._family(waiting_key).scheduled += 1
                    released.append(request)
        return released

    def drain_waiting(self) -> int:
        """At the end of a run: the held-back links that never got in count against the listing-pages limit."""
        left = self._waiting
        if left:
            self._count("listing_pages", left)
        for family in self._families.values():
            family.waiting.clear()
        self._waiting = 0
        return left

    def _family(self, key: str) -> _Family:
        family = self._families.get(key)
        if family is None:
            family = self._families[key] = _Family()
        return family

    def pop_reached(self) -> Iterator[tuple[str, int]]:
        """Limits reached since the last call, as (stats key, count); the counts start again from zero."""
        reached, self.reached = self.reached, {}
        for name, count in reached.items():
            yield LIMITS_PREFIX + name, count
