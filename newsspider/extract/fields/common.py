"""How field readers read values: the text of a JSON-LD value, a date in the page's languages and zone, a URL test."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from newsspider.normalize import clean_text, to_iso_date

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis


def value_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url")
    if value is None:
        return None
    text = clean_text(str(value))
    return text or None


def iso_date(page: PageAnalysis, value: Any) -> str | None:
    text = value_text(value)
    return to_iso_date(text, languages=page.languages, default_timezone=page.timezone) if text else None


def is_url(value: str) -> bool:
    return bool(re.match(r"^\s*(?:https?:)?//|^\s*www\.", value))
