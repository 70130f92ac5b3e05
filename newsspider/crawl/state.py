"""The state stage in a crawl: open the store, finish what killed runs left, and emit only new or changed articles."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import Response

from newsspider.export.feed import PART_SUFFIX, recover_part_file
from newsspider.normalize import dedupe_key
from newsspider.state import UrlState
from newsspider.state.sqlite import SqliteState

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newsspider.state.redis import RedisState

    Store = SqliteState | RedisState

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
    """Opens the run's state store and finishes what killed runs left in OUTPUT_DIR before crawling."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state_dir = Path(crawler.settings.get("STATE_DIR"))
        self.output_dir = Path(crawler.settings.get("OUTPUT_DIR"))
        self.store: SqliteState | RedisState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlState:
        if not crawler.settings.getbool("NEWSSPIDER_STATE_ENABLED"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.newsspider_state = extension  # type: ignore[attr-defined]
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        if getattr(self.crawler, "newsspider_locked_out", False) or getattr(self.crawler, "newsspider_exit_code", 0):
            return  # the run is already stopping (lock held, unwritable output): leave the state alone
        redis_url = self.crawler.settings.get("REDIS_URL")
        try:
            if redis_url:  # distributed mode: all workers share one state (needs the [redis] extra)
                from newsspider.state.redis import RedisState

                self.store = RedisState.from_url(redis_url, spider.name)
            else:
                self.store = SqliteState(self.state_dir / f"{spider.name}.sqlite3")
        except (OSError, sqlite3.Error) as error:
            from newsspider.crawl.extensions import ExitCode, close_spider, set_exit_code

            logger.error("State %s is not usable: %s", redis_url or self.state_dir, error)
            set_exit_code(self.crawler, ExitCode.OUTPUT_NOT_WRITABLE)
            close_spider(self.crawler, spider, "state_not_writable")
            return
        self.recover_killed_runs(spider.name)

    def recover_killed_runs(self, spider_name: str) -> None:
        directory = self.output_dir / spider_name
        if not directory.is_dir() or self.store is None:
            return
        for part in sorted(directory.glob(f"*{PART_SUFFIX}")):
            match = _PID_IN_RUN_ID.search(part.name)
            if match and _pid_alive(int(match.group(1))):
                continue  # a live run (another worker) is still writing it
            if part.name.endswith(".jsonl" + PART_SUFFIX):
                final, records = recover_part_file(part)
                if not part.name.endswith(".rejects.jsonl" + PART_SUFFIX):
                    self.store.recover(records)
                    self.crawler.stats.inc_value("newsspider/recovered_records", len(records))
                logger.warning("Recovered %d records an interrupted run left in %s -> %s", len(records), part, final)
            else:
                part.unlink(missing_ok=True)

    def spider_closed(self, spider: Any) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def store_of(crawler: Crawler) -> Store | None:
    extension = getattr(crawler, "newsspider_state", None)
    return extension.store if extension is not None else None


class StatePipeline:
    """Emits an article only when it is new or its content changed (then as version n+1), and remembers it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        if not crawler.settings.getbool("NEWSSPIDER_STATE_ENABLED"):
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
        known = store.article(key)
        if known is not None and (
            known.content_hash == adapter["content_hash"] or store.has_emitted(key, adapter["content_hash"])
        ):
            self.crawler.stats.inc_value("newsspider/articles/unchanged")
            raise AlreadyEmitted(
                f"unchanged since version {known.version}: {adapter['canonical_url']}", key, unchanged=True
            )
        claim = getattr(store, "claim_article", None)  # shared (Redis) state: one worker emits each version
        if claim is not None and not claim(key, adapter["content_hash"]):
            self.crawler.stats.inc_value("newsspider/articles/claimed_by_peer")
            raise AlreadyEmitted(f"another worker emits it: {adapter['canonical_url']}", key)
        if known is None:
            self.crawler.stats.inc_value("newsspider/articles/new")
            return item
        adapter["version"] = known.version + 1
        adapter["previous_content_hash"] = known.content_hash
        self.crawler.stats.inc_value("newsspider/articles/updated")
        return item

    def item_scraped(self, item: Any, response: Response, spider: Any) -> None:
        store = store_of(self.crawler)
        if store is not None:
            adapter = ItemAdapter(item)
            store.record_article(dict(adapter.items()), lastmod=sitemap_lastmod(response))
            remember_url(store, response, dedupe_key(adapter["canonical_url"]))

    def item_dropped(self, item: Any, response: Response, exception: BaseException, spider: Any) -> None:
        """A page whose article is already emitted (unchanged, a duplicate, a peer's): its URL is known from now on."""
        store = store_of(self.crawler)
        if store is not None and isinstance(exception, AlreadyEmitted):
            remember_url(store, response, exception.key)
            if exception.unchanged:
                store.touch_article(exception.key, sitemap_lastmod(response))


class AlreadyEmitted(DropItem):
    """An item dropped because its article is already emitted (unchanged since, a duplicate this run, or a peer
    worker's); the state remembers the page's URL so the next run skips it."""

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


def remember_url(store: Store, response: Response, key: str) -> None:
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
