"""Clean text (entities, NFC, mojibake, whitespace), the body's paragraph format, hash, and site-free headlines."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

from newsspider.normalize.vocabulary import TITLE_SEPARATOR

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"\s+")
# The UTF-8 bytes of common punctuation decoded as cp1252/latin-1: the signature of mojibake.
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf\u2018-\u203a\u20ac\u0152-\u0178]|\u00e2\u20ac")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252/latin-1 ("donâ€™t" -> "don’t"), when it round-trips."""
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def clean_text(value: str | None) -> str:
    """One line of clean text: entities decoded, NFC, no control characters, whitespace collapsed."""
    if not value:
        return ""
    text = html.unescape(value) if "&" in value else value
    text = fix_mojibake(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL_CHARS.sub(" ", text).replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip()


def join_paragraphs(paragraphs: list[str]) -> str:
    """The body format of the schema: cleaned paragraphs joined by exactly one blank line."""
    return "\n\n".join(p for p in (clean_text(p) for p in paragraphs) if p)


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def content_hash(body: str) -> str:
    """A stable fingerprint of the normalized body, used to tell changed articles from unchanged ones."""
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()


def strip_site_name(headline: str, site_names: list[str] | tuple[str, ...]) -> str:
    """Remove a " - Site" suffix or "Site: " prefix that titles carry, when Site is a known site name."""
    headline = clean_text(headline)
    for name in sorted({clean_text(n) for n in site_names if n and clean_text(n)}, key=len, reverse=True):
        escaped = re.escape(name)
        stripped = re.sub(rf"(?:{TITLE_SEPARATOR}){escaped}\s*$", "", headline, flags=re.IGNORECASE)
        stripped = re.sub(rf"^\s*{escaped}(?:{TITLE_SEPARATOR}|\s*:\s+)", "", stripped, flags=re.IGNORECASE)
        if stripped and stripped != headline:
            return stripped.strip()
    return headline
