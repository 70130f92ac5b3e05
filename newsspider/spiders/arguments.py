"""Spider arguments (-a NAME=VALUE) checked in one place, before the crawl starts: one clear message each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError

from newsspider.sites import ProfileError, SiteProfile, get_profile, profile_for_url, sites_dir
from newsspider.sites.loader import NAME, check_root_url

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

#: What each argument means (`scrapy crawl news -a NAME=VALUE`); the README's "Commands" section lists the same.
ARGUMENTS = {
    "url": "the site's root URL (a site never seen before, or a mirror of a profile's site)",
    "base_url": "the same as url",
    "site": "a profile name (sites/<name>.toml or built in) or a path to a .toml file",
    "full": "1: fetch every page again, even those an earlier run emitted (still emits only new or changed)",
    "since": "YYYY-MM-DD: skip sitemap entries, listing pages and articles older than that day",
    "max_listing_pages": "non-article pages per URL family (overrides NEWSSPIDER_MAX_LISTING_PAGES)",
    "follow_article_links": "0: do not follow links found on article pages",
}


@dataclass(frozen=True)
class CrawlArguments:
    """A spider's arguments, resolved: the profile, the root to crawl (the live site or a mirror) and the options."""

    profile: SiteProfile
    root: str
    full: bool
    since: date | None
    follow_article_links: bool
    max_listing_pages: int | None


def _flag(arguments: dict[str, Any], name: str, default: bool) -> bool:
    value = str(arguments.get(name, "1" if default else "0")).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise UsageError(f"{name} must be 1 or 0, got {arguments[name]!r}", print_help=False)


def _day(value: str | None, what: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{what} must be a day like 2024-01-31, got {value!r}", print_help=False) from None


def generic_profile(url: str) -> SiteProfile:
    """The profile of a site known only by its root URL: named after its host, every rule generic."""
    host = (urlsplit(url).hostname or "").lower()
    name = re.sub(r"[^a-z0-9._-]", "-", host.removeprefix("www."))[:64] or "site"
    if not NAME.match(name):
        name = "site-" + name
    return SiteProfile(name=name, site_name=host.removeprefix("www."), base_url=url)


#: The root of a `news` spider made without a site, by commands that only look at pages (`scrapy check`, `shell`).
NO_SITE = "http://localhost/"


def resolve(
    arguments: dict[str, Any],
    settings: Any,
    *,
    allowed: frozenset[str],
    default_site: str | None,
    required: bool = True,
) -> CrawlArguments:
    """The crawl a spider's arguments ask for; UsageError (exit status 2) for anything wrong. Without `required`, a
    spider given no site at all gets a placeholder (`scrapy check` makes every spider without arguments)."""
    unknown = sorted(set(arguments) - allowed - {"_job"})
    if unknown:
        raise UsageError(
            f"unknown spider argument(s): {', '.join(unknown)}; known: {', '.join(sorted(allowed))}", print_help=False
        )
    url = arguments.get("url") or arguments.get("base_url")
    site = arguments.get("site") or default_site
    if url:
        try:
            check_root_url(url, "url")
        except ProfileError:
            raise UsageError(
                f"base_url must be an http(s) URL like https://example.org/, got {url!r}", print_help=False
            ) from None
    try:
        if site:
            profile = get_profile(site, sites_dir(settings))
        elif url:
            profile = profile_for_url(url, sites_dir(settings)) or generic_profile(url)
        elif not required:
            profile = generic_profile(NO_SITE)
        else:
            raise UsageError("give the site: -a url=https://news.example/ or -a site=NAME", print_help=False)
    except KeyError as error:
        raise UsageError(str(error.args[0]), print_help=False) from None
    except ProfileError as error:
        raise UsageError(str(error), print_help=False) from None
    max_pages = arguments.get("max_listing_pages")
    if max_pages not in (None, "") and not str(max_pages).isdigit():
        raise UsageError(f"max_listing_pages must be a whole number, got {max_pages!r}", print_help=False)
    since = _day(arguments.get("since"), "since") or _day(profile.since, f"{profile.source}: since")
    return CrawlArguments(
        profile=profile,
        root=url or profile.base_url,
        full=_flag(arguments, "full", False),
        since=since,
        follow_article_links=_flag(arguments, "follow_article_links", profile.follow_article_links),
        max_listing_pages=int(max_pages) if max_pages not in (None, "") else None,
    )
