"""Normalize stage: turn the raw strings pages give into clean text, author lists, ISO 8601 dates and URLs."""

from __future__ import annotations

from newsspider.normalize.authors import split_authors
from newsspider.normalize.dates import FALLBACK_DATE_LANGUAGES, to_iso_date
from newsspider.normalize.text import (
    clean_text,
    content_hash,
    fix_mojibake,
    join_paragraphs,
    strip_site_name,
    word_count,
)
from newsspider.normalize.urls import canonicalize_url, dedupe_key

__all__ = [
    "FALLBACK_DATE_LANGUAGES",
    "canonicalize_url",
    "clean_text",
    "content_hash",
    "dedupe_key",
    "fix_mojibake",
    "join_paragraphs",
    "split_authors",
    "strip_site_name",
    "to_iso_date",
    "word_count",
]
