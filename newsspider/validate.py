"""Validate stage: each record is checked against the current version of the shipped JSON Schema before writing."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from newsspider import SCHEMA_VERSION


@lru_cache(maxsize=4)
def schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The JSON Schema of a record version (the current one by default; older ones stay shipped for old data)."""
    return json.loads(files("newsspider").joinpath(f"schema/article-v{version}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


@lru_cache(maxsize=1)
def _compiled_check() -> Callable[[Any], Any]:
    """The schema compiled to Python (fastjsonschema): ~25x cheaper than jsonschema for the common, valid case."""
    return fastjsonschema.compile(schema())


def validation_errors(record: dict[str, Any]) -> list[str]:
    """Human-readable reasons a record breaks the current schema; empty when it is valid."""
    try:
        _compiled_check()(record)
        return []
    except fastjsonschema.JsonSchemaValueException as error:
        first_error = f"{error.name.removeprefix('data').lstrip('.') or '<record>'}: {error.message[:200]}"
    # Invalid: jsonschema lists every reason, not only the first (the record goes to the rejects file with them).
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path)) or '<record>'}: {e.message[:200]}" for e in errors] or [first_error]
