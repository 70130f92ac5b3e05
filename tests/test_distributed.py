"""Two real `scrapy crawl news -a site=NAME` workers (a TOML profile) sharing one Redis: together they emit every
article of a site exactly once, with keys per site."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import REPO, CrawlRun, run_crawl
from services import redis_server

from newsspider.mirror import MirrorServer
from newsspider.normalize import dedupe_key

ARTICLES = 60
WORKERS = 2
pytestmark = pytest.mark.crawl
SITE = "brussels"
#: The generated site's pages and sitemaps link to EU Reporter's live host: the profile names it (a mirror crawl).
PROFILE = 'url = "https://www.eureporter.co/"\nsite_name = "EU Reporter"\ndomains = ["eureporter.co"]\n'


def _sitegen() -> ModuleType:
    # benchmarks/ is not an installed package: load the generator from its file.
    path = REPO / "benchmarks" / "sitegen.py"
    spec = importlib.util.spec_from_file_location("sitegen", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("sitegen", module)
    spec.loader.exec_module(module)
    return module


@dataclass
class DistributedCrawl:
    site: Any  # sitegen.GeneratedSite (benchmarks/ is not a package)
    runs: list[CrawlRun]
    state_dirs: list[Path]
    requests: Counter[str]
    redis_keys: set[str]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> DistributedCrawl:
    import redis

    tmp = tmp_path_factory.mktemp("distributed")
    # Every article is linked twice, with and without its trailing slash: two URLs that request
    # de-duplication keeps apart, so two workers can both fetch one article; only a claim keeps one record.
    site = _sitegen().generate_site(tmp / "site", ARTICLES, seed=6, aliases=True)
    (tmp / "sites").mkdir()
    (tmp / "sites" / f"{SITE}.toml").write_text(PROFILE, encoding="utf-8")
    profile = ("-a", f"site={SITE}", "-s", f"NEWSSPIDER_SITES_DIR={tmp / 'sites'}")
    with redis_server(tmp / "redis") as server:
        mirror = MirrorServer(site.root)
        mirror.start_in_background()
        try:
            state_dirs = [tmp / f"worker{n}" / "state" for n in range(WORKERS)]
            with ThreadPoolExecutor(WORKERS) as pool:
                futures = [
                    pool.submit(
                        run_crawl,
                        mirror.url + "/",
                        tmp / f"worker{n}" / "output",
                        state_dirs[n],
                        "-s",
                        f"REDIS_URL={server.url}",
                        *profile,
                        spider="news",
                        site=SITE,
                        timeout=240,
                    )
                    for n in range(WORKERS)
                ]
                runs = [future.result() for future in futures]
        finally:
            mirror.shutdown()
            mirror.server_close()
        client = redis.Redis.from_url(server.url, decode_responses=True)
        keys = set(client.scan_iter("*"))
        client.close()
    return DistributedCrawl(site, runs, state_dirs, mirror.requests, keys)


def _summary(run: CrawlRun) -> dict:
    summaries = run.summaries()
    assert len(summaries) == 1, run.stderr[-3000:]
    return summaries[0]


def test_workers_finish_and_every_article_is_reached(crawl: DistributedCrawl) -> None:
    for run in crawl.runs:
        assert "newsspider.crawl.distributed.SharedScheduler" in run.stderr
        summary = _summary(run)
        # A worker that found the shared frontier already drained fetched nothing: not an error of the crawl.
        assert run.returncode == 0 or (run.returncode == 3 and summary["pages_fetched"] == 0), run.stderr[-3000:]
        assert summary["errors"] == {}
        assert summary["rejects"] == 0
    emitted = {dedupe_key(r["canonical_url"]) for run in crawl.runs for r in run.records()}
    assert emitted == {dedupe_key(a.url) for a in crawl.site.articles}


def test_union_has_every_article_exactly_once(crawl: DistributedCrawl) -> None:
    counts = Counter(dedupe_key(r["canonical_url"]) for run in crawl.runs for r in run.records())
    duplicates = {key: n for key, n in counts.items() if n > 1}
    assert not duplicates, f"emitted by more than one worker (or twice): {duplicates}"
    assert set(counts) == {dedupe_key(a.url) for a in crawl.site.articles}


def test_no_url_is_fetched_twice_across_workers(crawl: DistributedCrawl) -> None:
    """The frontier is shared: each page URL is requested once in all (robots.txt once per worker)."""
    repeated = {path: n for path, n in crawl.requests.items() if n > 1 and path != "/robots.txt"}
    assert not repeated
    unfetched = [
        a.url
        for a in crawl.site.articles
        if not {urlsplit(a.url).path, urlsplit(a.url).path.rstrip("/")} & set(crawl.requests)
    ]
    assert not unfetched


def test_state_is_shared_and_the_frontier_is_cleared(crawl: DistributedCrawl) -> None:
    """What was emitted is in Redis (for the next run of any worker); the last worker out cleared the frontier."""
    assert not [k for k in crawl.redis_keys if k.endswith((":requests", ":dupefilter", ":requests:workers"))]
    assert f"newsspider:{SITE}:emitted" in crawl.redis_keys  # the site's own keys
    assert not any((d / f"{SITE}.sqlite3").exists() for d in crawl.state_dirs)  # the state is Redis's
    article_keys = [k for k in crawl.redis_keys if k.startswith(f"newsspider:{SITE}:article:")]
    assert len(article_keys) == ARTICLES
    written = sum(_summary(run)["articles"]["written"] for run in crawl.runs)
    assert written == ARTICLES
