"""One page analysed once: its tree, structured data, main heading, article region, prose, lead footers and paywall
boxes, read by every field reader, the verdict and the body (each part computed on first use, then kept)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from lxml import html as lxml_html

from newsspider.extract.furniture import article_lead_footers, in_furniture
from newsspider.extract.heading import main_heading
from newsspider.extract.paywallbox import gated_parts, paywall_boxes
from newsspider.extract.prose import Prose, article_root, protected_containers
from newsspider.extract.structured import StructuredData, read_structured_data
from newsspider.normalize import clean_text
from newsspider.sites.profile import SiteProfile

_SITE_TYPES = frozenset({"website", "organization", "newsmediaorganization"})


class PageAnalysis:
    """What is known about one parsed page. Everything here is read before the body's DOM preparation changes the
    tree; `languages` is the one thing set later (once the page's language is known)."""

    def __init__(self, tree: lxml_html.HtmlElement, url: str, profile: SiteProfile | None = None) -> None:
        self.tree = tree
        self.url = url
        self.profile = profile
        self.timezone: str | None = profile.timezone if profile else None
        #: The languages dates are read in: the profile's, else the page's own (see `fields.page.language`).
        self.languages: list[str] | None = list(profile.languages) if profile and profile.languages else None

    @cached_property
    def data(self) -> StructuredData:
        """JSON-LD, OpenGraph and meta tags, microdata."""
        return read_structured_data(self.tree)

    @cached_property
    def article(self) -> dict[str, Any] | None:
        """The JSON-LD node describing this page's article, if any."""
        return self.data.article_node(self.url)

    @cached_property
    def prose(self) -> Prose:
        """Where the page's prose is (its container, the elements holding the most text)."""
        return Prose(self.tree)

    @cached_property
    def heading(self) -> lxml_html.HtmlElement | None:
        """The article's main heading."""
        return main_heading(self.tree, self.prose)

    @cached_property
    def root(self) -> lxml_html.HtmlElement:
        """The article's region: the smallest container around the heading that holds its paragraphs."""
        return article_root(self.tree, self.heading)

    @cached_property
    def regions(self) -> tuple[lxml_html.HtmlElement, ...]:
        """Where the article's byline and dates are looked for: its region, then the <article> that holds the main
        prose when that lies outside the region (a page-title block can sit outside the article)."""
        root = self.root
        container = self.prose.container
        article = None if container is None else next(container.iterancestors("article"), None)
        if container is not None and container.tag == "article":
            article = container
        if article is None or article is root or in_furniture(article):
            return (root,)
        if root in article.iterancestors() or article in root.iterancestors():
            return (root,)
        return (root, article)

    @cached_property
    def lead_footers(self) -> frozenset[lxml_html.HtmlElement]:
        """The article's meta lines written as a leading <footer> (see `article_lead_footers`)."""
        return article_lead_footers(self.tree)

    @cached_property
    def paywall_boxes(self) -> list[lxml_html.HtmlElement]:
        """Visible paywall boxes in the article's region ("Subscribe to continue reading"): furniture, and a sign
        the article is gated."""
        protected = protected_containers(self.heading, self.prose.container)
        return paywall_boxes(self.root, protected, gated_parts(self.tree, self.data, self.article))

    @cached_property
    def site_names(self) -> tuple[str, ...]:
        """The site's names: the profile's, og:site_name, application-name and JSON-LD WebSite/Organization names."""
        data = self.data
        names = list(self.profile.all_site_names() if self.profile else ())
        names += data.all_meta("og:site_name") + data.all_meta("application-name")
        for node in data.jsonld_nodes:
            raw = node.get("@type")
            types = {str(t).lower() for t in ([raw] if isinstance(raw, str) else raw or [])}
            if types & _SITE_TYPES and isinstance(node.get("name"), str):
                names.append(node["name"])
        # Site names are short; a "name" as long as a headline is a page title some markup put in the wrong place.
        cleaned = (clean_text(n) for n in names if n)
        return tuple(dict.fromkeys(n for n in cleaned if n and len(n) <= 50 and len(n.split()) <= 6))
