"""The article verdict on pages without structured data: undated stories are articles, teaser lists never are."""

from __future__ import annotations

import pytest

from newsspider.extract import extract_article, parse_html
from newsspider.extract.classify import MIN_TEASERS, read_layout

SITE = "http://www.riverside-gazette.example"
HEADLINE = "Harbour bridge to close to lorries"
PARAGRAPHS = [
    "The city council voted late on Tuesday to close the old harbour bridge to heavy lorries from the start of next "
    "month, after engineers found that two of its steel supports had corroded far faster than expected.",
    "Council leader Martin Hale said the decision had not been taken lightly, but that the safety of the thousands "
    "of people who cross the bridge every day had to come first. Buses and cars will still be allowed to use it.",
    "Hauliers reacted angrily, warning that the diversion through the industrial estate would add almost half an "
    "hour to every journey and push up the cost of deliveries to shops and farms on the far side of the river.",
    "Engineers expect the repairs to take at least eighteen months. A temporary crossing for lorries is being "
    "considered, but no money has yet been set aside for it in the council's budget for the coming year.",
    "Residents living near the diversion route have asked for a lower speed limit and new crossings outside the two "
    "primary schools on the road, which they say is already too busy at the start and end of the school day.",
]
TEASERS = [
    ("Harbour bridge to close to lorries", "Engineers found corroded supports under the old harbour bridge."),
    ("Schools ask for lower speed limit", "Head teachers along the diversion route want a twenty mile an hour limit."),
    ("Farmers fear higher delivery costs", "The detour will add half an hour to each trip, the farmers' union says."),
    ("New library opens its doors", "Hundreds of readers queued on Saturday for the opening of the new library."),
    ("Rowing club celebrates centenary", "The club marked its hundredth year with a regatta on the river."),
    ("Market traders win rent freeze", "Stallholders at the covered market will pay the same rent for two years."),
    ("Night buses return to the estate", "A trial of late services on the number nine route will start in spring."),
    ("Hospital car park fees cut", "Visitors to the general hospital will pay less to park from April."),
]
NAV = " | ".join(f'<a href="/{s}/">{s.title()}</a>' for s in ("news", "sport", "business", "weather", "letters"))


def old_article(
    *, title: str = f"{HEADLINE} - The Riverside Gazette", paragraphs: list[str] = PARAGRAPHS, dateline: str = ""
) -> str:
    """A 2008-style story page: a layout table, no <h1>, no date, no byline, no structured data."""
    text = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return f"""<html><head><title>{title}</title></head><body>
<table width="100%"><tr><td colspan="2"><img src="/img/logo.gif" alt=""> {NAV}</td></tr>
<tr><td width="160" valign="top"><a href="/">Home</a><br><a href="/news/">News</a><br><a href="/sport/">Sport</a><br>
<a href="/classifieds/">Classifieds</a><br><a href="/contact.asp">Contact us</a></td>
<td valign="top"><font size="4"><b>{HEADLINE}</b></font><br>{dateline}<font face="Arial" size="2">{text}</font>
<p><a href="/news/">Back to news</a> | <a href="/print.asp?id=1">Print this story</a></p></td></tr>
<tr><td colspan="2"><font size="1">Copyright 2008 The Riverside Gazette. All rights reserved.</font></td></tr>
</table></body></html>"""


def listing(items: str, heading: str = "<h1>Local News</h1>") -> str:
    return f"""<html><head><title>Local News - The Riverside Gazette</title></head><body>
<div id="top"><a href="/">The Riverside Gazette</a> {NAV}</div>
<div id="content">{heading}{items}</div>
<div id="bottom">Copyright 2008 The Riverside Gazette</div></body></html>"""


TEASER_LAYOUTS = {
    "headline over blurb": '<div class="item"><h3><a href="/news/{i}.asp">{title}</a></h3><p>{blurb}</p></div>',
    "links and breaks": '<a href="/news/{i}.asp"><b>{title}</b></a><br>{blurb}<br><br>',
    "table rows": '<table><tr><td><a href="/news/{i}.asp">{title}</a><p>{blurb}</p></td></tr></table>',
    "blurb ending in a more link": '<h3>{title}</h3><p>{blurb} <a href="/news/{i}.asp">Full story</a></p>',
    "byline and date between": '<div><a href="/news/{i}.asp">{title}</a><div>By Anna Field</div>'
    "<div>January {i}, 2008</div><p>{blurb}</p></div>",
    "search results": '<ol><li><a href="/news/{i}.asp">{title}</a><br>{blurb}</li></ol>',
}


def teaser_page(layout: str) -> str:
    items = "\n".join(
        TEASER_LAYOUTS[layout].format(i=i + 1, title=title, blurb=blurb) for i, (title, blurb) in enumerate(TEASERS)
    )
    return listing(items)


def test_undated_story_without_metadata_is_an_article() -> None:
    result = extract_article(old_article(), f"{SITE}/news/story.asp?id=1234")
    assert result.record is not None, result.reason
    assert result.record["published"] is None
    assert all(paragraph in result.record["body"] for paragraph in PARAGRAPHS)


def test_headline_is_the_part_of_the_title_the_page_shows() -> None:
    result = extract_article(old_article(), f"{SITE}/news/story.asp?id=1234")
    assert result.record is not None, result.reason
    assert result.record["headline"] == HEADLINE


def test_short_undated_story_is_an_article() -> None:
    result = extract_article(old_article(paragraphs=PARAGRAPHS[:2]), f"{SITE}/news/story.asp?id=77")
    assert result.record is not None, result.reason
    assert all(paragraph in result.record["body"] for paragraph in PARAGRAPHS[:2])


def test_page_without_title_takes_the_heading_above_its_prose() -> None:
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = f"""<html><body><div class="menu">{NAV}</div><div class="story">
<h2>{HEADLINE}</h2><div class="text">{text}</div></div></body></html>"""
    result = extract_article(html, f"{SITE}/news/story.asp?id=5")
    assert result.record is not None, result.reason
    assert result.record["headline"] == HEADLINE


def test_story_at_a_listing_shaped_url_is_an_article_when_it_is_one_dated_story() -> None:
    page = old_article(dateline="<i>Monday, January 7, 2008</i><br>")
    result = extract_article(page, f"{SITE}/topics/news/story.html?id=af4bb925-96cb&k=5")
    assert result.record is not None, result.reason
    assert result.record["published"] == "2008-01-07"


def test_undated_story_at_a_listing_url_is_still_not_an_article() -> None:
    result = extract_article(old_article(), f"{SITE}/category/news/")
    assert result.record is None
    assert "listing/static URL" in (result.reason or "")


def test_story_beside_a_box_of_teasers_and_reader_comments_is_an_article() -> None:
    box = "".join(f'<p><a href="/news/{i}.asp"><b>{t}</b></a><br>{b}</p>' for i, (t, b) in enumerate(TEASERS[:4]))
    comments = "".join(
        f"<div><b>Reader {i}</b><p>I cross that bridge every day and I think the council made the right call, even "
        "if the school run will be slower for a while.</p></div>"
        for i in range(5)
    )
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
    html = f"""<html><head><title>{HEADLINE} - The Riverside Gazette</title></head><body><table><tr>
<td><h2>{HEADLINE}</h2>{text}</td><td><h4>More local news</h4>{box}</td></tr></table>
<div id="reader-comments">{comments}</div></body></html>"""
    result = extract_article(html, f"{SITE}/news/story.asp?id=5")
    assert result.record is not None, result.reason
    assert PARAGRAPHS[0] in result.record["body"]


@pytest.mark.parametrize("layout", sorted(TEASER_LAYOUTS))
def test_list_of_teasers_is_not_an_article(layout: str) -> None:
    result = extract_article(teaser_page(layout), f"{SITE}/news/local.asp")
    assert result.record is None
    assert "8 teasers, little prose" in (result.reason or "")


def test_blog_index_of_excerpts_is_not_an_article() -> None:
    excerpt = " ".join(PARAGRAPHS[:2])
    items = "".join(
        f'<div class="post"><h2><a href="/blog/{i}/">{t}</a></h2><div class="meta">Posted by Anna Field</div>'
        f'<p>{excerpt} <a href="/blog/{i}/">Continue reading</a></p></div>'
        for i, (t, _) in enumerate(TEASERS[:5])
    )
    result = extract_article(listing(items, heading=""), f"{SITE}/blog/")
    assert result.record is None
    assert "5 teasers, little prose" in (result.reason or "")


def test_gallery_of_captions_is_not_an_article() -> None:
    photos = "".join(
        f'<div class="photo"><img src="/photos/{i}.jpg" alt=""><p>Crews on the river at the centenary regatta, '
        f"picture {i}.</p></div>"
        for i in range(12)
    )
    result = extract_article(listing(photos, heading="<h1>Regatta in pictures</h1>"), f"{SITE}/photos/regatta.asp")
    assert result.record is None
    assert "no paragraph of prose" in (result.reason or "")


def test_error_page_is_not_an_article() -> None:
    message = (
        "<p>The page you asked for may have been moved or deleted, or the address may have been typed wrongly. "
        'Please check the address, or go back to our <a href="/">home page</a>.</p>'
    )
    result = extract_article(listing(message, heading="<h1>Page not found</h1>"), f"{SITE}/news/missing.asp")
    assert result.record is None
    assert (result.reason or "").startswith("not-article")


def test_static_page_at_a_static_url_is_not_an_article() -> None:
    policy = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4]).replace("bridge", "policy")
    result = extract_article(listing(policy, heading="<h1>Privacy policy</h1>"), f"{SITE}/privacy-policy/")
    assert result.record is None
    assert "listing/static URL" in (result.reason or "")


def test_layout_of_a_story_is_one_block_of_prose() -> None:
    layout = read_layout(parse_html(old_article()))
    assert layout.block_paragraphs == len(PARAGRAPHS)
    assert layout.block_chars == sum(len(p) for p in PARAGRAPHS)
    assert layout.teasers < MIN_TEASERS


def test_layout_of_a_listing_is_teasers_and_no_prose() -> None:
    layout = read_layout(parse_html(teaser_page("headline over blurb")))
    assert layout.teasers == len(TEASERS)
    assert layout.teaser_chars == sum(len(blurb) for _, blurb in TEASERS)
    assert layout.prose_chars == 0
