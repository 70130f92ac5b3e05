"""Article metadata in a documented order of trust: JSON-LD, then meta tags and microdata, then the visible page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from newsspider.extract.body import (
    AUTHOR_PAGE_LABEL,
    DATE_LABEL_JOINER,
    MODIFIED_LABEL,
    PUBLISHED_LABEL,
    author_box,
    author_page_links,
    is_header_line,
)
from newsspider.extract.layout import CATEGORY_HREF, article_lead_footers, in_furniture, main_prose_container
from newsspider.extract.structured import StructuredData
from newsspider.normalize import canonicalize_url, clean_text, split_authors, strip_site_name, to_iso_date


@dataclass
class PageContext:
    """One parsed page and what is known about it, handed to every field reader."""

    tree: lxml_html.HtmlElement
    url: str
    data: StructuredData
    article: dict[str, Any] | None
    heading: lxml_html.HtmlElement | None
    root: lxml_html.HtmlElement
    site_names: tuple[str, ...]
    timezone: str | None
    languages: list[str] | None

    @cached_property
    def lead_footers(self) -> frozenset[lxml_html.HtmlElement]:
        """The article meta lines written as a leading <footer> (see `article_lead_footers`), found once a page."""
        return article_lead_footers(self.tree)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url")
    if value is None:
        return None
    text = clean_text(str(value))
    return text or None


# --- site name and headline -------------------------------------------------------------------------------


def site_names(ctx_data: StructuredData, profile_names: tuple[str, ...]) -> tuple[str, ...]:
    names = list(profile_names)
    names += ctx_data.all_meta("og:site_name") + ctx_data.all_meta("application-name")
    for node in ctx_data.jsonld_nodes:
        types = {
            str(t).lower()
            for t in ([node.get("@type")] if isinstance(node.get("@type"), str) else node.get("@type") or [])
        }
        if types & {"website", "organization", "newsmediaorganization"} and isinstance(node.get("name"), str):
            names.append(node["name"])
    # Site names are short; a "name" as long as a headline is a page title some markup put in the wrong place.
    cleaned = (clean_text(n) for n in names if n)
    return tuple(dict.fromkeys(n for n in cleaned if n and len(n) <= 50 and len(n.split()) <= 6))


def headline(ctx: PageContext) -> str | None:
    candidates = [
        _text(ctx.article.get("headline") or ctx.article.get("name")) if ctx.article else None,
        _text(ctx.data.first_meta("og:title", "twitter:title")),
        _text(ctx.data.microdata.get("headline")),
        clean_text(ctx.heading.text_content()) if ctx.heading is not None else None,
        _text(ctx.tree.findtext(".//title")),
    ]
    heading_text = candidates[3]
    for candidate in candidates:
        if candidate:
            if heading_text and candidate != heading_text and _is_decorated(candidate, heading_text):
                return heading_text
            stripped = strip_site_name(candidate, ctx.site_names)
            if stripped and stripped.casefold() not in {n.casefold() for n in ctx.site_names}:
                return stripped
    return None


_DECORATION = re.compile(r"^\s*[-|–—:·•»]\s*\S.{0,60}$|^.{1,60}\S\s*[-|–—:·•»]\s*$")


def _is_decorated(candidate: str, heading_text: str) -> bool:
    """True for "<h1> – Site Name" or "Site | <h1>": the title is the headline plus the site's name."""
    if candidate.startswith(heading_text):
        return bool(_DECORATION.match(candidate[len(heading_text) :]))
    if candidate.endswith(heading_text):
        return bool(_DECORATION.match(candidate[: -len(heading_text)]))
    return False


# --- authors ----------------------------------------------------------------------------------------------

_BYLINE_CLASSES = re.compile(
    r"(?:^|[\s_-])(?:byline|by-line|author|authors|author-name|entry-author|post-author|posted-by|"
    r"meta-author|writer|reporter|vcard|fn)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BYLINE_TEXT = re.compile(
    r"^\s*(?:(?:posted|written|reported|report|words|submitted|published|story|text)\s+by|by|von|par|por|di|door|przez|"
    r"autor(?:in|ka|es)?|auteur|author|autore)\s*:?\s+\S|^\s*(?:posted|published)\s+on\s+.+\s+by\s+\S",
    re.IGNORECASE,
)


def authors(ctx: PageContext) -> list[str]:
    if ctx.article:
        names = _jsonld_author_names(ctx, ctx.article.get("author") or ctx.article.get("creator"))
        if names:
            return names
    meta_values = [v for v in ctx.data.all_meta("author") + ctx.data.all_meta("article:author") if not _is_url(v)]
    for key in ("sailthru.author", "parsely-author", "dc.creator", "byl"):
        meta_values += ctx.data.all_meta(key)
    if meta_values:
        names = split_authors(meta_values)
        if names:
            return names
    if ctx.data.microdata_authors:
        names = split_authors(ctx.data.microdata_authors)
        if names:
            return names
    return visible_authors(ctx)


def _is_url(value: str) -> bool:
    return bool(re.match(r"^\s*(?:https?:)?//|^\s*www\.", value))


def _jsonld_author_names(ctx: PageContext, value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    raw: list[str] = []
    for item in values:
        item = ctx.data.resolve(item)
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if isinstance(name, str) and not _is_url(name):
                raw.append(name)
        elif isinstance(item, str) and not _is_url(item):
            raw.append(item)
    return split_authors(raw)


def visible_authors(ctx: PageContext) -> list[str]:
    """Names from the byline the reader sees near the headline.

    Author links in bio boxes (a name, a bio, "All articles by X") count only when the page has no other, and
    link labels like "All articles by X" or "More from X" are never names. When the headline's region has no
    byline, the <article> holding the prose is searched too (a page-title block can sit outside it).
    """
    for root in _regions(ctx):
        if names := _visible_authors_in(ctx, root, ctx.lead_footers):
            return names
    return []


def _regions(ctx: PageContext):
    """The headline's region, then the <article> that holds the main prose when it lies outside that region."""
    yield ctx.root
    container = main_prose_container(ctx.tree)
    article = None if container is None else next(container.iterancestors("article"), None)
    if container is not None and container.tag == "article":
        article = container
    if article is None or article is ctx.root or in_furniture(article):
        return
    if ctx.root in article.iterancestors() or article in ctx.root.iterancestors():
        return
    yield article


def _visible_authors_in(
    ctx: PageContext, root: lxml_html.HtmlElement, lead_footers: frozenset[lxml_html.HtmlElement]
) -> list[str]:
    stop = root.getparent()
    protected = set(ctx.heading.iterancestors()) if ctx.heading is not None else set()
    boxes = {box for link in author_page_links(root) if (box := author_box(link, protected)) is not None}
    rel_links = [
        a
        for a in root.xpath('.//a[contains(concat(" ", @rel, " "), " author ")]')
        if not in_furniture(a, stop=stop, lead_footers=lead_footers)
    ]
    profile_links = [
        a
        for a in root.xpath('.//a[contains(@href, "/author/")]')
        if not in_furniture(a, stop=stop, lead_footers=lead_footers) and not a.xpath(".//img")
    ]
    for in_boxes_too in (False, True):
        for links in (rel_links, profile_links):
            labels = [
                label
                for a in links
                if not AUTHOR_PAGE_LABEL.match(label := clean_text(a.text_content()))
                and (in_boxes_too or not any(ancestor in boxes for ancestor in a.iterancestors()))
            ]
            if labels and (names := split_authors(labels)):
                return names
    candidates = _byline_candidates(root, lead_footers)
    candidates.sort(key=lambda element: any(ancestor in boxes for ancestor in element.iterancestors()))
    for element in candidates:
        text = clean_text(element.text_content())
        if AUTHOR_PAGE_LABEL.match(text):
            continue
        names = split_authors(text)
        if names:
            return names
    return []


def _byline_candidates(
    root: lxml_html.HtmlElement, lead_footers: frozenset[lxml_html.HtmlElement]
) -> list[lxml_html.HtmlElement]:
    stop = root.getparent()
    by_class = []
    by_text = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in {"script", "style"}:
            continue
        text = element.text_content()
        if not text or len(text) > 200:
            continue
        if _BYLINE_CLASSES.search(element.get("class", "")) and not in_furniture(element, stop, lead_footers):
            by_class.append(element)
        elif _BYLINE_TEXT.match(text) and not in_furniture(element, stop, lead_footers):
            by_text.append(element)
    # The innermost element that carries the byline is the most precise one.
    return _innermost(by_class) + _innermost(by_text)


def _innermost(elements: list[lxml_html.HtmlElement]) -> list[lxml_html.HtmlElement]:
    """Elements holding no other candidate come first: the tightest element is the cleanest byline."""
    chosen = set(elements)
    inner = [el for el in elements if not any(child in chosen for child in el.iterdescendants())]
    return inner + [el for el in elements if el not in inner]


# --- dates ------------------------------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "article.published",
    "citation_publication_date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "lastmod",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
)
_DATE_CLASSES = re.compile(r"date|time|posted-on|published|meta|byline|entry-meta|post-meta", re.IGNORECASE)
_MODIFIED_CLASSES = re.compile(r"updated|modified", re.IGNORECASE)


def _iso(ctx: PageContext, value: Any) -> str | None:
    text = _text(value)
    return to_iso_date(text, languages=ctx.languages, default_timezone=ctx.timezone) if text else None


def published(ctx: PageContext) -> str | None:
    if ctx.article and (value := _iso(ctx, ctx.article.get("datePublished") or ctx.article.get("dateCreated"))):
        return value
    for key in _PUBLISHED_META:
        if value := _iso(ctx, ctx.data.first_meta(key)):
            return value
    for raw in ctx.data.microdata.get("datepublished", ()):
        if value := _iso(ctx, raw):
            return value
    return visible_date(ctx, modified=False)


def modified(ctx: PageContext) -> str | None:
    if ctx.article and (value := _iso(ctx, ctx.article.get("dateModified"))):
        return value
    for key in _MODIFIED_META:
        if value := _iso(ctx, ctx.data.first_meta(key)):
            return value
    for raw in ctx.data.microdata.get("datemodified", ()):
        if value := _iso(ctx, raw):
            return value
    return visible_date(ctx, modified=True)


_UPDATED_LINE = re.compile(rf"^\s*(?:{MODIFIED_LABEL}){DATE_LABEL_JOINER}(.{{4,60}})$", re.IGNORECASE)
_PUBLISHED_PREFIX = re.compile(rf"^\s*(?:(?:{PUBLISHED_LABEL}){DATE_LABEL_JOINER}|on\s+)", re.IGNORECASE)
#: A time (and zone) in parentheses after a date: "13 September 2022 (14:05 UTC)", "6 septembre 2022 (08h15 CEST)".
_PAREN_TIME = re.compile(
    r"\(\s*(\d{1,2}(?::|h)\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.))?(?:\s*(?:[a-z]{1,5}|[+-]\d{2}:?\d{2}))?)\s*\)",
    re.IGNORECASE,
)
#: The opening of a wire-style first paragraph up to its dash: "LUXEMBOURG, 1 September 2022 (11:00 CEST) – ".
_DATELINE = re.compile(r"^(.{6,80}?)\s+(?:[–—]|--?)\s+\S")
_BODY_START_CHARS = 120
_LOOKS_DATED = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")


def visible_date(ctx: PageContext, *, modified: bool) -> str | None:
    """A date from the article header: a <time> element, then a dated byline, then a standalone date line.

    When the headline's region has none, the <article> holding the prose is searched too."""
    for root in _regions(ctx):
        if value := _visible_date_in(ctx, root, ctx.lead_footers, modified=modified):
            return value
    return None


def _visible_date_in(
    ctx: PageContext,
    root: lxml_html.HtmlElement,
    lead_footers: frozenset[lxml_html.HtmlElement],
    *,
    modified: bool,
) -> str | None:
    stop = root.getparent()
    times = [t for t in root.iter("time") if not in_furniture(t, stop, lead_footers)]
    wanted = [t for t in times if bool(_MODIFIED_CLASSES.search(t.get("class", ""))) == modified]
    for element in wanted:
        if value := _iso(ctx, element.get("datetime") or element.text_content()):
            return value
    lines, first_paragraph = _header_lines(ctx, root, lead_footers)
    for element in lines:
        text = _LABEL_JOINER.sub(r"\1 ", _PAREN_TIME.sub(r" \1", clean_text(_text_with_breaks(element))))
        segments = [seg.strip() for seg in re.split(r"\s*[|•·()]\s*|\s+on\s+|\s+by\s+|\n", text) if seg.strip()]
        if len(segments) > 1:
            segments.append(text)
        # A line of nothing but dates ("April 23, 2024 at 9:12 am | Last updated April 24, 2024") is a date line.
        date_line = len(segments) > 1 and is_header_line(text)
        for segment in segments:
            updated = _UPDATED_LINE.match(segment)
            if modified:
                if updated and (value := _machine_date(ctx, element, segment) or _iso(ctx, updated.group(1))):
                    return value
                continue
            if updated or not _LOOKS_DATED.search(segment) or len(segment) > 60:
                continue
            marked = _DATE_CLASSES.search(element.get("class", "")) or _BYLINE_TEXT.match(text)
            if not (marked or len(text) <= 40 or date_line):
                continue
            segment = _PUBLISHED_PREFIX.sub("", segment)
            if value := _machine_date(ctx, element, segment) or _iso(ctx, segment):
                return value
    if not modified and first_paragraph is not None:
        return _dateline_date(ctx, first_paragraph)
    return None


#: "Last modified on <date>", "Posted at <time>": the joiner goes before a line is cut into segments at " on ".
_LABEL_JOINER = re.compile(rf"\b((?:{MODIFIED_LABEL}|{PUBLISHED_LABEL}))\s+(?:on|at)\s+", re.IGNORECASE)


def _text_with_breaks(element: lxml_html.HtmlElement) -> str:
    """The element's text with each <br> as a " | " segment break: "Published 14 March<br>Updated 15 March" is
    two dates, not "14 MarchUpdated"."""
    chunks: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            chunks.append(" | " if node.tag == "br" else (node.text or "") if isinstance(node.tag, str) else "")
        elif node is not element:
            chunks.append(node.tail or "")
    return "".join(chunks)


def _dateline_date(ctx: PageContext, paragraph: lxml_html.HtmlElement) -> str | None:
    """The date of a wire-style dateline opening the first paragraph ("LUXEMBOURG, 1 September 2022 (11:00 CEST)
    – Unemployment…"): the last resort for the publication date, when the header states none. The dateline stays
    in the body, since it is the paragraph's own text."""
    match = _DATELINE.match(clean_text(paragraph.text_content())[:120])
    if not match or not re.search(r"\b(?:19|20)\d{2}\b", match.group(1)):
        return None
    return _iso(ctx, _PAREN_TIME.sub(r" \1", match.group(1)))


def _machine_date(ctx: PageContext, line: lxml_html.HtmlElement, segment: str) -> str | None:
    """The datetime of a <time> the date line shows in this segment ("Updated <time datetime=…>April 19</time>"):
    the machine value is as precise as the page knows the date, the visible text often only the day."""
    for time in line.iter("time"):
        shown = clean_text(time.text_content())
        in_segment = shown and re.search(rf"(?<!\w){re.escape(shown)}(?!\w)", segment)
        if in_segment and time.get("datetime") and (value := _iso(ctx, time.get("datetime"))):
            return value
    return None


def _header_lines(
    ctx: PageContext, root: lxml_html.HtmlElement, lead_footers: frozenset[lxml_html.HtmlElement]
) -> tuple[list[lxml_html.HtmlElement], lxml_html.HtmlElement | None]:
    """Short text elements of the article region before its body starts, and the first long paragraph (where
    the body starts), if any. A long standfirst inside the article's header element (the <header> around the
    headline) does not end the header: its later lines (byline, dates) count too."""
    stop = root.getparent()
    header = _heading_header(ctx, root)
    lines = []
    first_paragraph = None
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in {"script", "style", "h1", "h2", "h3", "h4", "h5", "h6"}:
            continue
        inside_header = header is not None and (element is header or header in element.iterancestors())
        if first_paragraph is not None and not inside_header:
            continue
        text = element.text_content()
        if first_paragraph is None and element.tag == "p" and len(text.strip()) > _BODY_START_CHARS:
            first_paragraph = element
            if header is None or not inside_header:
                break
            continue
        if text and len(text) <= 150 and not in_furniture(element, stop, lead_footers):
            lines.append(element)
    if first_paragraph is not None and in_furniture(first_paragraph, stop, lead_footers):
        first_paragraph = None
    return lines, first_paragraph


_HEADER_NAMES = re.compile(r"(?:^|[-_\s])(?:\w+[-_])?header(?:$|[-_\s])", re.IGNORECASE)


def _heading_header(ctx: PageContext, root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The header element of the article around its headline: a <header>, or a box named like one
    ("story-header", "entry-header"), inside the region and not the page's masthead."""
    if ctx.heading is None:
        return None
    for node in ctx.heading.iterancestors():
        if node is root or not isinstance(node.tag, str) or node.tag in {"body", "html", "article", "main"}:
            return None
        if node.tag == "header" or _HEADER_NAMES.search(node.get("class", "")):
            return None if in_furniture(node, root.getparent()) else node
    return None


# --- the rest ---------------------------------------------------------------------------------------------


def language(ctx: PageContext) -> str | None:
    candidates = [
        ctx.tree.get("lang"),
        ctx.tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        _text(ctx.article.get("inLanguage")) if ctx.article else None,
        ctx.data.first_meta("og:locale", "content-language", "language", "dc.language"),
    ]
    for candidate in candidates:
        if candidate and (match := re.match(r"^\s*([A-Za-z]{2,3})(?:[-_]|$)", candidate)):
            return match.group(1).lower()
    return None


def description(ctx: PageContext) -> str | None:
    return _text(
        ctx.data.first_meta("og:description", "description", "twitter:description")
        or (ctx.article.get("description") if ctx.article else None)
    )


def section(ctx: PageContext) -> str | None:
    if ctx.article and (value := _text(ctx.article.get("articleSection"))):
        return value
    if value := _text(ctx.data.first_meta("article:section", "parsely-section", "section")):
        return value
    for link in ctx.root.xpath(".//a[@rel]"):
        if _is_category_link(link) and (value := clean_text(link.text_content())):
            return value
    return None


#: Where a site's category archives live: WordPress's /category/<slug>/ (or its translations) and ?cat=N.
_CATEGORY_HREF = CATEGORY_HREF
#: Blocks listing a post's categories: core's post-terms block for the category taxonomy, classic "cat-links".
_CATEGORY_BLOCK = re.compile(r"(?:^|\s)(?:taxonomy-category|cat-links|post-categories|entry-categories)(?:\s|$)", re.I)


def _is_category_link(link: lxml_html.HtmlElement) -> bool:
    """A link to the post's category: rel="category", or a rel="tag" term link (WordPress core's post-terms block
    marks every term so) that points to a category archive or sits in a block of categories."""
    rel = f" {link.get('rel', '').lower()} "
    if " category " in rel:
        return True
    if " tag " not in rel:
        return False
    try:
        href = urlsplit(link.get("href", ""))
    except ValueError:  # a malformed address ("http://[x"): not a category archive's
        href = None
    if href is not None and _CATEGORY_HREF.search(f"{href.path}?{href.query}"):
        return True
    return any(_CATEGORY_BLOCK.search(node.get("class", "")) for node in link.iterancestors())


def tags(ctx: PageContext) -> list[str]:
    values: list[str] = []
    keywords = ctx.article.get("keywords") if ctx.article else None
    if isinstance(keywords, str):
        values = keywords.split(",")
    elif isinstance(keywords, list):
        values = [str(k) for k in keywords]
    if not values:
        values = ctx.data.all_meta("article:tag")
    if not values:
        values = [
            link.text_content()
            for link in ctx.root.xpath('.//a[contains(concat(" ", @rel, " "), " tag ")]')
            if not _is_category_link(link)
        ]
    return list(dict.fromkeys(t for t in (clean_text(v) for v in values) if t))


def image(ctx: PageContext) -> str | None:
    value = ctx.data.first_meta("og:image", "og:image:url", "og:image:secure_url")
    if not value and ctx.article:
        value = _text(ctx.data.resolve(ctx.article.get("image")))
    if not value:
        value = ctx.data.first_meta("twitter:image", "twitter:image:src")
    return urljoin(ctx.url, value.strip()) if value else None


def canonical_url(ctx: PageContext) -> str:
    links = ctx.tree.xpath('//link[@rel="canonical"]/@href') or ctx.tree.xpath(
        '//link[contains(@rel, "canonical")]/@href'
    )
    value = next((v for v in links if v.strip()), None) or ctx.data.first_meta("og:url") or ctx.url
    canonical = canonicalize_url(value, base=ctx.url)
    # A malformed canonical (bad port, broken host) is not an address: fall back to the page's own.
    return canonical if re.match(r"^(?:https?|file)://[^/\s]+", canonical) else canonicalize_url(ctx.url)
