"""Defect classes the second blind mirror found, on small invented pages of our own (not the mirror's markup).

- The rest of an article collapsed behind a "Keep Reading" button is article text, whatever the collapsed block is
  called and however it is hidden; collapsed menus, modals, comment threads and icons are not.
- A CSS-only expander holding the rest of the article is article text even when its name is one trafilatura drops
  blocks for ("expand", "slide", "options").
- A date line holding a <time datetime> gives the machine value, not the (less precise) visible text.
- A term link to a category archive is the section, not a tag, even when marked rel="tag" (WordPress core's
  post-terms block marks categories so).
"""

from __future__ import annotations

import pytest

from newsspider.extract import extract_article

URL = "https://www.valleyledger.example/transport/mountain-railway-tunnel-reopens-after-rockfall-repairs/"
HEADLINE = "Mountain railway tunnel reopens after rockfall repairs"
LEAD = [
    "Trains returned to the Hollern tunnel on Monday morning, eleven weeks after a rockfall closed the single-track "
    "line that links the upper valley with the regional capital.",
    "The first service left Steinach station at 5.42 with about forty passengers on board, most of them commuters "
    "who had spent the winter on replacement buses along the pass road.",
]
REST = [
    "Engineers from the state railway removed more than 900 tonnes of rock from the northern portal and anchored "
    "the slope above it with steel netting and 140 ground anchors.",
    "The operator said the repairs cost 6.3 million euros, about a third more than first estimated, because the "
    "work could only be done at night once the slope had been secured.",
    "What changes for passengers",
    "Trains will run every thirty minutes again at peak times. Speed through the tunnel stays limited to 60 km/h "
    "until the monitoring sensors installed during the repairs have a full month of data.",
]
BODY = [*LEAD, *REST]
REST_HTML = f"<p>{REST[0]}</p><p>{REST[1]}</p><h2>{REST[2]}</h2><p>{REST[3]}</p>"
SIDEBAR = """<aside class="vl-side"><h3>Latest</h3><ul><li><a href="/region/new-ferry-pier/">New ferry pier for the
lake villages</a> <time datetime="2024-04-30">30 Apr 2024</time></li></ul></aside>"""


def page(
    text: str,
    *,
    header: str = "",
    after: str = "",
    head: str = "",
    outside: str = "",
) -> str:
    """A small WordPress-like article page: header, text block, what follows the text, a sidebar."""
    header = header or (
        '<div class="vl-byline">By <a href="/author/lena-huber/" rel="author">Lena Huber</a></div>'
        '<div class="vl-date"><time datetime="2024-05-06T06:10:00+02:00">May 6, 2024</time></div>'
    )
    return f"""<!DOCTYPE html><html lang="de-AT"><head><meta charset="utf-8">
<title>{HEADLINE} &#8211; Valley Ledger</title>{head}</head>
<body class="single single-post postid-311">{outside}
<header class="vl-top"><a href="/">Valley Ledger</a></header>
<main class="vl-main"><article class="vl-post post-311"><h1 class="vl-post__title">{HEADLINE}</h1>{header}
<div class="vl-post__text">{text}</div>{after}</article>{SIDEBAR}</main></body></html>"""


def _extract(html: str) -> dict:
    result = extract_article(html, URL)
    assert result.record is not None, result.reason
    return result.record


def _lead_html() -> str:
    return "".join(f"<p>{t}</p>" for t in LEAD)


# --- 1. collapsed remainders -----------------------------------------------------------------------------------


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
        f'{_lead_html()}<div class="vl-keep-reading"><button type="button" aria-expanded="false">Keep Reading</button>'
        f'</div><div class="{name}" {hiding}>{REST_HTML}</div>'
    )
    record = _extract(page(text))
    assert record["body"].split("\n\n") == BODY


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
        '<div class="vl-comments collapse" aria-hidden="true"><p>About time too. My daughter spent the whole winter on '
        "those buses and was late for school at least twice a week because of the pass road.</p><p>Does anyone know "
        "whether the early Saturday train is coming back as well, or only the weekday services for now?</p></div>"
    )
    icon = '<span class="vl-icon" aria-hidden="true">&#9662;</span>'
    # The comment thread right after the paragraphs, in the same block: placed like a remainder, named otherwise.
    text = f"{_lead_html()}{REST_HTML}{icon}{comments}"
    record = _extract(page(text, outside=menu + modal))
    assert record["body"].split("\n\n") == BODY


# --- 2. CSS-only expanders named like widgets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outer", "inner"),
    [("vl-expander", "vl-expander__more"), ("story-slidedown", "story-slidedown__rest"), ("more-options", "rest")],
)
def test_a_css_only_expander_holding_the_rest_of_the_text_is_body(outer: str, inner: str) -> None:
    style = f"<style>.{inner}{{display:none}}#vl-more:checked~.{inner}{{display:block}}</style>"
    text = (
        f'{_lead_html()}<div class="{outer}"><input type="checkbox" id="vl-more" class="{outer}__toggle">'
        f'<label for="vl-more" class="{outer}__label">Read more <span aria-hidden="true">&#9662;</span></label>'
        f'<div class="{inner}">{REST_HTML}</div></div>'
    )
    record = _extract(page(text, head=style))
    assert record["body"].split("\n\n") == BODY
    assert "Read more" not in record["body"]


def test_a_small_block_named_like_a_widget_inside_the_text_stays_out() -> None:
    slide = (
        '<div class="vl-gallery-slide"><p>Slide 1 of 6: the northern portal of the tunnel before the rockfall, '
        "seen from the valley road.</p></div>"
    )
    record = _extract(page(f"{_lead_html()}{slide}{REST_HTML}"))
    assert record["body"].split("\n\n") == BODY


# --- 3. <time datetime> inside a date line ---------------------------------------------------------------------


def test_an_updated_line_gives_the_datetime_of_its_time_element() -> None:
    header = (
        '<div class="vl-byline">By <a href="/author/lena-huber/" rel="author">Lena Huber</a></div>'
        '<div class="vl-date"><time datetime="2024-05-06T06:10:00+02:00">May 6, 2024</time></div>'
        '<div class="vl-date vl-date--changed">Updated <time datetime="2024-05-07T18:25:00+02:00">May 7, 2024</time>'
        "</div>"
    )
    record = _extract(page(_lead_html() + REST_HTML, header=header))
    assert (record["published"], record["modified"]) == ("2024-05-06T06:10:00+02:00", "2024-05-07T18:25:00+02:00")


def test_each_date_of_a_line_comes_from_its_own_time_element() -> None:
    header = (
        '<p class="vl-meta">By <a href="/author/lena-huber/" rel="author">Lena Huber</a> | Published '
        '<time datetime="2024-05-01T09:00:00+02:00">1 May 2024</time> | Updated '
        '<time datetime="2024-05-11T14:40:00+02:00">11 May 2024</time></p>'
    )
    record = _extract(page(_lead_html() + REST_HTML, header=header))
    assert (record["published"], record["modified"]) == ("2024-05-01T09:00:00+02:00", "2024-05-11T14:40:00+02:00")


def test_an_updated_line_without_a_time_element_still_gives_its_day() -> None:
    header = (
        '<div class="vl-byline">By <a href="/author/lena-huber/" rel="author">Lena Huber</a></div>'
        '<div class="vl-date"><time datetime="2024-05-06T06:10:00+02:00">May 6, 2024</time></div>'
        '<div class="vl-date">Updated May 7, 2024</div>'
    )
    assert _extract(page(_lead_html() + REST_HTML, header=header))["modified"] == "2024-05-07"


# --- 4. categories marked rel="tag" ----------------------------------------------------------------------------

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
    header = (
        f'{category}<div class="vl-byline">By <a href="/author/lena-huber/" rel="author">Lena Huber</a></div>'
        '<div class="vl-date"><time datetime="2024-05-06T06:10:00+02:00">May 6, 2024</time></div>'
    )
    record = _extract(page(_lead_html() + REST_HTML, header=header, after=TAG_LINKS))
    assert record["section"] == "Transport"
    assert record["tags"] == ["rail", "Hollern tunnel"]


def test_tag_links_alone_give_tags_and_no_section() -> None:
    record = _extract(page(_lead_html() + REST_HTML, after=TAG_LINKS))
    assert record["section"] is None
    assert record["tags"] == ["rail", "Hollern tunnel"]


def test_a_stated_section_wins_over_the_category_link() -> None:
    head = '<meta property="article:section" content="Region">'
    category = '<div class="taxonomy-category"><a href="/category/transport/" rel="tag">Transport</a></div>'
    record = _extract(page(_lead_html() + REST_HTML, head=head, header=category, after=TAG_LINKS))
    assert record["section"] == "Region"
    assert record["tags"] == ["rail", "Hollern tunnel"]
