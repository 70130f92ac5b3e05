"""The headline: JSON-LD, og:title, microdata, the page's heading or <title>, without the site's name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsspider.extract.fields.common import value_text
from newsspider.normalize import clean_text, strip_site_name
from newsspider.normalize.vocabulary import TITLE_SEPARATOR_CHARS

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis


def headline(page: PageAnalysis) -> str | None:
    candidates = [
        value_text(page.article.get("headline") or page.article.get("name")) if page.article else None,
        value_text(page.data.first_meta("og:title", "twitter:title")),
        value_text(page.data.microdata.get("headline")),
        clean_text(page.heading.text_content()) if page.heading is not None else None,
        value_text(page.tree.findtext(".//title")),
    ]
    heading_text = candidates[3]
    for candidate in candidates:
        if candidate:
            if heading_text and candidate != heading_text and _is_decorated(candidate, heading_text):
                return heading_text
            stripped = strip_site_name(candidate, page.site_names)
            if stripped and stripped.casefold() not in {n.casefold() for n in page.site_names}:
                return stripped
    return None


_DECORATION = re.compile(rf"^\s*[{TITLE_SEPARATOR_CHARS}]\s*\S.{{0,60}}$|^.{{1,60}}\S\s*[{TITLE_SEPARATOR_CHARS}]\s*$")


def _is_decorated(candidate: str, heading_text: str) -> bool:
    """True for "<h1> – Site Name" or "Site | <h1>": the title is the headline plus the site's name."""
    if candidate.startswith(heading_text):
        return bool(_DECORATION.match(candidate[len(heading_text) :]))
    if candidate.endswith(heading_text):
        return bool(_DECORATION.match(candidate[: -len(heading_text)]))
    return False
