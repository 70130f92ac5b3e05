"""Unit tests of the discovery stage: robots.txt, sitemaps, feeds, URL mapping and URL kinds."""

from __future__ import annotations

import gzip

import pytest

from newsspider.discovery import UrlMapper, announced_feeds, iter_links, parse_feed, read_sitemap, sitemaps_from_robots
from newsspider.sites import get_profile

MIRROR = "http://127.0.0.1:8000"


def test_sitemaps_from_robots_reads_every_sitemap_line() -> None:
    robots = (
        b"User-agent: *\nDisallow: /wp-admin/\n"
        b"Sitemap: https://www.eureporter.co/sitemap_index.xml\nsitemap: /news.xml\n"
    )
    assert sitemaps_from_robots(robots, MIRROR + "/robots.txt") == [
        "https://www.eureporter.co/sitemap_index.xml",
        MIRROR + "/news.xml",
    ]


def entries_of(body: bytes) -> tuple[str, list[tuple[str, str | None, bool]]]:
    sitemap = read_sitemap(body)
    assert sitemap is not None
    return sitemap.type, [(e.url, e.lastmod, e.is_sitemap) for e in sitemap.entries()]


def test_sitemap_index_entries_are_sitemaps_with_their_lastmod() -> None:
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://x.org/post-sitemap.xml</loc><lastmod>2024-01-02</lastmod></sitemap></sitemapindex>"""
    assert entries_of(index) == ("sitemapindex", [("https://x.org/post-sitemap.xml", "2024-01-02", True)])


def test_google_news_publication_date_is_the_lastmod_of_an_entry_without_one() -> None:
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x.org/a/</loc>
      <news:news><news:publication_date>2024-01-03T10:00:00+00:00</news:publication_date></news:news></url>
      <url><loc>https://x.org/b/</loc><lastmod>2024-02-01</lastmod><news:news>
      <news:publication_date>2024-01-05</news:publication_date></news:news></url></urlset>"""
    assert entries_of(urlset) == (
        "urlset",
        [("https://x.org/a/", "2024-01-03T10:00:00+00:00", False), ("https://x.org/b/", "2024-02-01", False)],
    )


@pytest.mark.parametrize(
    "body",
    [b"<html><body>not a sitemap</body></html>", gzip.compress(b"garbage"), b"", b"  ", b"<rss><channel/></rss>"],
)
def test_what_is_no_sitemap_reads_as_none(body: bytes) -> None:
    assert read_sitemap(body) is None


def test_a_sitemap_cut_short_gives_its_complete_entries() -> None:
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.org/a/</loc></url>
      <url><loc>https://x.org/b/</loc></url><url><loc>https://x.o"""
    _, entries = entries_of(urlset)
    assert [url for url, _, _ in entries][:2] == ["https://x.org/a/", "https://x.org/b/"]


def test_announced_feeds_are_read_from_the_head() -> None:
    html = """<html><head><link rel="alternate" type="application/rss+xml" title="X &raquo; Feed" href="/feed/">
      <link rel=alternate type=application/atom+xml href="https://x.org/atom.xml"><link rel="stylesheet" href="/a.css">
      <link rel="alternate" hreflang="de" href="/de/"></head><body>
      <link rel="alternate" type="application/rss+xml" href="/not-in-head.xml"></body></html>"""
    assert announced_feeds(html, "https://x.org/") == ["https://x.org/feed/", "https://x.org/atom.xml"]


def test_parse_feed_reads_rss_and_atom_links() -> None:
    rss = b"""<rss version="2.0"><channel><item><title>A</title><link>https://x.org/a/?utm_source=rss</link>
      <pubDate>Tue, 06 Sep 2022 09:12:40 +0000</pubDate></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="https://x.org/b/"/>
      <updated>2024-01-01T00:00:00Z</updated></entry></feed>"""
    assert [(e.url, e.lastmod) for e in parse_feed(rss)] == [
        ("https://x.org/a/?utm_source=rss", "Tue, 06 Sep 2022 09:12:40 +0000")
    ]
    assert [e.url for e in parse_feed(atom)] == ["https://x.org/b/"]


def test_url_mapper_moves_live_urls_onto_the_mirror_and_drops_other_sites() -> None:
    mapper = UrlMapper(get_profile("eureporter"), MIRROR + "/")
    assert mapper.to_crawl_url("https://www.eureporter.co/2022/09/06/a/?utm_source=rss") == MIRROR + "/2022/09/06/a/"
    assert mapper.to_crawl_url("/b/#comments", base=MIRROR + "/x/") == MIRROR + "/b/"
    assert mapper.to_crawl_url("https://twitter.com/share?u=1") is None
    assert mapper.to_crawl_url("/wp-admin/options.php", base=MIRROR) is None
    assert mapper.to_crawl_url("/wp-content/uploads/a.jpg", base=MIRROR) is None


def test_url_mapper_sorts_urls_into_listings_articles_and_skips() -> None:
    mapper = UrlMapper(get_profile("eureporter"), MIRROR)
    assert mapper.kind(MIRROR + "/") == "listing"
    assert mapper.kind(MIRROR + "/category/world/page/2/") == "listing"
    assert mapper.kind(MIRROR + "/tag/russia/") == "listing"
    assert mapper.kind(MIRROR + "/page/99/") == "listing"  # how far to page is the frontier's listing-pages limit
    assert mapper.kind(MIRROR + "/privacy-policy/") == "skip"
    assert mapper.kind(MIRROR + "/feed/") == "skip"
    assert mapper.kind(MIRROR + "/2022/09/06/us-says-russia/") == "article"
    assert mapper.kind(MIRROR + "/politics/eu-summit-ends-in-deal/") == "article"


def test_iter_links_deduplicates_and_skips_non_http_links() -> None:
    mapper = UrlMapper(get_profile("eureporter"), MIRROR)
    hrefs = ["/a/", "/a/#top", "mailto:x@y.z", "javascript:void(0)", "/a/?utm_campaign=x", "https://other.org/"]
    assert list(iter_links(hrefs, MIRROR + "/", mapper)) == [MIRROR + "/a/"]


def test_url_mapper_gives_mirror_pages_their_live_address() -> None:
    mapper = UrlMapper(get_profile("eureporter"), MIRROR)
    assert mapper.to_live_url(MIRROR + "/politics/a/?id=2") == "https://www.eureporter.co/politics/a/?id=2"
    assert mapper.to_live_url("https://www.eureporter.co/x/") == "https://www.eureporter.co/x/"
    live = UrlMapper(get_profile("eureporter"), "https://www.eureporter.co/")
    assert live.to_live_url("https://www.eureporter.co/x/") == "https://www.eureporter.co/x/"


def test_parse_sitemap_takes_the_page_loc_not_image_locs() -> None:
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"><url><loc>https://x.org/a/</loc>
      <lastmod>2022-09-06T11:03:17+00:00</lastmod><image:image><image:loc>https://x.org/a.jpg</image:loc></image:image>
      </url></urlset>"""
    assert entries_of(urlset)[1] == [("https://x.org/a/", "2022-09-06T11:03:17+00:00", False)]


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/a/b-c_d.html",
        "http://127.0.0.1:8000/2024/05/17/slug/",
        "https://x.org/a/%C3%A0/",
        "https://x.org/node/12",
        "https://X.org/a/",
        "https://x.org:443/a/",
        "https://x.org/a?b=1",
        "https://x.org/a/#top",
        "https://x.org",
    ],
)
def test_a_plain_url_is_what_canonicalization_leaves_unchanged(url: str) -> None:
    from newsspider.discovery.urls import plain_url
    from newsspider.normalize import canonicalize_url

    assert not plain_url(url) or canonicalize_url(url) == url
