"""Item pipelines: validate each record against the schema, then drop duplicates, before the feed writes it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from newsspider.crawl.extensions import run_enabled, stop_for_write_failure
from newsspider.crawl.state import AlreadyEmitted
from newsspider.export.feed import JsonlAppender, run_path
from newsspider.normalize import dedupe_key
from newsspider.validate import validation_errors

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ValidationPipeline:
    """Records that break schema v1 go to the run's rejects file with their reasons, never to the output."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.output_dir = crawler.settings.get("OUTPUT_DIR", "output")
        self.rejects: JsonlAppender | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def process_item(self, item: Any) -> Any:
        record = dict(ItemAdapter(item).items())  # shallow: the values are plain JSON types
        errors = validation_errors(record)
        if not errors:
            return item
        self.reject(record, errors)
        raise DropItem(f"invalid record ({len(errors)} schema errors): {errors[0]}", log_level="WARNING")

    def reject(self, record: dict[str, Any], reasons: list[str]) -> None:
        self.crawler.stats.inc_value("newsspider/rejects")
        if not run_enabled(self.crawler.settings):
            return  # `scrapy parse`/`shell`: the reasons are logged, no run file is written
        spider = self.crawler.spider
        if self.rejects is None:
            path = run_path(self.output_dir, spider.name, spider.run_id, ".rejects.jsonl")
            self.rejects = JsonlAppender(path, self.crawler)
        try:
            self.rejects.write({"url": record.get("url"), "reasons": reasons, "record": record})
        except OSError as error:
            stop_for_write_failure(self.crawler, self.rejects.part_path, error)

    def spider_closed(self, spider: Any) -> None:
        if self.rejects is not None:
            self.rejects.close()


class DuplicatesPipeline:
    """One record per article per run: the same page under several URLs is recognised by its canonical URL."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DuplicatesPipeline:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        key = dedupe_key(adapter["canonical_url"])
        if key in self.seen:
            self.crawler.stats.inc_value("newsspider/duplicates_skipped")
            raise AlreadyEmitted(f"duplicate of {adapter['canonical_url']} ({adapter['url']})", key)
        self.seen.add(key)
        return item
