"""Nights of a crawl written as files, the way the crawl leaves them: OUTPUT_DIR/<site>/<run>.jsonl and summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsspider.normalize import content_hash, word_count

LIVE = "https://www.eureporter.co"


def article(
    slug: str,
    *,
    body: str | None = None,
    version: int = 1,
    previous: str | None = None,
    published: str | None = "2024-03-05T09:30:00+01:00",
    modified: str | None = "2024-03-06T10:00:00+01:00",
    authors: list[str] | None = None,
    tags: list[str] | None = None,
    section: str | None = "Politics",
    fetched_at: str = "2024-03-07T02:00:05+00:00",
    site: str = "eureporter",
    **extra: Any,
) -> dict[str, Any]:
    """A schema-v1 record as the crawl writes it (fields in the crawl's order)."""
    body = body or f"The first paragraph of {slug}.\n\nA second paragraph with a few more words in it."
    record = {
        "url": f"{LIVE}/{slug}/",
        "canonical_url": f"{LIVE}/{slug}/",
        "site": site,
        "headline": slug.replace("-", " ").capitalize(),
        "body": body,
        "authors": ["Ion Rusu"] if authors is None else authors,
        "published": published,
        "modified": modified,
        "language": "en",
        "description": f"About {slug}.",
        "section": section,
        "tags": ["Moldova", "Energy"] if tags is None else tags,
        "image": None,
        "word_count": word_count(body),
        "content_hash": content_hash(body),
        "fetched_at": fetched_at,
        "schema_version": 1,
        "version": version,
        "previous_content_hash": previous,
    }
    record.update(extra)
    return record


def write_night(
    output_dir: Path, run_id: str, records: list[dict[str, Any]], site: str = "eureporter", **summary: Any
) -> Path:
    """One finished run: `<run>.jsonl` and, when summary fields are given, `<run>.summary.json`."""
    folder = output_dir / site
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    if summary:
        (folder / f"{run_id}.summary.json").write_text(json.dumps({"spider": site, "run_id": run_id, **summary}))
    return path


def summary(
    started: str,
    *,
    pages: int = 40,
    new: int = 3,
    updated: int = 0,
    errors: dict[str, int] | None = None,
    code: int = 0,
) -> dict[str, Any]:
    """The fields of a run summary the report reads (the crawl writes more)."""
    return {
        "started": started,
        "duration_seconds": 12.5,
        "pages_fetched": pages,
        "articles": {"new": new, "updated": updated, "unchanged": 0, "written": new + updated, "skipped_known": 0},
        "errors": errors or {},
        "error_ratio": 0.0,
        "exit_code": code,
        "exit_status": "ok" if code == 0 else "too_many_errors",
    }


NIGHT_1 = "2024-03-07T02-00-00Z-101"
NIGHT_2 = "2024-03-08T02-00-00Z-202"


def two_nights(output_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Night 1: three articles. Night 2: one of them edited (version 2). Returns (first, edited) of that one."""
    first = article("moldova-gas-deal", published="2024-03-05T09:30:00+01:00")
    write_night(
        output_dir,
        NIGHT_1,
        [
            first,
            article("romania-rail-link", published="2024-02-28", modified=None, tags=[]),
            article("baltic-ports", published="2024-02-29T23:30:00-02:00", authors=["A. Writer", "B. Writer"]),
        ],
    )
    edited_body = first["body"] + "\n\nA paragraph added on the second night."
    edited = article(
        "moldova-gas-deal",
        body=edited_body,
        version=2,
        previous=first["content_hash"],
        modified="2024-03-07T18:00:00+01:00",
        fetched_at="2024-03-08T02:00:07+00:00",
    )
    write_night(output_dir, NIGHT_2, [edited])
    return first, edited
