"""Section and tags: a category term link is the section even when marked rel="tag", tag links are tags, and a
stated section wins over the links."""

from __future__ import annotations

import pytest
from articlepage import Ledger

TEXT = Ledger.LEAD_HTML + Ledger.REST_HTML
TAG_LINKS = (
    '<div class="wp-block-post-terms taxonomy-post_tag"><a href="https://www.valleyledger.example/tag/rail/" '
    'rel="tag">rail</a>, <a href="https://www.valleyledger.example/tag/hollern-tunnel/" rel="tag">Hollern tunnel</a>'
    "</div>"
)


@pytest.mark.parametrize(
    "category",
    [
        # WordPress core's post-terms block for the category taxonomy
        '<div class="wp-block-post-terms taxonomy-category"><a href="https://www.valleyledger.example/category/'
        'transport/" rel="tag">Transport</a></div>',
        # the same block with a custom category base
        '<div class="taxonomy-category wp-block-post-terms"><a href="/topics/transport/" rel="tag">Transport</a></div>',
        # a theme's own term list: the link goes to a category archive
        '<span class="vl-kicker"><a href="/category/transport/" rel="tag">Transport</a></span>',
        # classic themes mark it as both
        '<span class="vl-kicker"><a href="/category/transport/" rel="category tag">Transport</a></span>',
    ],
    ids=["post-terms", "custom-base", "archive-link", "category-tag"],
)
def test_a_category_term_link_is_the_section_and_not_a_tag(category: str) -> None:
    record = Ledger.record(Ledger.page(TEXT, header=category + Ledger.HEADER, after=TAG_LINKS))
    assert record["section"] == "Transport"
    assert record["tags"] == ["rail", "Hollern tunnel"]


def test_tag_links_alone_give_tags_and_no_section() -> None:
    record = Ledger.record(Ledger.page(TEXT, after=TAG_LINKS))
    assert record["section"] is None
    assert record["tags"] == ["rail", "Hollern tunnel"]


def test_a_stated_section_wins_over_the_category_link() -> None:
    head = '<meta property="article:section" content="Region">'
    category = '<div class="taxonomy-category"><a href="/category/transport/" rel="tag">Transport</a></div>'
    record = Ledger.record(Ledger.page(TEXT, head=head, header=category, after=TAG_LINKS))
    assert record["section"] == "Region"
    assert record["tags"] == ["rail", "Hollern tunnel"]
