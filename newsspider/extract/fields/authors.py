"""Authors: JSON-LD, meta tags, microdata, then the visible byline in the article's region (never bio boxes)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import html as lxml_html

from newsspider.extract.authorboxes import AUTHOR_PAGE_LABEL, author_box, author_page_links
from newsspider.extract.fields.common import is_url
from newsspider.extract.furniture import in_furniture
from newsspider.normalize import clean_text, split_authors
from newsspider.normalize.vocabulary import AUTHOR_NOUNS, BYLINE_CLASS_NAMES, BYLINE_PREPOSITIONS, BYLINE_VERBS

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis


_BYLINE_CLASSES = re.compile(rf"(?:^|[\s_-])(?:{BYLINE_CLASS_NAMES})(?:$|[\s_-])", re.IGNORECASE)


#: A text that opens like a byline: "By A", "Posted by A", "Von A", "Autor: A", "Posted on <date> by A".
BYLINE_TEXT = re.compile(
    rf"^\s*(?:(?:{BYLINE_VERBS})\s+by|{BYLINE_PREPOSITIONS}|{AUTHOR_NOUNS})\s*:?\s+\S|"
    r"^\s*(?:posted|published)\s+on\s+.+\s+by\s+\S",
    re.IGNORECASE,
)


def authors(page: PageAnalysis) -> list[str]:
    if page.article:
        names = _jsonld_author_names(page, page.article.get("author") or page.article.get("creator"))
        if names:
            return names
    meta_values = [v for v in page.data.all_meta("author") + page.data.all_meta("article:author") if not is_url(v)]
    for key in ("sailthru.author", "parsely-author", "dc.creator", "byl"):
        meta_values += page.data.all_meta(key)
    if meta_values:
        names = split_authors(meta_values)
        if names:
            return names
    if page.data.microdata_authors:
        names = split_authors(page.data.microdata_authors)
        if names:
            return names
    return visible_authors(page)


def _jsonld_author_names(page: PageAnalysis, value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    raw: list[str] = []
    for item in values:
        item = page.data.resolve(item)
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if isinstance(name, str) and not is_url(name):
                raw.append(name)
        elif isinstance(item, str) and not is_url(item):
            raw.append(item)
    return split_authors(raw)


def visible_authors(page: PageAnalysis) -> list[str]:
    """Names from the byline the reader sees near the headline.

    Author links in bio boxes (a name, a bio, "All articles by X") count only when the page has no other, and
    link labels like "All articles by X" or "More from X" are never names. When the headline's region has no
    byline, the <article> holding the prose is searched too (a page-title block can sit outside it).
    """
    for root in page.regions:
        if names := _visible_authors_in(page, root, page.lead_footers):
            return names
    return []


def _visible_authors_in(
    page: PageAnalysis, root: lxml_html.HtmlElement, lead_footers: frozenset[lxml_html.HtmlElement]
) -> list[str]:
    stop = root.getparent()
    protected = set(page.heading.iterancestors()) if page.heading is not None else set()
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
        elif BYLINE_TEXT.match(text) and not in_furniture(element, stop, lead_footers):
            by_text.append(element)
    # The innermost element that carries the byline is the most precise one.
    return _innermost(by_class) + _innermost(by_text)


def _innermost(elements: list[lxml_html.HtmlElement]) -> list[lxml_html.HtmlElement]:
    """Elements holding no other candidate come first: the tightest element is the cleanest byline."""
    chosen = set(elements)
    inner = [el for el in elements if not any(child in chosen for child in el.iterdescendants())]
    return inner + [el for el in elements if el not in inner]
