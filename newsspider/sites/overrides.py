"""A profile's CSS/XPath selectors around the generic extraction: the escape hatch for a site the rules get wrong.

Pure (HTML + URL + profile in, result out), like extraction itself. Without selectors in the profile a page goes
straight to `extract_article`; with them:

- `remove`: elements taken out of the page before anything reads it (ad labels, "read also" boxes, comments);
- `headline`, `authors`, `published`: the text (or attribute, `::attr(name)`) of the matches replaces the field;
- `body`: the matching container's paragraphs (p, headings, list items, quotes) are the body.

Whether a page is an article is still the generic verdict: a selector that matches on every page of a site (a
page's content container) must not turn its contact page into an article.
"""

from __future__ import annotations

from typing import Any

from lxml import html as lxml_html
from parsel import Selector

from newsspider.extract import ExtractionResult, extract_article
from newsspider.normalize import clean_text, content_hash, join_paragraphs, split_authors, to_iso_date, word_count
from newsspider.sites.profile import SiteProfile

#: Elements whose text is one paragraph of a body container.
_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption"}
_SKIP = {"script", "style", "noscript", "template", "button", "form", "iframe", "svg"}


def select(selector: Selector, query: str) -> list[Any]:
    """Matches of one profile selector: CSS (with Scrapy's ::text and ::attr()), or XPath after `xpath:`."""
    if query.startswith("xpath:"):
        return list(selector.xpath(query.removeprefix("xpath:").strip()))
    return list(selector.css(query))


def check_selector(query: str) -> str | None:
    """Why a profile selector cannot be used (its syntax), or None."""
    try:
        select(Selector(text="<html></html>"), query)
    except Exception as error:  # cssselect and lxml raise their own kinds
        return f"{type(error).__name__}: {error}"
    return None


def extract_page(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None,
    *,
    fetched_at: str | None = None,
    with_links: bool = False,
) -> ExtractionResult:
    """`extract_article`, with the profile's selectors applied around it."""
    if profile is None or not profile.selectors:
        return extract_article(html, url, profile, fetched_at=fetched_at, with_links=with_links)
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    selector = Selector(text=text or "<html></html>")
    links = tuple(str(href) for href in selector.xpath("//a/@href").getall()) if with_links else ()
    rules = profile.selectors
    for query in rules.remove:
        for match in select(selector, query):
            element = match.root
            if isinstance(element, lxml_html.HtmlElement) and element.getparent() is not None:
                element.drop_tree()
    cleaned = lxml_html.tostring(selector.root, encoding="unicode") if rules.remove else text
    result = extract_article(cleaned, url, profile, fetched_at=fetched_at)
    record = result.record
    if record is not None:
        record = apply_selectors(selector, record, profile)
    return ExtractionResult(record, result.reason, links)


def apply_selectors(selector: Selector, record: dict[str, Any], profile: SiteProfile) -> dict[str, Any]:
    """The record with each field a selector names replaced by what the selector finds (when it finds something)."""
    rules = profile.selectors
    record = dict(record)
    if rules.headline and (headline := " ".join(_texts(selector, rules.headline))):
        record["headline"] = headline
    if rules.authors and (authors := split_authors(_texts(selector, rules.authors))):
        record["authors"] = authors
    if rules.published:
        languages = list(profile.languages) or None
        for value in _texts(selector, rules.published):
            published = to_iso_date(value, languages=languages, default_timezone=profile.timezone)
            if published:
                record["published"] = published
                break
    if rules.body:
        containers = [m.root for m in select(selector, rules.body) if isinstance(m.root, lxml_html.HtmlElement)]
        paragraphs = [p for container in containers[:1] for p in paragraphs_of(container)]
        if paragraphs:
            body = join_paragraphs(paragraphs)
            record.update(body=body, word_count=word_count(body), content_hash=content_hash(body))
    return record


def _texts(selector: Selector, query: str) -> list[str]:
    """Each match as clean text: a string match (::text, ::attr(), an XPath attribute) as it is, an element's text."""
    texts = []
    for match in select(selector, query):
        root = match.root
        value = root.text_content() if isinstance(root, lxml_html.HtmlElement) else str(root)
        if value := clean_text(value):
            texts.append(value)
    return texts


def paragraphs_of(container: lxml_html.HtmlElement) -> list[str]:
    """A container's paragraphs in reading order: each outermost block element's text once (a <p> in a <li> is one
    paragraph); the container's whole text when it has no block elements."""
    paragraphs: list[str] = []

    def walk(element: lxml_html.HtmlElement) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                continue
            if child.tag in _BLOCKS:
                if text := clean_text(_visible_text(child)):
                    paragraphs.append(text)
            else:
                walk(child)

    walk(container)
    if not paragraphs and (text := clean_text(_visible_text(container))):
        paragraphs.append(text)
    return paragraphs


def _visible_text(element: lxml_html.HtmlElement) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            parts.append(_visible_text(child))
        parts.append(child.tail or "")
    return " ".join(parts)
