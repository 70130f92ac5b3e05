"""The state in SQLite (STATE_DIR/<site>.sqlite3): one file per site, batched commits that follow the output's
fsync, migrated in place, and never silently replaced when corrupt (StateCorrupt: the crawl rebuilds it)."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsspider.normalize import dedupe_key
from newsspider.state import ArticleState, StateCorrupt, UrlState, now, recover_records
from newsspider.state.facts import RunFacts, VersionFacts

logger = logging.getLogger(__name__)

#: PRAGMA user_version of the current layout. 0: the first layout (articles, emitted, urls); 2: the guard's facts
#: per article (body length, fields, sketch) and the runs table. Older files are migrated when opened.
SCHEMA_VERSION = 2

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
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    facts TEXT NOT NULL
);
"""
_ARTICLE_FACTS = (("body_chars", "INTEGER"), ("fields", "TEXT"), ("sketch", "BLOB"))
_EXPECTED_COLUMNS = {
    "articles": {"key", "canonical_url", "content_hash", "version", "lastmod", "first_seen", "last_seen"}
    | {name for name, _ in _ARTICLE_FACTS},
    "emitted": {"key", "content_hash", "version", "emitted_at"},
    "urls": {"url", "key", "lastmod", "etag", "last_modified"},
    "runs": {"run_id", "recorded_at", "facts"},
}
#: SQLite result codes that mean the store could not be used, not that it is damaged: STATE_DIR's problem (status 6).
_UNUSABLE = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_FULL", "SQLITE_PERM", "SQLITE_BUSY")


class SqliteState:
    """STATE_DIR/<spider>.sqlite3, WAL journal; writes are committed in batches (every COMMIT_EVERY changes or
    COMMIT_SECONDS, and on close), each commit after the `on_commit` callbacks (the crawl fsyncs its output there,
    so the state never counts a line the disk may not hold). A kill loses at most the last batch, and no article:
    the next run takes the killed run's output back in, and only re-fetches the URLs it forgot."""

    COMMIT_EVERY = 500
    COMMIT_SECONDS = 2.0

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._pending = 0
        self._last_commit = time.monotonic()
        self._before_commit: list[Callable[[], None]] = []
        self.migrated_from: int | None = None
        self.db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection:
        if path.exists() and not path.is_file():
            raise StateCorrupt(f"{path} is not a file")
        try:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise StateCorrupt(f"{path} fails its integrity check: {'; '.join(problems[:3])}")
            self._check_tables(db)  # before anything is written to it: a foreign database is left as found
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._migrate(db)
        except sqlite3.DatabaseError as error:
            name = getattr(error, "sqlite_errorname", "") or ""
            if name.startswith(_UNUSABLE) or "unable to open" in str(error):
                raise OSError(f"state {path} is not usable: {error}") from error
            raise StateCorrupt(f"{path} is not a readable state file: {error}") from error
        return db

    def _check_tables(self, db: sqlite3.Connection) -> None:
        """Every table of ours that exists has at least the first layout's columns."""
        for table, expected in _EXPECTED_COLUMNS.items():
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            required = expected - {name for name, _ in _ARTICLE_FACTS}
            if columns and not required <= columns:
                raise StateCorrupt(f"{self.path}: table {table} lacks {', '.join(sorted(required - columns))}")

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StateCorrupt(f"{self.path} has layout {version}, newer than this newsspider's ({SCHEMA_VERSION})")
        db.executescript(_SCHEMA)
        if version < SCHEMA_VERSION:
            have = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
            for name, kind in _ARTICLE_FACTS:
                if name not in have:
                    db.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            if version != 0 or db.execute("SELECT count(*) FROM articles").fetchone()[0]:
                self.migrated_from = version
                logger.info("State %s migrated from layout %d to %d", self.path, version, SCHEMA_VERSION)
        self._check_tables(db)

    @staticmethod
    def quarantine(path: Path) -> Path:
        """Move a corrupt store (with its -wal/-shm files) aside, kept for inspection; returns where it went."""
        aside = path.with_name(f"{path.name}.corrupt-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(aside.with_name(aside.name + suffix))
        path.rename(aside)
        return aside

    # --- reads -----------------------------------------------------------------------------------------------

    def article(self, key: str) -> ArticleState | None:
        row = self.db.execute(
            "SELECT key, canonical_url, content_hash, version, lastmod, first_seen, last_seen, body_chars, fields, "
            "sketch FROM articles WHERE key=?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        facts = None if row[7] is None else VersionFacts(row[7], VersionFacts.parse_fields(row[8]), row[9] or b"")
        return ArticleState(*row[:7], facts=facts)

    def url(self, url: str) -> UrlState | None:
        row = self.db.execute("SELECT url, key, lastmod, etag, last_modified FROM urls WHERE url=?", (url,)).fetchone()
        return UrlState(*row) if row else None

    def has_emitted(self, key: str, content_hash: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM emitted WHERE key=? AND content_hash=?", (key, content_hash)).fetchone()
            is not None
        )

    def known_runs(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT run_id FROM runs")}

    def recent_runs(self, limit: int) -> list[RunFacts]:
        rows = self.db.execute("SELECT run_id, facts FROM runs ORDER BY run_id DESC LIMIT ?", (limit,)).fetchall()
        return [RunFacts.from_json(run_id, json.loads(facts)) for run_id, facts in rows]

    # --- writes ----------------------------------------------------------------------------------------------

    def record_article(self, record: dict[str, Any], lastmod: str | None = None) -> None:
        """Upsert the article (its latest version wins: a record of an older version never takes its place) and
        mark this version emitted."""
        key = dedupe_key(record["canonical_url"])
        stamp = now()
        version = int(record.get("version") or 1)
        facts = VersionFacts.of(record)
        newer = "excluded.version >= articles.version"
        self._write(
            "INSERT INTO articles (key, canonical_url, content_hash, version, lastmod, first_seen, last_seen, "
            "body_chars, fields, sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            f"canonical_url=CASE WHEN {newer} THEN excluded.canonical_url ELSE articles.canonical_url END, "
            f"content_hash=CASE WHEN {newer} THEN excluded.content_hash ELSE articles.content_hash END, "
            f"body_chars=CASE WHEN {newer} THEN excluded.body_chars ELSE articles.body_chars END, "
            f"fields=CASE WHEN {newer} THEN excluded.fields ELSE articles.fields END, "
            f"sketch=CASE WHEN {newer} THEN excluded.sketch ELSE articles.sketch END, "
            "version=max(articles.version, excluded.version), "
            "lastmod=coalesce(excluded.lastmod, articles.lastmod), last_seen=excluded.last_seen",
            (
                key,
                record["canonical_url"],
                record["content_hash"],
                version,
                lastmod,
                stamp,
                stamp,
                facts.body_chars,
                facts.fields_text(),
                facts.sketch,
            ),
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

    def record_run(self, facts: RunFacts) -> None:
        self._write(
            "INSERT OR REPLACE INTO runs (run_id, recorded_at, facts) VALUES (?, ?, ?)",
            (facts.run_id, now(), json.dumps(facts.to_json(), sort_keys=True)),
        )

    def _write(self, sql: str, parameters: tuple[Any, ...]) -> None:
        """One change inside the open batch; the batch is committed when it is big or old enough."""
        if not self.db.in_transaction:
            self._execute("BEGIN")
        self._execute(sql, parameters)
        self._pending += 1
        if self._pending >= self.COMMIT_EVERY or time.monotonic() - self._last_commit >= self.COMMIT_SECONDS:
            self.commit()

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` before every commit; if it raises, the batch is rolled back and the error re-raised."""
        self._before_commit.append(callback)

    def commit(self) -> None:
        if self.db.in_transaction:
            try:
                for callback in self._before_commit:
                    callback()
            except BaseException:
                self.rollback()
                raise
            self._execute("COMMIT")
        self._pending = 0
        self._last_commit = time.monotonic()

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self._pending = 0

    def _execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """A write; a full disk or an I/O error comes out as an OSError, like a failed write of the output."""
        try:
            return self.db.execute(sql, parameters)
        except sqlite3.OperationalError as error:
            raise OSError(f"state {self.path}: {error}") from error

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
        try:
            self.commit()
        finally:
            self.db.close()
