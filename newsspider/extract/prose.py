"""Where the prose is: the block holding the page's paragraphs, the elements holding the most text, the article's
region around its headline, and what no cleaning step may remove."""

from __future__ import annotations

import re
from functools import cached_property

from lxml import html as lxml_html

from newsspider.extract.dom import BODY_PARAGRAPH_CHARS, link_density, prose_paragraphs, squash
from newsspider.extract.furniture import in_furniture, in_furniture_box

_ARTICLE_CLASSES = re.compile(r"(?:^|\s)(?:hentry|type-post|single-post|post-content|article|story)(?:\s|$)", re.I)


def article_root(tree: lxml_html.HtmlElement, heading: lxml_html.HtmlElement | None) -> lxml_html.HtmlElement:
    """The smallest container around the heading that also holds the article's paragraphs."""
    if heading is not None:
        article = heading.xpath("ancestor::article[1]")
        if article:
            return article[0]
        node = heading.getparent()
        while node is not None and node.tag not in {"body", "html"}:
            if _ARTICLE_CLASSES.search(node.get("class", "")) or len(node.xpath(".//p")) >= 2:
                return node
            node = node.getparent()
    articles = [a for a in tree.iter("article") if not in_furniture(a)]
    if len(articles) == 1:
        return articles[0]
    body = tree.find("body")
    return body if body is not None else tree


#: Elements whose own text is prose (paragraphs and the boxes that hold text loose).
_PROSE_TAGS = frozenset({"p", "div", "td", "section", "article", "font", "span", "li", "blockquote"})
#: Elements that can hold the page's longest runs of text.
_HOLDER_TAGS = ("p", "div", "td", "section", "article", "font", "span")


class Prose:
    """Where the page's prose is, from one pass over its text: how much text each element holds of its own (its
    text and its children's tails), the elements holding the most, and the container whose children hold the most.

    Read before the body's DOM preparation changes the tree (revealing collapsed text only changes attributes)."""

    def __init__(self, tree: lxml_html.HtmlElement) -> None:
        self.tree = tree

    @cached_property
    def own_text(self) -> dict[lxml_html.HtmlElement, int]:
        """Characters of text each prose element holds of its own, in the order their text first appears."""
        own: dict[lxml_html.HtmlElement, int] = {}
        for text in self.tree.xpath("//text()"):
            length = len(text.strip())
            if not length:
                continue
            owner = text.getparent()  # the element this text belongs to (for a tail: the element's parent)
            if text.is_tail and owner is not None:
                owner = owner.getparent()
            if owner is not None and owner.tag in _PROSE_TAGS:
                own[owner] = own.get(owner, 0) + length
        return own

    @cached_property
    def container(self) -> lxml_html.HtmlElement | None:
        """The element whose children hold the most text: the article's paragraphs sit side by side in it, while a
        footer line or a sidebar blurb, however long, stands alone."""
        totals: dict[lxml_html.HtmlElement, int] = {}
        for owner, length in self.own_text.items():
            parent = owner.getparent()
            if parent is not None:
                totals[parent] = totals.get(parent, 0) + length
        return max(totals, key=totals.__getitem__) if totals else None

    @cached_property
    def _holders(self) -> list[lxml_html.HtmlElement]:
        own = self.own_text
        scored = [(own[element], element) for element in self.tree.iter(*_HOLDER_TAGS) if element in own]
        scored.sort(key=lambda pair: pair[0], reverse=True)
        return [element for _, element in scored]

    def holders(self, count: int = 3) -> list[lxml_html.HtmlElement]:
        """The `count` elements holding the most text of their own, most first (document order among equals)."""
        return self._holders[:count]


#: Body-level blocks: what an article body container holds side by side.
_PROSE_BLOCKS = frozenset({"p", "blockquote", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "pre", "table", "figure"})


_CONTAINER_TAGS = frozenset({"div", "section", "article", "main"})


_MIN_CONTAINER_CHARS = 400


def body_container(
    tree: lxml_html.HtmlElement, container: lxml_html.HtmlElement | None
) -> lxml_html.HtmlElement | None:
    """The block holding the article's text blocks side by side: the container of the longest prose (see `Prose`),
    widened to its parent while that parent holds paragraphs of the same text beside it (the visible part of an
    article whose rest is a collapsed "read more" block)."""
    body = tree.find("body")
    page = len(squash((body if body is not None else tree).text_content()))
    if container is None or container.tag not in _CONTAINER_TAGS or in_furniture_box(container, page):
        return None
    own = len(squash(container.text_content()))
    while (parent := container.getparent()) is not None and parent.tag in _CONTAINER_TAGS:
        beside = [c for c in parent if c is not container and c.tag in _PROSE_BLOCKS]
        lengths = [len(squash(c.text_content())) for c in beside]
        paragraphs = [n for c, n in zip(beside, lengths, strict=True) if c.tag == "p" and n >= BODY_PARAGRAPH_CHARS]
        if not paragraphs or sum(lengths) < 0.25 * own or in_furniture_box(parent, page):
            break
        container = parent
        own = len(squash(container.text_content()))
    return container if own >= _MIN_CONTAINER_CHARS else None


def protected_containers(
    heading: lxml_html.HtmlElement | None, container: lxml_html.HtmlElement | None
) -> set[lxml_html.HtmlElement]:
    """The containers of the headline and of the longest prose: no cleaning step may remove them."""
    protected = set(heading.iterancestors()) if heading is not None else set()
    if container is not None:
        protected.add(container)
        protected.update(container.iterancestors())
    return protected


class ArticleProse:
    """The article's paragraphs of prose, in the block holding its text: a block inside it that holds most of them
    (an expander holding the rest of the article) is the article, whatever its name."""

    def __init__(self, tree: lxml_html.HtmlElement, prose: lxml_html.HtmlElement | None) -> None:
        #: The article's text block (see `body_container`), when the prose container is one.
        self.block = body_container(tree, prose) if prose is not None else None
        self.container = self.block if self.block is not None else prose
        self.chars = sum(prose_paragraphs(self.container)) if self.container is not None else 0
        self.around = {self.container, *self.container.iterancestors()} if self.container is not None else set()

    def inside(self, element: lxml_html.HtmlElement) -> bool:
        return any(node is self.container for node in element.iterancestors())

    def held_by(self, element: lxml_html.HtmlElement) -> bool:
        """The element is the article's text block, holds it, or holds most of its paragraphs."""
        if not self.chars:
            return False
        if element in self.around:
            return True
        return (
            self.inside(element)
            and sum(prose_paragraphs(element)) >= _MOST_OF_THE_PROSE * self.chars
            and link_density(element) < 0.3
        )

    def holders(self, candidates: list[lxml_html.HtmlElement]) -> set[lxml_html.HtmlElement]:
        return {element for element in candidates if self.held_by(element)}


_MOST_OF_THE_PROSE = 0.5
