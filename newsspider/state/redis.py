"""State stage in Redis, so that several workers crawling one site share what was emitted and never emit twice."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import redis

from newsspider.normalize import dedupe_key
from newsspider.state import ArticleState, StateCorrupt, UrlState, now, recover_records
from newsspider.state.facts import RunFacts, VersionFacts


class RedisState:
    """The SqliteState interface over Redis; every key lives under `<prefix>:<spider>:`.

    - `<p>:article:<key>`: a hash per article (canonical_url, content_hash, version, lastmod, first_seen, last_seen);
    - `<p>:url:<url>`: a hash per fetched URL (key, lastmod, etag, last_modified);
    - `<p>:emitted`: a set of `key|content_hash`, the versions some worker emitted (or claimed to emit);
    - `<p>:runs`: a hash run id -> the run's guard facts (JSON).

    Absent values are absent hash fields (Redis has no NULL), read back as None. An entry that is not what this
    layout writes (a missing field, a non-number version, a key of another type) raises StateCorrupt, naming it:
    the workers' shared state cannot be rebuilt from one worker's output, so the run stops instead.
    """

    def __init__(self, client: redis.Redis, spider: str, *, prefix: str = "newsspider") -> None:
        self.client = client
        self.namespace = f"{prefix}:{spider}"
        self.emitted_key = f"{self.namespace}:emitted"
        self.runs_key = f"{self.namespace}:runs"

    @classmethod
    def from_url(cls, url: str, spider: str, *, prefix: str = "newsspider") -> RedisState:
        """Connect to REDIS_URL (redis://host:port/db) and PING it.

        An unreachable or refusing server raises the builtin ConnectionError (an OSError, like an unusable
        STATE_DIR), so callers need not import redis to handle it.
        """
        try:
            client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=30, socket_connect_timeout=10)
            client.ping()
        except (redis.RedisError, ValueError) as error:
            raise ConnectionError(f"Redis state at {url} is not usable: {error}") from error
        return cls(client, spider, prefix=prefix)

    # --- keys ------------------------------------------------------------------------------------------------

    def article_key(self, key: str) -> str:
        return f"{self.namespace}:article:{key}"

    def url_key(self, url: str) -> str:
        return f"{self.namespace}:url:{url}"

    @staticmethod
    def _member(key: str, content_hash: str) -> str:
        return f"{key}|{content_hash}"

    # --- reads -----------------------------------------------------------------------------------------------

    def article(self, key: str) -> ArticleState | None:
        name = self.article_key(key)
        values = self._hash(name)
        if not values:
            return None
        try:
            facts = None
            if "body_chars" in values:
                sketch = bytes.fromhex(values.get("sketch", ""))
                facts = VersionFacts(int(values["body_chars"]), VersionFacts.parse_fields(values.get("fields")), sketch)
            return ArticleState(
                key=key,
                canonical_url=values["canonical_url"],
                content_hash=values["content_hash"],
                version=int(values["version"]),
                lastmod=values.get("lastmod"),
                first_seen=values.get("first_seen"),
                last_seen=values.get("last_seen"),
                facts=facts,
            )
        except (KeyError, ValueError) as error:
            raise StateCorrupt(f"Redis state entry {name} is malformed ({error!r}): {values}") from error

    def url(self, url: str) -> UrlState | None:
        values = self._hash(self.url_key(url))
        if "key" not in values:
            return None  # absent, or malformed: the page is fetched again and the entry rewritten
        return UrlState(url, values["key"], values.get("lastmod"), values.get("etag"), values.get("last_modified"))

    def _hash(self, name: str) -> dict[str, str]:
        try:
            return self.client.hgetall(name)  # type: ignore[return-value]
        except redis.ResponseError as error:  # WRONGTYPE: something else lives under our key
            raise StateCorrupt(f"Redis state entry {name} is not a hash: {error}") from error

    def has_emitted(self, key: str, content_hash: str) -> bool:
        try:
            return bool(self.client.sismember(self.emitted_key, self._member(key, content_hash)))
        except redis.ResponseError as error:
            raise StateCorrupt(f"Redis state entry {self.emitted_key} is not a set: {error}") from error

    def known_runs(self) -> set[str]:
        return set(self.client.hkeys(self.runs_key))  # type: ignore[arg-type]

    def recent_runs(self, limit: int) -> list[RunFacts]:
        runs: dict[str, str] = self.client.hgetall(self.runs_key)  # type: ignore[assignment]
        newest = sorted(runs, reverse=True)[:limit]
        try:
            return [RunFacts.from_json(run_id, json.loads(runs[run_id])) for run_id in newest]
        except (ValueError, TypeError, AttributeError) as error:
            raise StateCorrupt(f"Redis state entry {self.runs_key} is malformed: {error}") from error

    # --- writes ----------------------------------------------------------------------------------------------

    def claim_article(self, key: str, content_hash: str) -> bool:
        """Reserve the emission of this version: True for exactly one caller across all workers (SADD's 1 or 0).

        Claim just before the item goes to the feed; `record_article` later adds the same member (a no-op).
        A claimed version counts as emitted for `has_emitted`, so a claim whose item is then lost is not retried
        by other workers unless `release_claim` gives it back.
        """
        return bool(self.client.sadd(self.emitted_key, self._member(key, content_hash)))

    def release_claim(self, key: str, content_hash: str) -> None:
        """Give a claim back (the item could not be written after all), so another run may emit it."""
        self.client.srem(self.emitted_key, self._member(key, content_hash))

    def record_article(self, record: dict[str, Any], lastmod: str | None = None) -> None:
        """Upsert the article and mark this version emitted, in one MULTI/EXEC (WATCHed, retried on a race)."""
        key = dedupe_key(record["canonical_url"])
        article_key = self.article_key(key)
        stamp = now()
        version = int(record.get("version") or 1)
        facts = VersionFacts.of(record)

        def upsert(pipe: redis.client.Pipeline) -> None:
            stored = pipe.hget(article_key, "version")  # immediate: the pipeline is WATCHing, not yet in MULTI
            fields = {
                "canonical_url": record["canonical_url"],
                "content_hash": record["content_hash"],
                "version": max(version, int(stored)) if stored is not None else version,
                "last_seen": stamp,
                "body_chars": facts.body_chars,
                "fields": facts.fields_text(),
                "sketch": facts.sketch.hex(),
            }
            if stored is not None and int(stored) > version:  # an older version: the latest keeps its own facts
                for name in ("canonical_url", "content_hash", "body_chars", "fields", "sketch"):
                    del fields[name]
            if lastmod:
                fields["lastmod"] = lastmod
            pipe.multi()
            pipe.hset(article_key, mapping=fields)
            pipe.hsetnx(article_key, "first_seen", stamp)
            pipe.sadd(self.emitted_key, self._member(key, record["content_hash"]))

        self.client.transaction(upsert, article_key)

    def touch_article(self, key: str, lastmod: str | None) -> None:
        """Seen again unchanged: update last_seen (and lastmod when given), only if the article is known."""
        article_key = self.article_key(key)

        def touch(pipe: redis.client.Pipeline) -> None:
            if not pipe.exists(article_key):
                pipe.multi()
                return
            fields = {"last_seen": now()}
            if lastmod:
                fields["lastmod"] = lastmod
            pipe.multi()
            pipe.hset(article_key, mapping=fields)

        self.client.transaction(touch, article_key)

    def record_url(self, url: UrlState) -> None:
        """Upsert a URL: its key always, lastmod and validators only when given (as SQL's coalesce(new, old))."""
        fields = {"key": url.key}
        for name in ("lastmod", "etag", "last_modified"):
            value = getattr(url, name)
            if value:
                fields[name] = value
        self.client.hset(self.url_key(url.url), mapping=fields)

    def record_run(self, facts: RunFacts) -> None:
        self.client.hset(self.runs_key, facts.run_id, json.dumps(facts.to_json(), sort_keys=True))

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Redis applies every write at once (no batch): the output is synced by the run before it counts a line."""

    def commit(self) -> None:
        """Nothing is batched in Redis."""

    def recover(self, records: Iterable[dict[str, Any]]) -> int:
        return recover_records(self, records)

    def export(self) -> list[dict[str, Any]]:
        """Every article (key, canonical_url, content_hash, version, lastmod), as SqliteState.export gives them."""
        prefix = self.article_key("")
        rows = []
        for name in self.client.scan_iter(match=_escape_glob(prefix) + "*", count=1000):
            values: dict[str, str] = self.client.hgetall(name)  # type: ignore[assignment]
            if values:
                rows.append(
                    {
                        "key": str(name)[len(prefix) :],
                        "canonical_url": values["canonical_url"],
                        "content_hash": values["content_hash"],
                        "version": int(values["version"]),
                        "lastmod": values.get("lastmod"),
                    }
                )
        return rows

    def clear(self) -> int:
        """Delete every key of this spider's namespace (tests, or starting a site afresh); returns how many."""
        names = list(self.client.scan_iter(match=_escape_glob(self.namespace) + ":*", count=1000))
        return int(self.client.delete(*names)) if names else 0

    def close(self) -> None:
        self.client.close()


def _escape_glob(text: str) -> str:
    """Escape Redis glob metacharacters so a key prefix matches literally in SCAN MATCH."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
