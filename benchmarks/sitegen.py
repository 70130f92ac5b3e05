"""Generate a WordPress-like mirror of N articles (from the holdout fixture's pages) for scale tests and benchmarks."""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from lxml import html as lxml_html

REPO = Path(__file__).resolve().parent.parent
HOLDOUT = REPO / "tests" / "fixtures" / "eureporter_holdout"
LIVE_ROOT = "https://www.eureporter.co"
#: WordPress core sitemaps hold at most 2000 URLs each.
SITEMAP_SIZE = 2000
PER_PAGE = 10
FEED_ITEMS = 10
#: The newest date; article i is published i hours before it.
NEWEST = datetime(2024, 5, 10, 18, 0, tzinfo=timezone.utc)

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
_SUBJECTS = (
    "MEPs",
    "EU ministers",
    "The Commission",
    "Member states",
    "Regulators",
    "Industry groups",
    "Farmers",
    "Rail operators",
    "Consumer groups",
    "Negotiators",
    "Central bankers",
    "Trade unions",
)
_VERBS = ("back", "reject", "question", "delay", "tighten", "welcome", "criticise", "revive", "extend", "review")
_TOPICS = (
    "gas storage rules",
    "AI safeguards",
    "medicine stockpiles",
    "night train subsidies",
    "carbon border levy",
    "farm payments",
    "data transfer deal",
    "battery recycling targets",
    "port security checks",
    "fishing quotas",
    "cross-border tax plan",
    "grid connection reform",
    "drone airspace rules",
    "recycled plastics quota",
    "roaming charges",
    "hydrogen corridors",
)
_TAILS = (
    "as deadline looms",
    "after late-night talks",
    "amid budget row",
    "despite warnings",
    "ahead of summit",
    "in surprise vote",
    "as costs climb",
    "under public pressure",
    "",
    "",
)


@dataclass(frozen=True)
class Article:
    """One generated article: its path on the mirror (and on the live site) and its headline."""

    index: int
    path: str
    headline: str
    published: str
    template: str

    @property
    def url(self) -> str:
        """The live address, as sitemaps, feed and links give it (the spider maps it onto the mirror)."""
        return LIVE_ROOT + self.path


@dataclass(frozen=True)
class GeneratedSite:
    root: Path
    articles: list[Article]
    listing_pages: int
    sitemaps: int

    @property
    def page_count(self) -> int:
        """HTML pages on the mirror: articles and home listing pages."""
        return len(self.articles) + self.listing_pages


@dataclass(frozen=True)
class _Template:
    name: str
    path: str
    headline: str
    skeleton: str
    paragraphs: int


def _normal(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).replace("\xa0", " ")).strip()


def _load_templates() -> tuple[list[_Template], list[str]]:
    """Each holdout article page turned into a skeleton with placeholders; and a vocabulary from their bodies."""
    goldens = []
    for path in sorted((HOLDOUT / "expected").glob("*.json")):
        if path.name != "non_articles.json":
            goldens.append(json.loads(path.read_text(encoding="utf-8")))
    paths = [g["url"].removeprefix(LIVE_ROOT) for g in goldens]
    vocabulary = sorted({w.lower() for g in goldens for w in _WORD.findall(g["body"])})
    templates = []
    for number, golden in enumerate(goldens):
        page = HOLDOUT / "site" / paths[number].strip("/") / "index.html"
        source = page.read_text(encoding="utf-8")
        prologue = source[: source.index("<head")]  # doctype, IE conditional comments and <html>, kept verbatim
        tree = lxml_html.document_fromstring(source)
        wanted = {_normal(p) for p in golden["body"].split("\n\n")}
        count = 0
        for element in tree.iter("p", "li"):
            if _normal(element.text_content()) in wanted:
                for child in list(element):
                    element.remove(child)
                element.text = f"@@P{count}@@"
                count += 1
        text = lxml_html.tostring(tree, encoding="unicode")
        text = text[text.index("<head") :]
        # Others' addresses and headlines first, then this page's own (so the own path is not renumbered).
        for other, (golden_other, path_other) in enumerate(zip(goldens, paths, strict=True)):
            token = "SELF" if other == number else f"L{other}"
            text = text.replace(path_other.replace("/", "\\/"), f"@@{token}_JSON@@").replace(path_other, f"@@{token}@@")
            title = golden_other["headline"]
            text = text.replace(html.escape(title, quote=True), f"@@{token}_H@@").replace(title, f"@@{token}_H@@")
            text = text.replace(json.dumps(title)[1:-1], f"@@{token}_HJSON@@")  # JSON-LD's \u2019 escapes
        templates.append(
            _Template(
                paths[number].strip("/").split("/")[-1], paths[number], golden["headline"], prologue + text, count
            )
        )
    return templates, vocabulary


class _Writer:
    """Seeded text: the same seed gives the same site, byte for byte."""

    def __init__(self, seed: int, vocabulary: list[str]) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = vocabulary

    def headline(self) -> str:
        rng = self.rng
        words = [rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_TOPICS), rng.choice(_TAILS)]
        return " ".join(w for w in words if w)

    def sentence(self) -> str:
        words = [self.rng.choice(self.vocabulary) for _ in range(self.rng.randint(9, 22))]
        return " ".join(words).capitalize() + self.rng.choice((".", ".", ".", ",” a spokesperson said."))

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))


def _slug(headline: str, index: int) -> str:
    words = re.findall(r"[a-z0-9]+", headline.lower())
    return "-".join([*words[:8], str(index)])


def _render_article(template: _Template, article: Article, neighbours: dict[int, Article], writer: _Writer) -> str:
    text = template.skeleton

    def put(token: str, target: Article) -> None:
        nonlocal text
        text = text.replace(f"@@{token}_JSON@@", target.path.replace("/", "\\/"))
        text = text.replace(f"@@{token}_HJSON@@", json.dumps(target.headline)[1:-1])
        text = text.replace(f"@@{token}_H@@", html.escape(target.headline, quote=True))
        text = text.replace(f"@@{token}@@", target.path)

    put("SELF", article)
    for other, target in neighbours.items():
        put(f"L{other}", target)
    for number in range(template.paragraphs):
        text = text.replace(f"@@P{number}@@", html.escape(writer.paragraph(), quote=False), 1)
    return text


def _listing_parts() -> tuple[str, str]:
    """The holdout home page cut around its post list: everything before the first post, and after the page nav."""
    source = (HOLDOUT / "site" / "index.html").read_text(encoding="utf-8")
    start = source.index('<div class="td_module_10')
    nav = source.index('<div class="page-nav')
    end = source.index("</div>", source.index('<div class="clearfix">', nav)) + len("</div></div>")
    return source[:start], source[end:]


def _render_module(article: Article, excerpt: str, alias: bool) -> str:
    url, title = html.escape(article.url), html.escape(article.headline)
    more = url.rstrip("/") if alias else url
    category = article.path.strip("/").split("/")[0]
    day = article.published[:10]
    return f"""<div class="td_module_10 td_module_wrap td-animation-stack">
    <div class="item-details">
        <h3 class="entry-title td-module-title"><a href="{url}" rel="bookmark" title="{title}">{title}</a></h3>
        <div class="td-module-meta-info">
            <a href="{LIVE_ROOT}/category/{category}/" class="td-post-category">{category.title()}</a>
            <span class="td-post-date"><time class="entry-date updated td-module-date"
                datetime="{article.published}" >{day}</time></span>
            <span class="td-module-comments"><a href="{url}#respond">0</a></span>
        </div>
        <div class="td-excerpt">{html.escape(excerpt[:180])}...</div>
        <div class="td-read-more"><a href="{more}">Read more</a></div>
    </div>
</div>
"""


def _render_listing(
    head: str, tail: str, number: int, pages: int, articles: list[Article], writer: _Writer, aliases: bool
) -> str:
    modules = "".join(_render_module(a, writer.sentence(), aliases) for a in articles)
    links = []
    for page in range(max(1, number - 2), min(pages, number + 2) + 1):
        href = f"{LIVE_ROOT}/" if page == 1 else f"{LIVE_ROOT}/page/{page}/"
        links.append(
            f'<span class="current">{page}</span>'
            if page == number
            else f'<a href="{href}" class="page" title="{page}">{page}</a>'
        )
    if number < pages:
        links.append(
            f'<a href="{LIVE_ROOT}/page/{number + 1}/" aria-label="next-page" ><i class="td-icon-menu-right"></i></a>'
        )
    nav = (
        f'<div class="page-nav td-pb-padding-side">{"".join(links)}<span class="pages">Page {number} of {pages}'
        '</span><div class="clearfix"></div></div>'
    )
    if number > 1:
        head = head.replace('class="home blog ', f'class="home blog paged paged-{number} ', 1)
    return head + modules + nav + tail


def _sitemap(entries: list[tuple[str, str | None]], index: bool) -> str:
    tag, root = ("sitemap", "sitemapindex") if index else ("url", "urlset")
    body = "".join(
        f"<{tag}><loc>{html.escape(loc)}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + f"</{tag}>"
        for loc, lastmod in entries
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</{root}>\n"
    )


def _feed(articles: list[Article]) -> str:
    items = "".join(
        f"<item><title>{html.escape(a.headline)}</title><link>{html.escape(a.url)}</link>"
        f"<comments>{html.escape(a.url)}#respond</comments>"
        f"<pubDate>{datetime.fromisoformat(a.published):%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f'<guid isPermaLink="false">{LIVE_ROOT}/?p={100000 + a.index}</guid></item>\n'
        for a in articles
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>EU Reporter</title>'
        f"<link>{LIVE_ROOT}</link><description>Brussels news and views</description>\n{items}</channel></rss>\n"
    )


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate_site(
    root: Path,
    articles: int,
    *,
    seed: int = 0,
    per_page: int = PER_PAGE,
    sitemap_size: int = SITEMAP_SIZE,
    aliases: bool = False,
) -> GeneratedSite:
    """Write robots.txt, a core sitemap index, post sitemaps, an RSS feed, home listing pages and the articles.

    Every article is in a post sitemap and on a listing page; article i (0 = newest) is built from holdout
    template i mod 6, with a seeded headline and body, and its related / trending / next links point to
    nearby generated articles, so the link graph stays inside the mirror.

    With `aliases`, every article has a second URL, without the trailing slash, served by the mirror too, in
    the post sitemap (next to the first) and in each listing's "Read more" link: request de-duplication
    keeps the two apart, the article's key (`dedupe_key`) does not.
    """
    if articles < 1:
        raise ValueError("need at least one article")
    templates, vocabulary = _load_templates()
    writer = _Writer(seed, vocabulary)
    listed: list[Article] = []
    for index in range(articles):
        template = templates[index % len(templates)]
        headline = writer.headline()
        category = template.path.strip("/").split("/")[0]
        published = (NEWEST - timedelta(hours=index)).isoformat()
        listed.append(Article(index, f"/{category}/{_slug(headline, index)}/", headline, published, template.name))
    for article in listed:
        template = templates[article.index % len(templates)]
        neighbours = {other: listed[(article.index + other + 1) % articles] for other in range(len(templates))}
        _write(root, article.path.strip("/") + "/index.html", _render_article(template, article, neighbours, writer))

    pages = (articles + per_page - 1) // per_page
    head, tail = _listing_parts()
    for other, template in enumerate(templates):  # the home page's furniture links the newest articles
        target = listed[other % articles]
        head = head.replace(template.path, target.path)
        tail = tail.replace(template.path, target.path)
        head = head.replace(html.escape(template.headline, quote=True), html.escape(target.headline, quote=True))
        tail = tail.replace(html.escape(template.headline, quote=True), html.escape(target.headline, quote=True))
    for number in range(1, pages + 1):
        chunk = listed[(number - 1) * per_page : number * per_page]
        relative = "index.html" if number == 1 else f"page/{number}/index.html"
        _write(root, relative, _render_listing(head, tail, number, pages, chunk, writer, aliases))

    chunks = [listed[i : i + sitemap_size] for i in range(0, articles, sitemap_size)]
    for number, chunk in enumerate(chunks, start=1):
        entries = [(a.url, a.published) for a in chunk]
        if aliases:  # both addresses of each article, side by side, as sitemaps of a site in transition list them
            entries = [entry for a in chunk for entry in ((a.url, a.published), (a.url.rstrip("/"), a.published))]
        _write(root, f"wp-sitemap-posts-post-{number}.xml", _sitemap(entries, False))
    _write(root, "wp-sitemap-posts-page-1.xml", _sitemap([(LIVE_ROOT + "/", None)], False))
    index_entries = [(f"{LIVE_ROOT}/wp-sitemap-posts-post-{n}.xml", None) for n in range(1, len(chunks) + 1)]
    _write(root, "wp-sitemap.xml", _sitemap([*index_entries, (f"{LIVE_ROOT}/wp-sitemap-posts-page-1.xml", None)], True))
    _write(root, "feed/index.xml", _feed(listed[:FEED_ITEMS]))
    _write(root, "robots.txt", f"User-agent: *\nDisallow: /wp-admin/\n\nSitemap: {LIVE_ROOT}/wp-sitemap.xml\n")
    return GeneratedSite(root, listed, pages, len(chunks))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path, help="directory to write the mirror into")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--aliases", action="store_true", help="also link every article without its trailing slash")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    site = generate_site(args.root, args.articles, seed=args.seed, aliases=args.aliases)
    print(
        f"{len(site.articles)} articles, {site.listing_pages} listing pages, {site.sitemaps} post sitemaps "
        f"in {args.root} ({time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
