"""Unit tests of the normalize stage: text, authors, dates and URLs."""

from __future__ import annotations

import pytest

from newsspider.normalize import (
    canonicalize_url,
    clean_text,
    content_hash,
    dedupe_key,
    join_paragraphs,
    split_authors,
    strip_site_name,
    to_iso_date,
)


def test_clean_text_decodes_entities_and_collapses_whitespace() -> None:
    assert clean_text("  Caf&eacute;\u00a0 au\n\tlait&amp;co ") == "Café au lait&co"


def test_clean_text_removes_control_characters_and_applies_nfc() -> None:
    assert clean_text("Cafe\u0301\x00\x1b ok\u200b") == "Café ok"


def test_clean_text_repairs_utf8_read_as_cp1252() -> None:
    assert clean_text("It\u00e2\u20ac\u2122s Br\u00c3\u00bcssel") == "It’s Brüssel"


def test_join_paragraphs_uses_one_blank_line_and_drops_empty_ones() -> None:
    assert join_paragraphs([" One  two ", "", "\n", "Three"]) == "One two\n\nThree"


def test_content_hash_is_stable_and_prefixed() -> None:
    assert content_hash("a") == content_hash("a")
    assert content_hash("a") != content_hash("b")
    assert content_hash("a").startswith("sha256:")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("US says Russia is buying rockets - EU Reporter", "US says Russia is buying rockets"),
        ("US says Russia is buying rockets | EU Reporter", "US says Russia is buying rockets"),
        ("US says Russia is buying rockets – EU Reporter", "US says Russia is buying rockets"),
        ("EU Reporter: Summit ends", "Summit ends"),
        ("Ceasefire talks - day two", "Ceasefire talks - day two"),
    ],
)
def test_strip_site_name(title: str, expected: str) -> None:
    assert strip_site_name(title, ["EU Reporter"]) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Ion Rusu and Claire Dubois", ["Ion Rusu", "Claire Dubois"]),
        ("Posted by Maria Kowalska | September 6, 2022", ["Maria Kowalska"]),
        ("By A. Smith, B. Jones & C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
        ("Written by Jane Doe, Senior Correspondent", ["Jane Doe"]),
        ("By John Roe | Reuters", ["John Roe"]),
        ("By Reuters", ["Reuters"]),
        ("By Jane Doe (jane@paper.com)", ["Jane Doe"]),
        ("By Jane Doe @janedoe", ["Jane Doe"]),
        (["Jane Doe", "jane doe", "John Roe"], ["Jane Doe", "John Roe"]),
        ("EU Reporter", ["EU Reporter"]),
        ("", []),
    ],
)
def test_split_authors(byline: str | list[str], expected: list[str]) -> None:
    assert split_authors(byline) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-09-06T09:12:40+00:00", "2022-09-06T09:12:40+00:00"),
        ("2022-09-06T09:12:40Z", "2022-09-06T09:12:40+00:00"),
        ("2023-03-14T16:05:00+0100", "2023-03-14T16:05:00+01:00"),
        ("2022-09-06", "2022-09-06"),
        ("September 6, 2022", "2022-09-06"),
        ("12 January 2023", "2023-01-12"),
        ("6. September 2022", "2022-09-06"),
        ("not a date", None),
        ("1850-01-01", None),
    ],
)
def test_to_iso_date(value: str, expected: str | None) -> None:
    assert to_iso_date(value) == expected


def test_to_iso_date_reads_other_languages() -> None:
    assert to_iso_date("12 janvier 2023", languages=["fr"]) == "2023-01-12"
    assert to_iso_date("3 de marzo de 2024", languages=["es"]) == "2024-03-03"


def test_to_iso_date_keeps_time_and_applies_profile_timezone_when_none_given() -> None:
    assert to_iso_date("September 6, 2022 10:30", default_timezone="Europe/Brussels") == "2022-09-06T10:30:00+02:00"


def test_canonicalize_url_drops_tracking_fragment_and_default_port() -> None:
    assert (
        canonicalize_url("HTTPS://WWW.Example.org:443/a/b/?utm_source=rss&id=3&fbclid=x#comments")
        == "https://www.example.org/a/b/?id=3"
    )


def test_canonicalize_url_resolves_relative_links() -> None:
    assert canonicalize_url("/x/", base="http://127.0.0.1:8000/a/") == "http://127.0.0.1:8000/x/"


@pytest.mark.parametrize(
    "variant",
    [
        "http://eureporter.co/2022/09/06/slug",
        "https://www.eureporter.co/2022/09/06/slug/amp/",
        "https://www.eureporter.co/2022/09/06/slug/?amp=1",
        "https://www.eureporter.co/2022/09/06/slug/?utm_medium=rss#x",
    ],
)
def test_dedupe_key_treats_url_variants_as_one_article(variant: str) -> None:
    assert dedupe_key(variant) == dedupe_key("https://www.eureporter.co/2022/09/06/slug/")


def test_dotted_numeric_dates_are_day_first() -> None:
    assert to_iso_date("06.09.2022") == "2022-09-06"


def test_rfc_2822_dates_keep_their_offset() -> None:
    assert (
        to_iso_date("Tue, 06 Sep 2022 23:30:00 GMT", default_timezone="Europe/Brussels") == "2022-09-06T23:30:00+00:00"
    )
