"""The item a spider yields: one article in the current schema, field for field (newsspider/schema/article-v2.json)."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsspider import SCHEMA_VERSION


@dataclass
class ArticleItem:
    url: str
    canonical_url: str
    site: str | None
    headline: str
    body: str
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    paywalled: bool | None = None
    word_count: int = 0
    content_hash: str = ""
    fetched_at: str = ""
    schema_version: int = SCHEMA_VERSION
    # Set by the state stage: how many times this article has been emitted, and the hash it had before.
    version: int = 1
    previous_content_hash: str | None = None
