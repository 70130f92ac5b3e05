"""ISO 8601 dates from what pages write: machine dates, RFC 2822, and human dates in many languages."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone, tzinfo
from functools import lru_cache

from newsspider.normalize.text import clean_text
from newsspider.normalize.vocabulary import DATE_LABEL, DATE_LABEL_JOINER

#: Languages dateparser tries when the page's own language is unknown or fails: bounded, because trying all
#: of dateparser's ~200 locales costs seconds per process.
FALLBACK_DATE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ro", "sv", "da", "cs", "el", "hu")
#: A date label or preposition before a date: "Published: ", "Last updated on ", "Publié le ", "am ".
_LEADING_LABEL = re.compile(rf"^(?:(?:{DATE_LABEL}){DATE_LABEL_JOINER}|(?:on|am|le|el)\s*:?\s*)", re.IGNORECASE)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)\b", re.IGNORECASE)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MIN_YEAR = 1995


@lru_cache(maxsize=8)
def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # an unknown zone name in a profile must not break extraction
        return None


def to_iso_date(
    value: str | datetime | date | None,
    *,
    languages: list[str] | None = None,
    default_timezone: str | None = None,
) -> str | None:
    """ISO 8601 for a machine or human date: the full date-time only when its UTC offset is known (stated by the
    page, or the profile's `default_timezone`); the day alone otherwise, since a clock time without a zone is not
    an instant."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _format_datetime(value, default_timezone)
    if isinstance(value, date):
        return value.isoformat() if _plausible_year(value.year) else None
    text = clean_text(str(value))
    if not text or len(text) > 120:
        return None
    if _ISO_DAY.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        return day.isoformat() if _plausible_year(day.year) else None
    iso = _parse_iso(text)
    if iso is not None:
        return _format_datetime(iso, default_timezone)
    return _parse_human(text, languages, default_timezone)


def _plausible_year(year: int) -> bool:
    return _MIN_YEAR <= year <= datetime.now(timezone.utc).year + 1


def _parse_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)  # +0200 -> +02:00
    try:
        return datetime.fromisoformat(candidate.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def _format_datetime(moment: datetime, default_timezone: str | None) -> str | None:
    """A zoned moment as a full ISO 8601 date-time; a naive one localized in the profile's zone, else its day."""
    if not _plausible_year(moment.year):
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        zone = _zone(default_timezone)
        if zone is None:
            return moment.date().isoformat()
        moment = moment.replace(tzinfo=zone)
    return moment.replace(microsecond=0).isoformat()


#: A zone the text states: an offset, UTC/GMT, or an unambiguous abbreviation (not IST, CST or ET: they name
#: several zones).
_STATED_ZONE = re.compile(
    r"(?:[+-]\d{2}:?\d{2}|\b(?:gmt|utc|z|cet|cest|eet|eest|wet|west|bst|est|edt|pst|pdt|mst|mdt|msk|jst|aest|aedt)\b)"
    r"\s*\)?$",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def _dateparser_knows(language: str) -> bool:
    import dateparser

    try:
        dateparser.parse("1 January 2020", languages=[language])
    except ValueError:
        return False
    return True


def _parse_human(text: str, languages: list[str] | None, default_timezone: str | None) -> str | None:
    import dateparser  # imported lazily: it costs about a second at start-up

    text = _LEADING_LABEL.sub("", text)
    text = re.sub(r"\b([01]?\d|2[0-3])h([0-5]\d)\b", r"\1:\2", text)  # French clock times: "08h15" is 08:15
    stated_zone = bool(_STATED_ZONE.search(text))
    try:  # RFC 2822 ("Tue, 06 Sep 2022 09:12:40 +0000"), as feeds and HTTP headers write dates
        from email.utils import parsedate_to_datetime

        moment = parsedate_to_datetime(text)
        # A zone it does not know ("CET") comes back naive: dateparser reads those. "-0000" says "zone unknown".
        if moment.tzinfo is not None or not stated_zone or re.search(r"-0000\s*$", text):
            return _format_datetime(moment, default_timezone)
    except (TypeError, ValueError, IndexError):
        pass
    settings = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": stated_zone,
        "PARSERS": ["absolute-time", "timestamp"],
    }
    if re.search(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b", text):
        settings["DATE_ORDER"] = "DMY"  # 06.09.2022 is day-first wherever dots are used
    first_digit = re.search(r"\d", text)
    candidates = [text]
    if first_digit and first_digit.start() > 0:
        candidates.append(text[first_digit.start() :])  # "Publié le 12 janvier 2023" -> "12 janvier 2023"
    known = [lang for lang in (languages or []) if _dateparser_knows(lang)]
    language_sets = [known] if known else []
    language_sets.append([lang for lang in FALLBACK_DATE_LANGUAGES if lang not in known])
    parsed = None
    for candidate in candidates:
        for language_set in language_sets:
            try:
                parsed = dateparser.parse(candidate, languages=language_set, settings=settings)
            except Exception:  # dateparser raises assorted errors on odd input; a bad date is simply no date
                parsed = None
            if parsed is not None:
                break
        if parsed is not None:
            break
    if parsed is None or not _plausible_year(parsed.year):
        return None
    if not _HAS_TIME.search(text):
        return parsed.date().isoformat()
    return _format_datetime(parsed, None if parsed.tzinfo else default_timezone)
