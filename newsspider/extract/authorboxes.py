"""Author bio boxes and the "All articles by X" links that close them: furniture for the body, no byline for authors."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from newsspider.extract.dom import squash

#: Labels of links to an author's page ("All articles by Jane Doe", "More from Jane Doe", "View all posts by
#: Jane Doe", "More articles"): never a name, and the box holding one is an author bio box.
AUTHOR_PAGE_LABEL = re.compile(
    r"^\W*(?:(?:view|see|read|browse|show)\s+)?(?:all|more|other|latest|recent)\s+"
    r"(?:(?:articles|posts|stories|news|columns|reports|pieces|work|content)\s+)?(?:by|from)\s+\S.*$|"
    r"^\W*(?:(?:view|see|read|browse|show)\s+)?(?:all|more|other|latest|recent)\s+"
    r"(?:articles|posts|stories|columns|reports|pieces)\W*$|"
    r"^\W*(?:view|see|read)\s+(?:the\s+)?(?:full\s+)?(?:author(?:'s)?\s+)?(?:profile|bio(?:graphy)?)\W*$|"
    r"^\W*(?:articles|posts|stories)\s+by\s+\S.*$",
    re.IGNORECASE,
)


#: Where author pages live: "More from X" or "More articles" closes a bio box only when it links to one.
_AUTHOR_HREF = re.compile(
    r"/(?:author|authors|autor|auteur|profile|profiles|people|staff|writers?|journalists?|columnists?|"
    r"contributors?|reporters?)/|[?&]author=",
    re.IGNORECASE,
)


_MAX_AUTHOR_BOX_CHARS = 1200


BOX_TAGS = frozenset({"div", "section", "aside", "footer", "li", "article", "figure", "table", "td"})


def author_box(
    link: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement] | frozenset = frozenset()
) -> lxml_html.HtmlElement | None:
    """The author bio box an author-page link ("All articles by X") closes: the nearest block around it that
    holds more than the link (a name, a short bio), is small, and is neither the article nor its text."""
    label = len(squash(link.text_content()))
    node = link.getparent()
    while node is not None and node.tag not in {"body", "html"} and node not in protected:
        text = len(squash(node.text_content()))
        if text > _MAX_AUTHOR_BOX_CHARS:
            return None
        if node.tag in BOX_TAGS and text - label >= 20:
            return node
        node = node.getparent()
    return None


def author_page_links(root: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Links to an author's page labelled like "All articles by X" or "View all posts by X"; "More from X" and
    "More articles" only when they point to an author page (else they may lead to a section or a report)."""
    links = []
    for link in root.iter("a"):
        label = squash(link.text_content())
        if len(label) > 80 or not AUTHOR_PAGE_LABEL.match(label):
            continue
        to_author = _AUTHOR_HREF.search(link.get("href", "")) or " author " in f" {link.get('rel', '')} "
        if to_author or re.search(r"\bby\s+\S", label, re.IGNORECASE):
            links.append(link)
    return links
