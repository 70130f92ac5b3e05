"""Which discovered URLs to crawl: on the site (or its mirror), not ignored, and whether listing or maybe article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import safe_url_string

from newsspider.normalize import canonicalize_url
from newsspider.sites.profile import SiteProfile

#: Pages that list articles (home, sections, tags, authors, archives and their pages): fetched for their links on
#: every run, and never skipped as known. A hint for scheduling only: whether a page is an article is decided by
#: extraction, page by page.
_LISTING_PATH = re.compile(
    r"^/?$|/(?:category|categories|tag|tags|topic|topics|section|sections|author|authors|archive|archives)(?:/|$)|"
    r"/page/\d+/?$|^/(?:news|latest|world|politics|business|economy|opinion)/?$|[?&](?:paged|page)=\d+|"
    r"^/\d{4}/(?:\d{2}/)?(?:\d{2}/)?$"
)


#: A URL safe_url_string would leave as it is (most are): no need to ask it.
_SAFE_URL = re.compile(r"^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*$")


#: An absolute URL canonicalize_url leaves as it is: http(s), a lower-case host without a default port, a path, no
#: query, fragment, entity, space or control character (most sitemap entries): no need to ask it.
_PLAIN_URL = re.compile(r"^(https?)://[a-z0-9.-]+(:\d+)?/[A-Za-z0-9\-._~:/@!$'()*+,;=%]*$")


def plain_url(url: str) -> bool:
    match = _PLAIN_URL.match(url)
    return match is not None and match.group(2) not in {":80", ":443"}


class UrlMapper:
    """Keeps the crawl on the site, and maps the live site's URLs onto the crawl root when that is a mirror.

    Crawling the live site, every host of the profile (the root's, language sub-domains) is crawled as it is. Crawling
    a mirror (a root on a host the profile does not name), links to the live site's hosts are moved onto the mirror,
    and records are given back their live addresses.
    """

    def __init__(self, profile: SiteProfile, root: str) -> None:
        self.profile = profile
        parts = urlsplit(root)
        self.root = f"{parts.scheme}://{parts.netloc}"
        self.root_host = (parts.hostname or "").lower()
        self.mirror = not profile.owns_host(self.root_host)
        self._live_urls: dict[str, str] = {}

    def to_crawl_url(self, url: str, base: str | None = None, *, rules: bool = True) -> str | None:
        """The URL to request for a discovered link, or None when it leaves the site or is never wanted (by the
        profile's URL rules, unless `rules` is False: sitemaps and feeds the site names are read whatever they are)."""
        absolute = url if plain_url(url) else canonicalize_url(url, base=base)
        try:
            parts = urlsplit(absolute)
            parts.port  # noqa: B018 (raises on a malformed port)
        except ValueError:
            return None
        if parts.scheme not in {"http", "https"}:
            return None
        host = (parts.hostname or "").lower()
        if host != self.root_host:
            if not self.profile.owns_host(host):
                return None
            if self.mirror:
                root = urlsplit(self.root)
                parts = parts._replace(scheme=root.scheme, netloc=root.netloc)
                absolute = urlunsplit(parts)
        if rules and self.profile.is_ignored_path(parts.path + (f"?{parts.query}" if parts.query else "")):
            return None
        # As Scrapy will request it (non-ASCII percent-encoded), so that this run's sets and the state agree with
        # the URLs of requests and responses.
        return absolute if _SAFE_URL.match(absolute) else safe_url_string(absolute)

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
        if not self.mirror or (parts.hostname or "").lower() != self.root_host:
            return url
        live = urlsplit(self.profile.base_url)
        return urlunsplit((live.scheme, live.netloc, parts.path, parts.query, ""))

    def kind(self, url: str) -> str:
        """ "listing" (a page of links: fetched every run), "skip" (never useful: static pages, feeds, files) or
        "article" (maybe an article: extraction decides)."""
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if _LISTING_PATH.search(path) or self.profile.is_declared_non_article(path):
            return "listing"
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
