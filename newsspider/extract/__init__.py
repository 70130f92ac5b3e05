"""Extract stage: one pure function from a page's HTML and URL to a schema-v1 record or a reason it is none."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import trafilatura
from lxml import html as lxml_html
from w3lib.encoding import html_to_unicode, read_bom

from newsspider import SCHEMA_VERSION
from newsspider.extract import metadata
from newsspider.extract.body import clean_paragraphs, paragraphs_from_trafilatura, prepare
from newsspider.extract.classify import weigh_content, weigh_structure
from newsspider.extract.layout import article_root, main_heading
from newsspider.extract.metadata import PageContext
from newsspider.extract.structured import read_structured_data
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


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """Bytes to text, robust to lying labels: a BOM wins; bytes that are valid UTF-8 are UTF-8 whatever the
    header or <meta> claim; otherwise the declared charset, and cp1252 (the web's latin-1) when the
    declaration says UTF-8 but the bytes are not."""
    if isinstance(html, str):
        return html
    encoding, bom = read_bom(html)
    if encoding and bom:
        return html[len(bom) :].decode(encoding, errors="replace")
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding, text = html_to_unicode(content_type, html, auto_detect_fun=lambda _: "cp1252")
    if encoding.replace("-", "").lower() in {"utf8", "utf8sig"}:
        return html.decode("cp1252", errors="replace")
    return text


def parse_html(html: str | bytes, content_type: str | None = None) -> lxml_html.HtmlElement | None:
    text = decode_html(html, content_type)
    if not text or not text.strip():
        return None
    return trafilatura.load_html(text)


def extract_article(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None = None,
    *,
    content_type: str | None = None,
    fetched_at: str | None = None,
    with_links: bool = False,
) -> ExtractionResult:
    """HTML + URL in, normalized record (schema v1) or a reason out; never raises on bad markup.

    With `with_links`, the result also carries every <a href> of the page (read before extraction changes the
    tree), so a crawler needs no second parse to follow them.
    """
    try:
        tree = parse_html(html, content_type)
    except (ValueError, TypeError) as error:
        return ExtractionResult(None, f"unparseable: {error}")
    if tree is None:
        return ExtractionResult(None, "unparseable: empty document")
    links = tuple(str(href) for href in tree.xpath("//a/@href")) if with_links else ()
    try:
        result = _extract(tree, url, profile, fetched_at)
    except RecursionError:
        result = ExtractionResult(None, "unparseable: document nested too deeply")
    return ExtractionResult(result.record, result.reason, links) if links else result


def _extract(
    tree: lxml_html.HtmlElement, url: str, profile: SiteProfile | None, fetched_at: str | None
) -> ExtractionResult:
    data = read_structured_data(tree)
    non_article_paths = profile.non_article_paths if profile else COMMON_NON_ARTICLE_PATHS
    verdict = weigh_structure(tree, url, data, non_article_paths)
    if verdict.veto or verdict.score <= -5:
        return ExtractionResult(None, verdict.reason())

    heading = main_heading(tree)
    ctx = PageContext(
        tree=tree,
        url=url,
        data=data,
        article=data.article_node(url),
        heading=heading,
        root=article_root(tree, heading),
        site_names=metadata.site_names(data, profile.all_site_names() if profile else ()),
        timezone=profile.timezone if profile else None,
        languages=list(profile.languages) if profile and profile.languages else None,
    )
    page_language = metadata.language(ctx)
    if ctx.languages is None and page_language:
        ctx.languages = [page_language] if page_language == "en" else [page_language, "en"]
    fields: dict[str, Any] = {
        "headline": metadata.headline(ctx),
        "authors": metadata.authors(ctx),
        "published": metadata.published(ctx) or _date_from_url(url),
        "modified": metadata.modified(ctx),
        "language": page_language,
        "description": metadata.description(ctx),
        "section": metadata.section(ctx),
        "tags": metadata.tags(ctx),
        "image": metadata.image(ctx),
        "canonical_url": metadata.canonical_url(ctx),
    }

    prepare(tree, heading)
    paragraphs = clean_paragraphs(
        paragraphs_from_trafilatura(tree, url), fields["headline"], ctx.site_names, fields["authors"]
    )
    body = join_paragraphs(paragraphs)
    words = word_count(body)
    weigh_content(
        verdict,
        words=words,
        has_date=bool(fields["published"]),
        has_authors=bool(fields["authors"]),
        paragraphs=len(paragraphs),
        has_heading=heading is not None,
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


__all__ = ["ExtractionResult", "decode_html", "extract_article", "parse_html"]
