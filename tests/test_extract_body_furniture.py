"""What is never article text, wherever it sits: header lines and their separators, bylines and date stamps, bio
boxes, collapsed menus, modals and comment threads, small widgets inside the text, agency provenance notes, and a
section label above the headline."""

from __future__ import annotations

import pytest
from articlepage import Gazette, Ledger, Post, paragraphs_html

from newsspider.extract.headerlines import is_header_line


def test_header_line_and_separators_above_the_body_are_not_body() -> None:
    record = Gazette.record(Gazette.unknown_container_page(when="7 Mar 2024 (Updated 8 Mar 2024)"))
    assert record["body"].split("\n\n") == Gazette.BODY
    for furniture in ("No Comments", "7 Mar 2024", "Updated", "Friday, March 8, 2024", "Local news since"):
        assert furniture not in record["body"], furniture
    assert (record["published"], record["modified"]) == ("2024-03-07", "2024-03-08")


def test_byline_and_date_paragraphs_inside_the_article_are_not_body() -> None:
    when = "March 7, 2024 at 2:30 pm | Last updated March 8, 2024 at 9:05 am"
    paragraphs = Gazette.record(Gazette.header_in_article_page(when=when))["body"].split("\n\n")
    assert paragraphs == Gazette.BODY
    assert not any(p.startswith("By ") and "Solberg" in p for p in paragraphs)


@pytest.mark.parametrize(
    "html",
    [
        Gazette.unknown_container_page(),
        Gazette.header_in_article_page(when="March 7, 2024"),
        Gazette.bio_inside_text_page(),
    ],
    ids=["unknown", "in-article", "inside-text"],
)
def test_bio_boxes_are_not_body_and_their_links_are_not_authors(html: str) -> None:
    record = Gazette.record(html)
    assert record["authors"] == Gazette.AUTHORS
    assert record["body"].split("\n\n") == Gazette.BODY
    for furniture in ("About the authors", "All articles by", "View all posts by", "More from", "reports on city"):
        assert furniture not in record["body"], furniture


@pytest.mark.parametrize(
    "after",
    [
        # one box per author, plain class names, a heading "About <name>"
        '<div class="box"><img src="/a.jpg" alt=""><h4>About Mira Lund</h4><p>Mira Lund covers the port, shipping '
        'and the city council.</p></div><div class="box"><h4>About Tomas Berg</h4><p>Tomas Berg writes about '
        "energy and climate policy.</p></div>",
        # a single generic box
        '<section class="x-end"><h3>About the authors</h3><p>Mira Lund and Tomas Berg are reporters at the '
        "Harbour Post.</p></section>",
    ],
)
def test_bio_boxes_after_the_text_are_not_body(after: str) -> None:
    assert Post.paragraphs(Post.page(after=after)) == Post.BODY


def test_collapsed_menus_modals_comments_and_icons_stay_out() -> None:
    menu = (
        '<div class="vl-offcanvas-menu" aria-hidden="true"><ul><li><a href="/region/">Region</a></li>'
        '<li><a href="/sport/">Sport</a></li></ul><p>The Valley Ledger is published every weekday morning by the '
        "Hollern Valley newspaper cooperative and its members.</p></div>"
    )
    modal = (
        '<div class="vl-modal" aria-hidden="true" style="display:none"><p>Support independent local journalism in '
        "the valley: subscribers read every story and the e-paper from 6 a.m.</p><p>Your subscription pays for our "
        "reporters at council meetings, courts and schools across the whole district.</p></div>"
    )
    comments = (
        '<div class="vl-comments collapse" aria-hidden="true"><p>About time too. My daughter spent the whole winter '
        "on those buses and was late for school at least twice a week because of the pass road.</p><p>Does anyone "
        "know whether the early Saturday train is coming back as well, or only the weekday services for now?</p></div>"
    )
    icon = '<span class="vl-icon" aria-hidden="true">&#9662;</span>'
    # The comment thread right after the paragraphs, in the same block: placed like a remainder, named otherwise.
    text = f"{Ledger.LEAD_HTML}{Ledger.REST_HTML}{icon}{comments}"
    assert Ledger.record(Ledger.page(text, outside=menu + modal))["body"].split("\n\n") == Ledger.BODY


def test_a_small_block_named_like_a_widget_inside_the_text_stays_out() -> None:
    slide = (
        '<div class="vl-gallery-slide"><p>Slide 1 of 6: the northern portal of the tunnel before the rockfall, '
        "seen from the valley road.</p></div>"
    )
    record = Ledger.record(Ledger.page(f"{Ledger.LEAD_HTML}{slide}{Ledger.REST_HTML}"))
    assert record["body"].split("\n\n") == Ledger.BODY


@pytest.mark.parametrize(
    "note",
    [
        "This story was provided by Nordic Wire, a news agency, and was not edited by Harbour Post staff.",
        "This article was supplied by Baltic Press Service.",
        "This story has not been edited by Harbour Post staff and is published from a syndicated feed.",
    ],
)
def test_provenance_note_closing_the_article_is_not_body(note: str) -> None:
    assert Post.paragraphs(Post.page(text=f"{Post.TEXT}<p>{note}</p>")) == Post.BODY


def test_plain_section_label_above_the_headline_is_not_body() -> None:
    assert Post.paragraphs(Post.page(kicker='<p class="hp-kicker">City</p>')) == Post.BODY


@pytest.mark.parametrize(
    "stamp",
    [
        "Updated 8 May 2024, 10:05",
        "Last updated on May 8, 2024 at 9:05 am | By Mira Lund",
        "Published: 07.05.2024 14:30",
        "Aktualisiert am 8. Mai 2024, 10:05 Uhr",
    ],
)
def test_a_date_stamp_inside_the_text_is_not_body(stamp: str) -> None:
    text = paragraphs_html([*Post.BODY[:2], stamp, Post.BODY[2]]) + f"<h3>{Post.BODY[3]}</h3><p>{Post.BODY[4]}</p>"
    assert Post.paragraphs(Post.page(text=text)) == Post.BODY


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/", True),
        ("Maren Solberg & Tobias Engel / 7 Mar 2024 / No Comments", True),
        ("By Maren Solberg and Tobias Engel", True),
        ("7 Mar 2024 (Updated 8 Mar 2024)", True),
        ("March 7, 2024 at 2:30 pm | Last updated March 8, 2024 at 9:05 am", True),
        ("Maren Solberg said the council had listened to residents.", False),
        ("By 2027 the city hopes to link the route to the regional network.", False),
        ("Maren Solberg, Oslo", False),
    ],
)
def test_is_header_line(line: str, expected: bool) -> None:
    assert is_header_line(line, Gazette.AUTHORS) is expected
