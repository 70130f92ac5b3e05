"""Validate stage: every record is checked against the shipped JSON Schema before anything writes it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(files("newsspider").joinpath("schema/article-v1.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def validation_errors(record: dict[str, Any]) -> list[str]:
    """Human-readable reasons a record breaks schema v1; empty when it is valid."""
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path)) or '<record>'}: {e.message[:200]}" for e in errors]
