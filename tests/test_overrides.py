"""A profile's selectors around the generic extraction: each field it names is replaced, nothing else changes."""

from __future__ import annotations

from newsspider.extract import extract_article
from newsspider.sites.overrides import extract_page, paragraphs_of
from newsspider.sites.profile import Selectors, SiteProfile

PAGE = """<html lang="en"><head><title>Harbour bridge reopens - Post</title><meta property="og:type" content="article">
<meta property="article:published_time" content="2024-05-01T10:00:00+02:00"></head><body>
<nav><a href="/a/">A</a></nav><div class="kicker">City</div><h1 class="t">Harbour bridge reopens</h1>
<span class="by">By Ann Lee and Bob Ray</span><span class="when" data-day="2024-04-30">30 April</span>
<div class="content"><p>The bridge over the harbour reopened on Tuesday after two years of repair work by the city.</p>
<div class="ad">Advertisement</div>
<ul><li><p>Traffic is limited to buses for a month.</p></li><li>Cyclists may use it.</li></ul>
<p>Officials said the final cost was a third higher than planned, mostly because of steel prices last year.</p>
<p>The old ferry will keep running at weekends until the end of the summer, the harbour office said.</p></div>
<aside class="related"><a href="/b/">Another story about something else entirely, with a long title</a></aside>
</body></html>"""
URL = "https://post.example/2024/05/01/harbour-bridge-reopens/"


def profile(**selectors: object) -> SiteProfile:
    return SiteProfile(
        name="post", site_name="Post", base_url="https://post.example/", selectors=Selectors(**selectors)
    )


def test_without_selectors_it_is_the_generic_extraction() -> None:
    assert (
        extract_page(PAGE, URL, profile(), fetched_at="x").record
        == extract_article(PAGE, URL, profile(), fetched_at="x").record
    )


def test_each_named_field_is_replaced() -> None:
    record = extract_page(
        PAGE,
        URL,
        profile(
            headline="xpath://h1/text()",
            authors="span.by",
            published="span.when::attr(data-day)",
            body="div.content",
            remove=[".ad", ".kicker"],
        ),
    ).record
    assert record is not None
    assert record["headline"] == "Harbour bridge reopens"
    assert record["authors"] == ["Ann Lee", "Bob Ray"]
    assert record["published"] == "2024-04-30"
    paragraphs = record["body"].split("\n\n")
    assert paragraphs[0].startswith("The bridge over the harbour") and paragraphs[-1].startswith("The old ferry")
    assert "Advertisement" not in record["body"] and "Cyclists may use it." in paragraphs
    assert record["word_count"] == len(record["body"].split())


def test_a_selector_that_matches_nothing_leaves_the_field_as_extracted() -> None:
    generic = extract_page(PAGE, URL, profile()).record
    record = extract_page(PAGE, URL, profile(authors=".no-such-thing", body="#missing")).record
    assert generic is not None and record is not None
    assert (record["authors"], record["body"]) == (generic["authors"], generic["body"])


def test_the_verdict_stays_generic() -> None:
    contact = "<html><body><h1>Contact</h1><div class='content'><p>Write to us.</p></div></body></html>"
    assert extract_page(contact, "https://post.example/contact/", profile(body="div.content")).record is None


def test_links_are_read_before_elements_are_removed() -> None:
    links = extract_page(PAGE, URL, profile(remove=["aside.related"]), with_links=True).links
    assert "/b/" in links


def test_a_container_paragraph_in_a_list_item_is_one_paragraph() -> None:
    from lxml import html

    container = html.fromstring("<div><p>One</p><ul><li><p>Two</p></li></ul><script>x()</script>Tail</div>")
    assert paragraphs_of(container) == ["One", "Two"]
