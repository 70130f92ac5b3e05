"""Run-level extensions: one lock per state dir, and a run summary with an exit status cron can act on."""

from __future__ import annotations

import fcntl
import logging
import os
from datetime import datetime, timezone
from enum import IntEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsspider.export.feed import run_path, write_json_atomically

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def error_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Failed pages by kind: ours (newsspider/errors/*) and Scrapy's callbacks that raised (spider_exceptions/*)."""
    errors = {k.removeprefix("newsspider/errors/"): v for k, v in stats.items() if k.startswith("newsspider/errors/")}
    for key, count in stats.items():
        if key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            errors["spider_exception_" + key.removeprefix("spider_exceptions/")] = count
    return dict(sorted(errors.items()))


class ExitCode(IntEnum):
    """Exit statuses of `scrapy crawl` for this project (README: "Exit status")."""

    OK = 0
    ERROR = 1  # Scrapy's own: the crawl could not start
    USAGE = 2  # bad command line or spider arguments
    UNREACHABLE = 3  # not a single response from the site
    NOTHING_DISCOVERED = 4  # the site answered, but no article page was found
    TOO_MANY_ERRORS = 5  # failed requests / requests above MAX_ERROR_RATIO
    OUTPUT_NOT_WRITABLE = 6
    LOCKED = 7  # another run holds the state dir's lock
    INTERRUPTED = 8  # stopped before the end (signal, CLOSESPIDER_* limit)


def set_exit_code(crawler: Crawler, code: ExitCode) -> None:
    """Record the run's exit status; the first failure recorded wins."""
    if getattr(crawler, "newsspider_exit_code", ExitCode.OK) == ExitCode.OK:
        crawler.newsspider_exit_code = code  # type: ignore[attr-defined]


def close_spider(crawler: Crawler, spider: Any, reason: str) -> None:
    """Stop the run before it crawls (lock held, unwritable output), with Scrapy's current API when it has it."""
    engine = crawler.engine
    if hasattr(engine, "close_spider_async"):
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(engine.close_spider_async(reason=reason))
    else:
        engine.close_spider(spider, reason)


class _QuietNetworkErrors(logging.Filter):
    """Scrapy's robots.txt middleware logs a full traceback when the site is unreachable; the reason is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            name = type(record.exc_info[1]).__name__
            if any(word in name for word in ("Refused", "Resolve", "Timeout", "DNS", "Failed", "DataLoss", "Lookup")):
                record.msg = f"{record.msg} ({name}: {record.exc_info[1]})"
                record.exc_info = None
                record.exc_text = None
        return True


logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(_QuietNetworkErrors())


class RunLock:
    """An exclusive flock on STATE_DIR/<spider>.lock: a second run exits at once; a dead process frees it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state_dir = Path(crawler.settings.get("STATE_DIR"))
        self.handle: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLock:
        if not crawler.settings.getbool("NEWSSPIDER_LOCK_ENABLED"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        path = self.state_dir / f"{spider.name}.lock"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = path.open("a+")
        except OSError as error:
            logger.error("State dir %s is not writable: %s", self.state_dir, error)
            set_exit_code(self.crawler, ExitCode.OUTPUT_NOT_WRITABLE)
            close_spider(self.crawler, spider, "state_not_writable")
            return
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            logger.error("Another %s run holds %s (%s); exiting without crawling.", spider.name, path, holder)
            set_exit_code(self.crawler, ExitCode.LOCKED)
            self.crawler.newsspider_locked_out = True  # type: ignore[attr-defined]
            close_spider(self.crawler, spider, "lock_held")
            return
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
        handle.flush()
        self.handle = handle

    def spider_closed(self, spider: Any) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class RunSummary:
    """At the end of a run: one summary log line, <run>.summary.json beside the JSONL, and the exit status."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.output_dir = crawler.settings.get("OUTPUT_DIR")
        self.max_error_ratio = crawler.settings.getfloat("MAX_ERROR_RATIO")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        """Fail fast, before any request, when the run could not write its output."""
        probe = Path(self.output_dir) / spider.name / f".write-test-{os.getpid()}"
        try:
            probe.parent.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            logger.error("OUTPUT_DIR %s is not writable: %s", self.output_dir, error)
            set_exit_code(self.crawler, ExitCode.OUTPUT_NOT_WRITABLE)
            self.crawler.newsspider_locked_out = True  # type: ignore[attr-defined]
            close_spider(self.crawler, spider, "output_not_writable")

    def summary(self, reason: str) -> dict[str, Any]:
        stats = self.crawler.stats.get_stats()
        spider = self.crawler.spider
        started = stats.get("start_time")
        finished = datetime.now(timezone.utc)
        return {
            "spider": spider.name,
            "run_id": getattr(spider, "run_id", None),
            "base_url": getattr(spider, "base_url", None),
            "finish_reason": reason,
            "started": started.isoformat() if started else None,
            "finished": finished.isoformat(timespec="seconds"),
            "duration_seconds": round((finished - started).total_seconds(), 3) if started else None,
            "pages_fetched": stats.get("response_received_count", 0),
            "bytes": stats.get("downloader/response_bytes", 0),
            "articles": {
                "new": stats.get("newsspider/articles/new", 0),
                "updated": stats.get("newsspider/articles/updated", 0),
                "unchanged": stats.get("newsspider/articles/unchanged", 0),
                "written": stats.get("item_scraped_count", 0),
                "skipped_known": stats.get("newsspider/incremental/skipped", 0),
            },
            "duplicates_skipped": stats.get("newsspider/duplicates_skipped", 0),
            "broken_links": stats.get("newsspider/broken_links", 0),
            "rejects": stats.get("newsspider/rejects", 0),
            "not_articles": stats.get("newsspider/pages/not_article", 0),
            "not_html": stats.get("newsspider/pages/not_html", 0),
            "errors": error_counts(stats),
            "error_ratio": self.error_ratio(stats),
        }

    def error_ratio(self, stats: dict[str, Any]) -> float:
        errors = sum(error_counts(stats).values())
        attempted = stats.get("response_received_count", 0) + stats.get("newsspider/requests/failed_no_response", 0)
        return round(errors / attempted, 4) if attempted else 0.0

    def exit_code(self, reason: str, summary: dict[str, Any]) -> ExitCode:
        stats = self.crawler.stats.get_stats()
        if reason == "lock_held":
            return ExitCode.LOCKED
        if reason in {"state_not_writable", "output_not_writable"}:
            return ExitCode.OUTPUT_NOT_WRITABLE
        if summary["pages_fetched"] == 0:
            failed = stats.get("newsspider/requests/failed_no_response", 0)
            if self.crawler.settings.get("REDIS_URL") and not failed:
                return ExitCode.OK  # a worker of a shared crawl that found no work left: a quiet night, not a failure
            return ExitCode.UNREACHABLE
        found = stats.get("newsspider/pages/article", 0) + stats.get("newsspider/incremental/skipped", 0)
        if reason == "finished" and found == 0:
            return ExitCode.NOTHING_DISCOVERED
        if summary["error_ratio"] > self.max_error_ratio:
            return ExitCode.TOO_MANY_ERRORS
        if reason != "finished":
            return ExitCode.INTERRUPTED
        return ExitCode.OK

    def spider_closed(self, spider: Any, reason: str) -> None:
        summary = self.summary(reason)
        code = self.exit_code(reason, summary)
        set_exit_code(self.crawler, code)
        summary["exit_code"] = int(getattr(self.crawler, "newsspider_exit_code", code))
        summary["exit_status"] = ExitCode(summary["exit_code"]).name.lower()
        if not getattr(self.crawler, "newsspider_locked_out", False):
            try:
                write_json_atomically(run_path(self.output_dir, spider.name, spider.run_id, ".summary.json"), summary)
            except OSError as error:
                logger.error("Could not write the run summary: %s", error)
                set_exit_code(self.crawler, ExitCode.OUTPUT_NOT_WRITABLE)
                summary["exit_code"] = int(ExitCode.OUTPUT_NOT_WRITABLE)
        articles = summary["articles"]
        logger.info(
            "newsspider summary: %s %s in %ss: %d pages, %d written (%d new, %d updated, %d unchanged, "
            "%d known skipped), %d duplicates, %d rejects, errors %s, %d bytes, exit %d (%s)",
            spider.name,
            reason,
            summary["duration_seconds"],
            summary["pages_fetched"],
            articles["written"],
            articles["new"],
            articles["updated"],
            articles["unchanged"],
            articles["skipped_known"],
            summary["duplicates_skipped"],
            summary["rejects"],
            summary["errors"] or "none",
            summary["bytes"],
            summary["exit_code"],
            summary["exit_status"],
        )
