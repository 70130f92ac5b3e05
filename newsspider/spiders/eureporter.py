"""EU Reporter: `scrapy crawl eureporter [-a base_url=URL]`."""

from __future__ import annotations

from newsspider.sites.eureporter import EUREPORTER
from newsspider.spiders.news import NewsSpider


class EUReporterSpider(NewsSpider):
    name = "eureporter"
    profile = EUREPORTER
