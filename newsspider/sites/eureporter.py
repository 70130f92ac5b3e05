"""EU Reporter (a WordPress news site): its discovery sources and naming; the generic rules do the rest."""

from __future__ import annotations

from newsspider.sites.profile import COMMON_IGNORE_PATHS, COMMON_NON_ARTICLE_PATHS, SiteProfile

EUREPORTER = SiteProfile(
    name="eureporter",
    site_name="EU Reporter",
    base_url="https://www.eureporter.co/",
    domains=("eureporter.co", "www.eureporter.co"),
    sitemaps=("/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap.xml", "/news-sitemap.xml"),
    feeds=("/feed/",),
    listings=("/",),
    non_article_paths=COMMON_NON_ARTICLE_PATHS,
    ignore_paths=COMMON_IGNORE_PATHS,
    site_names=("EUReporter", "eureporter.co"),
    timezone=None,
    languages=("en",),
)
