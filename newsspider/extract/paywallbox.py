"""Visible paywall boxes ("Subscribe to continue reading") and the gated part a page names in its hasPart markers:
furniture for the body, evidence for the paywalled field."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from newsspider.extract.dom import BODY_PARAGRAPH_CHARS, squash
from newsspider.extract.furniture import class_and_id
from newsspider.extract.structured import StructuredData
from newsspider.normalize.vocabulary import PAYWALL_NAMES, PAYWALL_PHRASE_WORDS, PAYWALL_PHRASES

#: A line of a paywall box: "Subscribe to continue reading", "Réservé aux abonnés", "Weiterlesen mit Abo".
PAYWALL_TEXT = re.compile(rf"(?:^|\W)(?:{PAYWALL_PHRASES})(?:\W|$)", re.IGNORECASE)
#: A paywall box is a short note: a longer block named "paywall" holds the gated text itself (some sites wrap it).
MAX_BOX_CHARS = 600
MAX_LINE_CHARS = 300
_BOX_TAGS = frozenset({"div", "section", "aside", "p", "span", "strong", "h2", "h3", "h4", "form", "footer", "figure"})
_NAMED = etree.XPath("descendant-or-self::*[@class or @id]")
#: Text nodes of a line's length: a paywall note is a short line, and many text nodes are a word or white space.
_LINES = etree.XPath(f".//text()[string-length(.) > 12 and string-length(.) <= {MAX_LINE_CHARS}]")


#: A word of a paywall note, in a lower-cased text: one quick search before the full patterns, per line.
_MAY_BE_NOTE = re.compile("|".join(re.escape(word) for word in PAYWALL_PHRASE_WORDS))


@lru_cache(maxsize=1 << 14)
def _paywall_name(class_and_id: str) -> bool:
    lowered = class_and_id.lower().replace("_", "-")
    return any(name in lowered for name in PAYWALL_NAMES)


def is_paywall_line(line: str) -> bool:
    """A short line that is a paywall note: "Subscribe to continue reading", "Réservé aux abonnés"."""
    return len(line) <= MAX_LINE_CHARS and bool(PAYWALL_TEXT.search(line))


def says_paywall(element: lxml_html.HtmlElement) -> bool:
    """A line of the element reads like a paywall note (its texts one by one: blocks run together in text_content)."""
    return any(PAYWALL_TEXT.search(text) for text in element.itertext())


def gated_parts(
    tree: lxml_html.HtmlElement, data: StructuredData, article: dict[str, Any] | None
) -> list[lxml_html.HtmlElement]:
    """The elements the article's hasPart markers name as its gated part (cssSelector): article text the page may
    hold for subscribers, never a paywall box. Simple selectors only (tag, .class, #id and their combinations)."""
    parts = data.resolve(article.get("hasPart")) if article else None
    selectors = []
    for part in parts if isinstance(parts, list) else [parts]:
        part = data.resolve(part)
        if isinstance(part, dict) and isinstance(part.get("cssSelector"), str):
            selectors += [s.strip() for s in part["cssSelector"].split(",")]
    return [element for selector in selectors for element in _select(tree, selector)]


_SIMPLE_SELECTOR = re.compile(r"^([a-zA-Z][\w-]*)?((?:[.#][\w-]+)*)$")


def _select(tree: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    match = _SIMPLE_SELECTOR.match(selector)
    if not match or not (match.group(1) or match.group(2)):
        return []
    tag, names = match.group(1) or "*", re.findall(r"([.#])([\w-]+)", match.group(2))
    conditions = [
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" if kind == "." else f"@id='{name}'"
        for kind, name in names
    ]
    return tree.xpath(f"//{tag}" + "".join(f"[{condition}]" for condition in conditions))


def paywall_boxes(
    region: lxml_html.HtmlElement,
    protected: set[lxml_html.HtmlElement],
    gated: list[lxml_html.HtmlElement] = (),
) -> list[lxml_html.HtmlElement]:
    """Visible paywall boxes in the article's region: a short block named like a paywall that says so or holds no
    paragraph of prose, or the short block around a line like "Subscribe to continue reading". Never a block
    holding the article's text: the containers of the heading and of the prose (`protected`), nor the gated part
    the page names (`gated`) or a "paywall" block of paragraphs: sites wrap the gated text itself so.

    Only the region is searched (searching every page whole costs more than the rest of the extraction saves):
    a paywall note elsewhere that trafilatura takes for text is still dropped, and counted, by the paragraph
    clean-up."""
    keep = set(protected) | set(gated) | {node for part in gated for node in part.iterdescendants()}
    found: list[lxml_html.HtmlElement] = []
    for element in _NAMED(region):
        if element in keep or not isinstance(element.tag, str) or element.tag in {"body", "html"}:
            continue
        if not _paywall_name(class_and_id(element)):
            continue
        text = squash(element.text_content())
        prose = any(len(squash(p.text_content())) >= BODY_PARAGRAPH_CHARS for p in element.iter("p"))
        if len(text) <= MAX_BOX_CHARS and (says_paywall(element) or not prose):
            found.append(element)
    for text in _LINES(region):
        if not _MAY_BE_NOTE.search(text.lower()) or not PAYWALL_TEXT.search(text):
            continue
        owner = text.getparent()
        if text.is_tail and owner is not None:
            owner = owner.getparent()
        box = _box_around(owner, keep)
        if box is not None:
            found.append(box)
    inner = set(found)
    # the outermost box of each: a box inside another is removed with it
    return [box for box in dict.fromkeys(found) if not any(a in inner for a in box.iterancestors())]


def _box_around(
    element: lxml_html.HtmlElement | None, protected: set[lxml_html.HtmlElement]
) -> lxml_html.HtmlElement | None:
    """The element holding a paywall line, widened to the short block around it (its button, its login link)."""
    while element is not None and (not isinstance(element.tag, str) or element.tag not in _BOX_TAGS):
        element = element.getparent()
    if element is None or element in protected or len(squash(element.text_content())) > MAX_LINE_CHARS:
        return None
    while (parent := element.getparent()) is not None and parent not in protected and parent.tag in _BOX_TAGS:
        if len(squash(parent.text_content())) > MAX_BOX_CHARS or parent.xpath(".//p[string-length() > 200]"):
            break
        element = parent
    return element
