"""A site is data: where to discover articles, which URLs to follow, and what to strip or select in its pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Selectors:
    """Per-field CSS (default) or XPath (`xpath:` prefix) selectors that replace the generic rules on a site."""

    headline: str | None = None
    authors: str | None = None
    published: str | None = None
    body: str | None = None
    remove: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any((self.headline, self.authors, self.published, self.body, self.remove))


@dataclass(frozen=True)
class SiteProfile:
    """Everything the generic spider and extractor need to know about one publisher."""

    name: str
    site_name: str
    base_url: str
    #: Hosts of the site besides the root's (language sub-domains); "*.example.org" admits every sub-domain.
    domains: tuple[str, ...] = ()
    # Discovery entry points, paths relative to the crawl root (the live site or a mirror of it), or URLs.
    robots_txt: str = "/robots.txt"
    #: Sitemaps requested on every run; empty: robots.txt's Sitemap lines, else the usual locations.
    sitemaps: tuple[str, ...] = ()
    #: Feeds requested on every run; empty: those the home page announces, else the usual locations.
    feeds: tuple[str, ...] = ()
    #: Pages followed for their links on every run.
    listings: tuple[str, ...] = ("/",)
    follow_article_links: bool = True
    # URL rules (regular expressions searched in the path and query).
    allow: tuple[str, ...] = ()  # when given, only matching URLs are requested (entry points always are)
    deny: tuple[str, ...] = ()  # never requested
    not_articles: tuple[str, ...] = ()  # requested for their links, never emitted
    # Field helpers.
    site_names: tuple[str, ...] = ()
    timezone: str | None = None
    languages: tuple[str, ...] = ()
    since: str | None = None  # YYYY-MM-DD: nothing older is fetched or emitted (`-a since=` overrides)
    selectors: Selectors = field(default_factory=Selectors)
    #: Scrapy settings for this site (politeness, limits), applied below `-s` on the command line.
    settings: dict[str, Any] = field(default_factory=dict)
    #: Where the profile came from (a TOML file), for messages.
    source: str | None = None

    # --- what the extractor reads --------------------------------------------------------------------------

    def all_site_names(self) -> tuple[str, ...]:
        return (self.site_name, *self.site_names)

    @cached_property
    def non_article_paths(self) -> tuple[str, ...]:
        """URL shapes that are never single articles: the common ones and the profile's `not_articles`."""
        return COMMON_NON_ARTICLE_PATHS + self.not_articles

    @cached_property
    def ignore_paths(self) -> tuple[str, ...]:
        """URLs never requested: the common ones (admin, media, share links) and the profile's `deny`."""
        return COMMON_IGNORE_PATHS + self.deny

    # --- URL rules ------------------------------------------------------------------------------------------

    def is_non_article_path(self, path_and_query: str) -> bool:
        return _matches(self.non_article_paths, path_and_query)

    def is_denied_path(self, path_and_query: str) -> bool:
        """Never requested: the common ignore rules and the profile's `deny`."""
        return _matches(self.ignore_paths, path_and_query)

    def is_ignored_path(self, path_and_query: str) -> bool:
        """Not followed as a link: denied, or outside the profile's `allow` rules when it has some."""
        if self.is_denied_path(path_and_query):
            return True
        return bool(self.allow) and not _matches(self.allow, path_and_query)

    def is_declared_non_article(self, path_and_query: str) -> bool:
        """A URL the profile itself says is no article (`not_articles`)."""
        return _matches(self.not_articles, path_and_query)

    def hosts(self) -> tuple[str, ...]:
        """The site's own hosts: the root's and every listed domain (lower case)."""
        root = (urlsplit(self.base_url).hostname or "").lower()
        return tuple(dict.fromkeys([root, *(d.lower() for d in self.domains)]))

    def owns_host(self, host: str) -> bool:
        host = host.lower()
        for domain in self.hosts():
            if host == domain or (domain.startswith("*.") and (host == domain[2:] or host.endswith(domain[1:]))):
                return True
        return False


_COMPILED: dict[tuple[str, ...], re.Pattern[str]] = {}


def _matches(patterns: tuple[str, ...], text: str) -> bool:
    """Whether any of the patterns is found in the text (one compiled alternation per set of patterns)."""
    if not patterns:
        return False
    compiled = _COMPILED.get(patterns)
    if compiled is None:
        compiled = _COMPILED[patterns] = re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
    return compiled.search(text) is not None


#: URL shapes that are never single articles on WordPress and most news CMSs.
COMMON_NON_ARTICLE_PATHS: tuple[str, ...] = (
    r"^/?$",
    r"^/(?:\?.*)?$",
    r"/(?:category|categories|tag|tags|topic|topics|author|authors|section|archive|archives)(?:/|$)",
    r"/page/\d+/?$",
    r"[?&](?:s|q|search|paged|cat|tag|author)=",
    r"^/search(?:/|$)",
    r"/(?:feed|rss|atom)(?:/|\.xml|$)",
    r"\.(?:xml|xml\.gz|txt|json)$",
    r"^/(?:about|about-us|contact|contact-us|privacy|privacy-policy|cookie-policy|cookies|terms|"
    r"terms-of-use|terms-and-conditions|imprint|impressum|advertise|subscribe|newsletter|login|register|"
    r"account|sitemap|faq|careers|jobs|team|editorial-policy|disclaimer)(?:/|$)",
)

#: URLs no crawler should fetch: admin, login, comment replies, share intents, attachments and media.
COMMON_IGNORE_PATHS: tuple[str, ...] = (
    r"^/wp-(?:admin|login|json|includes|content)",
    r"/xmlrpc\.php",
    r"[?&](?:replytocom|share|print|like_comment|redirect_to|amp)=",
    r"/(?:attachment|embed|trackback|comments/feed)(?:/|$)",
    r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|zip|mp3|mp4|webm|css|js|woff2?)$",
    r"/amp/?$",
)
