"""Metadata benchmark: headline, authors, dates and language of our extract_article vs plain trafilatura."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/metadata.py` from a checkout without an install
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA = Path(__file__).resolve().parent / "metadata_pages"
TRUTH_KEYS = ("url", "headline", "authors", "published", "modified", "language")
# Scored fields, in table order; "published_day" compares only the YYYY-MM-DD part of "published".
FIELDS = ("headline", "authors", "published", "published_day", "modified", "language")
LABELS = {"published_day": "published day"}
# trafilatura has no modified date, so that field is reported as n/a for it.
TRAFILATURA_FIELDS = ("headline", "authors", "published", "published_day", "language")

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")

# An extractor maps (html, url) to the predicted fields (TRUTH_KEYS minus url) and a note (why it is empty).
Prediction = dict[str, Any]
Extractor = Callable[[str, str], tuple[Prediction, str | None]]


class DataError(Exception):
    """The benchmark data is broken: a page without truth, a truth entry in the wrong format, ..."""


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: Prediction


@dataclass(frozen=True)
class Mismatch:
    page: str
    field: str
    expected: Any
    got: Any


@dataclass
class Run:
    """One system over all pages: per-field counts of exact matches, mismatches and per-page notes."""

    name: str
    fields: tuple[str, ...]
    total: int = 0
    correct: dict[str, int] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    unavailable: str | None = None

    def accuracy(self, name: str) -> float | None:
        if self.unavailable is not None or name not in self.fields or not self.total:
            return None
        return self.correct.get(name, 0) / self.total


# --- data -------------------------------------------------------------------------------------------------


def _check_date(page_id: str, key: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise DataError(f"{page_id}: {key} must be a string or null, not {value!r}")
    if _DATE_ONLY.fullmatch(value):
        date.fromisoformat(value)
    elif _DATE_TIME_OFFSET.fullmatch(value):
        datetime.fromisoformat(value)
    else:
        raise DataError(f"{page_id}: {key} {value!r} is neither YYYY-MM-DD nor YYYY-MM-DDTHH:MM:SS+HH:MM")


def _check_truth(page_id: str, item: Any) -> None:
    if not isinstance(item, dict) or set(item) != set(TRUTH_KEYS):
        raise DataError(f"{page_id}: truth entry must have exactly the keys {', '.join(TRUTH_KEYS)}")
    if not isinstance(item["url"], str) or not item["url"].startswith(("http://", "https://")):
        raise DataError(f"{page_id}: url must be an http(s) URL")
    if not isinstance(item["headline"], str) or not item["headline"].strip():
        raise DataError(f"{page_id}: headline must be a non-empty string")
    authors = item["authors"]
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        raise DataError(f"{page_id}: authors must be a list of non-empty strings")
    if item["language"] is not None and not (
        isinstance(item["language"], str) and _LANGUAGE.fullmatch(item["language"])
    ):
        raise DataError(f"{page_id}: language must be a lower-case primary subtag or null")
    try:
        _check_date(page_id, "published", item["published"])
        _check_date(page_id, "modified", item["modified"])
    except ValueError as exc:
        raise DataError(f"{page_id}: invalid date: {exc}") from exc


def load_pages(data: Path) -> list[Page]:
    """Read truth.json and every <id>.html; any inconsistency between them is a DataError."""
    truth_path = data / "truth.json"
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {truth_path}: {exc}") from exc
    if not isinstance(truth, dict) or not truth:
        raise DataError(f"{truth_path} must be a non-empty JSON object")
    html_ids = {path.stem for path in data.glob("*.html")}
    if missing := sorted(set(truth) - html_ids):
        raise DataError(f"truth without a page: {', '.join(missing)}")
    if unlabelled := sorted(html_ids - set(truth)):
        raise DataError(f"pages without truth: {', '.join(unlabelled)}")
    pages = []
    for page_id in sorted(truth):
        item = truth[page_id]
        _check_truth(page_id, item)
        try:
            html = (data / f"{page_id}.html").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{page_id}: cannot read page as UTF-8: {exc}") from exc
        pages.append(Page(page_id, item["url"], html, {k: v for k, v in item.items() if k != "url"}))
    return pages


# --- systems ----------------------------------------------------------------------------------------------


def load_ours() -> tuple[Extractor | None, str | None]:
    """Our extractor, or None and the reason when newsspider.extract cannot be imported (yet)."""
    try:
        from newsspider.extract import extract_article
    except Exception as exc:  # missing, or broken mid-edit: report it, still benchmark trafilatura
        return None, f"{type(exc).__name__}: {exc}"

    def ours(html: str, url: str) -> tuple[Prediction, str | None]:
        result = extract_article(html, url)
        record = result.record
        if record is None:
            return {}, f"no record ({result.reason})"
        return {key: record.get(key) for key in TRUTH_KEYS if key != "url"}, None

    return ours, None


def plain_trafilatura(html: str, url: str) -> tuple[Prediction, str | None]:
    """trafilatura's own metadata: title, "; "-joined author string, day-only date, language."""
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None:
        return {}, "no result"
    author = getattr(document, "author", None) or ""
    return {
        "headline": getattr(document, "title", None),
        "authors": [name.strip() for name in author.split(";") if name.strip()],
        "published": getattr(document, "date", None),
        "modified": None,
        "language": getattr(document, "language", None),
    }, None


# --- scoring ----------------------------------------------------------------------------------------------


def _collapse(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _day(value: Any) -> Any:
    return value[:10] if isinstance(value, str) else value


def comparable(name: str, values: Prediction) -> Any:
    """The value of one scored field, in the form that is compared."""
    if name == "headline":
        return _collapse(values.get("headline"))
    if name == "authors":
        return list(values.get("authors") or [])
    if name == "published_day":
        return _day(values.get("published"))
    return values.get(name)


def run_system(name: str, extractor: Extractor, pages: Sequence[Page], fields: tuple[str, ...]) -> Run:
    run = Run(name, fields, total=len(pages), correct=dict.fromkeys(fields, 0))
    for page in pages:
        try:
            predicted, note = extractor(page.html, page.url)
        except Exception as exc:  # a crash counts as an empty prediction and is reported
            predicted, note = {}, f"error: {type(exc).__name__}: {exc}"
        if note:
            run.notes[page.id] = note
        for name_ in fields:
            expected, got = comparable(name_, page.truth), comparable(name_, predicted)
            if expected == got:
                run.correct[name_] += 1
            else:
                run.mismatches.append(Mismatch(page.id, name_, expected, got))
    return run


# --- report -----------------------------------------------------------------------------------------------


def _cell(run: Run, name: str) -> str:
    if run.unavailable is not None:
        return "unavailable"
    accuracy = run.accuracy(name)
    if accuracy is None:
        return "n/a"
    return f"{run.correct[name]:>3}/{run.total:<3} {accuracy:6.1%}"


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def print_report(runs: Sequence[Run], pages: int, data: Path, mismatches_of: Sequence[str]) -> None:
    print(f"Metadata benchmark: {pages} pages in {data}")
    for run in runs:
        if run.unavailable is not None:
            print(f"{run.name}: unavailable ({run.unavailable})")
    print()
    print(f"{'field':<15}" + "".join(f"{run.name:<18}" for run in runs))
    for name in FIELDS:
        print(f"{LABELS.get(name, name):<15}" + "".join(f"{_cell(run, name):<18}" for run in runs))
    for run in runs:
        if run.unavailable is not None or run.name not in mismatches_of:
            continue
        print(f"\nMismatches ({run.name}): {len(run.mismatches)}")
        for m in run.mismatches:
            print(f"  {m.page:<34} {LABELS.get(m.field, m.field):<14} expected {_show(m.expected)}  got {_show(m.got)}")
        if run.notes:
            print(f"Notes ({run.name}):")
            for page_id, note in run.notes.items():
                print(f"  {page_id:<34} {note}")


def as_json(runs: Sequence[Run], pages: int) -> dict[str, Any]:
    systems: dict[str, Any] = {}
    for run in runs:
        scores: dict[str, Any] = {}
        for name in FIELDS:
            accuracy = run.accuracy(name)
            scores[name] = (
                None
                if accuracy is None
                else {"correct": run.correct[name], "total": run.total, "accuracy": round(accuracy, 4)}
            )
        systems[run.name] = {
            "available": run.unavailable is None,
            "unavailable_reason": run.unavailable,
            "fields": scores,
            "mismatches": [asdict(m) for m in run.mismatches],
            "notes": run.notes,
        }
    return {"pages": pages, "systems": systems}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures and mismatches as JSON")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="pages + truth.json (default: %(default)s)")
    parser.add_argument("--trafilatura-mismatches", action="store_true", help="also list trafilatura's mismatches")
    args = parser.parse_args(argv)
    for noisy in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)

    try:
        pages = load_pages(args.data)
    except DataError as exc:
        print(f"metadata benchmark: broken data: {exc}", file=sys.stderr)
        return 2

    ours, why_not = load_ours()
    if ours is None:
        ours_run = Run("ours", FIELDS, total=len(pages), unavailable=why_not)
    else:
        ours_run = run_system("ours", ours, pages, FIELDS)
    runs = [ours_run, run_system("trafilatura", plain_trafilatura, pages, TRAFILATURA_FIELDS)]

    if args.json:
        print(json.dumps(as_json(runs, len(pages)), ensure_ascii=False, indent=2))
    else:
        shown = ["ours", "trafilatura"] if args.trafilatura_mismatches else ["ours"]
        print_report(runs, len(pages), args.data, shown)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` & co.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as the Python docs advise
        sys.exit(0)
