"""State stage: what earlier runs emitted, per article, so nightly runs fetch and emit only what is new or changed.

The published output (every run's JSONL) is the record of truth; the state is an index of it plus what the output
does not hold (URLs with their lastmod and validators). A state that lost or never saw a run's file takes it in
again (`ingest`), so a corrupt state can be rebuilt from the output without re-emitting anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from newsspider.state.facts import RunFacts, VersionFacts

logger = logging.getLogger(__name__)


class StateCorrupt(Exception):
    """The state store cannot be read as one (random bytes, a truncated file, a directory in its place, a malformed
    entry). Never silently replaced: the caller rebuilds it from the output and says so, or stops."""


@dataclass(frozen=True)
class ArticleState:
    """One article as the state remembers it (the facts of its latest version; None when unknown)."""

    key: str
    canonical_url: str
    content_hash: str
    version: int
    lastmod: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    facts: VersionFacts | None = None


@dataclass(frozen=True)
class UrlState:
    """A fetched URL that produced an article: its validators for conditional GET and its lastmod."""

    url: str
    key: str
    lastmod: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class StateStore(Protocol):
    def article(self, key: str) -> ArticleState | None: ...
    def url(self, url: str) -> UrlState | None: ...
    def record_article(self, record: dict[str, Any], lastmod: str | None = None) -> None: ...
    def touch_article(self, key: str, lastmod: str | None) -> None: ...
    def record_url(self, url: UrlState) -> None: ...
    def has_emitted(self, key: str, content_hash: str) -> bool: ...
    def record_run(self, facts: RunFacts) -> None: ...
    def recent_runs(self, limit: int) -> list[RunFacts]: ...
    def known_runs(self) -> set[str]: ...
    def on_commit(self, callback: Callable[[], None]) -> None: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...


def recover_records(store: StateStore, records: Iterable[dict[str, Any]]) -> int:
    """Take in records that a run wrote to the output but may not have committed to the state (any store)."""
    count = 0
    for record in records:
        if isinstance(record.get("canonical_url"), str) and isinstance(record.get("content_hash"), str):
            store.record_article(record)
            count += 1
    return count


def ingest_run(store: StateStore, run_id: str, records: Iterable[dict[str, Any]]) -> int:
    """Take in a published run file the state has not seen (lost, or a rebuild), with its run's guard facts; the
    records are read one at a time."""
    facts = RunFacts(run_id)

    def counted() -> Iterator[dict[str, Any]]:
        for record in records:
            facts.add(record)
            yield record

    count = recover_records(store, counted())
    store.record_run(facts)
    return count


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


__all__ = [
    "ArticleState",
    "RunFacts",
    "StateCorrupt",
    "StateStore",
    "UrlState",
    "VersionFacts",
    "ingest_run",
    "now",
    "recover_records",
]
