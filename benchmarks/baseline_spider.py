"""Throughput baseline: the plainest Scrapy + trafilatura crawler (sitemap only, extraction inline in the callback)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class BaselineSpider(SitemapSpider):
    """`scrapy runspider baseline_spider.py -a sitemap=URL [-a live_root=URL]`: every sitemap page -> {url, text}.

    `live_root` maps the live site's addresses in the sitemaps (a mirror keeps them) onto the sitemap's host.
    """

    name = "baseline"

    def __init__(self, sitemap: str, live_root: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [sitemap]
        parts = urlsplit(sitemap)
        self.root = f"{parts.scheme}://{parts.netloc}"
        self.live_root = live_root.rstrip("/")

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for entry in entries:
            loc = entry.get("loc", "")
            if self.live_root and loc.startswith(self.live_root):
                entry = {**entry, "loc": self.root + loc[len(self.live_root) :]}
            yield entry

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {"url": response.url, "text": trafilatura.extract(response.text)}
