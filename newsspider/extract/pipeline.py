"""The extraction pipeline: one pure function from a page's HTML and URL to a record or the reason it is none."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from newsspider import SCHEMA_VERSION
from newsspider.extract.analysis import PageAnalysis
from newsspider.extract.body import article_body
from newsspider.extract.classify import weigh_content, weigh_structure
from newsspider.extract.document import TOO_DEEP, DocumentTooDeep, decode_html, parse_html
from newsspider.extract.fields.authors import authors
from newsspider.extract.fields.dates import modified, published
from newsspider.extract.fields.headline import headline
from newsspider.extract.fields.page import canonical_url, description, image, language
from newsspider.extract.fields.paywall import paywalled
from newsspider.extract.fields.taxonomy import section, tags
from newsspider.normalize import content_hash, join_paragraphs, to_iso_date, word_count
from newsspider.sites.profile import COMMON_NON_ARTICLE_PATHS, SiteProfile

_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")


@dataclass(frozen=True)
class ExtractionResult:
    """A record when the page is an article, otherwise the reason it is not; and the page's links."""

    record: dict[str, Any] | None
    reason: str | None = None
    links: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.record is not None


def extract_article(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None = None,
    *,
    content_type: str | None = None,
    fetched_at: str | None = None,
    with_links: bool = False,
) -> ExtractionResult:
    """HTML + URL in, normalized record (the current schema) or a reason out; never raises on bad markup.

    With `with_links`, the result also carries every <a href> of the page (read before extraction changes the
    tree), so a crawler needs no second parse to follow them.
    """
    try:
        text = decode_html(html, content_type)
        tree = parse_html(text)
    except DocumentTooDeep:
        return ExtractionResult(None, TOO_DEEP)
    except (ValueError, TypeError) as error:
        return ExtractionResult(None, f"unparseable: {error}")
    if tree is None:
        return ExtractionResult(None, "unparseable: empty document")
    links = tuple(str(href) for href in tree.xpath("//a/@href")) if with_links else ()
    try:
        result = _extract(PageAnalysis(tree, url, profile), profile, fetched_at)
    except RecursionError:
        result = ExtractionResult(None, TOO_DEEP)
    return ExtractionResult(result.record, result.reason, links) if links else result


def _extract(page: PageAnalysis, profile: SiteProfile | None, fetched_at: str | None) -> ExtractionResult:
    url = page.url
    verdict = weigh_structure(page, profile.non_article_paths if profile else COMMON_NON_ARTICLE_PATHS)
    if verdict.veto or verdict.score <= -5:
        return ExtractionResult(None, verdict.reason())

    page_language = language(page)
    if page.languages is None and page_language:
        page.languages = [page_language] if page_language == "en" else [page_language, "en"]
    fields: dict[str, Any] = {
        "headline": headline(page),
        "authors": authors(page),
        "published": published(page) or _date_from_url(url),
        "modified": modified(page),
        "language": page_language,
        "description": description(page),
        "section": section(page),
        "tags": tags(page),
        "image": image(page),
        "canonical_url": canonical_url(page),
        "paywalled": paywalled(page),
    }
    heading = page.heading  # read before the body's DOM preparation changes the tree
    article = article_body(page, fields["headline"], fields["authors"])
    paragraphs = article.paragraphs
    if fields["paywalled"] is None and article.paywall_note:
        fields["paywalled"] = True  # a paywall note trafilatura took for text, outside the region searched first
    body = join_paragraphs(paragraphs)
    words = word_count(body)
    weigh_content(
        verdict,
        words=words,
        has_date=bool(fields["published"]),
        has_authors=bool(fields["authors"]),
        paragraphs=len(paragraphs),
        has_heading=heading is not None,
        paywalled=bool(fields["paywalled"]),
    )
    if not verdict.is_article:
        return ExtractionResult(None, verdict.reason())
    if not fields["headline"]:
        return ExtractionResult(None, "not-article: no headline")
    if fields["language"] is None:
        fields["language"] = detect_language(body)

    record = {
        "url": url,
        "canonical_url": fields["canonical_url"],
        "site": profile.name if profile else None,
        "headline": fields["headline"],
        "body": body,
        "authors": fields["authors"],
        "published": fields["published"],
        "modified": fields["modified"],
        "language": fields["language"],
        "description": fields["description"],
        "section": fields["section"],
        "tags": fields["tags"],
        "image": fields["image"],
        "paywalled": fields["paywalled"],
        "word_count": words,
        "content_hash": content_hash(body),
        "fetched_at": fetched_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "schema_version": SCHEMA_VERSION,
    }
    return ExtractionResult(record)


def detect_language(text: str) -> str | None:
    """The body's language when the page does not declare one (py3langid ships its model; no download)."""
    if len(text) < 200:
        return None
    try:
        import py3langid
    except ImportError:
        return None
    language, _ = py3langid.classify(text[:5000])
    return language or None


def _date_from_url(url: str) -> str | None:
    """WordPress permalinks carry the publication day (/2022/09/06/slug/): a last resort, day only."""
    match = _URL_DATE.search(url)
    return to_iso_date("-".join(match.groups())) if match else None
