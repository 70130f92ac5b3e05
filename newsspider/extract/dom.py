"""Small tree helpers every rule shares: whitespace squash, link density, prose lengths, removal keeping tails."""

from __future__ import annotations

from lxml import html as lxml_html

MIN_PARAGRAPH_CHARS = 40


BODY_PARAGRAPH_CHARS = 80


def squash(text: str) -> str:
    """Whitespace collapsed, nothing else: enough for lengths and label matching, and much cheaper than clean_text."""
    return " ".join(text.split())


def link_density(element: lxml_html.HtmlElement) -> float:
    text = len(squash(element.text_content()))
    if not text:
        return 1.0
    linked = sum(len(squash(a.text_content())) for a in element.iter("a"))
    return linked / text


def prose_paragraphs(element: lxml_html.HtmlElement, min_chars: int = MIN_PARAGRAPH_CHARS) -> list[int]:
    """Lengths of the paragraphs of prose in an element: <p>s of some length that are not mostly links."""
    lengths = []
    for paragraph in element.iter("p"):
        length = len(squash(paragraph.text_content()))
        if length >= min_chars and link_density(paragraph) < 0.5:
            lengths.append(length)
    return lengths


def drop(element: lxml_html.HtmlElement) -> None:
    """Remove an element but keep the text that follows it (its tail) in the document."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def precedes(first: lxml_html.HtmlElement, second: lxml_html.HtmlElement) -> bool:
    for element in first.getroottree().iter():
        if element is first:
            return True
        if element is second:
            return False
    return False
