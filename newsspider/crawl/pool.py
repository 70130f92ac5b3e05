"""Extraction off the reactor: a process pool sized to the cores, so parsing never blocks Twisted's event loop."""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newsspider.discovery import UrlMapper, announced_feeds, iter_links
from newsspider.sites.overrides import extract_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newsspider.sites.profile import SiteProfile

logger = logging.getLogger(__name__)

#: The reason given for a page whose extraction worker died: an error of the run, not a verdict on the page.
EXTRACTION_CRASHED = "extraction-crashed"


@dataclass(frozen=True)
class PageAnalysis:
    """What the crawler needs from one page: its record (or the reason it has none), the crawl URLs of its links (at
    most `max_links`; `links_cut` when there were more) and, when asked, the feeds its head announces."""

    record: dict[str, Any] | None
    reason: str | None = None
    links: tuple[str, ...] = ()
    links_cut: bool = False
    feeds: tuple[str, ...] = ()


#: A page with more than this many times NEWSSPIDER_MAX_LINKS_PER_PAGE links is a link directory, not an article:
#: it is not extracted (extraction of 100,000 links takes minutes), only its first links are taken.
DIRECTORY_FACTOR = 20
_ANCHOR = re.compile(r"<a\b", re.IGNORECASE)
_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def analyze_page(
    html: str,
    url: str,
    profile: SiteProfile | None,
    fetched_at: str,
    mapper: UrlMapper | None,
    max_links: int = 0,
    with_feeds: bool = False,
) -> PageAnalysis:
    """Extraction plus link resolution, all in the worker: the crawler process only schedules what comes back."""
    feeds = tuple(announced_feeds(html, url)) if with_feeds else ()
    anchors = len(_ANCHOR.findall(html)) if max_links else 0
    if max_links and anchors > max_links * DIRECTORY_FACTOR:
        hrefs = [next(filter(None, m.groups())) for m in islice(_HREF.finditer(html), max_links * 4) if any(m.groups())]
        reason = f"not-article: a directory of {anchors} links (not extracted)"
        return _with_links(PageAnalysis(None, reason, feeds=feeds), hrefs, url, mapper, max_links, cut=True)
    result = extract_page(html, url, profile, fetched_at=fetched_at, with_links=mapper is not None)
    return _with_links(PageAnalysis(result.record, result.reason, feeds=feeds), result.links, url, mapper, max_links)


def _with_links(
    page: PageAnalysis,
    hrefs: Iterable[str],
    url: str,
    mapper: UrlMapper | None,
    max_links: int,
    *,
    cut: bool = False,
) -> PageAnalysis:
    """The page with the crawl URLs of its links (at most `max_links`), resolved by the mapper."""
    if mapper is None:
        return page
    resolved = iter_links(list(hrefs), url, mapper)
    links = tuple(islice(resolved, max_links) if max_links else resolved)
    cut = cut or (bool(max_links) and len(links) == max_links and next(resolved, None) is not None)
    return replace(page, links=links, links_cut=cut)


#: Extraction allocates many short-lived objects and few reference cycles: collecting less often costs ~10% less CPU
#: per page (measured on the throughput benchmark's pages), while memory stays flat (peak RSS checked at N and 5*N).
WORKER_GC_THRESHOLDS = (20_000, 20, 20)


def _warm_up() -> None:
    """Import the extraction stack in each worker before the first page arrives; then keep the imported modules out
    of the garbage collector's scans (gc.freeze) and collect less often."""
    import trafilatura  # noqa: F401

    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


class ExtractionPool:
    """Runs `extract_article` in worker processes (NEWSSPIDER_EXTRACT_WORKERS; 0 runs it inline).

    Back-pressure comes from Scrapy itself: a response awaiting extraction still counts in the scraper's
    active size (SCRAPER_SLOT_MAX_ACTIVE_SIZE), so the engine stops downloading while the pool is behind.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPool:
        configured = crawler.settings.get("NEWSSPIDER_EXTRACT_WORKERS")
        workers = int(configured) if configured not in (None, "", "None") else (os.cpu_count() or 1)
        pool = cls(workers)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["newsspider.extract", "newsspider.sites.overrides"])
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_warm_up)
        return self._executor

    async def extract(
        self,
        html: str,
        url: str,
        profile: SiteProfile | None,
        fetched_at: str,
        mapper: UrlMapper | None = None,
        *,
        max_links: int = 0,
        with_feeds: bool = False,
    ) -> PageAnalysis:
        """The page's record (or reason) and, with a mapper, the crawl URLs of its links, deduplicated."""
        arguments = (html, url, profile, fetched_at, mapper, max_links, with_feeds)
        if self.workers <= 0:
            return analyze_page(*arguments)
        try:
            # submit() itself raises when an earlier page already broke the pool.
            future = self._pool().submit(analyze_page, *arguments)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            # A worker died (a crash deep in a parser): replace the pool, report this page, carry on.
            logger.error("Extraction worker died on %s; restarting the pool", url)
            self._executor = None
            return PageAnalysis(None, f"{EXTRACTION_CRASHED}: worker process died")

    def close(self, spider: Any = None) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
