"""Published and modified dates: JSON-LD, meta tags, microdata, then <time> elements, date lines and the dateline
in the article's header."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml import html as lxml_html

from newsspider.extract.fields.authors import BYLINE_TEXT
from newsspider.extract.fields.common import iso_date
from newsspider.extract.furniture import in_furniture
from newsspider.extract.headerlines import is_header_line
from newsspider.normalize import clean_text
from newsspider.normalize.vocabulary import DATE_LABEL, DATE_LABEL_JOINER, MODIFIED_LABEL, PUBLISHED_LABEL

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis


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


def published(page: PageAnalysis) -> str | None:
    """The publication date: JSON-LD datePublished (or dateCreated), meta tags, microdata, the visible header."""
    jsonld = page.article.get("datePublished") or page.article.get("dateCreated") if page.article else None
    return _structured_date(page, jsonld, _PUBLISHED_META, "datepublished") or visible_date(page, modified=False)


def modified(page: PageAnalysis) -> str | None:
    """The date of the last change: JSON-LD dateModified, meta tags, microdata, an "Updated" line in the header."""
    jsonld = page.article.get("dateModified") if page.article else None
    return _structured_date(page, jsonld, _MODIFIED_META, "datemodified") or visible_date(page, modified=True)


def _structured_date(page: PageAnalysis, jsonld: Any, meta_keys: tuple[str, ...], microdata_key: str) -> str | None:
    """The first date the page states in machine-readable form: JSON-LD, then meta tags in order, then microdata."""
    if value := iso_date(page, jsonld):
        return value
    for key in meta_keys:
        if value := iso_date(page, page.data.first_meta(key)):
            return value
    for raw in page.data.microdata.get(microdata_key, ()):
        if value := iso_date(page, raw):
            return value
    return None


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


def visible_date(page: PageAnalysis, *, modified: bool) -> str | None:
    """A date from the article header: a <time> element, then a dated byline, then a standalone date line.

    When the headline's region has none, the <article> holding the prose is searched too."""
    for root in page.regions:
        if value := _visible_date_in(page, root, page.lead_footers, modified=modified):
            return value
    return None


def _visible_date_in(
    page: PageAnalysis,
    root: lxml_html.HtmlElement,
    lead_footers: frozenset[lxml_html.HtmlElement],
    *,
    modified: bool,
) -> str | None:
    stop = root.getparent()
    times = [t for t in root.iter("time") if not in_furniture(t, stop, lead_footers)]
    wanted = [t for t in times if bool(_MODIFIED_CLASSES.search(t.get("class", ""))) == modified]
    for element in wanted:
        if value := iso_date(page, element.get("datetime") or element.text_content()):
            return value
    lines, first_paragraph = _header_lines(page, root, lead_footers)
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
                if updated and (value := _machine_date(page, element, segment) or iso_date(page, updated.group(1))):
                    return value
                continue
            if updated or not _LOOKS_DATED.search(segment) or len(segment) > 60:
                continue
            marked = _DATE_CLASSES.search(element.get("class", "")) or BYLINE_TEXT.match(text)
            if not (marked or len(text) <= 40 or date_line):
                continue
            segment = _PUBLISHED_PREFIX.sub("", segment)
            if value := _machine_date(page, element, segment) or iso_date(page, segment):
                return value
    if not modified and first_paragraph is not None:
        return _dateline_date(page, first_paragraph)
    return None


#: "Last modified on <date>", "Posted at <time>": the joiner goes before a line is cut into segments at " on ".
_LABEL_JOINER = re.compile(rf"\b((?:{DATE_LABEL}))\s+(?:on|at)\s+", re.IGNORECASE)


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


def _dateline_date(page: PageAnalysis, paragraph: lxml_html.HtmlElement) -> str | None:
    """The date of a wire-style dateline opening the first paragraph ("LUXEMBOURG, 1 September 2022 (11:00 CEST)
    – Unemployment…"): the last resort for the publication date, when the header states none. The dateline stays
    in the body, since it is the paragraph's own text."""
    match = _DATELINE.match(clean_text(paragraph.text_content())[:120])
    if not match or not re.search(r"\b(?:19|20)\d{2}\b", match.group(1)):
        return None
    return iso_date(page, _PAREN_TIME.sub(r" \1", match.group(1)))


def _machine_date(page: PageAnalysis, line: lxml_html.HtmlElement, segment: str) -> str | None:
    """The datetime of a <time> the date line shows in this segment ("Updated <time datetime=…>April 19</time>"):
    the machine value is as precise as the page knows the date, the visible text often only the day."""
    for time in line.iter("time"):
        shown = clean_text(time.text_content())
        in_segment = shown and re.search(rf"(?<!\w){re.escape(shown)}(?!\w)", segment)
        if in_segment and time.get("datetime") and (value := iso_date(page, time.get("datetime"))):
            return value
    return None


def _header_lines(
    page: PageAnalysis, root: lxml_html.HtmlElement, lead_footers: frozenset[lxml_html.HtmlElement]
) -> tuple[list[lxml_html.HtmlElement], lxml_html.HtmlElement | None]:
    """Short text elements of the article region before its body starts, and the first long paragraph (where
    the body starts), if any. A long standfirst inside the article's header element (the <header> around the
    headline) does not end the header: its later lines (byline, dates) count too."""
    stop = root.getparent()
    header = _heading_header(page, root)
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


def _heading_header(page: PageAnalysis, root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The header element of the article around its headline: a <header>, or a box named like one
    ("story-header", "entry-header"), inside the region and not the page's masthead."""
    if page.heading is None:
        return None
    for node in page.heading.iterancestors():
        if node is root or not isinstance(node.tag, str) or node.tag in {"body", "html", "article", "main"}:
            return None
        if node.tag == "header" or _HEADER_NAMES.search(node.get("class", "")):
            return None if in_furniture(node, root.getparent()) else node
    return None
