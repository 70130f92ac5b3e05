"""Lines of an article's header (bylines of the known authors, date lines, comment counts), recognised the same
way by the date reader and the paragraph clean-up."""

from __future__ import annotations

import re

from newsspider.normalize.vocabulary import BYLINE_JOINING_WORDS, DATE_LABEL, DATE_LABEL_JOINER, DATE_WORDS

#: Longer lines are text, never a header line.
MAX_HEADER_LINE = 200


#: A line that is nothing but a date (and maybe a time): a dateline stamp, never article prose.
DATE_ONLY_LINE = re.compile(rf"^(?:(?:{DATE_WORDS})\b|\d{{1,4}}|[\s,./:|–-])+$", re.IGNORECASE)


#: Pieces of an article header line: "A & B / 17 May 2023 / No Comments", "Date | Last updated date", "(Updated …)".
_HEADER_SEPARATORS = re.compile(r"\s+[-–—]\s+|\s*[|•·/()\[\]]\s*")


_COMMENT_COUNT = re.compile(
    r"^(?:no|one|\d+)\s+comments?$|^comments?\s*:?\s*\d*$|^leave an?\s+(?:comment|reply)$", re.IGNORECASE
)


#: A date label and its joiner opening a line: "Updated on", "Publié le", "Aktualisiert am".
DATE_LABEL_PREFIX = re.compile(rf"^(?:{DATE_LABEL}){DATE_LABEL_JOINER}", re.IGNORECASE)


_YEAR_OR_CLOCK = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}:\d{2}\b")


def is_date_segment(segment: str) -> bool:
    """ "17 May 2023", "Updated 22 Jan 2024", "Last updated April 24, 2024 at 6:05 pm": a date and nothing else."""
    rest = DATE_LABEL_PREFIX.sub("", segment).strip(" ,;:")
    return bool(rest) and bool(_YEAR_OR_CLOCK.search(rest)) and bool(DATE_ONLY_LINE.match(rest))


def _is_byline_segment(segment: str, authors: list[str] | tuple[str, ...]) -> bool:
    """ "By A and B", "A & B", "Posted by A": the known author names, joined by byline words, nothing else."""
    rest = segment.casefold()
    found = False
    for name in sorted(authors, key=len, reverse=True):
        if name and name.casefold() in rest:
            rest = rest.replace(name.casefold(), " , ")
            found = True
    return found and all(word in BYLINE_JOINING_WORDS for word in re.findall(r"[^\W_]+|&|,", rest))


def is_header_line(paragraph: str, authors: list[str] | tuple[str, ...] = ()) -> bool:
    """A line of the article header, never its text: a separator ("/", "|"), a byline of the known authors, a
    date line ("April 23, 2024 at 9:12 am | Last updated April 24, 2024"), a comment count, or these joined."""
    if len(paragraph) > MAX_HEADER_LINE:
        return False
    segments = [s.strip(" ,;:") for s in _HEADER_SEPARATORS.split(paragraph)]
    segments = [s for s in segments if s]
    return all(_COMMENT_COUNT.match(s) or is_date_segment(s) or _is_byline_segment(s, authors) for s in segments)
