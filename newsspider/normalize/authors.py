"""Author lists from bylines: "By A and B, Political Correspondent | 6 September 2022" -> ["A", "B"]."""

from __future__ import annotations

import re

from newsspider.normalize.text import clean_text
from newsspider.normalize.vocabulary import (
    AUTHOR_NOUNS,
    BYLINE_PREPOSITIONS,
    BYLINE_PREPOSITIONS_LOOSE,
    BYLINE_VERBS,
    DATE_PREPOSITIONS,
    MONTHS_EN,
    NAME_CONJUNCTIONS,
    NOT_NAMES,
    ROLE_NOUNS,
    ROLE_WORDS,
    TEXT_NOUNS,
    TITLE_MODIFIERS,
)

_BYLINE_PREFIX = re.compile(
    rf"^\s*(?:(?:{BYLINE_VERBS})\s+by|{BYLINE_PREPOSITIONS}|{BYLINE_PREPOSITIONS_LOOSE}|{AUTHOR_NOUNS}|{TEXT_NOUNS})"
    r"\s*[:\-–]?\s+",
    re.IGNORECASE,
)
#: Where a second name follows a job title: "…, Political Correspondent and John Roe".
_NEXT_NAME = rf"\s+(?:{NAME_CONJUNCTIONS})\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*\s+[A-ZÀ-ÖØ-Þ]"
#: A job title after a name, up to the end or to the next name: "Jane Doe, senior reporter for EU affairs".
_ROLE_SUFFIX = re.compile(
    rf",\s*(?:{ROLE_WORDS})\b(?:(?!{_NEXT_NAME})[\w\s\-/])*(?={_NEXT_NAME}|\s*,|\s*$)", re.IGNORECASE
)
_TITLE_WORD = re.compile(rf"^(?:{ROLE_WORDS}|{TITLE_MODIFIERS})$", re.IGNORECASE)
#: A byline part ending in a role noun: a job title when every word before the noun qualifies it.
_ROLE_TITLE = re.compile(rf"^((?:[^\W\d_][\w'’.&-]*\s+){{0,4}})(?:{ROLE_NOUNS})$", re.IGNORECASE)
#: "Sophie Laurent in Brussels": where the reporter filed from, after the name.
_PLACE_SUFFIX = re.compile(r"\s+in\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}$")
#: "(Brussels correspondent)", "(AFP)": a role or an agency in parentheses after a name.
_PARENTHESES = re.compile(r"\s*\([^()]{1,60}\)")
_EMAIL = re.compile(r"\(?\s*[\w.+-]+@[\w-]+\.[\w.-]+\s*\)?")
_HANDLE = re.compile(r"\(?\s*(?<!\w)@\w{1,30}\s*\)?")
_URL = re.compile(r"https?://\S+|www\.\S+")
_AUTHOR_SPLIT = re.compile(rf"\s*(?:,|;|\s&\s|&|\b(?:{NAME_CONJUNCTIONS})\b)\s*", re.I)
_GLUED_DATE = re.compile(
    rf"\s+(?:{DATE_PREPOSITIONS}|updated|published)\s+.*\d.*$|\s*,?\s*\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}.*$",
    re.IGNORECASE,
)
_LOOKS_LIKE_DATE = re.compile(rf"\d{{4}}|\b\d{{1,2}}\b.*\b(?:{MONTHS_EN})\b|\b(?:{MONTHS_EN})\b\s+\d", re.I)
_NOT_A_NAME = re.compile(rf"^(?:{NOT_NAMES})$", re.I)


def _clean_author_part(part: str) -> str:
    part = _ROLE_SUFFIX.sub("", part)
    part = _BYLINE_PREFIX.sub("", part)
    part = _PLACE_SUFFIX.sub("", part.strip())
    part = part.strip(" \t-–—:,;|·•()[]\"'")
    return part


def _is_role_title(part: str) -> bool:
    """A job title, not a name: "Political Correspondent", "staff writer", "Bureau Chief". A name that merely
    ends in a role word ("Ann Chief", "Anna Editorova") is kept: its first words do not qualify a role. Titles are
    dropped only beside a name: a byline of nothing else ("EU Reporter") is the name the page gives."""
    match = _ROLE_TITLE.match(part)
    if not match:
        return False
    return all(word.islower() or _TITLE_WORD.match(word) for word in match.group(1).split())


def split_authors(raw: str | list[str] | None) -> list[str]:
    """Turn bylines like "By A and B", "Posted by X | date", ["A", "B, Reporter"] into a clean name list."""
    if not raw:
        return []
    values = [raw] if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for value in values:
        text = clean_text(value)
        text = _URL.sub(" ", _EMAIL.sub(" ", text))
        text = _HANDLE.sub(" ", text)
        # "Posted by X | September 6, 2022" and "By X | Reuters": the names come first, the rest is furniture.
        segments = [s for s in re.split(r"\s+[|•·]\s+|\s*\|\s*|\n", text) if s.strip()]
        segments = [s for s in segments if not _is_date_only(s)]
        if not segments:
            continue
        text = segments[0].strip()
        # "Posted on April 2, 2021 by Kevin Shaw": the names follow the last "by".
        dated = re.match(r"^(?:posted|published|updated)?\s*(?:on\s+)?.*?\d.*?\s+by\s+(.+)$", text, re.IGNORECASE)
        if dated:
            text = dated.group(1)
        text = _BYLINE_PREFIX.sub("", text)
        text = _GLUED_DATE.sub("", text)
        text = _ROLE_SUFFIX.sub("", text)
        text = _PARENTHESES.sub("", text)
        parts = [name for part in _AUTHOR_SPLIT.split(text) if _plausible_name(name := _clean_author_part(part))]
        people = [name for name in parts if not _is_role_title(name)]
        names += people or parts
    return _dedupe(names)


def _is_date_only(segment: str) -> bool:
    stripped = _BYLINE_PREFIX.sub("", segment.strip())
    return (
        bool(_LOOKS_LIKE_DATE.search(stripped))
        and len(re.findall(r"[^\W\d_]{3,}", stripped)) <= 3
        and any(ch.isdigit() for ch in stripped)
    )


def _plausible_name(name: str) -> bool:
    if not name or len(name) > 80 or _NOT_A_NAME.match(name):
        return False
    if not re.search(r"[^\W\d_]", name):
        return False
    return len(name.split()) <= 6


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            result.append(name)
    return result
