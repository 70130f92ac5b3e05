"""End to end: the real `scrapy crawl eureporter` against a local server of each fixture mirror (side by side)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import MIRRORS, CrawlRun, golden_files, mirror_site, non_article_paths, run_concurrently, run_crawl

from newsspider.mirror import MirrorServer

pytestmark = pytest.mark.crawl


def _crawl_mirror(mirror: str, tmp_path: Path) -> tuple[CrawlRun, Counter[str]]:
    server = MirrorServer(mirror_site(mirror))
    server.start_in_background()
    try:
        run = run_crawl(server.url + "/", tmp_path / "output", tmp_path / "state", "-s", "NEWSSPIDER_EXTRACT_WORKERS=0")
    finally:
        server.shutdown()
        server.server_close()
    return run, server.requests


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[CrawlRun, Counter[str]]]:
    """Every mirror crawled once, the crawls side by side; with the requests its server answered."""
    folders = {m: tmp_path_factory.mktemp(f"crawl-{m}") for m in MIRRORS}  # mktemp is not thread-safe
    jobs = {m: (lambda m=m: _crawl_mirror(m, folders[m])) for m in MIRRORS}
    return run_concurrently(jobs)


@pytest.fixture(params=MIRRORS)
def crawl(request: pytest.FixtureRequest, crawls: dict[str, tuple[CrawlRun, Counter[str]]]) -> tuple[str, CrawlRun]:
    return request.param, crawls[request.param][0]


def test_crawl_emits_every_article_exactly_once_and_correct(crawl: tuple[str, CrawlRun]) -> None:
    mirror, run = crawl
    assert run.returncode == 0, run.stderr[-3000:]
    records = run.records()
    goldens = {g.expected["canonical_url"]: g.expected for g in golden_files(mirror)}
    counts = Counter(r["canonical_url"] for r in records)
    assert dict(counts) == dict.fromkeys(goldens, 1)
    for record in records:
        expected = goldens[record["canonical_url"]]
        assert record["headline"] == expected["headline"]
        assert record["authors"] == expected["authors"]
        assert (record["published"] or "")[:10] == (expected["published"] or "")[:10]
        assert record["body"] == expected["body"]


def test_crawl_emits_no_non_article_page(crawl: tuple[str, CrawlRun]) -> None:
    mirror, run = crawl
    emitted_paths = {urlsplit(r["url"]).path for r in run.records()}
    assert emitted_paths.isdisjoint(non_article_paths(mirror))


def test_crawl_leaves_only_finished_files_and_a_summary(crawl: tuple[str, CrawlRun]) -> None:
    _, run = crawl
    files = list((run.output_dir / "eureporter").iterdir())
    assert not [f for f in files if f.name.endswith(".part")]
    summaries = run.summaries()
    assert len(summaries) == 1
    assert summaries[0]["exit_code"] == 0
    assert summaries[0]["articles"]["written"] == len(run.records())


def test_pages_the_mirror_lacks_are_broken_links_not_crawl_errors(crawl: tuple[str, CrawlRun]) -> None:
    _, run = crawl
    summary = run.summaries()[0]
    assert summary["errors"] == {}
    assert summary["error_ratio"] == 0


def test_no_page_is_fetched_twice(
    crawl: tuple[str, CrawlRun], crawls: dict[str, tuple[CrawlRun, Counter[str]]]
) -> None:
    """Entry points, sitemap entries and links to the same page make one request, not one each."""
    mirror, run = crawl
    assert run.returncode == 0, run.stderr[-3000:]
    # robots.txt is the exception, as with Scrapy's SitemapSpider: the robots.txt middleware reads its rules and the
    # spider reads its Sitemap lines, each with its own request.
    twice = {path: count for path, count in crawls[mirror][1].items() if count > 1 and path != "/robots.txt"}
    assert not twice, twice
