"""A site is data: where to discover articles, which URLs are articles, and what to strip from its fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SiteProfile:
    """Everything the generic spider and extractor need to know about one publisher."""

    name: str
    site_name: str
    base_url: str
    domains: tuple[str, ...] = ()
    # Discovery entry points, relative to the crawl root (the live site or a mirror of it).
    robots_txt: str = "/robots.txt"
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ("/feed/",)
    listings: tuple[str, ...] = ("/",)
    # URL rules (regular expressions over the path and query): never articles / follow from listings.
    non_article_paths: tuple[str, ...] = ()
    ignore_paths: tuple[str, ...] = ()
    # Field helpers.
    site_names: tuple[str, ...] = ()
    timezone: str | None = None
    languages: tuple[str, ...] = ()
    max_listing_pages: int = 50
    extra: dict[str, str] = field(default_factory=dict)

    def all_site_names(self) -> tuple[str, ...]:
        return (self.site_name, *self.site_names)

    def is_non_article_path(self, path_and_query: str) -> bool:
        return any(re.search(pattern, path_and_query) for pattern in self.non_article_paths)

    def is_ignored_path(self, path_and_query: str) -> bool:
        return any(re.search(pattern, path_and_query) for pattern in self.ignore_paths)


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
