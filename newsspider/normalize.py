"""Normalize stage: turn the raw strings pages give into clean text, author lists, ISO 8601 dates and URLs."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from datetime import date, datetime, timezone, tzinfo
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# --- text -------------------------------------------------------------------------------------------------

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
    """The body format of schema v1: cleaned paragraphs joined by exactly one blank line."""
    return "\n\n".join(p for p in (clean_text(p) for p in paragraphs) if p)


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def content_hash(body: str) -> str:
    """A stable fingerprint of the normalized body, used to tell changed articles from unchanged ones."""
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()


# --- headline ---------------------------------------------------------------------------------------------

_TITLE_SEPARATORS = r"\s+[-|–—:·•»]\s+|\s*[|–—·•»]\s*"


def strip_site_name(headline: str, site_names: list[str] | tuple[str, ...]) -> str:
    """Remove a " - Site" suffix or "Site: " prefix that titles carry, when Site is a known site name."""
    headline = clean_text(headline)
    for name in sorted({clean_text(n) for n in site_names if n and clean_text(n)}, key=len, reverse=True):
        escaped = re.escape(name)
        stripped = re.sub(rf"(?:{_TITLE_SEPARATORS}){escaped}\s*$", "", headline, flags=re.IGNORECASE)
        stripped = re.sub(rf"^\s*{escaped}(?:{_TITLE_SEPARATORS}|\s*:\s+)", "", stripped, flags=re.IGNORECASE)
        if stripped and stripped != headline:
            return stripped.strip()
    return headline


# --- authors ----------------------------------------------------------------------------------------------

_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:posted|written|reported|report|words|text|story|published|compiled|edited|submitted)\s+by|by|from|"
    r"von|par|por|di|da|de|door|av|af|przez|autor(?:es|in)?|author(?:s)?|auteur|text|texto|tekst)\s*[:\-–]?\s+",
    re.IGNORECASE,
)
_ROLE_WORDS = (
    "reporter|correspondent|editor|writer|journalist|contributor|columnist|staff|senior|chief|deputy|"
    "political|foreign|business|economics|news|sports|health|science|tech(?:nology)?|digital|managing|"
    "associate|special|european|eu|brussels|analyst|producer|freelance|guest|author|redakteur(?:in)?|"
    "korrespondent(?:in)?|journaliste|correspondant|periodista|redattore|dziennikarz"
)
_ROLE_SUFFIX = re.compile(rf",\s*(?:(?:{_ROLE_WORDS})\b[\w\s\-/]*)$", re.IGNORECASE)
#: The nouns a job title ends with: "Political Correspondent", "Europe editor", "Bureau Chief", "staff writer".
_ROLE_NOUNS = (
    "correspondents?|editors?|reporters?|writers?|journalists?|columnists?|contributors?|analysts?|chief|"
    "producers?|photographers?|commentators?|presenters?|redakteur(?:in)?|korrespondent(?:in)?|journaliste|"
    "correspondant(?:e)?|periodista|redattore|dziennikarz"
)
#: Words that qualify a role noun in a title ("Diplomatic Editor", "Central Europe Correspondent"), besides
#: the role words above.
_TITLE_MODIFIERS = (
    "bureau|diplomatic|central|eastern|western|northern|southern|europe|world|international|national|regional|"
    "local|city|home|affairs|economy|energy|environment(?:al)?|climate|defen[cs]e|security|legal|data|culture|"
    "arts?|education|politics|parliamentary|lobby|markets?|financial|finance|features?|opinion|video|photo|"
    "picture|contributing|executive|assistant|acting|lead|principal|investigations?|investigative|night|"
    "weekend|africa|asia|americas|middle|east|west|north|south|of|the|for|and|&"
)
_TITLE_WORD = re.compile(rf"^(?:{_ROLE_WORDS}|{_TITLE_MODIFIERS})$", re.IGNORECASE)
#: A byline part ending in a role noun: a job title when every word before the noun qualifies it.
_ROLE_TITLE = re.compile(rf"^((?:[^\W\d_][\w'’.&-]*\s+){{0,4}})(?:{_ROLE_NOUNS})$", re.IGNORECASE)
#: "Sophie Laurent in Brussels": where the reporter filed from, after the name.
_PLACE_SUFFIX = re.compile(r"\s+in\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}$")
#: "(Brussels correspondent)", "(AFP)": a role or an agency in parentheses after a name.
_PARENTHESES = re.compile(r"\s*\([^()]{1,60}\)")
_EMAIL = re.compile(r"\(?\s*[\w.+-]+@[\w-]+\.[\w.-]+\s*\)?")
_HANDLE = re.compile(r"\(?\s*(?<!\w)@\w{1,30}\s*\)?")
_URL = re.compile(r"https?://\S+|www\.\S+")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\s&\s|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\bsowie\b)\s*", re.I)
_GLUED_DATE = re.compile(
    r"\s+(?:on|am|le|el|il|op|updated|published)\s+.*\d.*$|\s*,?\s*\b\d{1,2}[./]\d{1,2}[./]\d{2,4}.*$",
    re.IGNORECASE,
)
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_LOOKS_LIKE_DATE = re.compile(rf"\d{{4}}|\b\d{{1,2}}\b.*\b(?:{_MONTHS})\b|\b(?:{_MONTHS})\b\s+\d", re.I)
_NOT_A_NAME = re.compile(
    r"^(?:admin|administrator|staff|editor|guest|unknown|anonymous|none|null|by|posted by|written by|"
    r"reported by|words by|submitted by|von|par|por|di|da|de|door|av|af|przez|author|authors|autor|auteur)$",
    re.I,
)


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


# --- dates ------------------------------------------------------------------------------------------------

#: Languages dateparser tries when the page's own language is unknown or fails: bounded, because trying all
#: of dateparser's ~200 locales costs seconds per process.
FALLBACK_DATE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ro", "sv", "da", "cs", "el", "hu")
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

    text = re.sub(r"^(?:published|posted|updated|last updated|on|am|le|el)\s*:?\s*", "", text, flags=re.I)
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


# --- URLs -------------------------------------------------------------------------------------------------

_TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|ref|ref_src|cmpid|"
    r"ocid|icid|share|amp|output)$",
    re.IGNORECASE,
)


def canonicalize_url(url: str, base: str | None = None) -> str:
    """A URL as an identifier: lower-case scheme and host, no default port, no fragment, no tracking params."""
    from urllib.parse import urljoin

    url = clean_text(url)
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a bad port or IPv6 host: keep the text, it is still an identifier
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = port if port and (scheme, port) not in {("http", 80), ("https", 443)} else None
    netloc = f"{host}:{port}" if port else host
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


@lru_cache(maxsize=65536)
def dedupe_key(url: str) -> str:
    """The identity of an article across URL variants: http/https, www., /amp/, ?amp and trailing slashes."""
    parts = urlsplit(canonicalize_url(url))
    host = parts.netloc.removeprefix("www.")
    path = re.sub(r"/amp/?$", "/", parts.path)
    path = path.rstrip("/") or "/"
    return urlunsplit(("", host, path, parts.query, "")).lstrip("/")
