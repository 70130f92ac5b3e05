"""A Scrapy add-on that derives run-dependent settings: the JSONL feed under OUTPUT_DIR, and Redis mode."""

from __future__ import annotations

from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from newsspider.paths import feed_uri, new_run_id

FEED_OPTIONS: dict[str, Any] = {
    "format": "jsonlines",
    "encoding": "utf-8",
    "store_empty": False,
    "overwrite": False,
}


class NewsspiderAddon:
    """Turns OUTPUT_DIR into a FEEDS entry, and REDIS_URL into scrapy-redis's scheduler and dupefilter."""

    def update_settings(self, settings: BaseSettings) -> None:
        if settings.get("REDIS_URL"):
            self._use_redis(settings)
        if not settings.getbool("NEWSSPIDER_RUN"):
            return  # `scrapy crawl` only: shell, parse, fetch and check write no run files
        feeds = dict(settings.getdict("FEEDS"))
        feeds.setdefault(feed_uri(settings), dict(FEED_OPTIONS))
        # Merged into whatever FEEDS already holds (Scrapyd's items_dir comes as -s FEEDS=..., priority cmdline):
        # set at that priority, or the merge would lose to it and the JSONL under OUTPUT_DIR would not be written.
        priority = max(settings.getpriority("FEEDS") or 0, SETTINGS_PRIORITIES["addon"])
        settings.set("FEEDS", feeds, priority=priority)

    @staticmethod
    def _use_redis(settings: BaseSettings) -> None:
        """Distributed mode: every worker shares one frontier and one seen-set in Redis (scrapy-redis)."""
        settings.set("SCHEDULER", "newsspider.crawl.distributed.SharedScheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        settings.set("SCHEDULER_PERSIST", settings.getbool("SCHEDULER_PERSIST", False), priority="addon")
        # Namespaced like the shared state (per site: a newsspider spider is named after its site), so several
        # sites and projects can share one Redis.
        settings.set("SCHEDULER_QUEUE_KEY", "newsspider:%(spider)s:requests", priority="addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", "newsspider:%(spider)s:dupefilter", priority="addon")


def feed_uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """FEED_URI_PARAMS: a spider without a run id (`scrapy shell`'s default spider) still gets a valid file name."""
    if not params.get("run_id"):
        params["run_id"] = new_run_id()
    return params
