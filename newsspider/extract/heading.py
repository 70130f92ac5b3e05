"""The article's main heading: its <h1>, else the element showing the <title>, else the heading above the prose."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from newsspider.extract.dom import squash
from newsspider.extract.furniture import class_and_id, in_furniture
from newsspider.extract.prose import Prose
from newsspider.normalize.vocabulary import TIGHT_TITLE_SEPARATOR_CHARS, TITLE_SEPARATOR_CHARS


def main_heading(tree: lxml_html.HtmlElement, prose: Prose) -> lxml_html.HtmlElement | None:
    """The article's <h1>: inside an <article> or titled like an entry title, never one in the furniture.

    A page without one: the element showing its <title> (or the headline part of it); a page without a <title>
    either: the heading nearest above its prose."""
    candidates = [h for h in tree.iter("h1") if not in_furniture(h)]
    if not candidates:
        # Some templates (Blogger's "widget Blog") wrap the whole post in a furniture-like name.
        candidates = [h for h in tree.iter("h1") if not h.xpath("ancestor::nav or ancestor::footer")]
    if not candidates:
        candidates = [
            h
            for h in tree.xpath('//*[self::h2 or self::h3 or self::div or self::span][contains(@class, "title")]')
            if re.search(r"entry-title|post-title|article-title|headline", h.get("class", "")) and not in_furniture(h)
        ]
    for heading in candidates:
        if heading.xpath("ancestor::article") or re.search(
            r"entry-title|post-title|headline", heading.get("class", "")
        ):
            return heading
    if candidates:
        return candidates[0]
    return (
        shown_title(tree) if (tree.findtext(".//title") or "").strip() else heading_above_prose(tree, prose.container)
    )


#: How titles join the headline and the site's name: "Headline - Site", "Site :: Headline", "Site | Headline".
_TITLE_PARTS = re.compile(rf"\s+(?:[{TITLE_SEPARATOR_CHARS}]|::)\s+|\s*[{TIGHT_TITLE_SEPARATOR_CHARS}]\s*")


_HEADLINE_NAMES = re.compile(r"headline|title|heading", re.IGNORECASE)


_HEADLINE_CHARS = (10, 300)


def shown_title(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element showing the <title> or a part of it of three words or more: titles join the headline and the
    site's name, and the page shows the headline."""
    title = squash(tree.findtext(".//title") or "")
    parts = {title.casefold()} | {p.casefold() for p in _TITLE_PARTS.split(title) if len(p.split()) >= 3}
    body = tree.find("body")
    for element in body.iter() if body is not None else ():
        own = (element.text or "").strip() if isinstance(element.tag, str) else ""
        if not own or len(own) > _HEADLINE_CHARS[1] or element.tag in {"a", "script", "style", "option", "title"}:
            continue
        text = squash(element.text_content())
        if (
            _HEADLINE_CHARS[0] <= len(text) <= _HEADLINE_CHARS[1]
            and text.casefold() in parts
            and not element.xpath("ancestor::a")
            and not in_furniture(element)
        ):
            return element
    return None


def heading_above_prose(
    tree: lxml_html.HtmlElement, container: lxml_html.HtmlElement | None
) -> lxml_html.HtmlElement | None:
    """For a page without a <title>: the heading (h2-h4, or a box named like a headline) nearest above its prose
    (`container`, see `Prose`)."""
    if container is None:
        return None
    first = next((child for child in container if len(squash(child.text_content())) >= 80), container)
    stop = set(first.iterancestors()) | {first}
    heading = None
    for element in tree.iter():
        if element is first:
            break
        if element in stop or not isinstance(element.tag, str):
            continue
        if element.tag in {"h2", "h3", "h4"} or _HEADLINE_NAMES.search(class_and_id(element)):
            text = squash(element.text_content())
            if _HEADLINE_CHARS[0] <= len(text) <= _HEADLINE_CHARS[1] and not in_furniture(element):
                heading = element
    return heading
