"""Paragraph clean-up after trafilatura: headline echoes, site names, header lines, calls to action, credits, date
stamps, and what closes an article without being its text (agency notes, author bios)."""

from __future__ import annotations

import re

from newsspider.extract.body.preparation import CALL_TO_ACTION
from newsspider.extract.headerlines import (
    DATE_LABEL_PREFIX,
    DATE_ONLY_LINE,
    MAX_HEADER_LINE,
    is_date_segment,
    is_header_line,
)
from newsspider.extract.paywallbox import is_paywall_line

#: Stand-alone lines that are never article text: picture credits and dateline stamps.
_CREDIT_LINE = re.compile(
    r"^(?:photo|image|picture|foto|bild|credit|illustration)s?\s*(?:by|:|©)|"
    r"[.)\s/|](?:getty images|reuters|afp|ap photo|epa|shutterstock|istock(?:photo)?|alamy)\s*$|©",
    re.IGNORECASE,
)


LEAD_PARAGRAPHS = 3


def _echoes_headline(line: str, headline: str | None) -> bool:
    """A short line that contains the headline, or is contained in it: a title echo, not prose."""
    head = (headline or "").casefold()
    if len(head) < 20 or len(line) > 2 * len(head):
        return False
    return head in line or (len(line) >= 20 and line in head)


def clean_paragraphs(
    paragraphs: list[str],
    headline: str | None,
    site_names: tuple[str, ...] | list[str] = (),
    authors: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """Drop what trafilatura lets through that is never body: the headline, site name or byline at either end
    of the text, bare CTA labels, credits, date stamps, echoes.

    Only a paragraph repeating the one right before it is an echo: menus and recipes legitimately repeat lines.
    """
    result: list[str] = []
    names = {n.casefold() for n in authors} | {f"by {n.casefold()}" for n in authors}
    framing = {(headline or "").casefold(), *(n.casefold() for n in site_names), *names} - {""}
    last = len(paragraphs) - 1
    in_header = True  # until the first paragraph of the text: bylines, date lines and separators are furniture
    for index, paragraph in enumerate(paragraphs):
        key = paragraph.casefold()
        at_edge = index < LEAD_PARAGRAPHS or index > last - LEAD_PARAGRAPHS
        if at_edge and (key in framing or _echoes_headline(key, headline)):
            continue
        if in_header and is_header_line(paragraph, authors):
            continue
        in_header = False
        if CALL_TO_ACTION.match(paragraph) or (result and key == result[-1].casefold()):
            continue
        if len(paragraph) <= MAX_HEADER_LINE and _CREDIT_LINE.search(paragraph):
            continue
        if is_paywall_line(paragraph):
            continue  # "Subscribe to continue reading", "Réservé aux abonnés": a paywall note, never text
        if DATE_LABEL_PREFIX.match(paragraph) and is_header_line(paragraph, authors):
            continue  # a date stamp anywhere: "Updated 14 March 2023, 10:05 | By Jane Doe", never "Updated figures…"
        if len(paragraph) <= 40 and re.search(r"\b(?:19|20)\d{2}\b", paragraph) and DATE_ONLY_LINE.match(paragraph):
            continue
        if len(paragraph) <= 80 and DATE_LABEL_PREFIX.match(paragraph) and is_date_segment(paragraph):
            continue  # "Dernière modification : 07.09.2022", "Aktualisiert am 7. September 2022": a date line
        result.append(paragraph)
    return _without_closing_furniture(result, authors)


#: An agency or syndication note closing an article: "This story was provided by Reuters … and was not edited by
#: EU Reporter staff", "This article has not been edited by X staff and is published from a syndicated feed."
_PROVENANCE_LINE = re.compile(
    r"^\W*(?:this|the above)\s+(?:story|article|report|content|piece|item|post)\s+(?:was|has been|is|had been)\s+"
    r"(?:(?:originally|first)\s+)?(?:provided|supplied|produced|syndicated|distributed|sourced)\s+(?:by|from|via)\s+\S|"
    r"\b(?:was|has)\s+not\s+(?:been\s+)?edited\s+by\s+(?:\S+\s+){0,4}?(?:staff|editors?|newsroom|team)\b",
    re.IGNORECASE,
)


_MAX_PROVENANCE_CHARS = 300


#: The heading of an author bio box: "About Jane Doe", "About the author(s)", "À propos de l'auteur".
_ABOUT_HEADING = re.compile(
    r"^(?:about|more about|à propos de|über|sobre)\s+(.{2,60}?)\s*:?$",
    re.IGNORECASE,
)


_ABOUT_GENERIC = frozenset(
    {
        "the author",
        "the authors",
        "the writer",
        "the writers",
        "the contributor",
        "the contributors",
        "the reporter",
        "l'auteur",
        "l’auteur",
        "les auteurs",
        "den autor",
        "die autoren",
        "el autor",
        "los autores",
        "o autor",
    }
)


_MAX_BIO_CHARS = 500


def _is_bio_heading(paragraph: str, names: set[str]) -> bool:
    match = _ABOUT_HEADING.match(paragraph) if len(paragraph) <= 80 else None
    return bool(match) and (match.group(1).casefold() in _ABOUT_GENERIC or match.group(1).casefold() in names)


def _without_closing_furniture(paragraphs: list[str], authors: list[str] | tuple[str, ...]) -> list[str]:
    """Drop what closes an article but is not its text: an agency provenance note in the last lines, and author
    bio boxes after the text (a heading "About <one of the authors>" or "About the author(s)" followed by a short
    bio, up to the end)."""
    result = list(paragraphs)
    for index in range(len(result) - 1, max(len(result) - 1 - LEAD_PARAGRAPHS, 0), -1):
        line = result[index]
        if len(line) <= _MAX_PROVENANCE_CHARS and _PROVENANCE_LINE.search(line):
            del result[index]
    names = {name.casefold() for name in authors if name}
    boxes = max(len(names), 1)
    for index in range(max(len(result) - 3 * boxes, 1), len(result)):
        if not _is_bio_heading(result[index], names):
            continue
        rest = result[index + 1 :]
        if rest and all(len(line) <= _MAX_BIO_CHARS for line in rest):
            return result[:index]
        break
    return result
