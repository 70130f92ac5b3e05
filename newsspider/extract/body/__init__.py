"""The article body: prepare the DOM (reveal collapsed text, drop furniture), let trafilatura pick, clean up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from newsspider.extract.body.paragraphs import clean_paragraphs
from newsspider.extract.body.preparation import (
    remove_author_boxes,
    remove_calls_to_action,
    remove_furniture_inside_article,
    remove_link_only_blocks,
    remove_section_labels,
)
from newsspider.extract.body.reveal import reveal_collapsed_text
from newsspider.extract.body.trafilatura_adapter import (
    keep_prose_from_discards,
    paragraphs_from_trafilatura,
    point_trafilatura_at_body,
)
from newsspider.extract.dom import drop
from newsspider.extract.paywallbox import is_paywall_line
from newsspider.extract.prose import ArticleProse, protected_containers

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis

_NAMED_BOXES_INSIDE = etree.XPath(
    ".//*[self::div or self::section or self::aside or self::ul or self::span][@class or @id]"
)


def prepare(page: PageAnalysis) -> None:
    """All DOM preparation before trafilatura, in order. It changes the page's tree: read every field first."""
    tree = page.tree
    revealed = reveal_collapsed_text(tree)
    for box in page.paywall_boxes:  # never body, whatever trafilatura would think of it
        drop(box)
    prose = page.prose.container
    article = ArticleProse(tree, prose)
    holders = article.holders(_NAMED_BOXES_INSIDE(article.container)) if article.container is not None else set()
    protected = protected_containers(page.heading, prose) | set(revealed) | holders
    remove_calls_to_action(tree, protected)
    remove_section_labels(tree, prose, protected)
    remove_furniture_inside_article(tree, protected)
    remove_author_boxes(tree, protected)
    remove_link_only_blocks(tree)
    point_trafilatura_at_body(tree, article)
    keep_prose_from_discards(article, revealed)


@dataclass(frozen=True)
class ArticleBody:
    """The article's paragraphs, and whether a paywall note was among what trafilatura picked (never body)."""

    paragraphs: list[str]
    paywall_note: bool


def article_body(page: PageAnalysis, headline: str | None, authors: list[str]) -> ArticleBody:
    """The article's paragraphs: the DOM prepared, trafilatura's pick, cleaned of what is never body."""
    prepare(page)
    picked = paragraphs_from_trafilatura(page.tree, page.url)
    paragraphs = clean_paragraphs(picked, headline, page.site_names, authors)
    return ArticleBody(paragraphs, any(is_paywall_line(line) for line in picked))


__all__ = ["ArticleBody", "article_body", "clean_paragraphs", "prepare"]
