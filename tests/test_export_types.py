"""Typed exports: one Arrow schema derived from the JSON Schema, the same every night, in Parquet, DuckDB and JSONL."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from night_files import NIGHT_1, NIGHT_2, article, two_nights, write_night

import newsspider
from newsspider.cli import main
from newsspider.export.schema import arrow_schema, columns_from_json_schema, parse_timestamp, typed_row
from newsspider.validate import schema

UTC = timezone.utc
TIMESTAMP = pa.timestamp("us", tz="UTC")


def export(output_dir: Path, destination: Path, *options: str) -> None:
    assert main(["export", "--output-dir", str(output_dir), "--to", str(destination), *options]) == 0


def test_two_nights_with_one_edit_export_three_typed_rows(tmp_path: Path) -> None:
    _, edited = two_nights(tmp_path / "output")
    export(tmp_path / "output", tmp_path / "articles.parquet", "--format", "parquet")
    table = pq.read_table(tmp_path / "articles.parquet")
    assert table.num_rows == 3
    for name in ("published", "modified", "fetched_at"):
        assert table.schema.field(name).type == TIMESTAMP
    assert table.schema.field("authors").type == pa.list_(pa.string())
    assert table.schema.field("tags").type == pa.list_(pa.string())
    assert table.schema.field("version").type == pa.int64()
    assert table.schema.field("word_count").type == pa.int64()
    rows = {row["canonical_url"]: row for row in table.to_pylist()}
    assert rows[edited["canonical_url"]]["version"] == 2
    assert rows[edited["canonical_url"]]["content_hash"] == edited["content_hash"]


def test_a_night_without_modified_dates_or_tags_has_exactly_the_same_schema(tmp_path: Path) -> None:
    two_nights(tmp_path / "output")
    export(tmp_path / "output", tmp_path / "both.parquet", "--format", "parquet")
    bare = [article(f"quiet-{n}", modified=None, tags=[], authors=[], section=None) for n in range(3)]
    write_night(tmp_path / "quiet", NIGHT_2, bare)
    export(tmp_path / "quiet", tmp_path / "quiet.parquet", "--format", "parquet")
    first, second = pq.read_schema(tmp_path / "both.parquet"), pq.read_schema(tmp_path / "quiet.parquet")
    assert second.equals(first, check_metadata=True)
    assert pq.read_table(tmp_path / "quiet.parquet").column("modified").null_count == 3


def test_duckdb_date_trunc_works_over_both_nights_files(tmp_path: Path) -> None:
    two_nights(tmp_path / "output")
    export(tmp_path / "output", tmp_path / "both.parquet", "--format", "parquet")
    write_night(tmp_path / "quiet", NIGHT_2, [article("quiet-one", modified=None, tags=[], published="2024-04-02")])
    export(tmp_path / "quiet", tmp_path / "quiet.parquet", "--format", "parquet")
    files = [str(tmp_path / "both.parquet"), str(tmp_path / "quiet.parquet")]
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    months = connection.execute(
        "SELECT strftime(date_trunc('month', published), '%Y-%m') AS month, count(*) FROM read_parquet(?) "
        "GROUP BY month ORDER BY month",
        [files],
    ).fetchall()
    # 2024-02-29T23:30-02:00 is 1 March in UTC; 2024-02-28 is a day alone.
    assert months == [("2024-02", 1), ("2024-03", 2), ("2024-04", 1)]


def test_a_day_alone_is_that_days_midnight_utc_with_day_precision(tmp_path: Path) -> None:
    two_nights(tmp_path / "output")
    rows = {
        row["canonical_url"].rstrip("/").rsplit("/", 1)[1]: row
        for row in newsspider.load(tmp_path / "output").to_pylist()
    }
    rail, ports = rows["romania-rail-link"], rows["baltic-ports"]
    assert rail["published"] == datetime(2024, 2, 28, tzinfo=UTC)
    assert rail["published_precision"] == "day"
    assert rail["modified"] is None and rail["modified_precision"] is None
    assert ports["published"] == datetime(2024, 3, 1, 1, 30, tzinfo=UTC)
    assert ports["published_precision"] == "instant"


def test_duckdb_export_has_the_parquet_exports_types(tmp_path: Path) -> None:
    two_nights(tmp_path / "output")
    export(tmp_path / "output", tmp_path / "articles.parquet", "--format", "parquet")
    export(tmp_path / "output", tmp_path / "articles.duckdb", "--format", "duckdb")
    connection = duckdb.connect(str(tmp_path / "articles.duckdb"), read_only=True)
    from_database = connection.execute("DESCRIBE articles").fetchall()
    from_parquet = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{tmp_path / 'articles.parquet'}')").fetchall()
    assert [row[:2] for row in from_database] == [row[:2] for row in from_parquet]
    types = {row[0]: row[1] for row in from_database}
    assert types["published"] == "TIMESTAMP WITH TIME ZONE"
    assert types["tags"] == "VARCHAR[]"
    assert types["version"] == "BIGINT"
    assert connection.execute("SELECT count(*), max(version) FROM articles").fetchone() == (3, 2)


def test_duckdb_view_over_the_runs_jsonl_has_the_export_types(tmp_path: Path) -> None:
    two_nights(tmp_path / "output")
    export(tmp_path / "output", tmp_path / "articles.duckdb", "--format", "duckdb")
    exported = duckdb.connect(str(tmp_path / "articles.duckdb"), read_only=True).execute("DESCRIBE articles").fetchall()
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'America/New_York'")  # the view must not depend on the session's zone
    connection.execute(newsspider.duckdb_view_sql(tmp_path / "output"))
    assert [r[:2] for r in connection.execute("DESCRIBE article_versions").fetchall()] == [r[:2] for r in exported]
    rail = connection.execute(
        "SELECT published, published_precision FROM article_versions WHERE canonical_url LIKE '%romania-rail-link/'"
    ).fetchone()
    assert rail == (datetime(2024, 2, 28, tzinfo=UTC), "day")
    assert connection.execute("SELECT count(*) FROM article_versions").fetchone() == (4,)


def test_duckdb_view_of_a_folder_without_runs_is_empty_and_typed(tmp_path: Path) -> None:
    (tmp_path / "output" / "eureporter").mkdir(parents=True)
    connection = duckdb.connect()
    connection.execute(newsspider.duckdb_view_sql(tmp_path / "output"))
    assert connection.execute("SELECT count(*) FROM article_versions").fetchone() == (0,)
    assert dict(r[:2] for r in connection.execute("DESCRIBE article_versions").fetchall())["published"] == (
        "TIMESTAMP WITH TIME ZONE"
    )


def test_partitioned_parquet_is_one_folder_per_site_and_month(tmp_path: Path) -> None:
    two_nights(tmp_path / "output")
    write_night(tmp_path / "output", NIGHT_1, [article("other-site-story", site="other")], site="other")
    export(tmp_path / "output", tmp_path / "articles", "--format", "parquet", "--partition")
    folders = sorted(p.relative_to(tmp_path / "articles").as_posix() for p in (tmp_path / "articles").glob("*/*"))
    assert folders == ["site=eureporter/month=2024-02", "site=eureporter/month=2024-03", "site=other/month=2024-03"]
    table = ds.dataset(tmp_path / "articles", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 4
    assert table.schema.field("published").type == TIMESTAMP
    assert sorted(set(table.column("site").to_pylist())) == ["eureporter", "other"]


def test_all_versions_keeps_every_version(tmp_path: Path) -> None:
    two_nights(tmp_path / "output")
    export(tmp_path / "output", tmp_path / "versions.parquet", "--format", "parquet", "--all-versions")
    assert sorted(pq.read_table(tmp_path / "versions.parquet").column("version").to_pylist()) == [1, 1, 1, 2]


def test_jsonl_export_keeps_the_records_as_the_crawl_wrote_them(tmp_path: Path) -> None:
    _, edited = two_nights(tmp_path / "output")
    export(tmp_path / "output", tmp_path / "articles.jsonl", "--format", "jsonl")
    lines = [json.loads(line) for line in (tmp_path / "articles.jsonl").read_text().splitlines()]
    assert len(lines) == 3
    assert edited in lines


def test_a_field_added_by_a_later_schema_maps_without_code_and_is_null_in_older_files() -> None:
    v2 = json.loads(json.dumps(schema()))
    v2["properties"]["paywalled"] = {"type": ["boolean", "null"]}
    v2["properties"]["schema_version"] = {"const": 2}
    v2["properties"]["first_seen"] = {"type": "string", "format": "date-time"}
    columns = columns_from_json_schema(v2)
    kinds = {c.name: c.kind for c in columns}
    assert kinds["paywalled"] == "boolean" and kinds["schema_version"] == "integer"
    assert kinds["first_seen"] == "timestamp" and "first_seen_precision" not in kinds
    old_record = article("an-old-one")
    row = typed_row(old_record, columns)
    assert row["paywalled"] is None and row["first_seen"] is None
    assert typed_row({**old_record, "paywalled": True}, columns)["paywalled"] is True


def test_the_arrow_schema_covers_every_json_schema_field() -> None:
    names = arrow_schema().names
    assert [n for n in names if not n.endswith("_precision")] == list(schema()["properties"])
    assert arrow_schema().field("published_precision").type == pa.string()


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2022-09-06", datetime(2022, 9, 6, tzinfo=UTC), "day"),
        ("2022-09-06T09:12:40+02:00", datetime(2022, 9, 6, 7, 12, 40, tzinfo=UTC), "instant"),
        ("2022-09-06T09:12Z", datetime(2022, 9, 6, 9, 12, tzinfo=UTC), "instant"),
        ("2022-09-06T09:12", datetime(2022, 9, 6, 9, 12, tzinfo=UTC), "instant"),
    ],
)
def test_iso_dates_become_utc_instants(text: str, expected: datetime, precision: str) -> None:
    assert parse_timestamp(text) == (expected, precision)


def test_duckdb_view_reads_a_later_schemas_field_as_null_in_older_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsspider.export.sql as sql

    v2 = json.loads(json.dumps(schema()))
    v2["properties"]["paywalled"] = {"type": ["boolean", "null"]}
    monkeypatch.setattr(sql, "columns", lambda: columns_from_json_schema(v2))
    write_night(tmp_path / "output", NIGHT_1, [article("v1-record"), article("v2-record", paywalled=True)])
    connection = duckdb.connect()
    connection.execute(newsspider.duckdb_view_sql(tmp_path / "output"))
    rows = connection.execute("SELECT headline, paywalled FROM article_versions ORDER BY headline").fetchall()
    assert rows == [("V1 record", None), ("V2 record", True)]
