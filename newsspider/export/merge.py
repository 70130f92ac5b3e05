"""Merge a site's runs into the latest version of each article, and write it as one JSONL or Parquet file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from newsspider.export.feed import PART_SUFFIX, is_published_run


def iter_run_records(output_dir: str | os.PathLike[str], spider: str) -> list[dict[str, Any]]:
    """Every record of every finished run of a spider, oldest run first (the documented glob)."""
    records: list[dict[str, Any]] = []
    for path in sorted(Path(output_dir, spider).glob("*.jsonl")):
        if not is_published_run(path):  # rejects and held-back suspects are not articles of the site
            continue
        with path.open(encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle if line.strip())
    return records


def latest_versions(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per article: the highest version (the latest fetch on a tie), in first-seen order."""
    from newsspider.normalize import dedupe_key

    latest: dict[str, dict[str, Any]] = {}
    for record in records:
        key = dedupe_key(record["canonical_url"])
        current = latest.get(key)
        if current is None or (record.get("version", 1), record.get("fetched_at", "")) >= (
            current.get("version", 1),
            current.get("fetched_at", ""),
        ):
            latest[key] = record
    return list(latest.values())


def write_merged(records: list[dict[str, Any]], destination: Path, fmt: str) -> None:
    """Write merged records atomically as JSONL or Parquet."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(destination.name + PART_SUFFIX)
    if fmt == "jsonl":
        with temporary.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), temporary)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    os.replace(temporary, destination)
