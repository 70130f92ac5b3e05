"""A DuckDB view over the runs' JSONL with the export's types, for SQL without an export step."""

from __future__ import annotations

from pathlib import Path

from newsspider.export.schema import DAY, INSTANT, Column, columns, duckdb_type

_OFFSET = r"([Zz]|[+-]\d{2}:?\d{2})$"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _expression(column: Column) -> str:
    """The SQL giving a column its export type from the JSON text (dates read as VARCHAR)."""
    if column.derived_from is not None:
        source = _quote(column.derived_from)
        return f"CASE WHEN {source} IS NULL THEN NULL WHEN length({source}) = 10 THEN '{DAY}' ELSE '{INSTANT}' END"
    name = _quote(column.name)
    if column.kind == "timestamp":
        # A day alone is that day's 00:00 UTC and a time without an offset is UTC, as in the Arrow export,
        # whatever the session's TimeZone.
        return (
            f"CAST(CASE WHEN length({name}) = 10 THEN {name} || 'T00:00:00+00:00' "
            f"WHEN regexp_matches({name}, '{_OFFSET}') THEN {name} ELSE {name} || '+00:00' END AS TIMESTAMPTZ)"
        )
    return name


def _read_type(column: Column) -> str:
    return "VARCHAR" if column.kind == "timestamp" else duckdb_type(column)


def view_sql(paths: list[Path], name: str = "article_versions") -> str:
    """`CREATE OR REPLACE VIEW <name>` over these run files: every version of every article, one row each,
    typed like the Parquet and DuckDB exports (a field an older file lacks is NULL)."""
    cols = columns()
    if not paths:
        select = ", ".join(f"CAST(NULL AS {duckdb_type(c)}) AS {_quote(c.name)}" for c in cols)
        return f"CREATE OR REPLACE VIEW {_quote(name)} AS SELECT {select} WHERE false"
    read = ", ".join(f"{_literal(c.name)}: {_literal(_read_type(c))}" for c in cols if c.derived_from is None)
    files = ", ".join(_literal(str(path)) for path in paths)
    select = ",\n    ".join(f"{_expression(c)} AS {_quote(c.name)}" for c in cols)
    return (
        f"CREATE OR REPLACE VIEW {_quote(name)} AS\nSELECT\n    {select}\n"
        f"FROM read_json([{files}], format = 'newline_delimited', columns = {{{read}}})"
    )
