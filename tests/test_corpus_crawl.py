"""`scrapy crawl news -a url=ROOT` on the blind news-site corpus (tests/fixtures/sites/): sites it has never seen, in
many CMS shapes and five languages. The crawl side is checked here: every article found and emitted once (a
duplicate URL never makes a second record), every trap ended by a default limit, exit 0. How right each record is
(fields, no page that is not an article) is extraction's: `python benchmarks/corpus_crawl.py` prints those figures.

NEWSSPIDER_SITES_DIRS=/path/to/corpus (a list, like PATH) crawls other corpora in the same format too.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import CrawlRun, run_concurrently, run_crawl
from sites_server import SITES, SitesServer

pytestmark = pytest.mark.crawl

#: Hostile sites whose point is the robots.txt gate or Retry-After (the safety stage's), or a huge sitemap
#: (25 s; the same trap, smaller, is test_traps.py's): crawled elsewhere.
ELSEWHERE = {"hostile-robots-disallow", "hostile-robots-500", "hostile-retry-after", "hostile-bigsitemap"}
#: Pages a site may ask for at most in one crawl of it, traps included (the default limits bound them).
MOST_REQUESTS = 400


def corpus_sites() -> list[Path]:
    folders = [SITES, *(Path(p) for p in os.environ.get("NEWSSPIDER_SITES_DIRS", "").split(os.pathsep) if p)]
    return [
        site
        for folder in folders
        for site in sorted(folder.iterdir())
        if (site / "site").is_dir() and site.name not in ELSEWHERE
    ]


SITE_DIRS = {site.name: site for site in corpus_sites()}


@dataclass
class CorpusCrawl:
    run: CrawlRun
    requests: Counter[str]
    articles: set[str]
    duplicates: dict[str, str]


def expected(site: Path) -> tuple[set[str], dict[str, str]]:
    folder = site / "expected"
    articles = {
        json.loads(path.read_text(encoding="utf-8"))["url"]
        for path in folder.glob("*.json")
        if path.name not in {"non_articles.json", "duplicates.json"}
    }
    duplicates = folder / "duplicates.json"
    return articles, json.loads(duplicates.read_text(encoding="utf-8")) if duplicates.exists() else {}


def crawl(site: Path, folder: Path) -> CorpusCrawl:
    server = SitesServer(site, rewrite_live=True)
    server.start_in_background()
    try:
        run = run_crawl(
            server.url + "/", folder / "output", folder / "state", "-s", "NEWSSPIDER_EXTRACT_WORKERS=0",
            spider="news", site="127.0.0.1", timeout=240,
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    return CorpusCrawl(run, server.requests_by_url, *expected(site))


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CorpusCrawl]:
    folders = {name: tmp_path_factory.mktemp(name) for name in SITE_DIRS}
    return run_concurrently({name: (lambda name=name: crawl(SITE_DIRS[name], folders[name])) for name in SITE_DIRS})


@pytest.fixture(params=sorted(SITE_DIRS))
def result(request: pytest.FixtureRequest, crawls: dict[str, CorpusCrawl]) -> CorpusCrawl:
    return crawls[request.param]


def _path(record: dict) -> str:
    parts = urlsplit(record["url"])
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


def test_the_crawl_ends_by_itself_with_exit_0(result: CorpusCrawl) -> None:
    assert result.run.returncode == 0, result.run.stderr[-3000:]
    assert result.run.summary()["exit_code"] == 0


def test_every_article_is_found_and_emitted_once(result: CorpusCrawl) -> None:
    emitted = Counter(result.duplicates.get(_path(r), _path(r)) for r in result.run.records("127.0.0.1"))
    assert {url: emitted[url] for url in result.articles} == dict.fromkeys(result.articles, 1)


def test_no_article_is_emitted_twice(result: CorpusCrawl) -> None:
    records = result.run.records("127.0.0.1")
    assert len({r["canonical_url"] for r in records}) == len(records)


def test_traps_end_at_the_default_limits(result: CorpusCrawl) -> None:
    assert sum(result.requests.values()) <= MOST_REQUESTS, result.run.stats()
    twice = {url: n for url, n in result.requests.items() if n > 1 and url != "/robots.txt"}
    assert not twice


# --- each site found through what it publishes ---------------------------------------------------------------


def test_a_sitemap_robots_txt_does_not_name_is_found_at_its_usual_place(crawls: dict[str, CorpusCrawl]) -> None:
    result = crawls["drupal-dales"]
    assert result.requests["/sitemap.xml"] == 1
    assert "/node/19" in {_path(r) for r in result.run.records("127.0.0.1")}  # on no page: only in the sitemap


def test_a_feed_announced_only_in_the_head_is_read(crawls: dict[str, CorpusCrawl]) -> None:
    result = crawls["atom-lefil"]
    assert result.requests["/flux/atom.xml"] == 1
    assert result.run.stats()["newsspider/discovery/announced_feeds"] >= 1


def test_a_sitemap_index_from_robots_txt_leads_to_its_sitemaps(crawls: dict[str, CorpusCrawl]) -> None:
    result = crawls["ghost-zeitpunkt"]
    assert all(result.requests[p] == 1 for p in ("/sitemap.xml", "/sitemap-posts.xml"))
    assert not any(result.requests[p] for p in ("/sitemap_index.xml", "/wp-sitemap.xml"))  # robots named one


def test_section_listings_alone_find_every_article(crawls: dict[str, CorpusCrawl]) -> None:
    result = crawls["listings-rundschau"]
    assert result.run.stats().get("newsspider/discovery/sitemaps", 0) == 0
    assert result.run.stats()["newsspider/limits/listing_pages"] > 0  # its endless calendar and ?page=N
