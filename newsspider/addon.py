"""A Scrapy add-on that derives run-dependent settings: the JSONL feed under OUTPUT_DIR, and Redis mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

FEED_OPTIONS: dict[str, Any] = {
    "format": "jsonlines",
    "encoding": "utf-8",
    "store_empty": False,
    "overwrite": False,
}


class NewsspiderAddon:
    """Turns OUTPUT_DIR into a FEEDS entry, and REDIS_URL into scrapy-redis's scheduler and dupefilter."""

    def update_settings(self, settings: BaseSettings) -> None:
        output_dir = Path(settings.get("OUTPUT_DIR") or "output")
        feeds = dict(settings.getdict("FEEDS"))
        uri = str(output_dir / "%(name)s" / "%(run_id)s.jsonl")
        feeds.setdefault(uri, dict(FEED_OPTIONS))
        settings.set("FEEDS", feeds, priority="addon")
        if settings.get("REDIS_URL"):
            self._use_redis(settings)

    @staticmethod
    def _use_redis(settings: BaseSettings) -> None:
        """Distributed mode: every worker shares one frontier and one seen-set in Redis (scrapy-redis)."""
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        settings.set("SCHEDULER_PERSIST", settings.getbool("SCHEDULER_PERSIST", False), priority="addon")
