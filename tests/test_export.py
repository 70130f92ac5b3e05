"""The export stage: atomic feed storage, recovery of killed runs' files, and merging runs for loaders."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsspider.cli import main
from newsspider.export.feed import JsonlAppender, recover_part_file
from newsspider.export.merge import latest_versions


def _record(url: str, version: int, body: str) -> dict:
    return {"canonical_url": url, "version": version, "body": body, "fetched_at": f"2024-01-0{version}T00:00:00+00:00"}


def test_latest_versions_keeps_the_newest_version_of_each_article() -> None:
    records = [
        _record("https://x.org/a/", 1, "old"),
        _record("https://x.org/b/", 1, "b"),
        _record("https://x.org/a", 2, "new"),
    ]
    merged = latest_versions(records)
    assert [(r["canonical_url"], r["body"]) for r in merged] == [("https://x.org/a", "new"), ("https://x.org/b/", "b")]


def test_recover_part_file_drops_a_half_written_last_line(tmp_path: Path) -> None:
    part = tmp_path / "run.jsonl.part"
    part.write_bytes(b'{"canonical_url": "https://x.org/a/", "content_hash": "h"}\n{"canonical_url": "https://x.or')
    final, records = recover_part_file(part)
    assert final == tmp_path / "run.jsonl"
    assert len(records) == 1
    assert final.read_text().count("\n") == 1
    assert not part.exists()


def test_jsonl_appender_publishes_only_on_close(tmp_path: Path) -> None:
    writer = JsonlAppender(tmp_path / "x.rejects.jsonl")
    writer.write({"url": "u", "reasons": ["r"]})
    assert not (tmp_path / "x.rejects.jsonl").exists()
    writer.close()
    assert json.loads((tmp_path / "x.rejects.jsonl").read_text()) == {"url": "u", "reasons": ["r"]}


def test_export_command_merges_runs_to_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = tmp_path / "output" / "eureporter"
    runs.mkdir(parents=True)
    (runs / "2024-01-01T00-00-00Z-1.jsonl").write_text(json.dumps(_record("https://x.org/a/", 1, "old")) + "\n")
    (runs / "2024-01-02T00-00-00Z-2.jsonl").write_text(json.dumps(_record("https://x.org/a/", 2, "new")) + "\n")
    destination = tmp_path / "articles.parquet"
    status = main(["export", "--output-dir", str(tmp_path / "output"), "--format", "parquet", "--to", str(destination)])
    assert status == 0
    table = pq.read_table(destination).to_pylist()
    assert [(r["body"], r["version"]) for r in table] == [("new", 2)]
