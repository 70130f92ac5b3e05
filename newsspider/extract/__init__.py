"""Extract stage: one pure function from a page's HTML and URL to a record or the reason it is none (see pipeline)."""

from __future__ import annotations

from newsspider.extract.document import decode_html, parse_html
from newsspider.extract.pipeline import ExtractionResult, extract_article

__all__ = ["ExtractionResult", "decode_html", "extract_article", "parse_html"]
