"""Golden tests: every saved article page of every fixture mirror extracts to its hand-written expected JSON."""

from __future__ import annotations

import pytest
from conftest import LIVE_ROOT, MIRRORS, Golden, golden_files, mirror_site, non_article_paths, page_file

from newsspider.extract import extract_article
from newsspider.sites import get_profile

GOLDENS = [g for mirror in MIRRORS for g in golden_files(mirror)]
FIELDS = (
    "url",
    "canonical_url",
    "site",
    "headline",
    "body",
    "authors",
    "published",
    "modified",
    "language",
    "description",
    "section",
    "tags",
    "image",
    "paywalled",
)


@pytest.mark.parametrize("golden", GOLDENS, ids=[f"{g.mirror}/{g.name}" for g in GOLDENS])
def test_article_page_extracts_to_its_golden_record(golden: Golden) -> None:
    result = extract_article(golden.html_path.read_bytes(), golden.expected["url"], get_profile("eureporter"))
    assert result.record is not None, result.reason
    got = {field: result.record[field] for field in FIELDS}
    expected = {field: golden.expected.get(field) for field in FIELDS}  # a field a golden omits is null
    assert got == expected


NON_ARTICLES = [(m, p) for m in MIRRORS for p in non_article_paths(m)]


@pytest.mark.parametrize(("mirror", "path"), NON_ARTICLES, ids=[f"{m}{p}" for m, p in NON_ARTICLES])
def test_non_article_page_gives_no_record(mirror: str, path: str) -> None:
    html_path = page_file(mirror_site(mirror), LIVE_ROOT + path)
    result = extract_article(html_path.read_bytes(), LIVE_ROOT + path, get_profile("eureporter"))
    assert result.record is None
    assert result.reason and result.reason.startswith("not-article")


def test_every_mirror_has_goldens() -> None:
    assert MIRRORS, "no fixture mirrors found"
    for mirror in MIRRORS:
        assert golden_files(mirror), f"{mirror} has no golden files"


def test_undeclared_language_is_detected_from_the_body() -> None:
    golden = GOLDENS[0]
    html = golden.html_path.read_text(encoding="utf-8")
    html = html.replace(' lang="en-US"', "").replace(' lang="en-GB"', "").replace(' lang="en"', "")
    html = html.replace('"inLanguage"', '"_inLanguage"').replace("og:locale", "og:_locale")
    result = extract_article(html, golden.expected["url"], get_profile("eureporter"))
    assert result.record is not None
    assert result.record["language"] == "en"
