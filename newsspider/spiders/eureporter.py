"""EU Reporter: `scrapy crawl eureporter [-a base_url=URL]`, the built-in profile (newsspider/sites/builtin/)."""

from __future__ import annotations

from newsspider.spiders.news import NewsSpider


class EUReporterSpider(NewsSpider):
    name = "eureporter"
    site = "eureporter"
    arguments = NewsSpider.arguments - {"site"}
