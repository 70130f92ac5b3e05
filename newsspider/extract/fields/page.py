"""What a page says of itself: its language, description, image and canonical address."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from newsspider.extract.fields.common import value_text
from newsspider.normalize import canonicalize_url

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis


def language(page: PageAnalysis) -> str | None:
    candidates = [
        page.tree.get("lang"),
        page.tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        value_text(page.article.get("inLanguage")) if page.article else None,
        page.data.first_meta("og:locale", "content-language", "language", "dc.language"),
    ]
    for candidate in candidates:
        if candidate and (match := re.match(r"^\s*([A-Za-z]{2,3})(?:[-_]|$)", candidate)):
            return match.group(1).lower()
    return None


def description(page: PageAnalysis) -> str | None:
    return value_text(
        page.data.first_meta("og:description", "description", "twitter:description")
        or (page.article.get("description") if page.article else None)
    )


def image(page: PageAnalysis) -> str | None:
    value = page.data.first_meta("og:image", "og:image:url", "og:image:secure_url")
    if not value and page.article:
        value = value_text(page.data.resolve(page.article.get("image")))
    if not value:
        value = page.data.first_meta("twitter:image", "twitter:image:src")
    return urljoin(page.url, value.strip()) if value else None


def canonical_url(page: PageAnalysis) -> str:
    links = page.tree.xpath('//link[@rel="canonical"]/@href') or page.tree.xpath(
        '//link[contains(@rel, "canonical")]/@href'
    )
    value = next((v for v in links if v.strip()), None) or page.data.first_meta("og:url") or page.url
    canonical = canonicalize_url(value, base=page.url)
    # A malformed canonical (bad port, broken host) is not an address: fall back to the page's own.
    return canonical if re.match(r"^(?:https?|file)://[^/\s]+", canonical) else canonicalize_url(page.url)
