"""Article templates the extractor was not tuned on: subheadings kept, header lines and bio boxes left out, dates
exactly as precise as the page states them.

The pages are small, invented WordPress-like themes: one whose body container carries a class trafilatura knows
nothing about (so it must be pointed at it), and one whose header sits inside the same <article> as the text.
"""

from __future__ import annotations

import pytest

from newsspider.extract import extract_article
from newsspider.extract.headerlines import is_header_line
from newsspider.normalize import to_iso_date
from newsspider.sites.profile import SiteProfile

URL = "https://www.harbourgazette.example/city/council-approves-harbour-cycle-route/"
HEADLINE = "Council approves cycle route along the old harbour"
AUTHORS = ["Maren Solberg", "Tobias Engel"]
LEAD = [
    "The city council voted on Thursday evening to build a protected cycle route along the old harbour, ending a "
    "dispute over parking spaces that had delayed the project for almost three years.",
    "The route will run for 4.2 kilometres from the ferry terminal to the university campus and is expected to "
    "carry around 6,000 cyclists a day once the last section opens.",
]
SUBHEADING = "What changes for drivers"
REST = [
    "About 180 parking spaces on the quayside will be removed. The council said a new multi-storey car park behind "
    "the fish market would replace most of them before construction starts.",
    "Delivery vans will keep access to the shops in the morning, and the speed limit on the harbour road will fall "
    "to 30 km/h for the whole length of the route.",
]
SUBHEADING_2 = "Funding"
TAIL = [
    "By 2027 the city hopes to link the route to the regional network. The project is budgeted at 14 million euros, "
    "two thirds of which come from a national programme for urban transport.",
]
BODY = [*LEAD, SUBHEADING, *REST, SUBHEADING_2, *TAIL]
BIO = (
    '<div class="{cls}"><h4>About the authors</h4>'
    '<div class="{cls}-card"><strong>Maren Solberg</strong><p>Maren Solberg reports on city hall and transport for '
    'the Gazette.</p><a href="/author/maren-solberg/">All articles by Maren Solberg</a></div>'
    '<div class="{cls}-card"><strong>Tobias Engel</strong><p>Tobias Engel is the Gazette\'s data reporter.</p>'
    '<a href="/author/tobias-engel/">View all posts by Tobias Engel</a></div></div>'
)
CHROME = """<div class="hg-strip"><span>Friday, March 8, 2024</span> &bull; <a href="/about/">About us</a></div>
<div class="hg-brand"><a href="/"><span>Harbour Gazette</span></a><span>Local news since 1891</span></div>
<div class="hg-menu"><ul><li><a href="/city/">City</a></li><li><a href="/sport/">Sport</a></li></ul></div>"""
SIDEBAR = """<div class="hg-side"><h3>Recent Posts</h3><ul><li><a href="/city/ferry-timetable/">New ferry timetable
from April</a> <time datetime="2024-03-01">1 Mar 2024</time></li></ul></div>"""


def _body_html() -> str:
    rest = "".join(f"<p>{t}</p>" for t in REST)
    tail = "".join(f"<p>{t}</p>" for t in TAIL)
    lead = "".join(f"<p>{t}</p>" for t in LEAD)
    return f"{lead}<h2>{SUBHEADING}</h2>{rest}<h3>{SUBHEADING_2}</h3>{tail}"


def unknown_container_page(*, when: str = "March 7, 2024", meta: str = "") -> str:
    """Post wrapper a <div>, text in a container with an unfamiliar class, header line with "/" separators."""
    byline = (
        '<div class="hg-info"><span class="hg-info__who"><a href="/author/maren-solberg/">Maren Solberg</a> &amp; '
        '<a href="/author/tobias-engel/">Tobias Engel</a></span> <span class="hg-info__sep">/</span> '
        f'<span class="hg-info__when">{when}</span> <span class="hg-info__sep">/</span> '
        '<span><a href="#comments">No Comments</a></span></div>'
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{HEADLINE} | Harbour Gazette</title>
{meta}</head><body class="single single-post postid-77">{CHROME}
<div class="hg-wrap"><div id="post-77" class="hg-single post-77"><div class="hg-cover"><h1 class="hg-cover__title">
{HEADLINE}</h1></div>{byline}<div class="hg-copy">{_body_html()}</div>{BIO.format(cls="hg-people")}</div>{SIDEBAR}
</div></body></html>"""


def header_in_article_page(*, when: str) -> str:
    """Byline and date as <p> inside the <article> that trafilatura takes whole, bio boxes inside it too."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{HEADLINE} &#8211; Harbour Gazette
</title></head><body class="single single-post postid-78">{CHROME}<div class="hg-cols"><div class="hg-left">
<article class="hg-story"><h1 class="hg-story__title">{HEADLINE}</h1>
<p class="hg-story__credit">By <a href="/author/maren-solberg/">Maren Solberg</a> and
<a href="/author/tobias-engel/">Tobias Engel</a></p>
<p class="hg-story__when">{when}</p>
<div class="hg-story__text">{_body_html()}</div>
<div class="hg-story__after">{BIO.format(cls="hg-writers")}</div></article></div>{SIDEBAR}</div></body></html>"""


def bio_inside_text_page() -> str:
    """A known body container (entry-content) with the bio box appended inside it, as author-box plugins do."""
    bio = (
        '<div class="hg-card"><img src="/maren.jpg" alt=""><strong>Maren Solberg</strong><p>Maren Solberg reports on '
        'city hall and transport for the Gazette.</p><a href="/author/maren-solberg/">More from Maren Solberg</a></div>'
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{HEADLINE}</title></head>
<body class="single single-post postid-79">{CHROME}<article class="post-79 post"><h1 class="entry-title">{HEADLINE}</h1>
<div class="entry-meta">By <a href="/author/maren-solberg/" rel="author">Maren Solberg</a> and
<a href="/author/tobias-engel/" rel="author">Tobias Engel</a></div>
<div class="entry-content">{_body_html()}{bio}</div></article>{SIDEBAR}</body></html>"""


def _extract(html: str, profile: SiteProfile | None = None) -> dict:
    result = extract_article(html, URL, profile)
    assert result.record is not None, result.reason
    return result.record


@pytest.mark.parametrize(
    "html", [unknown_container_page(), header_in_article_page(when="March 7, 2024")], ids=["unknown", "in-article"]
)
def test_body_keeps_plain_subheadings_and_nothing_else(html: str) -> None:
    record = _extract(html)
    assert record["body"].split("\n\n") == BODY


def test_header_line_and_separators_above_the_body_are_not_body() -> None:
    record = _extract(unknown_container_page(when="7 Mar 2024 (Updated 8 Mar 2024)"))
    paragraphs = record["body"].split("\n\n")
    assert paragraphs == BODY
    for furniture in ("No Comments", "7 Mar 2024", "Updated", "Friday, March 8, 2024", "Local news since"):
        assert furniture not in record["body"], furniture
    assert (record["published"], record["modified"]) == ("2024-03-07", "2024-03-08")


def test_byline_and_date_paragraphs_inside_the_article_are_not_body() -> None:
    record = _extract(header_in_article_page(when="March 7, 2024 at 2:30 pm | Last updated March 8, 2024 at 9:05 am"))
    paragraphs = record["body"].split("\n\n")
    assert paragraphs == BODY
    assert not any(p.startswith("By ") and "Solberg" in p for p in paragraphs)


@pytest.mark.parametrize(
    "html",
    [unknown_container_page(), header_in_article_page(when="March 7, 2024"), bio_inside_text_page()],
    ids=["unknown", "in-article", "inside-text"],
)
def test_bio_boxes_are_not_body_and_their_links_are_not_authors(html: str) -> None:
    record = _extract(html)
    assert record["authors"] == AUTHORS
    assert record["body"].split("\n\n") == BODY
    for furniture in ("About the authors", "All articles by", "View all posts by", "More from", "reports on city"):
        assert furniture not in record["body"], furniture


def test_a_more_from_link_in_the_text_is_not_a_bio_box() -> None:
    extra = (
        "<ul><li>The full survey of harbour traffic, published in January, is on the council website: "
        '<a href="/documents/harbour-survey/">more from the survey</a></li></ul>'
    )
    html = bio_inside_text_page().replace(f"<p>{TAIL[0]}</p>", f"<p>{TAIL[0]}</p>{extra}")
    assert "The full survey of harbour traffic" in _extract(html)["body"]


def test_author_page_link_labels_are_never_names_even_without_a_byline() -> None:
    html = header_in_article_page(when="March 7, 2024").replace(
        '<p class="hg-story__credit">By <a href="/author/maren-solberg/">Maren Solberg</a> and\n'
        '<a href="/author/tobias-engel/">Tobias Engel</a></p>',
        "",
    )
    authors = _extract(html)["authors"]
    assert not any(label in name for name in authors for label in ("All articles", "View all posts", "More from"))


def test_visible_time_without_zone_is_the_day_only() -> None:
    record = _extract(header_in_article_page(when="March 7, 2024 at 2:30 pm | Last updated March 8, 2024 at 9:05 am"))
    assert (record["published"], record["modified"]) == ("2024-03-07", "2024-03-08")


def test_visible_time_without_zone_is_localized_by_the_profile_timezone() -> None:
    profile = SiteProfile(
        name="gazette",
        site_name="Harbour Gazette",
        base_url="https://www.harbourgazette.example/",
        timezone="Europe/Oslo",
    )
    record = _extract(header_in_article_page(when="March 7, 2024 at 2:30 pm"), profile)
    assert record["published"] == "2024-03-07T14:30:00+01:00"


def test_stated_offsets_are_kept() -> None:
    meta = (
        '<meta property="article:published_time" content="2024-03-07T14:30:00+01:00">'
        '<meta property="article:modified_time" content="2024-03-08T08:05:00Z">'
    )
    record = _extract(unknown_container_page(meta=meta))
    assert (record["published"], record["modified"]) == ("2024-03-07T14:30:00+01:00", "2024-03-08T08:05:00+00:00")
    visible = _extract(header_in_article_page(when="March 7, 2024 14:30 CET"))
    assert visible["published"] == "2024-03-07T14:30:00+01:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-07T14:30:00", "2024-03-07"),
        ("2024-03-07 14:30", "2024-03-07"),
        ("March 7, 2024 at 2:30 pm", "2024-03-07"),
        ("Thu, 07 Mar 2024 14:30:00 -0000", "2024-03-07"),  # RFC 2822: "-0000" means the zone is unknown
        ("2024-03-07T14:30:00+01:00", "2024-03-07T14:30:00+01:00"),
        ("March 7, 2024 at 2:30 pm CEST", "2024-03-07T14:30:00+02:00"),
        ("7 March 2024 14:30 UTC", "2024-03-07T14:30:00+00:00"),
    ],
)
def test_to_iso_date_keeps_a_time_only_with_its_offset(value: str, expected: str) -> None:
    assert to_iso_date(value) == expected


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
    assert is_header_line(line, AUTHORS) is expected
