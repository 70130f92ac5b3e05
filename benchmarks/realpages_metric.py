"""Scoring for the real-pages benchmark: one page's truth against one system's fields, pure and unit-tested."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # imported from benchmarks/realpages.py run as a script
    sys.path.insert(0, str(ROOT))

from benchmarks.aeb_metric import NGRAM_N, Metrics, PageScore, aggregate, ngrams, score_page, tokenize  # noqa: E402

#: Fields scored besides the body, in report order.
FIELDS = ("headline", "authors", "published")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphen, zero-width (non-)joiners, BOM
#: Typographic variants of one title: curly vs straight quotes, guillemets, dashes, the ellipsis character.
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u2026": "...",
    }
)


@dataclass(frozen=True)
class Prediction:
    """What one system says of one page; judged False means "not an article" (its fields are then empty)."""

    judged: bool
    body: str = ""
    headline: str | None = None
    authors: Sequence[str] | None = None
    published: str | None = None


@dataclass(frozen=True)
class PageResult:
    """One page scored: the body's shingle counts, and per field True/False (None: the truth does not say)."""

    judged: bool
    body: PageScore
    fields: dict[str, bool | None]
    standfirst: bool | None = None  # the truth's standfirst (lead) is in the body; None: the truth has none


@dataclass(frozen=True)
class Summary:
    """A system over a set of pages; field rates are over the pages whose truth has that field."""

    pages: int
    judged: int
    body: Metrics
    correct: dict[str, int]
    scored: dict[str, int]
    standfirst_kept: int = 0
    standfirsts: int = 0

    def rate(self, name: str) -> float | None:
        return self.correct[name] / self.scored[name] if self.scored[name] else None


def clean_text(text: str | None) -> str:
    """NFC, invisible characters dropped, whitespace runs as one space: how a reader compares two titles."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", text or "")).split())


def author_key(name: str) -> str:
    """An author's name compared case-insensitively, with clean_text's normalisation."""
    return clean_text(name).casefold()


def headline_key(text: str | None) -> str:
    """A headline compared with clean_text's normalisation and typographic variants folded (‘x’ = 'x', – = -)."""
    return " ".join(clean_text(text).translate(_TYPOGRAPHY).split())


def headline_matches(truth: str, predicted: str | None) -> bool:
    return headline_key(truth) == headline_key(predicted)


def authors_match(truth: Iterable[str], predicted: Iterable[str] | None) -> bool:
    """The same set of names (order and duplicates do not matter)."""
    return {author_key(a) for a in truth if clean_text(a)} == {author_key(a) for a in predicted or () if clean_text(a)}


class TextIndex:
    """A text's shingles and token string, to ask "how much of this paragraph is in it" many times."""

    def __init__(self, text: str) -> None:
        self.shingles = set(ngrams(text))
        self.tokens = f" {' '.join(tokenize(text))} "

    def coverage(self, paragraph: str) -> float:
        """Share of the paragraph's shingles in the text (a paragraph under 4 words: found in it or not)."""
        words = tokenize(paragraph)
        if len(words) < NGRAM_N:
            return float(f" {' '.join(words)} " in self.tokens) if words else 1.0
        shingles = ngrams(paragraph)
        return sum(1 for s in shingles if s in self.shingles) / len(shingles)


def _parse(value: str) -> date | datetime | None:
    text = value.strip().replace("Z", "+00:00").replace(" ", "T", 1)
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def published_day(truth: str, predicted: str | None) -> bool:
    """The same calendar day where the page is: the truth's own day (its offset as given); a predicted
    time with an offset is first moved to the truth's offset, a predicted day or naive time is taken as is."""
    want, got = _parse(truth), _parse(predicted) if predicted else None
    if want is None or got is None:
        return False
    want_day = want.date() if isinstance(want, datetime) else want
    if isinstance(got, datetime):
        if isinstance(want, datetime) and want.tzinfo is not None and got.tzinfo is not None:
            got = got.astimezone(want.tzinfo)
        got = got.date()
    return got == want_day


def score(truth: dict[str, Any], predicted: Prediction) -> PageResult:
    """One page: body by the AEB shingle metric on NFC text; each field True/False, or None when the truth
    has no value for it (Fundus parsers without an author attribute, a page without a date); and whether the
    body holds at least half of the truth's standfirst (a diagnostic, not in the body score's place)."""
    predicted_body = unicodedata.normalize("NFC", predicted.body)
    body = score_page(unicodedata.normalize("NFC", truth.get("body") or ""), predicted_body)
    fields: dict[str, bool | None] = {
        "headline": headline_matches(truth["headline"], predicted.headline) if truth.get("headline") else None,
        "authors": authors_match(truth["authors"], predicted.authors) if truth.get("authors") is not None else None,
        "published": published_day(truth["published"], predicted.published) if truth.get("published") else None,
    }
    standfirst = truth.get("standfirst")
    kept = TextIndex(predicted_body).coverage(unicodedata.normalize("NFC", standfirst)) >= 0.5 if standfirst else None
    return PageResult(judged=predicted.judged, body=body, fields=fields, standfirst=kept)


def summarize(results: Sequence[PageResult]) -> Summary:
    correct = {name: sum(1 for r in results if r.fields[name]) for name in FIELDS}
    scored = {name: sum(1 for r in results if r.fields[name] is not None) for name in FIELDS}
    return Summary(
        pages=len(results),
        judged=sum(1 for r in results if r.judged),
        body=aggregate(r.body for r in results),
        correct=correct,
        scored=scored,
        standfirst_kept=sum(1 for r in results if r.standfirst),
        standfirsts=sum(1 for r in results if r.standfirst is not None),
    )
