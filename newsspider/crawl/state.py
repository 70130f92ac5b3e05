"""The state stage in a crawl: open the store (rebuilt from the output when corrupt), finish what killed runs left,
and emit only new or changed articles, counted as sent only once their line is on disk."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import Response

from newsspider.crawl.extensions import (
    ExitCode,
    close_spider,
    run_enabled,
    set_exit_code,
    stop_for_write_failure,
    stopped_early,
)
from newsspider.export.feed import (
    PART_SUFFIX,
    finish_part_file,
    iter_records,
    sync_run_files,
    write_failure,
)
from newsspider.export.merge import is_run_file
from newsspider.normalize import dedupe_key
from newsspider.state import RunFacts, StateCorrupt, UrlState, ingest_run
from newsspider.state.sqlite import SqliteState

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newsspider.state.redis import RedisState

logger = logging.getLogger(__name__)
_PID_IN_RUN_ID = re.compile(r"-(\d+)\.")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


class CrawlState:
    """Opens the run's state store, takes in what earlier runs published but the state does not know (a killed
    run's `.part`, a run file the state lost, or all of them when the store was corrupt), and records the run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state_dir = Path(crawler.settings.get("STATE_DIR", "state"))
        self.output_dir = Path(crawler.settings.get("OUTPUT_DIR", "output"))
        self.store: SqliteState | RedisState | None = None
        #: The records this run published, summed up for the quality guard of later runs.
        self.run_facts: RunFacts | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlState:
        if not run_enabled(crawler.settings) or not crawler.settings.getbool("NEWSSPIDER_STATE_ENABLED", True):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        if stopped_early(self.crawler):
            return  # the run is already stopping (lock held, unwritable output): leave the state alone
        self.run_facts = RunFacts(spider.run_id)
        try:
            self.store = self._open(spider.name)
            self.store.on_commit(lambda: sync_run_files(self.crawler))
            self.recover_killed_runs(spider.name)
            if isinstance(self.store, SqliteState):
                self.take_in_published_runs(spider.name)
        except StateCorrupt as error:
            logger.error("%s. Stopping before the crawl; nothing was changed.", error)
            set_exit_code(self.crawler, ExitCode.STATE_CORRUPT)
            close_spider(self.crawler, "state_corrupt")
        except OSError as error:
            logger.error("State %s is not usable: %s", self.crawler.settings.get("REDIS_URL") or self.state_dir, error)
            set_exit_code(self.crawler, ExitCode.OUTPUT_NOT_WRITABLE)
            close_spider(self.crawler, "state_not_writable")

    def _open(self, name: str) -> SqliteState | RedisState:
        redis_url = self.crawler.settings.get("REDIS_URL")
        if redis_url:  # distributed mode: all workers share one state (needs the [redis] extra)
            from newsspider.state.redis import RedisState

            return RedisState.from_url(redis_url, name)
        path = self.state_dir / f"{name}.sqlite3"
        try:
            return SqliteState(path)
        except StateCorrupt as error:
            aside = SqliteState.quarantine(path)
            store = SqliteState(path)
            note = f"{error}; kept as {aside.name}, rebuilt from the published runs in {self.output_dir / name}"
            logger.warning("State %s", note)
            self.crawler.stats.set_value("newsspider/state/rebuilt", note)
            return store

    def recover_killed_runs(self, spider_name: str) -> None:
        """Publish the complete lines of `.part` files that dead runs left, and take their articles in."""
        directory = self.output_dir / spider_name
        if not directory.is_dir() or self.store is None:
            return
        for part in sorted(directory.glob(f"*{PART_SUFFIX}")):
            match = _PID_IN_RUN_ID.search(part.name)
            if match and _pid_alive(int(match.group(1))):
                continue  # a live run (another worker) is still writing it
            if not part.name.endswith(".jsonl" + PART_SUFFIX):
                part.unlink(missing_ok=True)
                continue
            final = finish_part_file(part)
            if final is None:
                continue
            count = ingest_run(self.store, final.stem, iter_records(final)) if is_run_file(final) else 0
            self.crawler.stats.inc_value("newsspider/recovered_records", count)
            logger.warning(
                "Recovered the whole lines an interrupted run left in %s -> %s (%d taken in)", part, final, count
            )
        self.store.commit()

    def take_in_published_runs(self, spider_name: str) -> None:
        """Ingest every published run file the state has not recorded: a run whose state commit was lost, the
        runs before this state file existed (migration), or all of them after the store was found corrupt."""
        assert self.store is not None
        directory = self.output_dir / spider_name
        if not directory.is_dir():
            return
        known = self.store.known_runs()
        files = [p for p in sorted(directory.glob("*.jsonl")) if is_run_file(p) and p.stem not in known]
        records = 0
        for path in files:
            records += ingest_run(self.store, path.stem, iter_records(path))
        self.store.commit()
        if files:
            self.crawler.stats.set_value("newsspider/state/ingested_runs", len(files))
            logger.info("State took in %d published run files (%d records) it had not recorded", len(files), records)

    def spider_closed(self, spider: Any, reason: str | None = None) -> None:
        if self.store is None:
            return
        store, self.store = self.store, None
        try:
            # A run whose state writes all went through is known by its run id: its file is not taken in again.
            if self.run_facts is not None and not self.crawler.stats.get_value("newsspider/state/write_error"):
                store.record_run(self.run_facts)
            store.close()
        except OSError as error:
            logger.error("Could not commit the state: %s (the next run takes this run's output in again)", error)
            set_exit_code(self.crawler, ExitCode.OUTPUT_NOT_WRITABLE)


def store_of(crawler: Crawler) -> SqliteState | RedisState | None:
    """The run's state store (None when the state is off, or in `shell`/`parse`)."""
    try:
        extension = crawler.get_extension(CrawlState)
    except RuntimeError:  # the extensions are not built yet
        return None
    return extension.store if extension is not None else None


def stop_for_corrupt_state(crawler: Crawler, error: StateCorrupt) -> None:
    if stopped_early(crawler):
        return
    logger.error("%s. Stopping: the state must be repaired (or removed to be rebuilt) first.", error)
    set_exit_code(crawler, ExitCode.STATE_CORRUPT)
    close_spider(crawler, "state_corrupt")


class StatePipeline:
    """Emits an article only when it is new or its content changed (then as version n+1), and remembers it once
    its line is written."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        if not run_enabled(crawler.settings) or not crawler.settings.getbool("NEWSSPIDER_STATE_ENABLED", True):
            raise NotConfigured
        pipeline = cls(crawler)
        # Connected after the feed exporter's handler: the state commits only what the feed has written.
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    async def process_item(self, item: Any) -> Any:
        store = store_of(self.crawler)
        if store is None:
            return item
        adapter = ItemAdapter(item)
        key = dedupe_key(adapter["canonical_url"])
        try:
            known = store.article(key)
            if known is not None and (
                known.content_hash == adapter["content_hash"] or store.has_emitted(key, adapter["content_hash"])
            ):
                self.crawler.stats.inc_value("newsspider/articles/unchanged")
                message = f"unchanged since version {known.version}: {adapter['canonical_url']}"
                raise AlreadyEmitted(message, key, unchanged=True)
            claim = getattr(store, "claim_article", None)  # shared (Redis) state: one worker emits each version
            if claim is not None and not claim(key, adapter["content_hash"]):
                self.crawler.stats.inc_value("newsspider/articles/claimed_by_peer")
                raise AlreadyEmitted(f"another worker emits it: {adapter['canonical_url']}", key)
        except StateCorrupt as error:
            stop_for_corrupt_state(self.crawler, error)
            raise DropItem(f"state corrupt: {error}") from None
        except OSError as error:
            self.crawler.stats.set_value("newsspider/state/write_error", str(error))
            stop_for_write_failure(self.crawler, getattr(store, "path", "the state"), error)
            raise DropItem(f"state not writable: {error}") from None
        if known is not None:
            adapter["version"] = known.version + 1
            adapter["previous_content_hash"] = known.content_hash
        return item

    def item_scraped(self, item: Any, response: Response | None, spider: Any) -> None:
        store = store_of(self.crawler)
        if store is None:
            return
        adapter = ItemAdapter(item)
        key = dedupe_key(adapter["canonical_url"])
        if write_failure(self.crawler) is not None:
            release_claim(store, key, adapter["content_hash"])  # not written: another run emits it
            return
        record = dict(adapter.items())
        try:
            store.record_article(record, lastmod=sitemap_lastmod(response) if response is not None else None)
            if response is not None:
                remember_url(store, response, key)
        except OSError as error:
            self.crawler.stats.set_value("newsspider/state/write_error", str(error))
            stop_for_write_failure(self.crawler, getattr(store, "path", "the state"), error)
            return
        extension = self.crawler.get_extension(CrawlState)
        if extension is not None and extension.run_facts is not None:
            extension.run_facts.add(record)

    def item_dropped(self, item: Any, response: Response | None, exception: BaseException, spider: Any) -> None:
        """A page whose article is already emitted (unchanged, a duplicate, a peer's): its URL is known from now on."""
        store = store_of(self.crawler)
        if store is None or response is None or not isinstance(exception, AlreadyEmitted):
            return
        try:
            remember_url(store, response, exception.key)
            if exception.unchanged:
                store.touch_article(exception.key, sitemap_lastmod(response))
        except OSError as error:
            self.crawler.stats.set_value("newsspider/state/write_error", str(error))
            stop_for_write_failure(self.crawler, getattr(store, "path", "the state"), error)


def release_claim(store: SqliteState | RedisState, key: str, content_hash: str) -> None:
    release = getattr(store, "release_claim", None)
    if release is not None:
        release(key, content_hash)


class AlreadyEmitted(DropItem):
    """An item dropped because its article is already emitted (unchanged since, a duplicate this run, or a peer
    worker's); the state remembers the page's URL so that the next run skips it."""

    def __init__(self, message: str, key: str, *, unchanged: bool = False) -> None:
        super().__init__(message, log_level="DEBUG")
        self.key = key
        self.unchanged = unchanged


def _meta(message: Request | Response) -> dict[str, Any]:
    try:
        return message.meta
    except AttributeError:  # a Response made without a Request (tests, `scrapy shell` on a file)
        return {}


def url_key(message: Request | Response) -> str:
    """A fetched URL's identity in the state: the key the spider put in the request's meta (`newsspider_url_key`: its
    live address, so a mirror on another port is the same site), else its address as first requested."""
    meta = _meta(message)
    return meta.get("newsspider_url_key") or dedupe_key((meta.get("redirect_urls") or [message.url])[0])


def sitemap_lastmod(message: Request | Response) -> str | None:
    """The lastmod a sitemap gave for the page (`newsspider_lastmod` in the request's meta), if any."""
    return _meta(message).get("newsspider_lastmod")


def remember_url(store: SqliteState | RedisState, response: Response, key: str) -> None:
    """Note that the page `response` answered gave article `key`, with its sitemap lastmod and HTTP validators, so the
    next run can skip it (or ask for it conditionally)."""
    etag = response.headers.get(b"ETag")
    last_modified = response.headers.get(b"Last-Modified")
    store.record_url(
        UrlState(
            url_key(response),
            key,
            sitemap_lastmod(response),
            etag.decode("latin-1") if etag else None,
            last_modified.decode("latin-1") if last_modified else None,
        )
    )
