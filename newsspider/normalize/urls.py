"""URLs as identifiers: canonical form (no tracking parameters, no fragment) and the dedupe key across variants."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsspider.normalize.text import clean_text

_TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|ref|ref_src|cmpid|"
    r"ocid|icid|share|amp|output)$",
    re.IGNORECASE,
)


def canonicalize_url(url: str, base: str | None = None) -> str:
    """A URL as an identifier: lower-case scheme and host, no default port, no fragment, no tracking params."""
    from urllib.parse import urljoin

    url = clean_text(url)
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a bad port or IPv6 host: keep the text, it is still an identifier
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = port if port and (scheme, port) not in {("http", 80), ("https", 443)} else None
    netloc = f"{host}:{port}" if port else host
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


@lru_cache(maxsize=65536)
def dedupe_key(url: str) -> str:
    """The identity of an article across URL variants: http/https, www., /amp/, ?amp and trailing slashes."""
    parts = urlsplit(canonicalize_url(url))
    host = parts.netloc.removeprefix("www.")
    path = re.sub(r"/amp/?$", "/", parts.path)
    path = path.rstrip("/") or "/"
    return urlunsplit(("", host, path, parts.query, "")).lstrip("/")
