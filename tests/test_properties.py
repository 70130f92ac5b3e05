"""Property tests: normalization and extraction never raise, and always give schema-valid values."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from conftest import golden_files
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from newsspider.extract import extract_article
from newsspider.normalize import canonicalize_url, split_authors, to_iso_date
from newsspider.sites import get_profile
from newsspider.validate import schema, validation_errors

#: Deterministic and quick by default; NEWSSPIDER_HYPOTHESIS=explore searches far wider (run it after changes).
EXPLORE = os.environ.get("NEWSSPIDER_HYPOTHESIS") == "explore"
QUICK = settings(
    max_examples=3000 if EXPLORE else 150,
    deadline=None,
    derandomize=not EXPLORE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Extraction is ~40 ms a page: fewer examples for the whole-page properties.
PAGES = settings(QUICK, max_examples=QUICK.max_examples // 4)

DATE = re.compile(schema()["$defs"]["date"]["pattern"])
PROFILE = get_profile("eureporter")

# --- dates ------------------------------------------------------------------------------------------------

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
}
PREFIXES = {
    "en": ("", "Published ", "Published on ", "Posted on ", "Updated: "),
    "de": ("", "Veröffentlicht am ", "Aktualisiert: "),
    "fr": ("", "Publié le ", "Mis à jour le "),
    "es": ("", "Publicado el "),
    "it": ("", "Pubblicato il "),
    "pt": ("", "Publicado em "),
    "nl": ("", "Gepubliceerd op "),
    "pl": ("", "Opublikowano "),
}
FIRST_YEAR = 1995
moments = st.datetimes(
    min_value=datetime(FIRST_YEAR, 1, 1),
    max_value=datetime(datetime.now(timezone.utc).year - 1, 12, 31),
    timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]),
).map(lambda d: d.replace(microsecond=0))


@st.composite
def written_dates(draw: st.DrawFn) -> tuple[str, date | None]:
    """A date as pages write it, and the day it names (None when the numeric form is ambiguous)."""
    moment = draw(moments)
    day = moment.date()
    lang = draw(st.sampled_from(sorted(MONTHS)))
    month = MONTHS[lang].split()[moment.month - 1]
    en_month = MONTHS["en"].split()[moment.month - 1]
    prefix = draw(st.sampled_from(PREFIXES[lang]))
    dotted = "." if lang in {"de", "pl"} else ""
    forms: list[tuple[str, date | None]] = [
        (moment.isoformat(), day),
        (moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment.utcoffset() == timedelta(0) else moment.isoformat(), day),
        (moment.strftime("%Y-%m-%dT%H:%M:%S%z"), day),
        (moment.strftime("%Y-%m-%d %H:%M:%S"), day),
        (moment.strftime("%Y-%m-%d"), day),
        (f"{prefix}{moment.day}{dotted} {month} {moment.year}", day),
        (f"{prefix}{moment.day}{dotted} {month} {moment.year}, {moment:%H:%M}", day),
        (f"{en_month} {moment.day}, {moment.year}", day),
        (f"{en_month[:3]} {moment.day}, {moment.year} {moment:%I:%M} {'am' if moment.hour < 12 else 'pm'}", day),
        (moment.strftime("%a, %d %b %Y %H:%M:%S %z"), day),  # RFC 2822, as in RSS
        (moment.strftime("%d/%m/%Y"), None),
        (moment.strftime("%d.%m.%Y"), None),
    ]
    return draw(st.sampled_from(forms))


@QUICK
@given(st.text(max_size=200))
def test_to_iso_date_of_any_text_is_none_or_schema_date(text: str) -> None:
    result = to_iso_date(text)
    assert result is None or DATE.fullmatch(result), result


@QUICK
@given(
    written_dates(),
    st.sampled_from([None, "Europe/Brussels", "UTC", "Not/AZone", ""]),
    st.sampled_from([None, ["en"], ["de", "en"], ["fr"], ["zz"]]),
)
def test_to_iso_date_of_written_dates(
    written: tuple[str, date | None], zone: str | None, languages: list[str] | None
) -> None:
    text, day = written
    result = to_iso_date(text, languages=languages, default_timezone=zone)
    assert result is None or DATE.fullmatch(result), result
    if day is not None and languages in (None, ["en"]):
        assert result is not None and result[:10] == day.isoformat(), (text, result)


@QUICK
@given(written_dates(), st.sampled_from(["zz", "la", "oc", "tlh", "jv"]))
def test_to_iso_date_survives_a_language_dateparser_lacks(written: tuple[str, date | None], code: str) -> None:
    text, _ = written
    assert to_iso_date(text, languages=[code, "en"]) == to_iso_date(text, languages=["en"]), text


@QUICK
@given(
    moments,
    st.sampled_from(["%a, %d %b %Y %H:%M:%S %z", "%d %B %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M:%S GMT"]),
    st.sampled_from([None, "Europe/Brussels", "America/New_York"]),
)
def test_to_iso_date_keeps_a_stated_offset(moment: datetime, form: str, zone: str | None) -> None:
    if form.endswith("GMT"):
        moment = moment.astimezone(timezone.utc)
    result = to_iso_date(moment.strftime(form), default_timezone=zone)
    assert result is not None and DATE.fullmatch(result), result
    parsed = datetime.fromisoformat(result)
    assert parsed.tzinfo is not None and parsed == moment, (moment.strftime(form), result)


@QUICK
@given(st.one_of(st.datetimes(), st.datetimes(timezones=st.timezones()), st.dates()))
def test_to_iso_date_of_date_objects(value: date) -> None:
    result = to_iso_date(value)
    assert result is None or DATE.fullmatch(result), result


# --- authors ----------------------------------------------------------------------------------------------

FIRST = ("Anna", "Marco", "Sofia", "Jan", "Claire", "Łukasz", "Zoë", "Søren", "José", "Aoife", "Mehmet", "Ngozi")
LAST = (
    "Keller",
    "Bellini",
    "Marques",
    "de Vries",
    "Dubois",
    "Nowak",
    "Müller",
    "García",
    "Papadopoulos",
    "O'Neill",
    "Kowalczyk",
    "Okafor",
)
names = st.builds(lambda f, last: f"{f} {last}", st.sampled_from(FIRST), st.sampled_from(LAST))


def _assert_clean(result: list[str]) -> None:
    assert isinstance(result, list)
    for name in result:
        assert isinstance(name, str) and name, result
        assert name == name.strip(), result
        assert not re.match(r"(?i)by\s", name), result
        assert "\n" not in name and "|" not in name, result
    assert len({n.casefold() for n in result}) == len(result), result


@QUICK
@given(st.one_of(st.none(), st.text(max_size=200), st.lists(st.text(max_size=60), max_size=5)))
def test_split_authors_of_anything_is_clean(raw: str | list[str] | None) -> None:
    _assert_clean(split_authors(raw))


@QUICK
@given(
    st.lists(names, min_size=1, max_size=3, unique=True),
    st.sampled_from(
        [
            "By {}",
            "by {}",
            "BY {}",
            "Posted by {} | March 5, 2024",
            "Written by: {}",
            "{}, Senior Reporter",
            "By {} | EU Reporter",
            "{}",
        ]
    ),
    st.sampled_from([" and ", ", ", " & "]),
)
def test_split_authors_of_bylines_finds_the_names(people: list[str], template: str, joiner: str) -> None:
    assume(len({p.casefold() for p in people}) == len(people))
    byline = template.format(joiner.join(people) if len(people) < 3 else ", ".join(people[:-1]) + " and " + people[-1])
    result = split_authors(byline)
    _assert_clean(result)
    assert result == people, byline


# --- URLs -------------------------------------------------------------------------------------------------

segments = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.~%é", min_size=1, max_size=12)
urls = st.builds(
    lambda scheme, www, host, port, path, query, fragment: (
        f"{scheme}://{www}{host}{port}/{'/'.join(path)}"
        f"{'?' + '&'.join(f'{k}={v}' for k, v in query) if query else ''}{'#' + fragment if fragment else ''}"
    ),
    st.sampled_from(["http", "https", "HTTP", "Https"]),
    st.sampled_from(["", "www.", "WWW."]),
    st.from_regex(r"[a-zA-Z][a-zA-Z0-9-]{0,10}\.(com|eu|co\.uk|org)", fullmatch=True),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(segments, max_size=4),
    st.lists(
        st.tuples(
            st.sampled_from(["utm_source", "id", "page", "fbclid", "q", "amp", "a b"]),
            st.text(alphabet="abc123 &=%+", max_size=6),
        ),
        max_size=3,
    ),
    st.text(alphabet="abc123", max_size=5),
)


@QUICK
@given(urls)
def test_canonicalize_url_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@QUICK
@given(
    st.one_of(
        st.text(max_size=80),
        urls.map(lambda u: u.replace("://", "://[", 1)),
        urls.map(lambda u: re.sub(r"(\.\w+)/", r"\1:99999/", u, count=1)),
    )
)
def test_canonicalize_url_of_any_text_never_raises_and_is_idempotent(text: str) -> None:
    once = canonicalize_url(text)
    assert canonicalize_url(once) == once


# --- extraction -------------------------------------------------------------------------------------------

TAGS = (
    "div",
    "p",
    "span",
    "article",
    "section",
    "h1",
    "h2",
    "a",
    "ul",
    "li",
    "table",
    "td",
    "script",
    "style",
    "time",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "figure",
    "blockquote",
    "br",
    "img",
    "meta",
    "link",
)
attrs = st.dictionaries(
    st.sampled_from(["class", "id", "href", "rel", "itemprop", "datetime", "content", "property", "style", "lang"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"<>&\x00'), max_size=30),
    max_size=3,
)


def _render(tag: str, attributes: dict[str, str], children: list[str]) -> str:
    rendered = "".join(f' {k}="{v}"' for k, v in attributes.items())
    return f"<{tag}{rendered}>{''.join(children)}</{tag}>"


fragments = st.recursive(
    st.text(max_size=80),
    lambda inner: st.builds(_render, st.sampled_from(TAGS), attrs, st.lists(inner, max_size=5)),
    max_leaves=40,
)


def _check(html: str | bytes, url: str = "https://www.eureporter.co/politics/some-story/") -> None:
    result = extract_article(html, url, PROFILE, with_links=True)
    if result.record is not None:
        assert validation_errors(result.record) == [], result.record


@QUICK
@given(fragments, st.booleans())
def test_extract_article_of_random_html_never_raises(fragment: str, wrap: bool) -> None:
    _check(f"<!DOCTYPE html><html><head><title>t</title></head><body>{fragment}</body></html>" if wrap else fragment)


@QUICK
@given(st.binary(max_size=2000))
def test_extract_article_of_random_bytes_never_raises(data: bytes) -> None:
    _check(data)


@lru_cache(maxsize=1)
def _articles() -> tuple[tuple[str, bytes], ...]:
    return tuple((g.expected["url"], g.html_path.read_bytes()) for g in golden_files("eureporter_holdout"))


article_index = st.integers(min_value=0, max_value=5)


@PAGES
@given(article_index, st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=30))
def test_extract_article_after_deleting_elements(index: int, picks: list[float]) -> None:
    url, page = _articles()[index % len(_articles())]
    tree = lxml_html.fromstring(page)
    for pick in picks:
        elements = [e for e in tree.iter() if e.getparent() is not None]
        if not elements:
            break
        victim = elements[int(pick * (len(elements) - 1))]
        victim.drop_tree()
    _check(lxml_html.tostring(tree), url)


@PAGES
@given(article_index, st.floats(min_value=0, max_value=1))
def test_extract_article_of_truncated_page(index: int, fraction: float) -> None:
    url, page = _articles()[index % len(_articles())]
    _check(page[: int(len(page) * fraction)], url)


@PAGES
@given(
    article_index,
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=1), st.binary(min_size=1, max_size=40)), min_size=1, max_size=10
    ),
)
def test_extract_article_with_garbage_bytes_injected(index: int, injections: list[tuple[float, bytes]]) -> None:
    url, page = _articles()[index % len(_articles())]
    for where, garbage in injections:
        at = int(len(page) * where)
        page = page[:at] + garbage + page[at:]
    _check(page, url)


@PAGES
@given(article_index, st.integers(min_value=1, max_value=3000), st.sampled_from(["div", "span", "b", "article"]))
def test_extract_article_of_deeply_nested_page(index: int, depth: int, tag: str) -> None:
    url, page = _articles()[index % len(_articles())]
    start = page.index(b"<article")
    end = page.index(b"</article>") + len(b"</article>")
    nested = f"<{tag}>".encode() * depth + page[start:end] + f"</{tag}>".encode() * depth
    _check(page[:start] + nested + page[end:], url)


def test_fixture_articles_are_available() -> None:
    assert len(_articles()) == 6
    assert all(Path(g.html_path).is_file() for g in golden_files("eureporter_holdout"))


# --- validation -----------------------------------------------------------------------------------------------

VALID_RECORD = {
    "url": "https://www.eureporter.co/politics/2022/09/06/a-story/",
    "canonical_url": "https://www.eureporter.co/politics/2022/09/06/a-story/",
    "site": "eureporter",
    "headline": "A story",
    "body": "One paragraph.",
    "authors": ["Ion Rusu"],
    "published": "2022-09-06T09:12:40+00:00",
    "modified": None,
    "language": "en",
    "description": None,
    "section": None,
    "tags": [],
    "image": None,
    "paywalled": None,
    "word_count": 2,
    "content_hash": "sha256:" + "0" * 64,
    "fetched_at": "2026-11-27T02:00:00+00:00",
    "schema_version": 2,
    "version": 1,
    "previous_content_hash": None,
}
field_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.floats(allow_nan=False),
    st.sampled_from(["", "en", "EN", "2022-09-06", "2022-09-06T09:12", "yesterday", "https://x.org/", "sha256:0"]),
    st.text(max_size=12),
    st.lists(st.one_of(st.text(max_size=5), st.none(), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@QUICK
@given(
    st.dictionaries(st.sampled_from([*VALID_RECORD, "extra"]), field_values, max_size=4),
    st.sets(st.sampled_from(list(VALID_RECORD)), max_size=2),
)
def test_compiled_validation_agrees_with_jsonschema(changes: dict[str, object], removed: set[str]) -> None:
    """The fast compiled check never lets through a record that the reference validator rejects, or vice versa."""
    from jsonschema import Draft202012Validator

    record = {key: value for key, value in {**VALID_RECORD, **changes}.items() if key not in removed}
    reference_valid = Draft202012Validator(schema()).is_valid(record)
    errors = validation_errors(record)
    assert (errors == []) == reference_valid, (record, errors)
    assert all(isinstance(error, str) and error for error in errors)


def test_extract_article_survives_tag_names_lxml_refuses() -> None:
    """Old pages leak script text into markup: `<tipobj.offsetwidth)>` parses, but no new element may have that tag."""
    prose = " ".join(["The council voted on the plan after a long debate about costs and benefits."] * 6)
    html = (
        "<html><head><title>Council backs plan</title></head><body><h1>Council backs plan</h1>"
        f'<tipobj.offsetwidth) class="x"><div class="story"><p>{prose}</p><p>{prose}</p><p>{prose}</p></div>'
        "</tipobj.offsetwidth)></body></html>"
    )
    result = extract_article(html, "https://example.org/news/council-backs-plan", None)
    assert result.record is not None, result.reason
    assert "long debate" in result.record["body"]
