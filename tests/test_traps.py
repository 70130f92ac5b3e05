"""Crawler traps beside good articles (issue 10): a link farm, one page with 100,000 links, ?offset=N for ever,
endless facets, a calendar into the future, paths in circles. The default limits end each; each limit reached is
counted in the stats (newsspider/limits/<name>), and the run exits 0 with every good article emitted once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CrawlRun, run_crawl
from newssites import SiteServer
from newssites_catalog import hostile_en

pytestmark = pytest.mark.crawl


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlRun, Counter[str], set[str]]:
    folder: Path = tmp_path_factory.mktemp("hostile")
    site = hostile_en()
    server = SiteServer(site).start()
    try:
        run = run_crawl(
            server.url + "/", folder / "output", folder / "state", "-s", "NEWSSPIDER_EXTRACT_WORKERS=0",
            spider="news", site="127.0.0.1", timeout=240,
        )  # fmt: skip
    finally:
        server.stop()
    return run, server.requests, {story.path for story in site.stories}


def test_the_run_ends_by_itself_with_exit_0(hostile: tuple[CrawlRun, Counter[str], set[str]]) -> None:
    run, _, _ = hostile
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.summary()["exit_code"] == 0


def test_every_good_article_is_emitted_once(hostile: tuple[CrawlRun, Counter[str], set[str]]) -> None:
    run, _, good = hostile
    counts = Counter(urlsplit(r["url"]).path for r in run.records("127.0.0.1"))
    assert {path: counts[path] for path in good} == dict.fromkeys(good, 1)


def test_requests_stay_bounded(hostile: tuple[CrawlRun, Counter[str], set[str]]) -> None:
    _, requests, _ = hostile
    assert sum(requests.values()) < 600
    assert max(requests.values()) <= 2  # robots.txt: the middleware's and the spider's


@pytest.mark.parametrize(
    ("trap", "prefix", "limit", "most"),
    [
        ("link farm", "/related/", "depth", 3 + 9 + 27),
        ("page with 100,000 links", "/entry/", "links_per_page", 50 + 20),
        ("?offset=N for ever", "/news?offset=", "listing_pages", 50 + 20),
        ("endless facets", "/shop?", "listing_pages", 50 + 20),
        ("calendar into the future", "/events/", "traps", 60),
        ("paths in circles", "/a/", "traps", 30),
    ],
)
def test_each_trap_ends_at_a_counted_limit(
    hostile: tuple[CrawlRun, Counter[str], set[str]], trap: str, prefix: str, limit: str, most: int
) -> None:
    run, requests, _ = hostile
    fetched = sum(n for path, n in requests.items() if path.startswith(prefix))
    assert 0 < fetched <= most, (trap, fetched)
    assert run.stats()[f"newsspider/limits/{limit}"] > 0, trap


def test_a_big_sitemap_index_is_read_as_the_crawl_takes_it(tmp_path: Path) -> None:
    """6,000 URLs in three sitemaps, with at most 100 waiting in memory; the run ends at its request budget."""
    from newssites_catalog import big_sitemap_en

    server = SiteServer(big_sitemap_en()).start()
    limits = ("-s", "NEWSSPIDER_MAX_SITEMAP_URLS=100", "-s", "NEWSSPIDER_MAX_REQUESTS=400")
    try:
        run = run_crawl(
            server.url + "/", tmp_path / "output", tmp_path / "state", "-s", "NEWSSPIDER_EXTRACT_WORKERS=0", *limits,
            spider="news", site="127.0.0.1", timeout=240,
        )  # fmt: skip
    finally:
        server.stop()
    assert run.returncode == 0, run.stderr[-3000:]
    stats = run.stats()
    assert stats["newsspider/discovery/requests_waiting_max"] <= 100
    assert stats["newsspider/limits/sitemap_urls"] > 0 and stats["newsspider/limits/requests"] > 0
    assert len(run.records("127.0.0.1")) > 300
