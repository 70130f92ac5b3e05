"""The crawler-side stages under load and failure: batched SQLite state, a dying extraction worker, error counts."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import crashing
import pytest

from newsspider.crawl import pool as pool_module
from newsspider.crawl.pool import EXTRACTION_CRASHED, ExtractionPool
from newsspider.crawl.summary import error_counts
from newsspider.normalize import dedupe_key
from newsspider.state.sqlite import SqliteState, UrlState

RECORD = {"canonical_url": "https://www.eureporter.co/a/one/", "content_hash": "sha256:" + "1" * 64, "version": 1}


def committed_rows(path: Path, table: str) -> int:
    """Rows another connection sees: only what the state has committed."""
    with sqlite3.connect(path) as other:
        return other.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_sqlite_state_reads_its_own_uncommitted_batch(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    state = SqliteState(path)
    state.record_article(RECORD)
    state.record_url(UrlState("www.eureporter.co/a/one", "www.eureporter.co/a/one", "2024-01-01"))
    key = dedupe_key(RECORD["canonical_url"])
    known = state.article(key)
    assert known is not None and known.content_hash == RECORD["content_hash"]
    assert state.url("www.eureporter.co/a/one") is not None
    assert state.has_emitted(key, RECORD["content_hash"])
    assert committed_rows(path, "articles") == 0  # batched, not yet committed
    state.close()
    assert committed_rows(path, "articles") == 1
    assert committed_rows(path, "urls") == 1


def test_sqlite_state_commits_when_the_batch_is_full(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    state = SqliteState(path)
    state.COMMIT_EVERY = 10
    for n in range(6):  # two writes each (article, emitted)
        state.record_article({**RECORD, "canonical_url": f"https://www.eureporter.co/a/{n}/"})
    assert committed_rows(path, "articles") == 5
    state.close()
    assert committed_rows(path, "articles") == 6


def test_sqlite_state_recover_commits_at_once(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    state = SqliteState(path)
    assert state.recover([RECORD, {"url": "no identity"}]) == 1
    assert committed_rows(path, "articles") == 1
    state.close()


def _extract_once(pool: ExtractionPool) -> str | None:
    html = "<html><body><h1>Title</h1><p>Some words here.</p></body></html>"
    return asyncio.run(pool.extract(html, "https://www.eureporter.co/a/b/", None, "2026-01-01T00:00:00+00:00")).reason


def test_dying_worker_is_reported_and_the_pool_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = ExtractionPool(1)
    try:
        monkeypatch.setattr(pool_module, "analyze_page", crashing.die)
        first = _extract_once(pool)
        second = _extract_once(pool)  # the broken pool is replaced, not reused
        monkeypatch.undo()
        after = _extract_once(pool)
    finally:
        pool.close()
    assert first is not None and first.startswith(EXTRACTION_CRASHED)
    assert second is not None and second.startswith(EXTRACTION_CRASHED)
    assert after is not None and not after.startswith(EXTRACTION_CRASHED)


def test_error_counts_include_callbacks_that_raised() -> None:
    stats = {
        "newsspider/errors/http_500": 2,
        f"newsspider/errors/{EXTRACTION_CRASHED}": 3,
        "spider_exceptions/count": 4,
        "spider_exceptions/ValueError": 4,
        "newsspider/pages/article": 9,
    }
    assert error_counts(stats) == {EXTRACTION_CRASHED: 3, "http_500": 2, "spider_exception_ValueError": 4}
