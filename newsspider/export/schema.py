"""One Arrow schema for every export, derived from the shipped JSON Schema, so a new field needs no code here."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

PRECISION_SUFFIX = "_precision"
DAY, INSTANT = "day", "instant"

# A string field is a date when its pattern accepts these and refuses prose (so `.*` is not mistaken for one).
_SAMPLE_INSTANT = "2000-01-31T12:34:56+00:00"
_SAMPLE_DAY = "2000-01-31"
_SAMPLE_PROSE = "not a date"
_DAY_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_SCALAR_KINDS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


@dataclass(frozen=True)
class Column:
    """One column of the typed table: its name, kind (string, integer, number, boolean, timestamp, json, list)
    and, for a list, the kind of its items; `day_precision` marks a timestamp the source may give as a day."""

    name: str
    kind: str
    item: str | None = None
    description: str | None = None
    day_precision: bool = False
    optional: bool = False  # the source may leave it out: null allowed, or an empty list
    derived_from: str | None = None  # the timestamp a *_precision column describes


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s (`#/$defs/...`), merging the referring node's own keywords over the target."""
    while "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _kind_of_value(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string" if isinstance(value, str) else "json"


def _accepts(node: dict[str, Any], text: str) -> bool:
    pattern = node.get("pattern")
    return pattern is not None and re.search(pattern, text) is not None


def _column(name: str, node: dict[str, Any], root: dict[str, Any]) -> Column:
    node = _resolve(node, root)
    column = _typed_column(name, node, root)
    types = node.get("type", [])
    optional = "null" in ([types] if isinstance(types, str) else types) or column.kind == "list"
    return replace(column, optional=optional)


def _typed_column(name: str, node: dict[str, Any], root: dict[str, Any]) -> Column:
    description = node.get("description")
    if "const" in node or "enum" in node:
        values = [node["const"]] if "const" in node else [v for v in node["enum"] if v is not None]
        kinds = {_kind_of_value(v) for v in values}
        return Column(name, kinds.pop() if len(kinds) == 1 else "json", description=description)
    types = node.get("type", [])
    types = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
    if len(types) != 1:
        return Column(name, "json", description=description)
    if types[0] == "array":
        item = _column(name, node.get("items", {}), root)
        return Column(name, "list", item=item.kind if item.kind in _SCALAR_KINDS else "json", description=description)
    if types[0] == "string" and _is_date(node):
        day = node.get("format") == "date" or (_accepts(node, _SAMPLE_DAY) and not _accepts(node, _SAMPLE_PROSE))
        return Column(name, "timestamp", description=description, day_precision=day)
    return Column(name, _SCALAR_KINDS.get(types[0], "json"), description=description)


def _is_date(node: dict[str, Any]) -> bool:
    if node.get("format") in {"date", "date-time"}:
        return True
    return (_accepts(node, _SAMPLE_INSTANT) or _accepts(node, _SAMPLE_DAY)) and not _accepts(node, _SAMPLE_PROSE)


def columns_from_json_schema(json_schema: dict[str, Any]) -> tuple[Column, ...]:
    """The table's columns in the JSON Schema's property order; a date that may be a day alone is followed by
    its `<name>_precision` column (`day` or `instant`)."""
    columns: list[Column] = []
    for name, node in json_schema.get("properties", {}).items():
        column = _column(name, node, json_schema)
        columns.append(column)
        if column.day_precision:
            columns.append(
                Column(
                    name + PRECISION_SUFFIX,
                    "string",
                    description=f"'{DAY}' when {name} gave a day alone (stored as 00:00 UTC), else '{INSTANT}'",
                    derived_from=name,
                )
            )
    return tuple(columns)


@lru_cache(maxsize=1)
def columns() -> tuple[Column, ...]:
    """The columns of the installed package's schema version (`newsspider.validate.schema()`)."""
    from newsspider.validate import schema

    return columns_from_json_schema(schema())


_ARROW_SCALARS = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_", "json": "string"}


def _arrow_type(kind: str, item: str | None = None) -> pa.DataType:
    import pyarrow as pa

    if kind == "timestamp":
        return pa.timestamp("us", tz="UTC")
    if kind == "list":
        return pa.list_(_arrow_type(item or "json"))
    return getattr(pa, _ARROW_SCALARS[kind])()


def arrow_schema_for(cols: tuple[Column, ...], schema_version: Any = None) -> pa.Schema:
    import pyarrow as pa

    fields = [
        pa.field(
            c.name, _arrow_type(c.kind, c.item), metadata={"description": c.description} if c.description else None
        )
        for c in cols
    ]
    metadata = {"newsspider.schema_version": str(schema_version)} if schema_version is not None else None
    return pa.schema(fields, metadata=metadata)


@lru_cache(maxsize=1)
def arrow_schema() -> pa.Schema:
    """The Arrow schema of every export and of `newsspider.load()`: the same whatever the data."""
    from newsspider.validate import schema

    return arrow_schema_for(columns(), schema().get("properties", {}).get("schema_version", {}).get("const"))


_DUCKDB_SCALARS = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "json": "VARCHAR",
    "timestamp": "TIMESTAMPTZ",
}


def duckdb_type(column: Column) -> str:
    if column.kind == "list":
        return _DUCKDB_SCALARS[column.item or "json"] + "[]"
    return _DUCKDB_SCALARS[column.kind]


# Converting one JSON record to a row of typed Python values (what pyarrow takes without guessing).


def parse_timestamp(value: str) -> tuple[datetime, str]:
    """An ISO 8601 day or date-time as an aware UTC datetime and its precision. A day is that day's 00:00 UTC;
    a time without an offset (the schema allows it, the normalizer never writes it) is taken as UTC."""
    if _DAY_ONLY.match(value):
        return datetime(int(value[:4]), int(value[5:7]), int(value[8:10]), tzinfo=timezone.utc), DAY
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc), INSTANT


def _scalar(kind: str, value: Any) -> Any:
    if kind == "json":
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind == "boolean" and isinstance(value, bool):
        return value
    raise ValueError(f"expected {kind}, got {json.dumps(value, ensure_ascii=False)[:80]}")


def typed_row(record: dict[str, Any], cols: tuple[Column, ...] | None = None) -> dict[str, Any]:
    """One record as typed values for every column; a field the record lacks (an older schema) is None.
    Raises ValueError naming the field that does not fit its column."""
    row: dict[str, Any] = {}
    for column in cols or columns():
        if column.derived_from is not None:
            continue
        value = record.get(column.name)
        try:
            if value is None:
                row[column.name] = None
            elif column.kind == "timestamp":
                if not isinstance(value, str):
                    raise ValueError(f"expected an ISO 8601 date string, got {value!r}")
                row[column.name], precision = parse_timestamp(value)
                if column.day_precision:
                    row[column.name + PRECISION_SUFFIX] = precision
            elif column.kind == "list":
                if not isinstance(value, list):
                    raise ValueError(f"expected a list, got {json.dumps(value, ensure_ascii=False)[:80]}")
                row[column.name] = [None if v is None else _scalar(column.item or "json", v) for v in value]
            else:
                row[column.name] = _scalar(column.kind, value)
        except ValueError as error:
            raise ValueError(f"field {column.name!r}: {error}") from None
        if column.day_precision and value is None:
            row[column.name + PRECISION_SUFFIX] = None
    return row
