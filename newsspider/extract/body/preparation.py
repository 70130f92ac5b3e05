"""DOM preparation before trafilatura: drop calls to action, section labels, furniture inside the article, author
boxes and link-only blocks, never the containers of the headline and of the prose."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from newsspider.extract.authorboxes import BOX_TAGS, author_box, author_page_links
from newsspider.extract.dom import BODY_PARAGRAPH_CHARS, drop, link_density, squash
from newsspider.extract.fields.taxonomy import CATEGORY_HREF
from newsspider.extract.furniture import FURNITURE, class_and_id

#: Labels of buttons and links that expand, continue or advertise more reading; never article text.
CALL_TO_ACTION = re.compile(
    r"^\W*(?:keep reading|read more|continue reading|read the (?:full|rest of the) (?:story|article)|"
    r"show more|see more|load more|read full (?:story|article)|click here to read more|expand|"
    r"weiterlesen|mehr lesen|lire la suite|leer más|seguir leyendo|continua a leggere|czytaj dalej|"
    r"leia mais|share this|share this article|share on \w+|related posts?|recent posts?|"
    r"you may also like|also read|read also|more from \w+|advertisement|sponsored|don'?t miss|"
    r"order reprints?|print(?: this)? article|tell us what you think)\W*$",
    re.IGNORECASE,
)


_MAX_BOX_SHARE = 0.2  # a related-links box is a small part of a page


_TEXT_NODES = etree.XPath("//text()")


_LABEL_TAGS = frozenset({"a", "button", "span", "div", "p", "h2", "h3", "h4", "h5", "h6", "strong", "label", "summary"})


_NAMED_BOXES = etree.XPath("//*[self::div or self::section or self::aside or self::ul or self::span][@class or @id]")


def _call_to_action_labels(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Elements whose whole text is a CTA label, found from the text nodes (far fewer than elements)."""
    labels = []
    for text in _TEXT_NODES(tree):
        if len(text) > 80 or not CALL_TO_ACTION.match(" ".join(text.split()) or "-"):
            continue
        owner = text.getparent()
        if text.is_tail and owner is not None:
            owner = owner.getparent()
        while owner is not None and owner.tag not in _LABEL_TAGS and owner.getparent() is not None:
            owner = owner.getparent()  # an <i>/<em>/<font> inside a label: the label is further up
        is_label = owner is not None and owner.tag in _LABEL_TAGS
        if is_label and CALL_TO_ACTION.match(squash(owner.text_content()) or "-"):
            labels.append(owner)
    return labels


def remove_calls_to_action(tree: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement] | None = None) -> int:
    """Drop "Keep Reading"-style buttons, and the link boxes they head when they head one.

    Climbing from a label to the box it heads stops at the containers of the headline and of the main text, and
    at anything holding a large share of the page: a link-heavy article must never be taken for a link box.
    """
    protected = protected or set()
    limit = _MAX_BOX_SHARE * len(tree.text_content())
    removed = 0
    for element in _call_to_action_labels(tree):
        if element.getparent() is None:
            continue
        target = element
        parent = element.getparent()
        while parent is not None and parent.tag not in {"body", "article", "main"} and parent not in protected:
            parent_text = len(squash(parent.text_content()))
            if parent_text > limit:
                break
            siblings_text = parent_text - len(squash(target.text_content()))
            if parent.xpath(".//p") and link_density(parent) < 0.5 and siblings_text > 200:
                break
            if siblings_text <= 0 or link_density(parent) >= 0.5:
                target = parent
                parent = parent.getparent()
                continue
            break
        if target.getparent() is not None and target not in protected:
            drop(target)
            removed += 1
    return removed


_LINK_ONLY_MAX_CHARS = 150


def remove_link_only_blocks(tree: lxml_html.HtmlElement) -> None:
    """Drop paragraphs and lists made only of links (related-story links inside the text): never prose."""
    for paragraph in list(tree.iter("p")):
        text = squash(paragraph.text_content())
        short = bool(text) and len(text) <= _LINK_ONLY_MAX_CHARS
        has_link = paragraph.find(".//a") is not None
        if short and has_link and paragraph.getparent() is not None and link_density(paragraph) >= 0.9:
            drop(paragraph)
    for heading in list(tree.iter("h2", "h3", "h4", "h5", "h6")):
        # A heading that is wholly a link titles a teaser (related posts), never a section of the article.
        if heading.getparent() is not None and heading.find(".//a") is not None and link_density(heading) >= 0.9:
            drop(heading)
    for listing in list(tree.iter("ul", "ol")):
        items = listing.findall("li")
        if listing.getparent() is None or len(items) < 2:
            continue
        if all(
            item.find(".//a") is not None
            and link_density(item) >= 0.9
            and len(squash(item.text_content())) <= _LINK_ONLY_MAX_CHARS
            for item in items
        ):
            drop(listing)


def remove_furniture_inside_article(
    tree: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement] | None = None
) -> None:
    """Remove captions, credits and share/bio/related boxes, which trafilatura sometimes keeps.

    A box is furniture by its class or id, but never when it holds the headline or a large share of the page's
    text: page-wide wrappers are often named after ads, widgets or off-canvas menus.
    """
    for element in list(tree.iter("figcaption")):
        if element.getparent() is not None:
            drop(element)
    for element in list(tree.iter("figure")):
        if (
            element.getparent() is not None
            and not element.xpath(".//table")
            and len(squash(element.text_content())) < 40
        ):
            drop(element)
    body = tree.find("body")
    total = len((body if body is not None else tree).text_content()) or 1
    protected = protected or set()
    for element in _NAMED_BOXES(tree):
        raw = f"{element.get('class', '')} {element.get('id', '')}"
        if not FURNITURE.search(raw) or element.getparent() is None or element in protected:
            continue
        if not FURNITURE.search(class_and_id(element)):
            continue
        if len(element.text_content()) < 0.3 * total and len(element.xpath(".//p")) < 6:
            drop(element)


def remove_author_boxes(tree: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement] | None = None) -> int:
    """Drop author bio boxes (a name, a bio, "All articles by X"): furniture, whatever the theme calls them.

    A block left with only a short label ("About the authors") once its boxes are gone goes too.
    """
    protected = protected or set()
    root = tree.getroottree().getroot()
    removed = 0
    for link in author_page_links(tree):
        if link.getroottree().getroot() is not root:
            continue  # inside a box removed already
        box = author_box(link, protected)
        if box is None:
            continue
        parent = box.getparent()
        drop(box)
        removed += 1
        while (
            parent is not None
            and parent.tag in BOX_TAGS
            and parent not in protected
            and parent.getparent() is not None
            and len(squash(parent.text_content())) <= 40
            and not parent.xpath(".//p[string-length(normalize-space()) > 40]")
        ):
            grandparent = parent.getparent()
            drop(parent)
            parent = grandparent
    return removed


_CATEGORY_LINKS = etree.XPath(
    "//a[contains(@href, 'categor') or contains(@href, 'kategor') or contains(@href, 'cat=') or "
    "contains(concat(' ', @rel, ' '), ' category ')]"
)


_TEXTS_NAMED = etree.XPath("//text()[contains($names, concat('|', normalize-space(.), '|'))]")


_SECTION_LABEL_TAGS = frozenset({"p", "span", "div", "strong", "b", "em", "h2", "h3", "h4", "h5", "h6", "li"})


_MAX_SECTION_LABEL_CHARS = 40


def remove_section_labels(
    tree: lxml_html.HtmlElement,
    prose: lxml_html.HtmlElement | None,
    protected: set[lxml_html.HtmlElement] | frozenset = frozenset(),
) -> int:
    """Drop a plain header line that only names the article's section ("Economy" above the headline): a short
    element whose whole text is the label of a category link of the page, placed before the first paragraph
    of the text. Links are left alone (trafilatura weighs those itself), and so is anything after the text
    starts: a subheading may well be called "Economy"."""
    names = set()
    for link in _CATEGORY_LINKS(tree):
        rel = f" {link.get('rel', '').lower()} "
        if " category " in rel or CATEGORY_HREF.search(link.get("href", "")):
            label = squash(link.text_content())
            if 0 < len(label) <= _MAX_SECTION_LABEL_CHARS and "|" not in label:
                names.add(label)
    if not names or prose is None:
        return 0
    candidates = []
    for text in _TEXTS_NAMED(tree, names="|" + "|".join(names) + "|"):
        owner = text.getparent()
        if text.is_tail or owner is None or owner.tag not in _SECTION_LABEL_TAGS or owner in protected:
            continue
        if owner.xpath("ancestor-or-self::a") or squash(owner.text_content()) not in names:
            continue
        candidates.append(owner)
    if not candidates:
        return 0
    first = next((p for p in prose.iter("p") if len(squash(p.text_content())) >= BODY_PARAGRAPH_CHARS), None)
    if first is None:
        return 0
    pending = set(candidates)
    before = []
    for element in tree.iter():
        if element is first:
            break
        if element in pending:
            before.append(element)
    for element in before:
        drop(element)
    return len(before)
