"""What is article text: every paragraph, plain subheadings, the rest collapsed behind a "Keep Reading" control
whatever it is called, and prose that merely looks like furniture (an "About" subheading, a section name, a date
word, provenance words early in the text, a "more from" link)."""

from __future__ import annotations

import pytest
from articlepage import Gazette, Ledger, Post, paragraphs_html


@pytest.mark.parametrize(
    "html",
    [Gazette.unknown_container_page(), Gazette.header_in_article_page(when="March 7, 2024")],
    ids=["unknown", "in-article"],
)
def test_body_keeps_plain_subheadings_and_nothing_else(html: str) -> None:
    assert Gazette.record(html)["body"].split("\n\n") == Gazette.BODY


def test_a_more_from_link_in_the_text_is_not_a_bio_box() -> None:
    extra = (
        "<ul><li>The full survey of harbour traffic, published in January, is on the council website: "
        '<a href="/documents/harbour-survey/">more from the survey</a></li></ul>'
    )
    html = Gazette.bio_inside_text_page(Gazette.TEXT + extra)
    assert "The full survey of harbour traffic" in Gazette.record(html)["body"]


@pytest.mark.parametrize(
    ("name", "hiding"),
    [
        ("vl-keep-reading__rest", 'aria-hidden="true" style="max-height:0;overflow:hidden"'),
        ("vl-keep-reading__rest", 'aria-hidden="true"'),
        ("vl-more-stories__rest", 'style="display:none"'),
        ("vl-read-next-body", "hidden"),
        ("vl-rest", 'aria-hidden="true" style="max-height:0;overflow:hidden"'),
    ],
)
def test_a_collapsed_remainder_of_the_text_is_body_whatever_its_name(name: str, hiding: str) -> None:
    text = (
        f'{Ledger.LEAD_HTML}<div class="vl-keep-reading"><button type="button" aria-expanded="false">Keep Reading'
        f'</button></div><div class="{name}" {hiding}>{Ledger.REST_HTML}</div>'
    )
    assert Ledger.record(Ledger.page(text))["body"].split("\n\n") == Ledger.BODY


@pytest.mark.parametrize(
    ("outer", "inner"),
    [("vl-expander", "vl-expander__more"), ("story-slidedown", "story-slidedown__rest"), ("more-options", "rest")],
)
def test_a_css_only_expander_holding_the_rest_of_the_text_is_body(outer: str, inner: str) -> None:
    style = f"<style>.{inner}{{display:none}}#vl-more:checked~.{inner}{{display:block}}</style>"
    text = (
        f'{Ledger.LEAD_HTML}<div class="{outer}"><input type="checkbox" id="vl-more" class="{outer}__toggle">'
        f'<label for="vl-more" class="{outer}__label">Read more <span aria-hidden="true">&#9662;</span></label>'
        f'<div class="{inner}">{Ledger.REST_HTML}</div></div>'
    )
    record = Ledger.record(Ledger.page(text, head=style))
    assert record["body"].split("\n\n") == Ledger.BODY
    assert "Read more" not in record["body"]


def test_an_about_subheading_inside_the_text_is_body() -> None:
    text = (
        Post.TEXT + "<h3>About the terminal</h3><p>The western terminal opened in 1987 and handles ferries to "
        "the islands as well as cruise ships from April to October.</p>"
    )
    body = Post.paragraphs(Post.page(text=text))
    assert body[-2] == "About the terminal"
    assert body[-1].startswith("The western terminal opened in 1987")


def test_about_someone_who_is_not_an_author_is_body() -> None:
    text = Post.TEXT + "<h3>About Anna Varga</h3><p>Anna Varga has run the harbour pilots' cooperative since 2011.</p>"
    assert Post.paragraphs(Post.page(text=text))[-2:] == [
        "About Anna Varga",
        "Anna Varga has run the harbour pilots' cooperative since 2011.",
    ]


def test_provenance_words_early_in_the_text_are_body() -> None:
    early = "The study was produced by the port's own engineers and reviewed by an independent institute in Kiel."
    text = f"<p>{Post.BODY[0]}</p><p>{early}</p>" + Post.TEXT.split("</p>", 1)[1]
    assert early in Post.paragraphs(Post.page(text=text))


def test_a_subheading_named_like_a_section_inside_the_text_is_body() -> None:
    text = (
        Post.TEXT + "<h3>Business</h3><p>Shipping lines said the connection fee is in line with other ports in "
        "the region and that most of their newer vessels can already use it.</p>"
    )
    assert "Business" in Post.paragraphs(Post.page(kicker='<span class="hp-kicker">City</span>', text=text))


@pytest.mark.parametrize(
    "prose",
    [
        "Updated figures from Eurostat show that 3.4 million households in the region now heat with gas, up from "
        "2.9 million in 2019.",
        "Published in 2021, the study found that 40 per cent of ferry passengers would pay more for cleaner ships.",
        "Posted to the harbour in 1998, the pilot has seen three generations of cruise ships come and go.",
    ],
)
def test_prose_that_opens_with_a_date_label_is_body(prose: str) -> None:
    text = paragraphs_html([*Post.BODY[:3], prose]) + f"<h3>{Post.BODY[3]}</h3><p>{Post.BODY[4]}</p>"
    assert Post.paragraphs(Post.page(text=text)) == [*Post.BODY[:3], prose, *Post.BODY[3:]]
