"""Read a site's finished runs (only `<run>.jsonl`, never side files) and keep the latest version of each article."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

RUN_SUFFIX = ".jsonl"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class ExportError(Exception):
    """A problem the user must fix (no such folder, unknown site, a bad line); its message is one line."""


class BadRecordError(ExportError, ValueError):
    """A line of a run file that is not an article record: names the file and the line."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path, self.line, self.problem = path, line, problem


def is_run_file(path: Path) -> bool:
    """A run's articles are `<run>.jsonl`; `<run>.rejects.jsonl`, `<run>.suspect.jsonl` (any `<run>.<kind>.jsonl`)
    are side files, and `.jsonl.part` files are not finished."""
    return path.name.endswith(RUN_SUFFIX) and "." not in path.name[: -len(RUN_SUFFIX)]


def site_dirs(output_dir: str | os.PathLike[str], site: str | None = None) -> list[Path]:
    """The site folders to read: OUTPUT_DIR/<site>, or every site folder when `site` is None. A known site
    (a profile) that has no folder yet gives none; an unknown one or a missing OUTPUT_DIR is an ExportError."""
    root = Path(output_dir)
    if not root.is_dir():
        raise ExportError(f"no output folder at {root}")
    present = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if site is None:
        return present
    if (root / site).is_dir():
        return [root / site]
    from newsspider.sites import PROFILES

    if site in PROFILES:
        return []
    known = ", ".join(p.name for p in present) or "none"
    raise ExportError(f"unknown site {site!r}: no folder {root / site} (sites in {root}: {known})")


def run_files(folders: Iterable[Path]) -> list[Path]:
    """Every finished run file of the given site folders, oldest run first within each site."""
    return [path for folder in folders for path in sorted(folder.glob("*" + RUN_SUFFIX)) if is_run_file(path)]


def read_run(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each line of a run file; a line that is not a JSON object is a BadRecordError."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise BadRecordError(path, number, f"not valid JSON ({error})") from None
            if not isinstance(record, dict):
                raise BadRecordError(path, number, f"not a JSON object but {type(record).__name__}")
            yield number, record


def iter_run_records(output_dir: str | os.PathLike[str], site: str | None = None) -> list[dict[str, Any]]:
    """Every record of every finished run of one site (or all sites), oldest run first."""
    return [record for path in run_files(site_dirs(output_dir, site)) for _, record in read_run(path)]


@dataclass
class Entry:
    """A record as read, its typed row, and where it came from."""

    record: dict[str, Any]
    row: dict[str, Any]
    path: Path
    line: int


def version_rank(record: dict[str, Any]) -> tuple[int, str]:
    """How versions of one article compare: the higher version, then the later fetch."""
    return (record.get("version") or 1, record.get("fetched_at") or "")


def _typed_rank(row: dict[str, Any]) -> tuple[int, datetime]:
    return (row.get("version") or 1, row.get("fetched_at") or _EPOCH)


def latest_versions(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per article: the highest version (the latest fetch on a tie), in first-seen order."""
    from newsspider.normalize import dedupe_key

    latest: dict[str, dict[str, Any]] = {}
    for record in records:
        key = dedupe_key(record["canonical_url"])
        current = latest.get(key)
        if current is None or version_rank(record) >= version_rank(current):
            latest[key] = record
    return list(latest.values())


def read_entries(paths: Iterable[Path], latest: bool = True) -> list[Entry]:
    """Every record of the files, typed and checked (an untyped value is a BadRecordError naming its line);
    with `latest`, one entry per article (the dedupe key of `canonical_url`), as `latest_versions` chooses."""
    from newsspider.export.schema import typed_row
    from newsspider.normalize import dedupe_key

    entries: list[Entry] = []
    chosen: dict[str, Entry] = {}
    for path in paths:
        for number, record in read_run(path):
            canonical = record.get("canonical_url")
            if not isinstance(canonical, str) or not canonical:
                raise BadRecordError(path, number, "no canonical_url")
            try:
                entry = Entry(record, typed_row(record), path, number)
            except ValueError as error:
                raise BadRecordError(path, number, str(error)) from None
            if not latest:
                entries.append(entry)
                continue
            key = dedupe_key(canonical)
            current = chosen.get(key)
            if current is None or _typed_rank(entry.row) >= _typed_rank(current.row):
                chosen[key] = entry
    return list(chosen.values()) if latest else entries


def to_table(entries: Iterable[Entry]) -> pa.Table:
    """The typed Arrow table of the entries, with the package's one schema whatever the data."""
    import pyarrow as pa

    from newsspider.export.schema import arrow_schema

    return pa.Table.from_pylist([entry.row for entry in entries], schema=arrow_schema())


def load_table(output_dir: str | os.PathLike[str] = "output", site: str | None = None, latest: bool = True) -> pa.Table:
    """All runs of a site (or of every site) as one typed table: the latest version of each article, or all."""
    return to_table(read_entries(run_files(site_dirs(output_dir, site)), latest=latest))
