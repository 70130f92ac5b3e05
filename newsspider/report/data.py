"""What the report shows, read once per site: run summaries, per-run field coverage, latest articles, the state."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsspider.export.merge import RUN_SUFFIX, is_run_file, read_run, version_rank
from newsspider.export.schema import Column, columns

SUMMARY_SUFFIX = ".summary.json"
# Optional fields that say how a run went rather than what a page gave: not coverage.
_BOOKKEEPING = frozenset({"site", "previous_content_hash"})


def coverage_columns() -> list[Column]:
    """The fields a page may leave out (null or []), whose share per run shows a site redesign as a cliff."""
    return [c for c in columns() if c.optional and c.derived_from is None and c.name not in _BOOKKEEPING]


def is_present(value: Any) -> bool:
    return value is not None and value != [] and value != ""


@dataclass
class Run:
    """One run: its summary (None when the run left none, e.g. killed) and what its records carried."""

    run_id: str
    summary: dict[str, Any] | None = None
    records: int = 0
    present: Counter[str] = field(default_factory=Counter)

    @property
    def info(self) -> dict[str, Any]:
        return self.summary or {}

    @property
    def started(self) -> datetime | None:
        text = self.info.get("started")
        try:
            moment = datetime.fromisoformat(text) if isinstance(text, str) else None
        except ValueError:
            moment = None
        if moment is None:
            return _time_of_run_id(self.run_id)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

    def coverage(self, name: str) -> float | None:
        return self.present[name] / self.records if self.records else None


def _time_of_run_id(run_id: str) -> datetime | None:
    """Run ids start with the run's UTC start: 2026-11-27T02-00-00Z-4242."""
    try:
        return datetime.strptime(run_id[:20], "%Y-%m-%dT%H-%M-%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


@dataclass
class Article:
    """What the report needs of an article's latest version."""

    rank: tuple[int, str]
    day: str | None
    section: str | None
    word_count: int | None


@dataclass
class StateFacts:
    articles: int
    updated_articles: int
    urls: int
    first_seen_per_day: dict[str, int]


@dataclass
class SiteData:
    name: str
    runs: list[Run]
    articles: list[Article]
    state: StateFacts | None
    state_problem: str | None = None


def _read_records(site_dir: Path, runs: dict[str, Run]) -> list[Article]:
    from newsspider.normalize import dedupe_key

    names = [c.name for c in coverage_columns()]
    latest: dict[str, Article] = {}
    for path in sorted(site_dir.glob("*" + RUN_SUFFIX)):
        if not is_run_file(path):
            continue
        run = runs.setdefault(path.name[: -len(RUN_SUFFIX)], Run(path.name[: -len(RUN_SUFFIX)]))
        for _, record in read_run(path):
            run.records += 1
            run.present.update(name for name in names if is_present(record.get(name)))
            rank = version_rank(record)
            key = dedupe_key(str(record.get("canonical_url") or record.get("url") or ""))
            if key not in latest or rank >= latest[key].rank:
                published = record.get("published")
                words = record.get("word_count")
                latest[key] = Article(
                    rank,
                    published[:10] if isinstance(published, str) else None,
                    record.get("section") if isinstance(record.get("section"), str) else None,
                    words if isinstance(words, int) else None,
                )
    return list(latest.values())


def read_state(path: Path) -> StateFacts:
    """Counts from the state store, opened read-only. While a crawl has it open (its `-wal` file exists) SQLite's
    read-only mode shares the crawl's WAL; otherwise the file is read as immutable, so no `-shm`/`-wal` is left."""
    in_use = path.with_name(path.name + "-wal").exists()
    db = sqlite3.connect(f"{path.resolve().as_uri()}?{'mode=ro' if in_use else 'immutable=1'}", uri=True)
    try:
        articles, updated = db.execute("SELECT count(*), count(*) FILTER (WHERE version > 1) FROM articles").fetchone()
        urls = db.execute("SELECT count(*) FROM urls").fetchone()[0]
        days = db.execute("SELECT substr(first_seen, 1, 10), count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall()
    finally:
        db.close()
    return StateFacts(articles, updated, urls, dict(days))


def read_site(site_dir: Path, state_dir: Path | None) -> SiteData:
    runs: dict[str, Run] = {}
    for path in sorted(site_dir.glob("*" + SUMMARY_SUFFIX)):
        run_id = path.name[: -len(SUMMARY_SUFFIX)]
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summary = None
        runs[run_id] = Run(run_id, summary if isinstance(summary, dict) else None)
    articles = _read_records(site_dir, runs)
    state, problem = None, None
    state_file = state_dir / f"{site_dir.name}.sqlite3" if state_dir else None
    if state_file is not None and state_file.is_file():
        try:
            state = read_state(state_file)
        except sqlite3.Error as error:
            problem = f"state store {state_file} unreadable: {error}"
    ordered = sorted(runs.values(), key=lambda run: run.started or datetime.min.replace(tzinfo=timezone.utc))
    return SiteData(site_dir.name, ordered, articles, state, problem)
