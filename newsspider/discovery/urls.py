"""Which discovered URLs to crawl: on the site (or its mirror), not ignored, and whether article or listing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from newsspider.normalize import canonicalize_url
from newsspider.sites.profile import SiteProfile

_LISTING_PATH = re.compile(
    r"^/?$|/(?:category|categories|tag|tags|topic|topics|section|sections|author|authors|archive|archives)(?:/|$)|"
    r"/page/\d+/?$|^/(?:news|latest|world|politics|business|economy|opinion)/?$|[?&](?:paged|page)=\d+|"
    r"^/\d{4}/(?:\d{2}/)?(?:\d{2}/)?$"
)
_PAGE_NUMBER = re.compile(r"/page/(\d+)/?$|[?&](?:paged|page)=(\d+)")


class UrlMapper:
    """Maps the live site's URLs onto the crawl root (a mirror), and keeps the crawl on that root."""

    def __init__(self, profile: SiteProfile, root: str, max_listing_pages: int | None = None) -> None:
        self.profile = profile
        self.max_listing_pages = max_listing_pages or profile.max_listing_pages
        parts = urlsplit(root)
        self.root = f"{parts.scheme}://{parts.netloc}"
        self.root_host = (parts.hostname or "").lower()
        self.live_hosts = {d.lower() for d in profile.domains}
        self._live_urls: dict[str, str] = {}

    def to_crawl_url(self, url: str, base: str | None = None) -> str | None:
        """The URL to request for a discovered link, or None when it leaves the site or is never wanted."""
        absolute = canonicalize_url(url, base=base)
        try:
            parts = urlsplit(absolute)
            parts.port  # noqa: B018 (raises on a malformed port)
        except ValueError:
            return None
        if parts.scheme not in {"http", "https"}:
            return None
        host = (parts.hostname or "").lower()
        if host in self.live_hosts and host != self.root_host:
            root = urlsplit(self.root)
            absolute = urlunsplit((root.scheme, root.netloc, parts.path, parts.query, ""))
        elif host != self.root_host:
            return None
        path = urlsplit(absolute).path + (f"?{urlsplit(absolute).query}" if urlsplit(absolute).query else "")
        if self.profile.is_ignored_path(path):
            return None
        return absolute

    def to_live_url(self, url: str) -> str:
        """The live site's address of a page fetched from the mirror (unchanged when crawling the live site)."""
        live_url = self._live_urls.get(url)
        if live_url is None:
            if len(self._live_urls) >= _RESOLVED_MAX:
                self._live_urls.clear()
            live_url = self._live_urls[url] = self._map_to_live(url)
        return live_url

    def __getstate__(self) -> dict[str, object]:
        # Sent to the extraction workers with every page: without its cache, which only the crawler needs.
        return {**self.__dict__, "_live_urls": {}}

    def _map_to_live(self, url: str) -> str:
        parts = urlsplit(url)
        live = urlsplit(self.profile.base_url)
        if (parts.hostname or "").lower() != self.root_host or self.root_host in self.live_hosts:
            return url
        return urlunsplit((live.scheme, live.netloc, parts.path, parts.query, ""))

    def kind(self, url: str) -> str:
        """ "listing" (follow for links), "skip" (never useful: static pages, feeds, files) or "article"."""
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if _LISTING_PATH.search(path):
            match = _PAGE_NUMBER.search(path)
            page = int(next(g for g in match.groups() if g)) if match else 1
            return "listing" if page <= self.max_listing_pages else "skip"
        if self.profile.is_non_article_path(path):
            return "skip"
        return "article"


_RESOLVED: dict[tuple[str, str, str], str | None] = {}
_RESOLVED_MAX = 100_000


def _resolve(href: str, base: str, mapper: UrlMapper) -> str | None:
    """`mapper.to_crawl_url`, memoized: pages repeat the same menu and sidebar links, page after page."""
    if href.startswith(("http://", "https://", "//", "/")):
        base_key = base[: base.find("/", base.find("//") + 2)] if base.count("/") >= 3 else base  # its origin
    else:
        base_key = base  # a relative path depends on the whole base URL
    key = (mapper.root + "|" + mapper.profile.name, href, base_key)
    if key not in _RESOLVED:
        if len(_RESOLVED) >= _RESOLVED_MAX:
            _RESOLVED.clear()
        _RESOLVED[key] = mapper.to_crawl_url(href, base=base)
    return _RESOLVED[key]


def iter_links(hrefs: list[str], base: str, mapper: UrlMapper) -> Iterator[str]:
    seen: set[str] = set()
    for href in hrefs:
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = _resolve(href, base, mapper)
        if url and url not in seen:
            seen.add(url)
            yield url
