"""What the quality guard remembers of each article version and each run: body length, which fields were found,
and a small fingerprint of the body's wording, so that a redesign's empty shells stand out from ordinary edits."""

from __future__ import annotations

import re
import statistics
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: Fields whose presence the guard follows (a record always has url, headline and body).
GUARDED_FIELDS = ("authors", "published", "modified", "section", "description", "image", "tags", "language")
#: How many of the smallest shingle hashes stand for a body (a bottom-k sketch: 4 bytes each).
SKETCH_SIZE = 32
_SHINGLE = 4
_WORD = re.compile(r"\w+")


def present_fields(record: dict[str, Any]) -> frozenset[str]:
    return frozenset(name for name in GUARDED_FIELDS if record.get(name) not in (None, "", [], {}))


def shingle_hashes(body: str) -> set[int]:
    """crc32 of every run of four words (lower case): the body's wording, insensitive to layout and spacing."""
    words = _WORD.findall(body.lower())
    if len(words) < _SHINGLE:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + _SHINGLE]).encode()) for i in range(len(words) - _SHINGLE + 1)}


def sketch(hashes: Iterable[int]) -> bytes:
    """The SKETCH_SIZE smallest hashes, packed: a fixed-size sample of the body's wording."""
    return b"".join(value.to_bytes(4, "big") for value in sorted(hashes)[:SKETCH_SIZE])


def unpack_sketch(data: bytes | None) -> list[int]:
    if not data:
        return []
    return [int.from_bytes(data[i : i + 4], "big") for i in range(0, len(data) - len(data) % 4, 4)]


def retained(previous_sketch: bytes | None, body_hashes: set[int]) -> float | None:
    """Estimated share of the previous version's wording still in the new body (containment, from the previous
    version's sketch): ~1 when paragraphs were added, ~0.8 when one of five was removed, ~0 for a new text."""
    sample = unpack_sketch(previous_sketch)
    if not sample:
        return None
    return sum(1 for value in sample if value in body_hashes) / len(sample)


@dataclass(frozen=True)
class VersionFacts:
    """The facts the state keeps about an article's latest version."""

    body_chars: int
    fields: frozenset[str]
    sketch: bytes

    @classmethod
    def of(cls, record: dict[str, Any], hashes: set[int] | None = None) -> VersionFacts:
        body = record.get("body") or ""
        return cls(len(body), present_fields(record), sketch(shingle_hashes(body) if hashes is None else hashes))

    def fields_text(self) -> str:
        return ",".join(sorted(self.fields))

    @staticmethod
    def parse_fields(text: str | None) -> frozenset[str]:
        return frozenset(name for name in (text or "").split(",") if name)


@dataclass
class RunFacts:
    """A run's published records, summed up: how many, how many had each field, their median body length."""

    run_id: str
    records: int = 0
    fields: dict[str, int] = field(default_factory=dict)
    stored_median: int | None = None
    #: The guard's baselines start again from this run (its records were published on purpose after a drop).
    baseline_reset: bool = False
    _lengths: list[int] = field(default_factory=list, repr=False)

    def add(self, record: dict[str, Any]) -> None:
        self.records += 1
        for name in present_fields(record):
            self.fields[name] = self.fields.get(name, 0) + 1
        self._lengths.append(len(record.get("body") or ""))

    @property
    def body_chars_median(self) -> int | None:
        if self._lengths:
            return int(statistics.median(self._lengths))
        return self.stored_median

    @classmethod
    def of(cls, run_id: str, records: Iterable[dict[str, Any]]) -> RunFacts:
        facts = cls(run_id)
        for record in records:
            facts.add(record)
        return facts

    def to_json(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "fields": self.fields,
            "body_chars_median": self.body_chars_median,
            "baseline_reset": self.baseline_reset,
        }

    @classmethod
    def from_json(cls, run_id: str, data: dict[str, Any]) -> RunFacts:
        return cls(
            run_id,
            int(data.get("records", 0)),
            {str(k): int(v) for k, v in (data.get("fields") or {}).items()},
            data.get("body_chars_median"),
            bool(data.get("baseline_reset", False)),
        )


@dataclass(frozen=True)
class Baseline:
    """The site's recent published runs (since the last baseline reset), as the guard compares against them."""

    records: int
    coverage: dict[str, float]
    body_chars_median: int | None

    @classmethod
    def of(cls, runs: list[RunFacts]) -> Baseline:
        """`runs` newest first; runs before the newest baseline reset are left out."""
        kept: list[RunFacts] = []
        for run in runs:
            if run.records:
                kept.append(run)
            if run.baseline_reset:
                break
        total = sum(run.records for run in kept)
        coverage = {name: sum(run.fields.get(name, 0) for run in kept) / total for name in GUARDED_FIELDS if total}
        medians = [run.body_chars_median for run in kept if run.body_chars_median]
        return cls(total, coverage, int(statistics.median(medians)) if medians else None)
