"""Run-level extensions: one lock per state dir, and a run summary with an exit status cron can act on."""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime, timezone
from enum import IntEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from newsspider.export.feed import PART_SUFFIX, publish, run_files, write_failure
from newsspider.state import lock

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ExitCode(IntEnum):
    """Exit statuses of `scrapy crawl` for this project (README: "Running it every night")."""

    OK = 0
    ERROR = 1  # Scrapy's own: the crawl could not start
    USAGE = 2  # bad command line, spider argument or setting
    UNREACHABLE = 3  # not a single response from the site
    NOTHING_DISCOVERED = 4  # the site answered, but no article page was found
    TOO_MANY_ERRORS = 5  # failed requests / requests above MAX_ERROR_RATIO, or every article URL deferred
    OUTPUT_NOT_WRITABLE = 6  # OUTPUT_DIR/STATE_DIR not writable, or a write failed during the run
    LOCKED = 7  # another run holds the state dir's lock
    INTERRUPTED = 8  # stopped before the end (signals, however many; a CLOSESPIDER_* limit)
    ROBOTS_DENIED = 9  # robots.txt refused every URL of the crawl (Disallow, or 5xx/unreachable: disallow all)
    STATE_CORRUPT = 10  # the state store was corrupt: rebuilt from the published output (SQLite) or stopped (Redis)
    QUALITY_DROP = 11  # the quality guard held suspect records back in <run>.suspect.jsonl


MEANINGS = {
    ExitCode.OK: "the crawl completed",
    ExitCode.ERROR: "the crawl could not start",
    ExitCode.USAGE: "bad command line, spider argument or setting",
    ExitCode.UNREACHABLE: "site unreachable: not a single response",
    ExitCode.NOTHING_DISCOVERED: "nothing discovered: the site answered but no article page was found",
    ExitCode.TOO_MANY_ERRORS: "failed pages above MAX_ERROR_RATIO, or nothing fetched but deferred URLs",
    ExitCode.OUTPUT_NOT_WRITABLE: "output or state could not be written (nothing counted as sent that is not on disk)",
    ExitCode.LOCKED: "another run holds the lock on this STATE_DIR",
    ExitCode.INTERRUPTED: "interrupted before the end (signal or CLOSESPIDER_* limit)",
    ExitCode.ROBOTS_DENIED: "robots.txt refused every URL of the crawl",
    ExitCode.STATE_CORRUPT: "the state store was corrupt: rebuilt from the output, or the run stopped (see the log)",
    ExitCode.QUALITY_DROP: "the quality guard held suspect records back (see the summary's guard.drops)",
}

#: Reasons our components close a run with; each has its own status, whatever else happened.
STOP_REASONS = {
    "lock_held": ExitCode.LOCKED,
    "output_not_writable": ExitCode.OUTPUT_NOT_WRITABLE,
    "state_not_writable": ExitCode.OUTPUT_NOT_WRITABLE,
    "output_failed": ExitCode.OUTPUT_NOT_WRITABLE,
    "state_corrupt": ExitCode.STATE_CORRUPT,
}
STOP_CODE = "newsspider/stop_code"
EXIT_CODE = "newsspider/exit_code"


def run_enabled(settings: BaseSettings) -> bool:
    """True for a real run (`scrapy crawl`, which sets NEWSSPIDER_RUN): `shell`, `parse`, `fetch` and `check`
    write no run files, take no lock and leave the state alone."""
    return settings.getbool("NEWSSPIDER_RUN", False)


def set_exit_code(crawler: Crawler, code: ExitCode) -> None:
    """Record why the run stopped early (lock, unwritable output, corrupt state); the first one recorded wins."""
    if not crawler.stats.get_value(STOP_CODE):
        crawler.stats.set_value(STOP_CODE, int(code))


def exit_code_of(crawler: Crawler) -> int:
    """The run's exit status, as the summary decided it (or the early stop, if the run never got that far)."""
    return int(crawler.stats.get_value(EXIT_CODE) or crawler.stats.get_value(STOP_CODE) or 0)


def stopped_early(crawler: Crawler) -> bool:
    return bool(crawler.stats.get_value(STOP_CODE))


def close_spider(crawler: Crawler, reason: str) -> None:
    """Stop the run (lock held, unwritable output, a failed write), with Scrapy's current API when it has it."""
    engine = crawler.engine
    if hasattr(engine, "close_spider_async"):
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(engine.close_spider_async(reason=reason))
    else:
        engine.close_spider(crawler.spider, reason)


def stop_for_write_failure(crawler: Crawler, path: Path | str, error: OSError) -> None:
    """A write failed (disk full, I/O error, read-only): stop at once; what was written is kept and counted, the
    rest is fetched again by the next run (it is not in the state)."""
    if stopped_early(crawler):
        return
    logger.error(
        "Could not write %s: %s. Stopping the run: the records written so far are kept and counted, "
        "the others are fetched again by the next run.",
        path,
        error,
    )
    crawler.stats.set_value("newsspider/output/write_error", f"{path}: {error}")
    set_exit_code(crawler, ExitCode.OUTPUT_NOT_WRITABLE)
    close_spider(crawler, "output_failed")


class RunLock:
    """An exclusive flock on STATE_DIR/<spider>.lock, taken before the crawl starts: a second run exits at once;
    a dead process frees it. Holding it, a finished JOBDIR is reset, so that the next night crawls afresh."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state_dir = Path(crawler.settings.get("STATE_DIR", "state"))
        self.handle: IO[str] | None = None
        self.failure: tuple[str, str] | None = None  # (reason, message), reported once the spider is open

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLock:
        if not run_enabled(crawler.settings) or not crawler.settings.getbool("NEWSSPIDER_LOCK_ENABLED", True):
            raise NotConfigured
        extension = cls(crawler)
        assert crawler.spidercls is not None
        # The spider instance is named after its site (`news -a site=NAME`): one lock per site.
        extension.acquire(crawler.spider.name if crawler.spider is not None else crawler.spidercls.name)
        if extension.handle is not None:
            reset_finished_jobdir(crawler.settings.get("JOBDIR"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def acquire(self, name: str) -> None:
        path = self.state_dir / f"{name}.lock"
        try:
            self.handle = lock.acquire(path)
        except lock.LockHeld as held:
            set_exit_code(self.crawler, ExitCode.LOCKED)
            self.failure = ("lock_held", f"Another {name} run holds {path} ({held}); exiting without crawling.")
        except OSError as error:
            set_exit_code(self.crawler, ExitCode.OUTPUT_NOT_WRITABLE)
            self.failure = ("state_not_writable", f"State dir {self.state_dir} is not writable: {error}")

    def spider_opened(self, spider: Any) -> None:
        if self.failure is not None:
            reason, message = self.failure
            logger.error(message)
            close_spider(self.crawler, reason)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.handle is not None:
            jobdir = self.crawler.settings.get("JOBDIR")
            if jobdir and reason == "finished" and Path(jobdir).is_dir():
                (Path(jobdir) / JOBDIR_FINISHED).write_text(f"{datetime.now(timezone.utc).isoformat()}\n")
            lock.release(self.handle)
            self.handle = None


#: Left in a JOBDIR by a run that finished: Scrapy would resume it (an empty queue, every URL "seen"), so the next
#: run finds nothing; with this marker the next run starts afresh instead. An interrupted run leaves no marker.
JOBDIR_FINISHED = "newsspider-finished"


def reset_finished_jobdir(jobdir: str | None) -> None:
    if not jobdir or not (Path(jobdir) / JOBDIR_FINISHED).exists():
        return
    logger.info("JOBDIR %s holds a finished crawl; starting a fresh one", jobdir)
    for entry in Path(jobdir).iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


class RunSummary:
    """Counts what reached the output, stops the run when a write fails, and at the end writes one summary log
    line and <run>.summary.json beside the JSONL, with the exit status."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.output_dir = crawler.settings.get("OUTPUT_DIR", "output")
        self.max_error_ratio = crawler.settings.getfloat("MAX_ERROR_RATIO", 0.5)
        self.done = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        if not run_enabled(crawler.settings):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        # After the feed exporter's own handler (an extension of a lower order): the line is written, or not.
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        """Fail fast, before any request, when the run could not write its output."""
        if stopped_early(self.crawler):
            return
        probe = Path(self.output_dir) / spider.name / f".write-test-{os.getpid()}"
        try:
            probe.parent.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            logger.error("OUTPUT_DIR %s is not writable: %s", self.output_dir, error)
            set_exit_code(self.crawler, ExitCode.OUTPUT_NOT_WRITABLE)
            close_spider(self.crawler, "output_not_writable")

    def item_scraped(self, item: Any, spider: Any) -> None:
        failed = write_failure(self.crawler)
        if failed is not None:
            stop_for_write_failure(self.crawler, failed.path, failed.error)  # type: ignore[arg-type]
            return
        stats = self.crawler.stats
        stats.inc_value("newsspider/articles/written")
        version = ItemAdapter(item).get("version") or 1
        stats.inc_value("newsspider/articles/new" if version == 1 else "newsspider/articles/updated")

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.finish(spider, reason)

    def finish_cut_short(self) -> None:
        """The reactor stopped before the spider closed (a second SIGINT/SIGTERM): publish what was written, commit
        the state that matches it, and still write the summary, with status 8."""
        if self.done:
            return
        for file in run_files(self.crawler):
            if not file.closed and file.path.name.endswith(PART_SUFFIX):
                publish(file, file.path.with_name(file.path.name[: -len(PART_SUFFIX)]))
        from newsspider.crawl.state import CrawlState

        state = self.crawler.get_extension(CrawlState)
        if state is not None:
            state.spider_closed(self.crawler.spider, "killed")
        self.finish(self.crawler.spider, "killed")

    def finish(self, spider: Any, reason: str) -> None:
        if self.done:
            return
        self.done = True
        from newsspider.crawl.retry import RetryAfterMiddleware
        from newsspider.crawl.summary import build_summary, decide_exit_code, log_summary
        from newsspider.export.feed import run_path, write_json_atomically

        try:
            retries = self.crawler.get_downloader_middleware(RetryAfterMiddleware)
        except (RuntimeError, AttributeError):  # no engine yet
            retries = None
        if retries is not None:
            retries.spider_closed()  # retries still waiting for their Retry-After are deferred: count them now

        summary = build_summary(self.crawler, reason)
        self._record(summary, decide_exit_code(self.crawler, reason, summary, self.max_error_ratio))
        stats = self.crawler.stats
        # Locked out, or nothing writable from the start: leave the other run's files / the broken folder alone.
        never_started = stats.get_value(STOP_CODE) in (ExitCode.LOCKED, ExitCode.OUTPUT_NOT_WRITABLE)
        if not never_started or stats.get_value("newsspider/output/write_error"):
            try:
                write_json_atomically(run_path(self.output_dir, spider.name, spider.run_id, ".summary.json"), summary)
            except OSError as error:
                logger.error("Could not write the run summary: %s", error)
                if summary["exit_code"] in (ExitCode.OK, ExitCode.QUALITY_DROP, ExitCode.STATE_CORRUPT):
                    self._record(summary, ExitCode.OUTPUT_NOT_WRITABLE)
        log_summary(summary)

    def _record(self, summary: dict[str, Any], code: ExitCode) -> None:
        summary["exit_code"] = int(code)
        summary["exit_status"] = code.name.lower()
        summary["exit_meaning"] = MEANINGS[code]
        self.crawler.stats.set_value(EXIT_CODE, int(code))
