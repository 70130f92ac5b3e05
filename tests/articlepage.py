"""One builder of small invented article pages for the extraction tests: every slot of a news page (head, chrome,
article header, text block, what follows the text, sidebar, footer) is a parameter, so a test states only what it
varies. Four invented publications give the slots the markup of the themes our blind mirrors had (not the mirrors'
own markup): Gazette (WordPress-like), Ledger (a block theme), Post (div soup) and Herald (Drupal-like)."""

from __future__ import annotations

from typing import ClassVar

from newsspider.extract import extract_article
from newsspider.sites.profile import SiteProfile


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def article_page(
    text: str,
    *,
    headline: str,
    title: str | None = None,
    lang: str = "en",
    head: str = "",
    body_class: str = "single single-post postid-7",
    top: str = "",
    article_open: str = '<article class="story">',
    heading: str | None = None,
    header: str = "",
    text_open: str = '<div class="story-text">',
    text_close: str = "</div>",
    after: str = "",
    article_close: str = "</article>",
    sidebar: str = "",
    footer: str = "",
) -> str:
    """A news page: <head> (its <title>, then `head`), the `top` chrome, the article (`article_open`, its heading,
    `header` lines, the text block `text` between `text_open` and `text_close`, `after` it, `article_close`), then
    the sidebar and the footer."""
    title = headline if title is None else title
    heading = f"<h1>{headline}</h1>" if heading is None else heading
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>\n'
        f'<body class="{body_class}">{top}{article_open}{heading}{header}{text_open}{text}{text_close}{after}'
        f"{article_close}{sidebar}{footer}</body></html>"
    )


def extract(html: str, url: str, profile: SiteProfile | None = None) -> dict:
    """The record of a page that must be an article."""
    result = extract_article(html, url, profile)
    assert result.record is not None, result.reason
    return result.record


class Gazette:
    """A WordPress-like theme: chrome strip and menu, header lines with "/" separators, bio boxes after the text."""

    URL = "https://www.harbourgazette.example/city/council-approves-harbour-cycle-route/"
    HEADLINE = "Council approves cycle route along the old harbour"
    AUTHORS: ClassVar[list[str]] = ["Maren Solberg", "Tobias Engel"]
    LEAD: ClassVar[list[str]] = [
        "The city council voted on Thursday evening to build a protected cycle route along the old harbour, ending a "
        "dispute over parking spaces that had delayed the project for almost three years.",
        "The route will run for 4.2 kilometres from the ferry terminal to the university campus and is expected to "
        "carry around 6,000 cyclists a day once the last section opens.",
    ]
    SUBHEADING = "What changes for drivers"
    REST: ClassVar[list[str]] = [
        "About 180 parking spaces on the quayside will be removed. The council said a new multi-storey car park "
        "behind the fish market would replace most of them before construction starts.",
        "Delivery vans will keep access to the shops in the morning, and the speed limit on the harbour road will "
        "fall to 30 km/h for the whole length of the route.",
    ]
    SUBHEADING_2 = "Funding"
    TAIL: ClassVar[list[str]] = [
        "By 2027 the city hopes to link the route to the regional network. The project is budgeted at 14 million "
        "euros, two thirds of which come from a national programme for urban transport.",
    ]
    BODY: ClassVar[list[str]] = [*LEAD, SUBHEADING, *REST, SUBHEADING_2, *TAIL]
    TEXT = f"{paragraphs_html(LEAD)}<h2>{SUBHEADING}</h2>{paragraphs_html(REST)}<h3>{SUBHEADING_2}</h3>" + (
        paragraphs_html(TAIL)
    )
    BIO = (
        '<div class="{cls}"><h4>About the authors</h4>'
        '<div class="{cls}-card"><strong>Maren Solberg</strong><p>Maren Solberg reports on city hall and transport '
        'for the Gazette.</p><a href="/author/maren-solberg/">All articles by Maren Solberg</a></div>'
        '<div class="{cls}-card"><strong>Tobias Engel</strong><p>Tobias Engel is the Gazette\'s data reporter.</p>'
        '<a href="/author/tobias-engel/">View all posts by Tobias Engel</a></div></div>'
    )
    CHROME = """<div class="hg-strip"><span>Friday, March 8, 2024</span> &bull; <a href="/about/">About us</a></div>
<div class="hg-brand"><a href="/"><span>Harbour Gazette</span></a><span>Local news since 1891</span></div>
<div class="hg-menu"><ul><li><a href="/city/">City</a></li><li><a href="/sport/">Sport</a></li></ul></div>"""
    SIDEBAR = """<div class="hg-side"><h3>Recent Posts</h3><ul><li><a href="/city/ferry-timetable/">New ferry timetable
from April</a> <time datetime="2024-03-01">1 Mar 2024</time></li></ul></div>"""
    CREDIT = (
        '<p class="hg-story__credit">By <a href="/author/maren-solberg/">Maren Solberg</a> and\n'
        '<a href="/author/tobias-engel/">Tobias Engel</a></p>'
    )

    @classmethod
    def record(cls, html: str, profile: SiteProfile | None = None) -> dict:
        return extract(html, cls.URL, profile)

    @classmethod
    def unknown_container_page(cls, *, when: str = "March 7, 2024", meta: str = "") -> str:
        """Post wrapper a <div>, text in a container with an unfamiliar class, header line with "/" separators."""
        byline = (
            '<div class="hg-info"><span class="hg-info__who"><a href="/author/maren-solberg/">Maren Solberg</a> '
            '&amp; <a href="/author/tobias-engel/">Tobias Engel</a></span> <span class="hg-info__sep">/</span> '
            f'<span class="hg-info__when">{when}</span> <span class="hg-info__sep">/</span> '
            '<span><a href="#comments">No Comments</a></span></div>'
        )
        return article_page(
            cls.TEXT,
            headline=cls.HEADLINE,
            title=f"{cls.HEADLINE} | Harbour Gazette",
            head=meta,
            body_class="single single-post postid-77",
            top=cls.CHROME,
            article_open='\n<div class="hg-wrap"><div id="post-77" class="hg-single post-77">',
            heading=f'<div class="hg-cover"><h1 class="hg-cover__title">\n{cls.HEADLINE}</h1></div>',
            header=byline,
            text_open='<div class="hg-copy">',
            after=cls.BIO.format(cls="hg-people"),
            article_close="</div>",
            sidebar=f"{cls.SIDEBAR}\n</div>",
        )

    @classmethod
    def header_in_article_page(cls, *, when: str, credit: str | None = None) -> str:
        """Byline and date as <p> inside the <article> that trafilatura takes whole, bio boxes inside it too."""
        credit = cls.CREDIT if credit is None else credit
        return article_page(
            cls.TEXT,
            headline=cls.HEADLINE,
            title=f"{cls.HEADLINE} &#8211; Harbour Gazette\n",
            body_class="single single-post postid-78",
            top=f'{cls.CHROME}<div class="hg-cols"><div class="hg-left">\n',
            article_open='<article class="hg-story">',
            heading=f'<h1 class="hg-story__title">{cls.HEADLINE}</h1>\n',
            header=f'{credit}\n<p class="hg-story__when">{when}</p>\n',
            text_open='<div class="hg-story__text">',
            after=f'\n<div class="hg-story__after">{cls.BIO.format(cls="hg-writers")}</div>',
            article_close="</article></div>",
            sidebar=f"{cls.SIDEBAR}</div>",
        )

    @classmethod
    def bio_inside_text_page(cls, text: str | None = None) -> str:
        """A known body container (entry-content) with the bio box appended inside it, as author-box plugins do."""
        bio = (
            '<div class="hg-card"><img src="/maren.jpg" alt=""><strong>Maren Solberg</strong><p>Maren Solberg reports '
            'on city hall and transport for the Gazette.</p><a href="/author/maren-solberg/">More from Maren Solberg'
            "</a></div>"
        )
        return article_page(
            (cls.TEXT if text is None else text) + bio,
            headline=cls.HEADLINE,
            body_class="single single-post postid-79",
            top=cls.CHROME,
            article_open='<article class="post-79 post">',
            heading=f'<h1 class="entry-title">{cls.HEADLINE}</h1>\n',
            header=(
                '<div class="entry-meta">By <a href="/author/maren-solberg/" rel="author">Maren Solberg</a> and\n'
                '<a href="/author/tobias-engel/" rel="author">Tobias Engel</a></div>\n'
            ),
            text_open='<div class="entry-content">',
            sidebar=cls.SIDEBAR,
        )


class Ledger:
    """A block theme: the text in its own block inside an <article>, collapsed remainders, term blocks after it."""

    URL = "https://www.valleyledger.example/transport/mountain-railway-tunnel-reopens-after-rockfall-repairs/"
    HEADLINE = "Mountain railway tunnel reopens after rockfall repairs"
    LEAD: ClassVar[list[str]] = [
        "Trains returned to the Hollern tunnel on Monday morning, eleven weeks after a rockfall closed the "
        "single-track line that links the upper valley with the regional capital.",
        "The first service left Steinach station at 5.42 with about forty passengers on board, most of them "
        "commuters who had spent the winter on replacement buses along the pass road.",
    ]
    REST: ClassVar[list[str]] = [
        "Engineers from the state railway removed more than 900 tonnes of rock from the northern portal and anchored "
        "the slope above it with steel netting and 140 ground anchors.",
        "The operator said the repairs cost 6.3 million euros, about a third more than first estimated, because the "
        "work could only be done at night once the slope had been secured.",
        "What changes for passengers",
        "Trains will run every thirty minutes again at peak times. Speed through the tunnel stays limited to 60 km/h "
        "until the monitoring sensors installed during the repairs have a full month of data.",
    ]
    BODY: ClassVar[list[str]] = [*LEAD, *REST]
    LEAD_HTML = paragraphs_html(LEAD)
    REST_HTML = f"<p>{REST[0]}</p><p>{REST[1]}</p><h2>{REST[2]}</h2><p>{REST[3]}</p>"
    SIDEBAR = """<aside class="vl-side"><h3>Latest</h3><ul><li><a href="/region/new-ferry-pier/">New ferry pier for
the lake villages</a> <time datetime="2024-04-30">30 Apr 2024</time></li></ul></aside>"""
    HEADER = (
        '<div class="vl-byline">By <a href="/author/lena-huber/" rel="author">Lena Huber</a></div>'
        '<div class="vl-date"><time datetime="2024-05-06T06:10:00+02:00">May 6, 2024</time></div>'
    )

    @classmethod
    def record(cls, html: str) -> dict:
        return extract(html, cls.URL)

    @classmethod
    def page(cls, text: str, *, header: str = "", after: str = "", head: str = "", outside: str = "") -> str:
        """Header, text block, what follows the text, a sidebar; `outside` the article before the masthead."""
        return article_page(
            text,
            headline=cls.HEADLINE,
            title=f"{cls.HEADLINE} &#8211; Valley Ledger",
            lang="de-AT",
            head=head,
            body_class="single single-post postid-311",
            top=f'{outside}\n<header class="vl-top"><a href="/">Valley Ledger</a></header>\n<main class="vl-main">',
            article_open='<article class="vl-post post-311">',
            heading=f'<h1 class="vl-post__title">{cls.HEADLINE}</h1>',
            header=header or cls.HEADER,
            text_open='\n<div class="vl-post__text">',
            after=after,
            sidebar=f"{cls.SIDEBAR}</main>",
        )


class Post:
    """Div soup without structured data: header lines in a head block, the text, a "Filed under" line, a sidebar."""

    URL = "https://www.harbourpost.example/city/ferry-terminal-gets-shore-power-for-cruise-ships/"
    HEADLINE = "Ferry terminal gets shore power for cruise ships"
    BODY: ClassVar[list[str]] = [
        "The port authority switched on a shore power connection at the western ferry terminal on Tuesday, allowing "
        "cruise ships to turn off their diesel generators while they are moored in the city centre.",
        "The installation cost 14 million euros, half of it paid by a regional climate fund, and can supply two "
        "ships at the same time. Port officials expect about sixty calls a year to use it from next season.",
        "Residents of the old town have complained for years about exhaust fumes and the constant hum of engines "
        "from ships berthed a few hundred metres from their windows.",
        "Cleaner air by summer",
        "The city's environment office will install two air quality sensors near the quay to measure the effect, "
        "and publish the results every month on its website.",
    ]
    TEXT = f"<p>{BODY[0]}</p><p>{BODY[1]}</p><p>{BODY[2]}</p><h3>{BODY[3]}</h3><p>{BODY[4]}</p>"
    SIDEBAR = """<div class="hp-side"><h3>Latest</h3><ul><li><a href="/city/new-tram-line/">New tram line opens</a>
<span>03.05.2024</span></li></ul></div>"""
    FILED = (
        '<div class="hp-filed">Filed under <a href="/category/city/" rel="tag">City</a>, tagged '
        '<a href="/tag/ports/" rel="tag">ports</a></div>'
    )
    HEADER = (
        '<p class="hp-by">By <a href="/writers/mira-lund/">Mira Lund</a> and <a href="/writers/tomas-berg/">'
        'Tomas Berg</a></p><p class="hp-when">May 7, 2024</p>'
    )
    BYLINE = '<p class="hp-by">By <a href="/writers/mira-lund/">Mira Lund</a></p>'

    @classmethod
    def record(cls, html: str) -> dict:
        return extract(html, cls.URL)

    @classmethod
    def paragraphs(cls, html: str) -> list[str]:
        return cls.record(html)["body"].split("\n\n")

    @classmethod
    def page(cls, *, header: str = "", text: str | None = None, after: str = "", kicker: str = "", lang: str = "en"):
        """Header lines, the text block, what follows it, a sidebar; a `kicker` above the headline."""
        return article_page(
            cls.TEXT if text is None else text,
            headline=cls.HEADLINE,
            title=f"{cls.HEADLINE} - Harbour Post",
            lang=lang,
            body_class="single",
            top=(
                '\n<div class="hp-top"><a href="/">Harbour Post</a> <a href="/category/city/">City</a>\n'
                '<a href="/category/business/">Business</a></div>\n<div class="hp-wrap">'
            ),
            article_open=f'<div class="hp-story"><div class="hp-head">{kicker}',
            header=f"{header or cls.HEADER}</div>\n",
            text_open='<div class="hp-copy">',
            after=f"{cls.FILED}{after}",
            article_close="</div>",
            sidebar=f"{cls.SIDEBAR}</div>",
        )


class Herald:
    """A Drupal-like theme: title block outside the node, meta lines in <footer>s, no body classes."""

    URL = "https://www.valleyherald.example/council/river-path-reopens-after-flood-repairs/"
    HEADLINE = "River path reopens after flood repairs"
    PROSE = paragraphs_html(
        [
            "The riverside footpath between the old mill and the railway bridge reopened on Monday after eight months "
            "of repairs to the embankment that collapsed during the winter floods.",
            "Engineers rebuilt almost two hundred metres of the bank with stone baskets and planted willows along the "
            "top to hold the soil, at a cost the council put at 1.2 million euros.",
            "Cyclists and walkers had been sent on a long detour through the industrial estate since January, and "
            "local shops along the path said their takings had fallen by a third.",
        ]
    )
    FOOTER = '<footer class="site-footer"><p>© Valley Herald</p></footer>'

    @classmethod
    def record(cls, html: str) -> dict:
        return extract(html, cls.URL)

    @classmethod
    def page(cls, **slots: str) -> str:
        """The article's slots as given (see `article_page`), in the Herald's frame."""
        frame = {"title": f"{cls.HEADLINE} | Valley Herald", "body_class": "", "footer": cls.FOOTER}
        return article_page(cls.PROSE, headline=cls.HEADLINE, **{**frame, **slots})
