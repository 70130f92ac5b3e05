"""`scrapy crawl news` on sites it has never seen (generated, in several CMS shapes and languages): every article once
and right, nothing that is not an article, traps bounded by the default limits, and a profile where it helps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import CrawlRun, run_concurrently, run_crawl
from newssites import Site, SiteServer
from newssites_catalog import SITES, bind, story_by_path

from newsspider.discovery import UrlMapper
from newsspider.spiders.arguments import generic_profile

pytestmark = pytest.mark.crawl

#: A `news -a url=http://127.0.0.1:PORT/` crawl is named after the host.
HOST_SITE = "127.0.0.1"
INLINE = ("-s", "NEWSSPIDER_EXTRACT_WORKERS=0")
#: Fields the generic extraction gets wrong on a shape (reported to extraction; a profile fixes them below).
KNOWN_EXTRACTION_DEFECTS = {
    ("drupal-de", "authors"): "one name in 'Submitted by NAME on <date>' is not read (two names are)",
    ("gazette-es", "first paragraph"): "the section kicker above the headline is kept as the first paragraph",
}
#: Profiles that fix them with selectors (the escape hatch), crawled as mirrors of a live site.
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
    jobs = {name: (name, ()) for name in SITES}
    jobs |= {f"{name}+profile": (name, ("profile",)) for name in PROFILES}
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


@pytest.fixture(params=list(SITES))
def generic(request: pytest.FixtureRequest, crawls: dict[str, SiteCrawl]) -> tuple[str, SiteCrawl]:
    return request.param, crawls[request.param]


# --- any site, from its root URL ---------------------------------------------------------------------------


def test_crawl_ends_by_itself_with_exit_0(generic: tuple[str, SiteCrawl]) -> None:
    _, result = generic
    assert result.run.returncode == 0, result.run.stderr[-3000:]
    assert [s["exit_code"] for s in result.run.summaries()] == [0]


def test_every_article_is_emitted_exactly_once(generic: tuple[str, SiteCrawl]) -> None:
    _, result = generic
    counts = Counter(_path(r) for r in result.run.records())
    assert {p: n for p, n in counts.items() if p in story_by_path(result.site)} == dict.fromkeys(
        story_by_path(result.site), 1
    )


def test_no_page_that_is_not_an_article_is_emitted(generic: tuple[str, SiteCrawl]) -> None:
    _, result = generic
    emitted = {_path(r) for r in result.run.records()}
    assert emitted <= set(story_by_path(result.site)), emitted - set(story_by_path(result.site))
    # Not vacuous: the pages that are no articles were fetched and judged (but those no crawler needs to fetch).
    mapper = UrlMapper(generic_profile("http://127.0.0.1/"), "http://127.0.0.1/")
    judged = [path for path in result.site.non_articles if mapper.kind("http://127.0.0.1" + path) != "skip"]
    assert judged and all(result.requests[path] for path in judged)


def test_article_fields_are_right(generic: tuple[str, SiteCrawl]) -> None:
    name, result = generic
    stories = story_by_path(result.site)
    for record in result.run.records():
        story = stories[_path(record)]
        assert record["headline"] == story.headline
        if (name, "authors") not in KNOWN_EXTRACTION_DEFECTS:
            assert record["authors"] == list(story.authors), record["url"]
        assert record["published"][:10] == story.day
        assert record["language"] == result.site.language
        paragraphs = record["body"].split("\n\n")
        assert paragraphs[-1] == story.paragraphs[-1]
        if (name, "first paragraph") not in KNOWN_EXTRACTION_DEFECTS:
            assert paragraphs[0] == story.paragraphs[0]
        assert list(story.paragraphs) == paragraphs[-len(story.paragraphs) :]


# --- found through what each site publishes --------------------------------------------------------------------


def test_a_sitemap_robots_txt_does_not_name_is_found_at_its_usual_place(crawls: dict[str, SiteCrawl]) -> None:
    result = crawls["drupal-de"]
    assert result.requests["/sitemap.xml"] == 1
    # Stories 3 and later are on no home page: a section listing's second page or the unannounced sitemap.
    assert {_path(r) for r in result.run.records()} >= {s.path for s in result.site.stories[3:]}


def test_a_feed_announced_only_in_the_head_is_the_way_in(crawls: dict[str, SiteCrawl]) -> None:
    result = crawls["atom-fr"]
    assert result.requests["/flux/tout.atom"] == 1
    assert len(result.run.records()) == len(result.site.stories)
    assert result.run.stats()["newsspider/discovery/announced_feeds"] == 1


def test_a_sitemap_index_leads_to_its_sitemaps(crawls: dict[str, SiteCrawl]) -> None:
    result = crawls["ghost-en"]
    assert all(result.requests[p] == 1 for p in ("/sitemap.xml", "/sitemap-posts.xml", "/sitemap-pages.xml"))
    assert result.run.stats()["newsspider/discovery/sitemaps"] == 4
    assert not any(result.requests[p] for p in ("/sitemap_index.xml", "/wp-sitemap.xml"))  # robots named one


def test_section_listings_alone_find_every_article(crawls: dict[str, SiteCrawl]) -> None:
    result = crawls["sections-it"]
    assert result.run.stats().get("newsspider/discovery/sitemaps", 0) == 0
    assert len(result.run.records()) == len(result.site.stories)


# --- traps, bounded by the default limits ------------------------------------------------------------------


def test_endless_pagination_and_calendar_end_at_the_listing_pages_limit(crawls: dict[str, SiteCrawl]) -> None:
    result = crawls["sections-it"]
    pages = {p: n for p, n in result.requests.items() if "pagina=" in p or p.startswith("/calendario")}
    per_family = Counter(p.split("?")[0] for p in pages)
    assert max(per_family.values()) <= 50 + 5  # NEWSSPIDER_MAX_LISTING_PAGES, plus pages in flight
    assert result.run.stats()["newsspider/limits/listing_pages"] > 0
    assert max(result.requests.values()) == 1 or set(p for p, n in result.requests.items() if n > 1) == {"/robots.txt"}


def test_an_endless_monthly_archive_ends(crawls: dict[str, SiteCrawl]) -> None:
    result = crawls["gazette-es"]
    months = [p for p in result.requests if p.startswith("/archivo/")]
    assert 1 < len(months) <= 60
    stats = result.run.stats()
    assert stats.get("newsspider/limits/listing_pages", 0) + stats.get("newsspider/limits/traps", 0) > 0


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
    everything = crawls["sections-it"]
    newer = {s.path for s in result.site.stories if s.day >= "2024-04-20"}
    assert {_path(r) for r in result.run.records()} == newer
    assert result.requests["/politica/?pagina=2"] == 1  # its first page's articles were all newer
    assert result.requests["/politica/?pagina=3"] == 0  # page 2 held only older ones
    assert everything.requests["/politica/?pagina=3"] == 1
    assert result.run.stats()["newsspider/since/listings_stopped"] >= 2
    assert result.run.returncode == 0
