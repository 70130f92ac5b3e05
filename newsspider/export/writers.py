"""Write an export (JSONL, Parquet, partitioned Parquet, DuckDB) beside its target, moved over it only when whole."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from newsspider.export.merge import Entry, ExportError, to_table

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("jsonl", "parquet", "duckdb")
PARTITION_KEYS = ("site", "month")
DUCKDB_TABLE = "articles"


def _write_jsonl(entries: list[Entry], temporary: Path) -> None:
    with temporary.open("w", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry.record, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _write_parquet(entries: list[Entry], temporary: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(to_table(entries), temporary)


def with_month(table: pa.Table) -> pa.Table:
    """The table with a `month` column (`YYYY-MM` of `published`, UTC; null without a date) to partition by."""
    import pyarrow.compute as pc

    return table.append_column("month", pc.strftime(table["published"], format="%Y-%m"))


def _write_partitioned(entries: list[Entry], temporary: Path) -> None:
    import pyarrow as pa
    import pyarrow.dataset as ds

    partitioning = ds.partitioning(pa.schema([(key, pa.string()) for key in PARTITION_KEYS]), flavor="hive")
    ds.write_dataset(
        with_month(to_table(entries)),
        temporary,
        format="parquet",
        partitioning=partitioning,
        basename_template="part-{i}.parquet",
    )


def _write_duckdb(entries: list[Entry], temporary: Path) -> None:
    import duckdb

    from newsspider.export.schema import columns

    table = to_table(entries)
    connection = duckdb.connect(str(temporary))
    try:
        connection.register("incoming", table)
        connection.execute(f"CREATE TABLE {DUCKDB_TABLE} AS SELECT * FROM incoming")
        for column in columns():
            if column.description:
                comment = column.description.replace("'", "''")
                connection.execute(f"COMMENT ON COLUMN {DUCKDB_TABLE}.\"{column.name}\" IS '{comment}'")
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def _is_partitioned_export(folder: Path) -> bool:
    """A folder this command wrote before: only `site=...` folders in it (or nothing)."""
    return all(child.is_dir() and child.name.startswith("site=") for child in folder.iterdir())


def _check_target(destination: Path, partition: bool) -> None:
    if partition and destination.is_file():
        raise ExportError(f"{destination} is a file; a partitioned export is a folder")
    if partition and destination.is_dir() and not _is_partitioned_export(destination):
        raise ExportError(f"{destination} is a folder that is not a partitioned export; not replacing it")
    if not partition and destination.is_dir():
        raise ExportError(f"{destination} is a folder; give a file name")


def _replace(temporary: Path, destination: Path) -> None:
    """Move the finished export over the target: a file in one atomic rename; a folder by moving the old one
    aside first (if interrupted in between, the old export is left as `<target>.<pid>.old`)."""
    if not temporary.is_dir() or not destination.exists():
        os.replace(temporary, destination)
        return
    old = destination.with_name(f"{destination.name}.{os.getpid()}.old")
    os.replace(destination, old)
    os.replace(temporary, destination)
    shutil.rmtree(old)


def write_export(entries: list[Entry], destination: Path, fmt: str, partition: bool = False) -> None:
    """Write the entries to `destination` in `fmt`; the target is replaced only once the new one is complete."""
    writers: dict[tuple[str, bool], Callable[[list[Entry], Path], None]] = {
        ("jsonl", False): _write_jsonl,
        ("parquet", False): _write_parquet,
        ("parquet", True): _write_partitioned,
        ("duckdb", False): _write_duckdb,
    }
    writer = writers.get((fmt, partition))
    if writer is None:
        raise ExportError(f"--format {fmt}" + (" cannot be partitioned (only parquet)" if partition else " is unknown"))
    _check_target(destination, partition)
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f"{destination.name}.{os.getpid()}.part")
    try:
        writer(entries, temporary)
        _replace(temporary, destination)
    finally:
        if temporary.is_dir():
            shutil.rmtree(temporary, ignore_errors=True)
        else:
            temporary.unlink(missing_ok=True)
        temporary.with_name(temporary.name + ".wal").unlink(missing_ok=True)
