"""The state in SQLite (STATE_DIR/<site>.sqlite3): one file per site, batched commits, moved aside when corrupt."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsspider.normalize import dedupe_key
from newsspider.state import ArticleState, UrlState, now, recover_records

logger = logging.getLogger(__name__)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    lastmod TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS emitted (
    key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    emitted_at TEXT NOT NULL,
    PRIMARY KEY (key, content_hash)
);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    lastmod TEXT,
    etag TEXT,
    last_modified TEXT
);
"""


class SqliteState:
    """STATE_DIR/<spider>.sqlite3, WAL journal; writes are committed in batches (every COMMIT_EVERY changes or
    COMMIT_SECONDS, and on close). A kill loses at most the last batch, and no article: the next run takes the
    records of the killed run's `.part` feed back in (`recover`), and only re-fetches the URLs it forgot."""

    COMMIT_EVERY = 500
    COMMIT_SECONDS = 2.0

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._pending = 0
        self._last_commit = time.monotonic()
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError as error:
            # A corrupt store is moved aside, not fatal: the next run rebuilds it (and emits again).
            broken = path.with_name(path.name + f".corrupt-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
            logger.warning("State %s is unreadable (%s); moved to %s and starting afresh", path, error, broken)
            path.rename(broken)
            self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        db.execute("SELECT count(*) FROM articles").fetchone()
        return db

    def article(self, key: str) -> ArticleState | None:
        row = self.db.execute(
            "SELECT key, canonical_url, content_hash, version, lastmod, first_seen, last_seen "
            "FROM articles WHERE key=?",
            (key,),
        ).fetchone()
        return ArticleState(*row) if row else None

    def url(self, url: str) -> UrlState | None:
        row = self.db.execute("SELECT url, key, lastmod, etag, last_modified FROM urls WHERE url=?", (url,)).fetchone()
        return UrlState(*row) if row else None

    def has_emitted(self, key: str, content_hash: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM emitted WHERE key=? AND content_hash=?", (key, content_hash)).fetchone()
            is not None
        )

    def record_article(self, record: dict[str, Any], lastmod: str | None = None) -> None:
        key = dedupe_key(record["canonical_url"])
        stamp = now()
        version = int(record.get("version") or 1)
        self._write(
            "INSERT INTO articles (key, canonical_url, content_hash, version, lastmod, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET canonical_url=excluded.canonical_url, "
            "content_hash=excluded.content_hash, version=max(articles.version, excluded.version), "
            "lastmod=coalesce(excluded.lastmod, articles.lastmod), last_seen=excluded.last_seen",
            (key, record["canonical_url"], record["content_hash"], version, lastmod, stamp, stamp),
        )
        self._write(
            "INSERT OR IGNORE INTO emitted (key, content_hash, version, emitted_at) VALUES (?, ?, ?, ?)",
            (key, record["content_hash"], version, stamp),
        )

    def touch_article(self, key: str, lastmod: str | None) -> None:
        self._write("UPDATE articles SET last_seen=?, lastmod=coalesce(?, lastmod) WHERE key=?", (now(), lastmod, key))

    def record_url(self, url: UrlState) -> None:
        self._write(
            "INSERT INTO urls (url, key, lastmod, etag, last_modified) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET key=excluded.key, lastmod=coalesce(excluded.lastmod, urls.lastmod), "
            "etag=coalesce(excluded.etag, urls.etag), "
            "last_modified=coalesce(excluded.last_modified, urls.last_modified)",
            (url.url, url.key, url.lastmod, url.etag, url.last_modified),
        )

    def _write(self, sql: str, parameters: tuple[Any, ...]) -> None:
        """One change inside the open batch; the batch is committed when it is big or old enough."""
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        self.db.execute(sql, parameters)
        self._pending += 1
        if self._pending >= self.COMMIT_EVERY or time.monotonic() - self._last_commit >= self.COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self._pending = 0
        self._last_commit = time.monotonic()

    def recover(self, records: Iterable[dict[str, Any]]) -> int:
        count = recover_records(self, records)
        self.commit()
        return count

    def export(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT key, canonical_url, content_hash, version, lastmod FROM articles").fetchall()
        return [
            dict(zip(("key", "canonical_url", "content_hash", "version", "lastmod"), row, strict=False)) for row in rows
        ]

    def close(self) -> None:
        self.commit()
        self.db.close()
