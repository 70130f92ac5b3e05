"""Is the article behind a paywall? schema.org isAccessibleForFree (JSON-LD, microdata), its hasPart paywall markers,
a content-tier meta tag, or a visible subscribe-to-continue box; None when the page does not say."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml import html as lxml_html

from newsspider.extract.dom import BODY_PARAGRAPH_CHARS, squash
from newsspider.extract.furniture import class_and_id
from newsspider.extract.structured import node_types
from newsspider.normalize.vocabulary import PAYWALL_NAMES, PAYWALL_PHRASES

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis

#: A line of a paywall box: "Subscribe to continue reading", "Réservé aux abonnés", "Weiterlesen mit Abo".
PAYWALL_TEXT = re.compile(rf"(?:^|\W)(?:{PAYWALL_PHRASES})(?:\W|$)", re.IGNORECASE)
_PAYWALL_NAME = re.compile(PAYWALL_NAMES, re.IGNORECASE)
#: A paywall box is a short note: a longer block named "paywall" holds the gated text itself (some sites wrap it).
MAX_BOX_CHARS = 600
MAX_LINE_CHARS = 300
_BOX_TAGS = frozenset({"div", "section", "aside", "p", "span", "strong", "h2", "h3", "h4", "form", "footer", "figure"})
_NAMED = etree.XPath("//*[@class or @id]")
_TEXTS = etree.XPath("//text()")
_FREE = {"true": False, "false": True, "yes": False, "no": True}
#: Content tiers (Piano, Parse.ly, OpenGraph news extensions): "free" is free, "locked" and "metered" are gated.
_TIERS = {"free": False, "locked": True, "metered": True, "premium": True, "paid": True, "subscriber": True}


def paywalled(page: PageAnalysis) -> bool | None:
    """True when the page says the article is gated, False when it says it is free, None when it does not say.

    Structured data decides first (the article's isAccessibleForFree, a gated part among its hasPart, a content
    tier meta tag); otherwise a visible paywall box saying so ("Subscribe to continue reading") means True."""
    stated = _stated(page)
    if stated is not None:
        return stated
    says_so = any(_says_paywall(box) for box in page.paywall_boxes)
    return True if says_so else None  # an empty "paywall" placeholder is furniture, but says nothing


def _says_paywall(element: lxml_html.HtmlElement) -> bool:
    """A line of the element reads like a paywall note (its texts one by one: blocks run together in text_content)."""
    return any(PAYWALL_TEXT.search(text) for text in element.itertext())


def _stated(page: PageAnalysis) -> bool | None:
    article = page.article
    if article is not None:
        parts = page.data.resolve(article.get("hasPart"))
        for part in parts if isinstance(parts, list) else [parts]:
            part = page.data.resolve(part)
            if isinstance(part, dict) and _free(part.get("isAccessibleForFree")) is False:
                return True  # a gated part (its cssSelector names it) makes the article paywalled
        if (free := _free(article.get("isAccessibleForFree"))) is not None:
            return not free
    for node in page.data.jsonld_nodes:  # no article node says it: the WebPage may
        if node is article or node_types(node) & {"webpageelement"}:
            continue
        if (free := _free(node.get("isAccessibleForFree"))) is not None:
            return not free
    microdata = [_free(value) for value in page.data.all_meta("isaccessibleforfree")]
    if False in microdata:
        return True
    if True in microdata:
        return False
    tier = (page.data.first_meta("article:content_tier", "content_tier") or "").strip().lower()
    return _TIERS.get(tier)


def _free(value: Any) -> bool | None:
    """isAccessibleForFree as a boolean: true, false, or the strings "True"/"False" pages write; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        gated = _FREE.get(value.strip().lower())
        return None if gated is None else not gated
    return None


def gated_parts(page: PageAnalysis) -> list[lxml_html.HtmlElement]:
    """The elements the article's hasPart markers name as its gated part (cssSelector): article text the page may
    hold for subscribers, never a paywall box. Simple selectors only (tag, .class, #id and their combinations)."""
    article = page.article
    parts = page.data.resolve(article.get("hasPart")) if article else None
    selectors = []
    for part in parts if isinstance(parts, list) else [parts]:
        part = page.data.resolve(part)
        if isinstance(part, dict) and isinstance(part.get("cssSelector"), str):
            selectors += [s.strip() for s in part["cssSelector"].split(",")]
    return [element for selector in selectors for element in _select(page.tree, selector)]


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
    tree: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement], gated: list[lxml_html.HtmlElement] = ()
) -> list[lxml_html.HtmlElement]:
    """Visible paywall boxes: a short block named like a paywall that says so or holds no paragraph of prose, or
    the short block around a line like "Subscribe to continue reading". Never a block holding the article's text:
    the containers of the heading and of the prose (`protected`), nor the gated part the page names (`gated`) or a
    "paywall" block of paragraphs: sites wrap the gated text itself so."""
    keep = set(protected) | set(gated) | {node for part in gated for node in part.iterdescendants()}
    found: list[lxml_html.HtmlElement] = []
    for element in _NAMED(tree):
        if element in keep or not isinstance(element.tag, str) or element.tag in {"body", "html"}:
            continue
        if not _PAYWALL_NAME.search(class_and_id(element)):
            continue
        text = squash(element.text_content())
        prose = any(len(squash(p.text_content())) >= BODY_PARAGRAPH_CHARS for p in element.iter("p"))
        if len(text) <= MAX_BOX_CHARS and (_says_paywall(element) or not prose):
            found.append(element)
    for text in _TEXTS(tree):
        if len(text) > MAX_LINE_CHARS or not PAYWALL_TEXT.search(text):
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
