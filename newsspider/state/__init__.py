"""State stage: what earlier runs emitted, per article, so nightly runs fetch and emit only what is new or changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArticleState:
    """One article as the state remembers it."""

    key: str
    canonical_url: str
    content_hash: str
    version: int
    lastmod: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None


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
    def record_url(self, url: UrlState) -> None: ...
    def has_emitted(self, key: str, content_hash: str) -> bool: ...
    def close(self) -> None: ...


def recover_records(store: StateStore, records: Iterable[dict[str, Any]]) -> int:
    """Take in records that a killed run wrote but may not have committed to the state (any store)."""
    count = 0
    for record in records:
        if "canonical_url" in record and "content_hash" in record:
            store.record_article(record)
            count += 1
    return count


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


__all__ = ["ArticleState", "StateStore", "UrlState", "now", "recover_records"]
