"""One builder of small invented article pages for the extraction tests: every slot of a news page (head, chrome,
article header, text block, what follows the text, sidebar) is a parameter, so each test states only what it varies."""

from __future__ import annotations

from newsspider.extract import extract_article
from newsspider.sites.profile import SiteProfile

URL = "https://www.harbourgazette.example/city/council-approves-harbour-cycle-route/"
SITE = "Harbour Gazette"
HEADLINE = "Council approves cycle route along the old harbour"
#: Three paragraphs of prose, enough for any page to be an article.
PROSE = [
    "The city council voted on Thursday evening to build a protected cycle route along the old harbour, ending a "
    "dispute over parking spaces that had delayed the project for almost three years.",
    "The route will run for 4.2 kilometres from the ferry terminal to the university campus and is expected to "
    "carry around 6,000 cyclists a day once the last section opens.",
    "About 180 parking spaces on the quayside will be removed. The council said a new multi-storey car park behind "
    "the fish market would replace most of them before construction starts.",
]
TOP = '<header class="site-top"><a href="/">Harbour Gazette</a></header>'
SIDEBAR = """<aside class="side"><h3>Recent Posts</h3><ul><li><a href="/city/ferry-timetable/">New ferry timetable
from April</a> <time datetime="2024-03-01">1 Mar 2024</time></li></ul></aside>"""
FOOTER = '<footer class="site-footer"><p>© Harbour Gazette</p></footer>'


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def article_page(
    text: str | None = None,
    *,
    headline: str = HEADLINE,
    title: str | None = None,
    lang: str = "en",
    head: str = "",
    body_class: str = "single single-post postid-7",
    top: str = TOP,
    heading: str | None = None,
    header: str = "",
    text_open: str = '<div class="story-text">',
    text_close: str = "</div>",
    after: str = "",
    article_open: str = '<article class="story">',
    article_close: str = "</article>",
    sidebar: str = SIDEBAR,
    footer: str = FOOTER,
) -> str:
    """A news page: <head> (title, `head`), `top` chrome, then the article (`article_open`: its heading, `header`
    lines, the text block `text` between `text_open` and `text_close`, `after` it), the sidebar and the footer."""
    text = paragraphs_html(PROSE) if text is None else text
    title = f"{headline} | {SITE}" if title is None else title
    heading = f"<h1>{headline}</h1>" if heading is None else heading
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f'<body class="{body_class}">{top}{article_open}{heading}{header}{text_open}{text}{text_close}{after}'
        f"{article_close}{sidebar}{footer}</body></html>"
    )


def extract(html: str, url: str = URL, profile: SiteProfile | None = None) -> dict:
    """The record of a page that must be an article."""
    result = extract_article(html, url, profile)
    assert result.record is not None, result.reason
    return result.record


def body_paragraphs(html: str, url: str = URL, profile: SiteProfile | None = None) -> list[str]:
    return extract(html, url, profile)["body"].split("\n\n")
