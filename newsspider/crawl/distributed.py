"""scrapy-redis's scheduler made safe for N workers: none quits while a peer still finds work, none wipes theirs."""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

from scrapy import Request
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger(__name__)

#: A worker that has not reported for this long (crashed, killed) no longer counts as a peer.
STALE_AFTER = 60.0
#: How often a busy worker refreshes its entry (each write is one Redis round trip).
REFRESH_EVERY = 2.0
#: How soon a worker with nothing to do looks at the shared queue again while a peer is busy.
POLL_EVERY = 0.5


class SharedScheduler(Scheduler):
    """scrapy_redis.scheduler.Scheduler for N concurrent workers of one crawl (scrapy-redis 0.9.1, Scrapy 2.13+).

    Fixes of the stock scheduler when several workers share one frontier:

    - the stock `close()` flushes the shared queue and dupefilter (SCHEDULER_PERSIST=False), so the first
      worker to finish wipes the others' frontier: here only the last worker out clears it, atomically
      (WATCH on the worker registry, so a worker joining at that moment keeps it);
    - a worker whose queue is momentarily empty while a peer is still fetching pages (that will yield more
      links) would close: here it stays (`has_pending_requests` is True while a peer is busy) and polls the
      queue every POLL_EVERY seconds (the engine alone would only look again on its 5 s heartbeat); a peer
      silent for STALE_AFTER seconds no longer holds it;
    - stats are counted without the `spider` argument that Scrapy 2.19 deprecates.

    Workers register in the hash `<queue key>:workers` (field: host:pid, value: "busy|idle:<unix time>").
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"
        self.workers_key = f"{self.queue.key}:workers"
        self._status: tuple[str, float] = ("", 0.0)
        now = time.time()
        stale = [name for name, value in self.server.hgetall(self.workers_key).items() if not _fresh(value, now)]
        if stale:
            self.server.hdel(self.workers_key, *stale)
        self._report("busy", now)

    def close(self, reason: str) -> None:
        self.server.hdel(self.workers_key, self.worker_id)
        if self.persist:
            return

        def clear_if_last(pipe: Any) -> None:
            now = time.time()
            live = [name for name, value in pipe.hgetall(self.workers_key).items() if _fresh(value, now)]
            pipe.multi()
            if not live:
                pipe.delete(self.queue.key, self.df.key, self.workers_key)

        self.server.transaction(clear_if_last, self.workers_key)

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop(0)
        if request is not None:
            self._report("busy")
            if self.stats:
                self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        """Asked when this worker has nothing in flight: work is pending if it is queued or in a busy peer's hands."""
        if len(self) > 0:
            return True
        now = time.time()
        self._report("idle", now)
        for name, value in self.server.hgetall(self.workers_key).items():
            if _decode(name) != self.worker_id and _fresh(value, now) and _decode(value).startswith("busy:"):
                self._poll_soon()
                return True
        return False

    def _poll_soon(self) -> None:
        """Have the engine ask for the next request again in POLL_EVERY s (its private slot; else its heartbeat)."""
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule(POLL_EVERY)

    def _report(self, status: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        if self._status[0] == status and now - self._status[1] < REFRESH_EVERY:
            return
        self.server.hset(self.workers_key, self.worker_id, f"{status}:{now:.3f}")
        self._status = (status, now)


def _decode(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _fresh(value: bytes | str, now: float) -> bool:
    try:
        stamp = float(_decode(value).split(":", 1)[1])
    except (IndexError, ValueError):
        return False
    return now - stamp < STALE_AFTER
