"""Is this page one article? Listing, tag, author, search, static and error pages must never become records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import html as lxml_html

from newsspider.extract.layout import in_furniture, main_text_holders
from newsspider.extract.structured import ARTICLE_TYPES, LISTING_TYPES, StructuredData
from newsspider.sites.profile import COMMON_NON_ARTICLE_PATHS

_WP_SINGLE = re.compile(r"(?:^|\s)(?:single|single-post|single-format-\w+|postid-\d+)(?=\s|$)")
_WP_LISTING = re.compile(r"(?:^|\s)(?:home|blog|archive|category|tag|author|date|paged|post-type-archive)(?=\s|$)")
_WP_STATIC = re.compile(r"(?:^|\s)(?:page|page-template-[\w-]+|page-id-\d+)(?=\s|$)")
_WP_VETO = re.compile(r"(?:^|\s)(?:error404|search|search-results|search-no-results|attachment)(?=\s|$)")
MIN_ARTICLE_WORDS = 40
MAIN_ARTICLE_CHARS = 1500
MAIN_PROSE_CHARS = 400


@dataclass
class Verdict:
    """The signals weighed for a page and what they add up to."""

    score: int = 0
    signals: list[str] = field(default_factory=list)
    veto: str | None = None

    def add(self, points: int, signal: str) -> None:
        self.score += points
        self.signals.append(f"{signal}({points:+d})")

    @property
    def is_article(self) -> bool:
        return self.veto is None and self.score > 0

    def reason(self) -> str:
        if self.veto:
            return f"not-article: {self.veto}"
        return "not-article: " + ", ".join(self.signals or ["no article signals"])


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def weigh_structure(
    tree: lxml_html.HtmlElement,
    url: str,
    data: StructuredData,
    non_article_paths: tuple[str, ...] = COMMON_NON_ARTICLE_PATHS,
) -> Verdict:
    """Signals that need no extraction: body classes, JSON-LD and OpenGraph types, URL shape, teaser count."""
    verdict = Verdict()
    body = tree.find("body")
    body_class = body.get("class", "") if body is not None else ""
    if _WP_VETO.search(body_class):
        verdict.veto = f"search, error or attachment page (body class {_WP_VETO.search(body_class).group().strip()!r})"
        return verdict
    types = data.types()
    if _WP_SINGLE.search(body_class):
        verdict.add(3, "single-post body class")
    elif _WP_LISTING.search(body_class):
        verdict.add(-5, "archive/home body class")
    elif _WP_STATIC.search(body_class):
        verdict.add(-3, "static page body class")
    if types & ARTICLE_TYPES:
        verdict.add(3, "JSON-LD article")
    elif types & LISTING_TYPES:
        verdict.add(-3, "JSON-LD listing/profile page")
    elif "webpage" in types:
        verdict.add(-1, "JSON-LD WebPage without article")
    og_type = (data.first_meta("og:type") or "").lower()
    if og_type == "article":
        verdict.add(1, "og:type article")
    elif og_type in {"website", "profile", "blog"}:
        verdict.add(-1, f"og:type {og_type}")
    if data.first_meta("article:published_time"):
        verdict.add(1, "article:published_time")
    if any(re.search(pattern, _path(url)) for pattern in non_article_paths):
        verdict.add(-3, "listing/static URL")
    articles = [a for a in tree.iter("article") if not in_furniture(a)]
    main = _main_article(tree)
    teasers = [
        a for a in articles if a is not main and main not in a.iterdescendants() and a not in main_ancestors(main)
    ]
    if main is not None:
        verdict.add(1, "headline inside a long <article>")
    elif len(teasers) >= 3 and _prose_outside(teasers, tree):
        verdict.add(1, "main prose outside the teasers")
    elif len(teasers) >= 3:
        verdict.add(-3, f"{len(teasers)} <article> teasers")
    elif len(articles) == 1:
        verdict.add(1, "one <article>")
    return verdict


def _prose_outside(teasers: list[lxml_html.HtmlElement], tree: lxml_html.HtmlElement) -> bool:
    """True when the page's longest run of prose stands outside every teaser: teasers are then related links."""
    holders = main_text_holders(tree, count=1)
    if not holders:
        return False
    holder = holders[0]
    own = len((holder.text or "").strip()) + sum(len((child.tail or "").strip()) for child in holder)
    paragraphs = (
        [p for p in holder.getparent().iter("p") if len(p.text_content()) > 150]
        if holder.getparent() is not None
        else []
    )
    if own < MAIN_PROSE_CHARS and len(paragraphs) < 3:
        return False
    inside = set(teasers)
    return not any(ancestor in inside for ancestor in holder.iterancestors())


def main_ancestors(element: lxml_html.HtmlElement | None) -> set[lxml_html.HtmlElement]:
    return set(element.iterancestors()) if element is not None else set()


def _main_article(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The <article> that holds the page's <h1> and a long text: the page is that article, whatever else it lists."""
    for heading in tree.iter("h1"):
        container = heading.xpath("ancestor::article[1]")
        if container and len(container[0].text_content()) >= MAIN_ARTICLE_CHARS and not in_furniture(container[0]):
            return container[0]
    # No headline in it, but the page's prose is: an <article> holding the longest text runs is the story.
    holders = main_text_holders(tree, count=3)
    containers = {id(c): c for h in holders for c in h.xpath("ancestor::article[1]")}
    if len(containers) == 1 and len(holders) == 3:
        container = next(iter(containers.values()))
        if len(container.text_content()) >= MAIN_ARTICLE_CHARS and not in_furniture(container):
            return container
    return None


def weigh_content(
    verdict: Verdict, *, words: int, has_date: bool, has_authors: bool, paragraphs: int = 0, has_heading: bool = False
) -> Verdict:
    """Signals from what extraction found: enough text, a date, a byline, a headline over paragraphs."""
    if words < MIN_ARTICLE_WORDS:
        verdict.veto = verdict.veto or f"too little article text ({words} words)"
        return verdict
    if has_heading and paragraphs >= 3:
        verdict.add(1, "headline over paragraphs")
    verdict.add(1 if has_date else -1, "date" if has_date else "no date")
    if has_authors:
        verdict.add(1, "byline")
    if words >= 80:
        verdict.add(1, f"{words} words")
    return verdict
