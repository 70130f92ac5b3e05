"""The seed article in many page templates: "Keep Reading" expanders and related boxes never cut the body."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsspider.extract import extract_article
from newsspider.sites import get_profile

#: A real EU Reporter article as a naive extractor saw it (text only); the pages below are built around it.
SEED = (Path(__file__).resolve().parent / "fixtures" / "seed-article.txt").read_text(encoding="utf-8")
BLOCKS = [b.strip() for b in SEED.split("\n\n")]
HEADLINE = BLOCKS[0]
BEFORE = BLOCKS[1:4]  # the paragraphs before "Keep Reading"
AFTER = BLOCKS[5:6]  # the paragraph after it
BOILERPLATE = (
    "Keep Reading",
    "As vast is the European region",
    "Recent Posts",
    "Read More",
    "This website uses cookies",
)
URL = "https://www.eureporter.co/world/2022/09/06/us-says-russia-is-buying-rockets-and-artillery-from-n-korea/"


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{t}</p>\n" for t in texts)


RELATED = """<ul><li><a href="/a/">EU leaders meet in Prague over energy prices</a></li>
<li><a href="/b/">Sanctions package agreed after long night of talks</a></li>
<li><a href="/c/">Commission proposes windfall tax on energy firms</a></li></ul>"""

SPLITS = {
    "display-none-div": '<button class="read-more">Keep Reading</button><div class="more" style="display: none;">{after}</div>',
    "hidden-attribute": '<a href="#" class="btn keep-reading-btn">Keep Reading</a><div id="rest" hidden>{after}</div>',
    "collapse-class": '<p><a data-toggle="collapse" href="#more">Keep Reading</a></p><div class="collapse" id="more">{after}</div>',
    "aria-hidden": '<span class="toggle">Keep Reading</span><section class="article-rest" aria-hidden="true">{after}</section>',
    "details-summary": "<details><summary>Keep Reading</summary>{after}</details>",
    "checkbox-toggle": '<input type="checkbox" id="t" class="hide"><label for="t">Keep Reading</label><div class="hidden-content">{after}</div>',
    "related-box-div": '<div class="related-posts"><h3>Keep Reading</h3>' + RELATED + "</div>{after}",
    "related-box-aside": "<aside><h4>Keep Reading</h4>" + RELATED + "</aside>{after}",
    "related-box-no-class": "<div><strong>Keep Reading</strong>" + RELATED + "</div>{after}",
    "related-box-cards": '<div class="rp"><p class="rp-title">Keep Reading</p><div class="cards"><a href="/a/"><img src="/a.jpg">'
    '<span>EU leaders meet in Prague over energy prices</span></a><a href="/b/"><img src="/b.jpg"><span>Sanctions package '
    "agreed</span></a></div></div>{after}",
    "plain-label": "<p>Keep Reading</p>{after}",
}

CHROME_BEFORE = """<header class="site-header"><div class="logo"><a href="/">EU Reporter</a></div>
<nav class="main-menu"><a href="/category/politics/">Politics</a><a href="/category/world/">World</a></nav></header>"""
CHROME_AFTER = """<div class="share-buttons">Share on Facebook Share on Twitter Share on WhatsApp</div>
<div class="author-bio"><h4>EU Reporter</h4><p>As vast is the European region, the more diverse are the developments and
news that are to be known. I bring to table the news and political affairs from region to your screens.</p></div>
<div id="respond"><h3>Leave a Reply</h3><form><textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div>
<aside class="sidebar"><h3>Recent Posts</h3><ul><li><a href="/x/">Elon Musk voices up for the farmers!!</a>
<p>A surge of support is going around the globe for farmers to increase their productivity amidst the rising climate
crisis.… <a href="/x/">Read More</a></p><span>November 25, 2024</span></li></ul></aside>
<div class="cookie-bar"><p>This website uses cookies.</p><a href="/privacy/">Read More</a><button>Accept</button></div>"""


def page(split: str, *, meta: str, byline: str) -> str:
    content = paragraphs(BEFORE) + split.format(after=paragraphs(AFTER))
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{HEADLINE} - EU Reporter</title>{meta}</head><body class="post-template-default single single-post">
{CHROME_BEFORE}<main><article><h1 class="entry-title">{HEADLINE}</h1>{byline}
<div class="entry-content">{content}</div></article>{CHROME_AFTER}</main></body></html>"""


METADATA = {
    "jsonld": (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"'
        + HEADLINE
        + '","datePublished":"2022-09-06T09:12:40+02:00","author":{"@type":"Organization","name":"EU Reporter"}}</script>',
        "",
        ["EU Reporter"],
    ),
    "opengraph": (
        f'<meta property="og:title" content="{HEADLINE} | EU Reporter"><meta property="og:site_name" content="EU Reporter">'
        '<meta property="article:published_time" content="2022-09-06T09:12:40+00:00"><meta name="author" content="Ion Rusu">',
        "",
        ["Ion Rusu"],
    ),
    "visible": (
        "",
        '<div class="post-meta">By Ion Rusu and Claire Dubois | September 6, 2022</div>',
        ["Ion Rusu", "Claire Dubois"],
    ),
}


@pytest.mark.parametrize("metadata", sorted(METADATA))
@pytest.mark.parametrize("template", sorted(SPLITS))
def test_whole_body_and_metadata_survive_every_template(template: str, metadata: str) -> None:
    meta, byline, authors = METADATA[metadata]
    result = extract_article(page(SPLITS[template], meta=meta, byline=byline), URL, get_profile("eureporter"))
    assert result.record is not None, result.reason
    record = result.record
    assert record["body"] == "\n\n".join(BEFORE + AFTER)
    assert not any(marker in record["body"] for marker in BOILERPLATE)
    assert record["headline"] == HEADLINE
    assert record["authors"] == authors
    assert record["published"][:10] == "2022-09-06"
