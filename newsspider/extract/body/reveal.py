"""Reveal the rest of an article collapsed behind a "Keep Reading" control (hidden by an attribute, style or class)."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from newsspider.extract.dom import BODY_PARAGRAPH_CHARS, MIN_PARAGRAPH_CHARS, link_density, prose_paragraphs, squash
from newsspider.extract.furniture import FURNITURE, class_and_id, in_furniture_box

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0", re.IGNORECASE)


_HIDDEN_CLASSES = re.compile(
    r"(?:^|\s)(?:collapse|collapsed|hidden|is-hidden|hide|d-none|truncated|more-content|read-more-content|"
    r"expandable|js-hidden)(?=\s|$)",
    re.IGNORECASE,
)


_OVERLAY = re.compile(r"popup|modal|newsletter|cookie|consent|gdpr|overlay|dialog|lightbox|subscribe|paywall", re.I)


#: Collapsed blocks that hold paragraphs but never the article's: comment threads, menus, sidebars.
_NOT_PROSE_NAMES = re.compile(r"comment|respond|repl(?:y|ies)|discussion|menu|(?:^|[-_\s])nav|sidebar|widget", re.I)


# XPath pre-filters, evaluated in C: Python then looks only at the few elements they return.
_MAYBE_HIDDEN = etree.XPath(
    "//@style[contains(., 'none') or contains(., 'hidden') or contains(., 'max-height')]/.. | "
    "//@class[contains(., 'collapse') or contains(., 'hid') or contains(., 'd-none') or contains(., 'truncat') or "
    "contains(., 'more') or contains(., 'expand')]/.. | //*[@hidden] | //*[@aria-hidden='true']"
)


def _is_hidden(element: lxml_html.HtmlElement) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style", "")))
        or bool(_HIDDEN_CLASSES.search(element.get("class", "")))
    )


def continues_prose(element: lxml_html.HtmlElement) -> bool:
    """A collapsed block that continues the article's text: paragraphs of prose, few links, placed after
    paragraphs of prose in its own block (or the block around it), and not inside a sidebar, footer or form.

    "Keep Reading" remainders are often named after the widget ("keep-reading__rest"), which reads like furniture;
    the place and the paragraphs tell them apart from a collapsed comment list or an off-canvas menu."""
    if len(prose_paragraphs(element, BODY_PARAGRAPH_CHARS)) < 2 or link_density(element) > 0.3:
        return False
    if any(_NOT_PROSE_NAMES.search(class_and_id(node)) for node in element.iter() if isinstance(node.tag, str)):
        return False  # a collapsed comment thread or menu: paragraphs too, and after the text too
    if element.xpath(".//form | .//nav | .//aside | .//footer | .//textarea"):
        return False
    parent = element.getparent()
    body = element.getroottree().getroot().find("body")
    page = len(squash((body if body is not None else element.getroottree().getroot()).text_content()))
    if parent is None or in_furniture_box(parent, page):
        return False
    branch = element
    for _ in range(2):  # the expander's own block, or the block holding the expander
        for sibling in branch.itersiblings(preceding=True):
            if sibling.tag == "p" and len(prose_paragraphs(sibling, BODY_PARAGRAPH_CHARS)) == 1:
                return True
        branch = branch.getparent()
        if branch is None or branch.tag in {"body", "html"}:
            break
    return False


def reveal_collapsed_text(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Unhide "read more" containers that hold real paragraphs, so the whole article is extracted; the revealed
    containers are returned. One named like furniture is revealed only when it continues the article's text."""
    revealed = []
    for element in _MAYBE_HIDDEN(tree):
        if not isinstance(element.tag, str) or element.tag in {"script", "style", "template", "noscript"}:
            continue
        if not _is_hidden(element) or _OVERLAY.search(class_and_id(element)):
            continue
        paragraphs = [p for p in element.iter("p") if len(squash(p.text_content())) >= MIN_PARAGRAPH_CHARS]
        if not paragraphs or link_density(element) > 0.3:
            continue
        if FURNITURE.search(class_and_id(element)) and not continues_prose(element):
            continue
        for node in (element, *element.iterdescendants()):
            if not isinstance(node.tag, str):
                continue
            for attribute in ("hidden", "aria-hidden", "style"):
                node.attrib.pop(attribute, None)
            if node.get("class"):
                node.set("class", _HIDDEN_CLASSES.sub(" ", node.get("class", "")).strip())
        revealed.append(element)
    return revealed
