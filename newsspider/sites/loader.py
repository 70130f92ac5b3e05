"""Site profiles from TOML files: every field checked on load, so a typo is one clear message, not a silent default."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsspider.sites.profile import Selectors, SiteProfile

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable  # Python 3.11+; only a type here

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: A site's name: its file name, its output folder and its state file, so plain and portable.
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ProfileError(ValueError):
    """A profile file that cannot be used, with the file and the field in its message."""


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _flag(value: Any) -> bool:
    return isinstance(value, bool)


_KIND = {_text: "a string", _texts: "a list of strings", _number: "a number >= 0", _whole: "a whole number >= 0"}
_KIND[_flag] = "true or false"

#: Top-level fields: name -> check.
TOP: dict[str, Callable[[Any], bool]] = {
    "url": _text,
    "site_name": _text,
    "site_names": _texts,
    "domains": _texts,
    "languages": _texts,
    "timezone": _text,
    "since": _text,
}
#: Tables: table -> field -> (check, SiteProfile field or Scrapy setting).
TABLES: dict[str, dict[str, tuple[Callable[[Any], bool], str]]] = {
    "discovery": {
        "robots_txt": (_text, "robots_txt"),
        "sitemaps": (_texts, "sitemaps"),
        "feeds": (_texts, "feeds"),
        "listings": (_texts, "listings"),
        "follow_article_links": (_flag, "follow_article_links"),
    },
    "urls": {"allow": (_texts, "allow"), "deny": (_texts, "deny"), "not_articles": (_texts, "not_articles")},
    "selectors": {
        "headline": (_text, "headline"),
        "authors": (_text, "authors"),
        "published": (_text, "published"),
        "body": (_text, "body"),
        "remove": (_texts, "remove"),
    },
    "politeness": {
        "download_delay": (_number, "DOWNLOAD_DELAY"),
        "concurrent_requests_per_domain": (_whole, "CONCURRENT_REQUESTS_PER_DOMAIN"),
        "autothrottle": (_flag, "AUTOTHROTTLE_ENABLED"),
        "autothrottle_target_concurrency": (_number, "AUTOTHROTTLE_TARGET_CONCURRENCY"),
        "autothrottle_max_delay": (_number, "AUTOTHROTTLE_MAX_DELAY"),
        "download_timeout": (_number, "DOWNLOAD_TIMEOUT"),
        "user_agent": (_text, "USER_AGENT"),
    },
    "limits": {
        "max_requests": (_whole, "NEWSSPIDER_MAX_REQUESTS"),
        "max_depth": (_whole, "NEWSSPIDER_MAX_DEPTH"),
        "max_links_per_page": (_whole, "NEWSSPIDER_MAX_LINKS_PER_PAGE"),
        "max_listing_pages": (_whole, "NEWSSPIDER_MAX_LISTING_PAGES"),
    },
}


def load_profile(path: Path | Traversable) -> SiteProfile:
    """The profile in `path` (`<name>.toml`, a file or a package resource); ProfileError naming the file and the
    field when it is not valid."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path}: not valid TOML: {error}") from None
    return profile_from_dict(data, path.name.removesuffix(".toml"), source=str(path))


def profile_from_dict(data: dict[str, Any], name: str, *, source: str | None = None) -> SiteProfile:
    where = source or name
    if not NAME.match(name):
        raise ProfileError(f"{where}: the site name {name!r} must be lower-case letters, digits, '.', '_' or '-'")
    unknown = sorted(set(data) - set(TOP) - set(TABLES))
    if unknown:
        known = ", ".join([*TOP, *(f"[{t}]" for t in TABLES)])
        raise ProfileError(f"{where}: unknown field(s) {', '.join(unknown)}; known: {known}")
    for key, check in TOP.items():
        if key in data and not check(data[key]):
            raise ProfileError(f"{where}: {key} must be {_KIND[check]}, got {data[key]!r}")
    values: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for table, fields in TABLES.items():
        given = data.get(table, {})
        if not isinstance(given, dict):
            raise ProfileError(f"{where}: [{table}] must be a table")
        unknown = sorted(set(given) - set(fields))
        if unknown:
            names = ", ".join(unknown)
            raise ProfileError(f"{where}: unknown field(s) in [{table}]: {names}; known: {', '.join(fields)}")
        for key, value in given.items():
            check, target = fields[key]
            if not check(value):
                raise ProfileError(f"{where}: {table}.{key} must be {_KIND[check]}, got {value!r}")
            if table in {"politeness", "limits"}:
                settings[target] = value
            else:
                values[target] = tuple(value) if isinstance(value, list) else value
    url = data.get("url")
    if not url:
        raise ProfileError(f"{where}: url (the site's root, like https://www.example.org/) is required")
    host = check_root_url(url, where)
    since = data.get("since") or None
    if since is not None and not _DAY.match(since):
        raise ProfileError(f"{where}: since must be a day like 2024-01-31, got {since!r}")
    for key in ("allow", "deny", "not_articles"):
        for pattern in values.get(key, ()):
            _check_pattern(pattern, f"{where}: urls.{key}")
    selectors = Selectors(
        **{key: values.pop(key) for key in ("headline", "authors", "published", "body", "remove") if key in values}
    )
    _check_selectors(selectors, where)
    return SiteProfile(
        name=name,
        site_name=data.get("site_name") or host.removeprefix("www."),
        base_url=url,
        domains=tuple(data.get("domains", ())),
        site_names=tuple(data.get("site_names", ())),
        languages=tuple(data.get("languages", ())),
        timezone=data.get("timezone") or None,
        since=since,
        selectors=selectors,
        settings=settings,
        source=source,
        **values,
    )


def check_root_url(url: str, where: str) -> str:
    """The host of a site root URL; ProfileError when it is not an http(s) URL."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ProfileError(f"{where}: url must be an http(s) URL like https://www.example.org/, got {url!r}")
    return parts.hostname.lower()


def _check_selectors(selectors: Selectors, where: str) -> None:
    from newsspider.sites.overrides import check_selector  # parsel only when a profile has selectors

    for key in ("headline", "authors", "published", "body"):
        query = getattr(selectors, key)
        if query and (problem := check_selector(query)):
            raise ProfileError(f"{where}: selectors.{key} {query!r} is not a valid selector: {problem}")
    for query in selectors.remove:
        if problem := check_selector(query):
            raise ProfileError(f"{where}: selectors.remove {query!r} is not a valid selector: {problem}")


def _check_pattern(pattern: str, where: str) -> None:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ProfileError(f"{where}: {pattern!r} is not a valid regular expression: {error}") from None
