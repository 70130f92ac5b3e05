"""`scrapy crawl news` with a TOML profile where the generic rules need help (CSS/XPath selectors, a mirror of a live
site, files per site) and with `since`, on generated sites (the blind corpus is test_corpus_crawl.py's)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import CrawlRun, run_concurrently, run_crawl
from newssites import Site, SiteServer
from newssites_catalog import SITES, bind, story_by_path

pytestmark = pytest.mark.crawl

#: A `news -a url=http://127.0.0.1:PORT/` crawl is named after the host.
HOST_SITE = "127.0.0.1"
INLINE = ("-s", "NEWSSPIDER_EXTRACT_WORKERS=0")
#: What the generic extraction gets wrong on two shapes (a single 'Submitted by NAME on <date>' author, a section
#: kicker kept as the first paragraph), fixed by a profile's selectors (the escape hatch); crawled as mirrors.
PROFILES = {
    "drupal-de": 'url = "https://www.stadtanzeiger.example/"\nsite_name = "Stadtanzeiger"\n'
    '[selectors]\nauthors = ".node__submitted .username"\n',
    "gazette-es": 'url = "https://www.lagaceta.example/"\nsite_name = "La Gaceta"\nsince = "2024-04-20"\n'
    '[selectors]\nremove = [".kicker"]\n',
}


@dataclass
class SiteCrawl:
    site: Site
    run: CrawlRun
    requests: Counter[str]


def crawl(make: str, folder: Path, *extra: str, profile: str | None = None) -> SiteCrawl:
    site = SITES[make]()
    server = SiteServer(site).start()
    bind(site, server.url)
    if profile is not None:
        (folder / "sites").mkdir(parents=True)
        (folder / "sites" / f"{make}.toml").write_text(PROFILES[make], encoding="utf-8")
        extra = ("-a", f"site={make}", "-s", f"NEWSSPIDER_SITES_DIR={folder / 'sites'}", *extra)
    try:
        run = run_crawl(
            server.url + "/", folder / "output", folder / "state", *INLINE, *extra, spider="news",
            site=make if profile else HOST_SITE, timeout=240,
        )  # fmt: skip
    finally:
        server.stop()
    return SiteCrawl(site, run, server.requests)


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SiteCrawl]:
    jobs = {f"{name}+profile": (name, ("profile",)) for name in PROFILES}
    jobs["sections-it+since"] = ("sections-it", ("-a", "since=2024-04-20"))
    folders = {key: tmp_path_factory.mktemp(key) for key in jobs}

    def job(key: str) -> SiteCrawl:
        make, extra = jobs[key]
        if extra == ("profile",):
            return crawl(make, folders[key], profile=make)
        return crawl(make, folders[key], *extra)

    return run_concurrently({key: (lambda key=key: job(key)) for key in jobs})


def _path(record: dict) -> str:
    return unquote(urlsplit(record["url"]).path)


# --- profiles: selectors, per-site files, since -----------------------------------------------------------------


def test_a_profile_selector_fixes_what_the_generic_rules_miss(crawls: dict[str, SiteCrawl]) -> None:
    drupal = crawls["drupal-de+profile"]
    stories = story_by_path(drupal.site)
    assert drupal.run.returncode == 0, drupal.run.stderr[-3000:]
    assert sorted((_path(r), r["authors"]) for r in drupal.run.records()) == sorted(
        (s.path, list(s.authors)) for s in stories.values()
    )
    gazette = crawls["gazette-es+profile"]
    for record in gazette.run.records():
        assert record["body"].split("\n\n")[0] == story_by_path(gazette.site)[_path(record)].paragraphs[0]


def test_a_profile_crawl_of_a_mirror_gives_records_their_live_address(crawls: dict[str, SiteCrawl]) -> None:
    drupal = crawls["drupal-de+profile"]
    assert {urlsplit(r["canonical_url"]).netloc for r in drupal.run.records()} == {"www.stadtanzeiger.example"}
    assert {r["site"] for r in drupal.run.records()} == {"drupal-de"}


def test_output_state_and_lock_are_named_after_the_site(crawls: dict[str, SiteCrawl]) -> None:
    run = crawls["drupal-de+profile"].run
    state = run.output_dir.parent / "state"
    assert sorted(p.name for p in state.iterdir()) == ["drupal-de.lock", "drupal-de.sqlite3"]
    assert [p.name for p in run.output_dir.iterdir()] == ["drupal-de"]


def test_since_in_a_profile_skips_older_sitemap_entries_and_articles(crawls: dict[str, SiteCrawl]) -> None:
    result = crawls["gazette-es+profile"]
    newer = {s.path for s in result.site.stories if s.day >= "2024-04-20"}
    assert {_path(r) for r in result.run.records()} == newer
    older = [s.path for s in result.site.stories if s.day < "2024-04-20"]
    assert result.run.stats()["newsspider/since/sitemap_entries_skipped"] == len(older)
    # Those a page links to are only known to be older once fetched: then they are not emitted.
    fetched_older = sum(1 for p in older if result.requests[p])
    assert result.run.stats().get("newsspider/since/older_articles", 0) == fetched_older


def test_since_stops_paging_a_listing_once_it_reaches_older_articles(crawls: dict[str, SiteCrawl]) -> None:
    result = crawls["sections-it+since"]
    newer = {s.path for s in result.site.stories if s.day >= "2024-04-20"}
    assert {_path(r) for r in result.run.records()} == newer
    assert result.requests["/politica/?pagina=2"] == 1  # its first page's articles were all newer
    assert result.requests["/politica/?pagina=3"] == 0  # page 2 held only older ones
    assert result.run.stats()["newsspider/since/listings_stopped"] >= 2
    assert result.run.returncode == 0
