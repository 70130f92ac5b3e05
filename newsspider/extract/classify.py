"""Is this page one article? Listing, tag, author, search, static and error pages must never become records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import html as lxml_html

from newsspider.extract.analysis import PageAnalysis
from newsspider.extract.furniture import in_furniture
from newsspider.extract.prose import Prose
from newsspider.extract.structured import ARTICLE_TYPES, LISTING_TYPES
from newsspider.sites.profile import COMMON_NON_ARTICLE_PATHS

_WP_SINGLE = re.compile(r"(?:^|\s)(?:single|single-post|single-format-\w+|postid-\d+)(?=\s|$)")
_WP_LISTING = re.compile(r"(?:^|\s)(?:home|blog|archive|category|tag|author|date|paged|post-type-archive)(?=\s|$)")
_WP_STATIC = re.compile(r"(?:^|\s)(?:page|page-template-[\w-]+|page-id-\d+)(?=\s|$)")
_WP_VETO = re.compile(r"(?:^|\s)(?:error404|search|search-results|search-no-results|attachment)(?=\s|$)")
MIN_ARTICLE_WORDS = 40
#: What a paywalled article shows may be a teaser of a sentence or two: still the article, with the text it shows.
MIN_TEASER_WORDS = 15
MAIN_ARTICLE_CHARS = 1500
MAIN_PROSE_CHARS = 400
#: Layout signals add -4..+1 and content signals (weigh_content) -1..+4 (or veto): from this structural score on,
#: the page is an article whatever they say.
SURE_ARTICLE_SCORE = 6


@dataclass
class Verdict:
    """The signals weighed for a page and what they add up to."""

    score: int = 0
    signals: list[str] = field(default_factory=list)
    veto: str | None = None

    def add(self, points: int, signal: str) -> None:
        self.score += points
        self.signals.append(f"{signal}({points:+d})")

    @property
    def is_article(self) -> bool:
        return self.veto is None and self.score > 0

    def reason(self) -> str:
        if self.veto:
            return f"not-article: {self.veto}"
        return "not-article: " + ", ".join(self.signals or ["no article signals"])


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def weigh_structure(page: PageAnalysis, non_article_paths: tuple[str, ...] = COMMON_NON_ARTICLE_PATHS) -> Verdict:
    """Signals that need no extraction: body classes, JSON-LD and OpenGraph types, URL shape, teaser count, and
    how the text is laid out (one block of prose, or a list of teasers)."""
    tree, url, data = page.tree, page.url, page.data
    verdict = Verdict()
    body = tree.find("body")
    body_class = body.get("class", "") if body is not None else ""
    if _WP_VETO.search(body_class):
        verdict.veto = f"search, error or attachment page (body class {_WP_VETO.search(body_class).group().strip()!r})"
        return verdict
    types = data.types()
    if _WP_SINGLE.search(body_class):
        verdict.add(3, "single-post body class")
    elif _WP_LISTING.search(body_class):
        verdict.add(-5, "archive/home body class")
    elif _WP_STATIC.search(body_class):
        verdict.add(-3, "static page body class")
    if types & ARTICLE_TYPES:
        verdict.add(3, "JSON-LD article")
    elif types & LISTING_TYPES:
        verdict.add(-3, "JSON-LD listing/profile page")
    elif "webpage" in types:
        verdict.add(-1, "JSON-LD WebPage without article")
    og_type = (data.first_meta("og:type") or "").lower()
    if og_type == "article":
        verdict.add(1, "og:type article")
    elif og_type in {"website", "profile", "blog"}:
        verdict.add(-1, f"og:type {og_type}")
    if data.first_meta("article:published_time"):
        verdict.add(1, "article:published_time")
    if any(re.search(pattern, _path(url)) for pattern in non_article_paths):
        verdict.add(-3, "listing/static URL")
    articles = [a for a in tree.iter("article") if not in_furniture(a)]
    main = _main_article(tree, page.prose)
    teasers = [
        a for a in articles if a is not main and main not in a.iterdescendants() and a not in main_ancestors(main)
    ]
    if main is not None:
        verdict.add(1, "headline inside a long <article>")
    elif len(teasers) >= 3 and _prose_outside(teasers, page.prose):
        verdict.add(1, "main prose outside the teasers")
    elif len(teasers) >= 3:
        verdict.add(-3, f"{len(teasers)} <article> teasers")
    elif len(articles) == 1:
        verdict.add(1, "one <article>")
    if verdict.score >= SURE_ARTICLE_SCORE:
        return verdict  # reading the layout (the costliest signal) could not change the outcome
    layout = read_layout(tree)
    if layout.teasers >= MIN_TEASERS and layout.teaser_chars > 2 * layout.prose_chars:
        verdict.add(-4, f"{layout.teasers} teasers, little prose")
    elif layout.block_chars >= MAIN_PROSE_CHARS and layout.block_chars >= layout.teaser_chars:
        verdict.add(1, f"one block of prose ({layout.block_paragraphs} paragraphs)")
    elif not layout.prose_chars:
        verdict.add(-1, "no paragraph of prose")
    return verdict


def _prose_outside(teasers: list[lxml_html.HtmlElement], prose: Prose) -> bool:
    """True when the page's longest run of prose stands outside every teaser: teasers are then related links."""
    holders = prose.holders(count=1)
    if not holders:
        return False
    holder = holders[0]
    own = prose.own_text[holder]
    paragraphs = (
        [p for p in holder.getparent().iter("p") if len(p.text_content()) > 150]
        if holder.getparent() is not None
        else []
    )
    if own < MAIN_PROSE_CHARS and len(paragraphs) < 3:
        return False
    inside = set(teasers)
    return not any(ancestor in inside for ancestor in holder.iterancestors())


def main_ancestors(element: lxml_html.HtmlElement | None) -> set[lxml_html.HtmlElement]:
    return set(element.iterancestors()) if element is not None else set()


def _main_article(tree: lxml_html.HtmlElement, prose: Prose) -> lxml_html.HtmlElement | None:
    """The <article> that holds the page's <h1> and a long text: the page is that article, whatever else it lists."""
    for heading in tree.iter("h1"):
        container = heading.xpath("ancestor::article[1]")
        if container and len(container[0].text_content()) >= MAIN_ARTICLE_CHARS and not in_furniture(container[0]):
            return container[0]
    # No headline in it, but the page's prose is: an <article> holding the longest text runs is the story.
    holders = prose.holders(count=3)
    containers = {id(c): c for h in holders for c in h.xpath("ancestor::article[1]")}
    if len(containers) == 1 and len(holders) == 3:
        container = next(iter(containers.values()))
        if len(container.text_content()) >= MAIN_ARTICLE_CHARS and not in_furniture(container):
            return container
    return None


def weigh_content(
    verdict: Verdict,
    *,
    words: int,
    has_date: bool,
    has_authors: bool,
    paragraphs: int = 0,
    has_heading: bool = False,
    paywalled: bool = False,
) -> Verdict:
    """Signals from what extraction found: enough text (a paywalled article shows a teaser only), a date, a byline,
    a headline over paragraphs."""
    if words < (MIN_TEASER_WORDS if paywalled else MIN_ARTICLE_WORDS):
        verdict.veto = verdict.veto or f"too little article text ({words} words)"
        return verdict
    if has_heading and paragraphs >= 3:
        verdict.add(1, "headline over paragraphs")
    verdict.add(1 if has_date else -1, "date" if has_date else "no date")
    if has_authors:
        verdict.add(1, "byline")
    if words >= 80:
        verdict.add(1, f"{words} words")
    return verdict


# --- the page's text as runs of text: one block of prose, or a list of teasers? ------------------------------

#: Elements that start a new line of text; <br> ends one too.
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "center", "dd", "div", "dl", "dt", "fieldset"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"),
        *("nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
_PARAGRAPH_TAGS = frozenset({"blockquote", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "li", "p", "pre"})
_SILENT_TAGS = frozenset(
    {
        *("button", "head", "iframe", "noscript", "object", "option", "script", "select", "style", "template"),
        *("textarea", "title"),
    }
)
PROSE_RUN_CHARS = 80  # a shorter run of text is a label, caption, dateline or headline, not a paragraph
BLURB_CHARS = (40, 400)  # a teaser's blurb: a sentence or two beside the link to its story
LINK_LINE_CHARS = 20  # a shorter link ("via Reuters", "Enlarge") does not part two blocks of prose
MIN_TEASERS = 4


@dataclass
class _Run:
    """Text between two line breaks (block edges or <br>), and how much of it is link text."""

    owner: lxml_html.HtmlElement  # the innermost block holding the text
    chars: int = 0
    words: int = 0
    link_chars: int = 0
    last_link: lxml_html.HtmlElement | None = None  # the link the run ends in, if it ends in one

    def add(self, text: str, link: lxml_html.HtmlElement | None) -> None:
        words = text.split()
        if not words:
            return
        length = sum(map(len, words)) + len(words) - 1 + (1 if self.chars else 0)
        self.chars += length
        self.words += len(words)
        self.link_chars += length if link is not None else 0
        self.last_link = link

    @property
    def prose(self) -> int:
        return self.chars - self.link_chars

    def is_paragraph(self) -> bool:
        return self.prose >= PROSE_RUN_CHARS and self.link_chars <= 0.2 * self.chars

    def is_title_link(self) -> bool:
        return self.words >= 3 and self.link_chars >= 0.8 * self.chars

    def is_link_line(self) -> bool:
        return self.link_chars > 0.5 * self.chars and self.chars >= LINK_LINE_CHARS

    def is_more_link(self) -> bool:
        return self.words <= 3 and self.link_chars >= 0.8 * self.chars

    def ends_in_more_link(self) -> bool:
        return self.last_link is not None and 0 < len(self.last_link.text_content().split()) <= 3

    def box(self) -> lxml_html.HtmlElement:
        """The box the text sits in: a paragraph's parent, or the block holding the text itself."""
        parent = self.owner.getparent() if self.owner.tag in _PARAGRAPH_TAGS else None
        return parent if parent is not None else self.owner


def _text_runs(root: lxml_html.HtmlElement) -> list[_Run]:
    """The visible text under root as runs, in document order (an explicit stack: pages can nest thousands deep)."""
    runs = [_Run(root)]

    def line_break(owner: lxml_html.HtmlElement) -> None:
        if runs[-1].chars:
            runs.append(_Run(owner))
        else:
            runs[-1].owner = owner

    stack: list[tuple[bool, lxml_html.HtmlElement, lxml_html.HtmlElement | None, lxml_html.HtmlElement]] = [
        (False, root, None, root)
    ]
    while stack:
        closing, element, link, owner = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else None  # comments: only their tail is text
        if not closing and tag is not None and tag not in _SILENT_TAGS:
            block = tag in _BLOCK_TAGS
            if block or tag == "br":
                line_break(element if block else owner)
            inner_link = element if tag == "a" and element.get("href") is not None else link
            inner_owner = element if block else owner
            runs[-1].add(element.text or "", inner_link)
            stack.append((True, element, link, owner))
            stack.extend((False, child, inner_link, inner_owner) for child in reversed(element))
            continue
        if closing and tag in _BLOCK_TAGS:
            line_break(owner)  # the text after a block is its parent's again
        runs[-1].add(element.tail or "", link)
    return [run for run in runs if run.chars]


@dataclass(frozen=True)
class TextLayout:
    """How a page's text is laid out: its largest block of prose paragraphs, and the teasers around it."""

    block_chars: int = 0
    block_paragraphs: int = 0
    prose_chars: int = 0  # all prose paragraphs that are no teaser
    teasers: int = 0
    teaser_chars: int = 0


def _teasers(runs: list[_Run]) -> list[_Run]:
    """Text ending in a "more" link, and blurbs under a headline link (maybe with a date line between) or over a
    "more" link; never in page furniture."""
    furniture: dict[lxml_html.HtmlElement, bool] = {}
    teasers = []
    for index, run in enumerate(runs):
        if run.prose < BLURB_CHARS[0] or run.link_chars > 0.3 * run.chars:
            continue
        above = next(
            # a byline, date or kicker line or two may stand between the headline and its blurb
            (r for r in runs[max(0, index - 3) : index][::-1] if r.chars >= BLURB_CHARS[0] or r.is_title_link()),
            None,
        )
        below = runs[index + 1] if index + 1 < len(runs) else None
        blurb = run.prose <= BLURB_CHARS[1] and (
            (above is not None and above.is_title_link()) or (below is not None and below.is_more_link())
        )
        if not (blurb or run.ends_in_more_link()):
            continue
        if run.owner not in furniture:
            furniture[run.owner] = in_furniture(run.owner)
        if not furniture[run.owner]:
            teasers.append(run)
    return teasers


def read_layout(tree: lxml_html.HtmlElement) -> TextLayout:
    """The page's largest block of prose, and its teasers. A block is a series of paragraphs that no teaser
    interrupts, nor a line of links between two boxes of text."""
    body = tree.find("body")
    runs = _text_runs(body if body is not None else tree)
    teasers = _teasers(runs)
    teaser_ids = {id(run) for run in teasers}
    prose = best = best_paragraphs = chars = paragraphs = 0
    last: _Run | None = None  # the block's last paragraph
    links_between = False
    for run in runs:
        if id(run) in teaser_ids:
            chars = paragraphs = 0
            last = None
        elif run.is_link_line():
            links_between = True
        elif run.is_paragraph():
            if links_between and last is not None and run.box() is not last.box():
                chars = paragraphs = 0
            chars += run.chars
            paragraphs += 1
            prose += run.chars
            last, links_between = run, False
            if chars > best:
                best, best_paragraphs = chars, paragraphs
    return TextLayout(best, best_paragraphs, prose, len(teasers), sum(run.chars for run in teasers))
