"""Record snapshot: every record (or reason) extract_article gives on sets of saved pages, to prove a refactoring
changes nothing (`--out` before, `--compare` after) and to time extraction in CPU seconds per page."""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/record_snapshot.py` from a checkout without an install
    sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures"
METADATA_PAGES = ROOT / "benchmarks" / "metadata_pages"
#: The live address the fixture mirrors copy (see tests/conftest.py).
LIVE_ROOT = "https://www.eureporter.co"
FETCHED_AT = "2000-01-01T00:00:00+00:00"


@dataclass(frozen=True)
class SavedPage:
    source: str
    id: str
    url: str
    html: bytes
    profile: str | None


def fixture_pages(fixtures: Path) -> Iterator[SavedPage]:
    """Every page of every fixture mirror, at the live address it copies, with the eureporter profile."""
    for path in sorted(fixtures.glob("*/site/**/index.html")):
        site = next(p for p in path.parents if p.name == "site")
        relative = path.parent.relative_to(site).as_posix()
        url = f"{LIVE_ROOT}/{relative}/" if relative != "." else f"{LIVE_ROOT}/"
        yield SavedPage("fixtures", f"{site.parent.name}/{relative}", url, path.read_bytes(), "eureporter")


def metadata_pages(directory: Path) -> Iterator[SavedPage]:
    """benchmarks/metadata_pages: one HTML file a page, its address in truth.json; no profile."""
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        html = (directory / f"{page_id}.html").read_bytes()
        yield SavedPage("metadata", page_id, truth[page_id]["url"], html, None)


def aeb_pages(directory: Path) -> Iterator[SavedPage]:
    """An AEB-shaped directory (html/<id>.html.gz, ground-truth.json); no profile."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        html = gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes())
        yield SavedPage("aeb", page_id, truth[page_id].get("url") or "", html, None)


def snapshot(pages: Sequence[SavedPage]) -> list[dict[str, Any]]:
    from newsspider.extract import extract_article
    from newsspider.sites import get_profile

    rows = []
    for page in pages:
        profile = get_profile(page.profile) if page.profile else None
        result = extract_article(page.html, page.url, profile, fetched_at=FETCHED_AT, with_links=True)
        rows.append(
            {
                "source": page.source,
                "id": page.id,
                "record": result.record,
                "reason": result.reason,
                "links": len(result.links),
            }
        )
    return rows


def cpu_ms_per_page(pages: Sequence[SavedPage], repeats: int) -> list[float]:
    """CPU milliseconds per page of extract_article, once per repeat (after one warm-up pass)."""
    from newsspider.extract import extract_article
    from newsspider.sites import get_profile

    profiles = {page.profile: get_profile(page.profile) if page.profile else None for page in pages}
    figures = []
    for round_ in range(repeats + 1):
        start = time.process_time()
        for page in pages:
            extract_article(page.html, page.url, profiles[page.profile], fetched_at=FETCHED_AT)
        if round_:
            figures.append(1000 * (time.process_time() - start) / len(pages))
    return figures


def compare(old: list[dict[str, Any]], new: list[dict[str, Any]], ignore: Sequence[str] = ()) -> list[str]:
    """One line per page whose record, reason or link count differs, naming the fields that differ (but `ignore`)."""
    before = {(row["source"], row["id"]): row for row in old}
    after = {(row["source"], row["id"]): row for row in new}
    lines = [f"only before: {key}" for key in before.keys() - after.keys()]
    lines += [f"only after: {key}" for key in after.keys() - before.keys()]
    for key in sorted(before.keys() & after.keys()):
        a, b = before[key], after[key]
        if a == b:
            continue
        if a["record"] is not None and b["record"] is not None:
            a = {**a, "record": {k: v for k, v in a["record"].items() if k not in ignore}}
            b = {**b, "record": {k: v for k, v in b["record"].items() if k not in ignore}}
        if a["record"] is None or b["record"] is None:
            lines.append(f"{key}: {a['reason']!r} -> {b['reason']!r}")
            continue
        # A field one side lacks counts as null there: a new schema version may add nullable fields.
        fields = sorted(f for f in a["record"].keys() | b["record"].keys() if a["record"].get(f) != b["record"].get(f))
        if a["links"] != b["links"]:
            fields.append("links")
        if fields:
            lines.append(f"{key}: {', '.join(fields)}")
    return lines


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="fixture mirrors (default: tests/fixtures)")
    parser.add_argument("--metadata", type=Path, default=METADATA_PAGES, help="default: benchmarks/metadata_pages")
    parser.add_argument("--aeb", type=Path, help="an AEB-shaped directory (see benchmarks/extraction.py)")
    parser.add_argument("--out", type=Path, help="write the snapshot (JSON lines)")
    parser.add_argument("--compare", type=Path, metavar="OLD", help="diff against an earlier snapshot; exit 1 if any")
    parser.add_argument("--ignore", action="append", default=[], metavar="FIELD", help="a field --compare skips")
    parser.add_argument("--cpu", type=int, default=0, metavar="N", help="also time N passes in CPU ms per page")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.disable(logging.WARNING)
    pages = [*fixture_pages(args.fixtures), *metadata_pages(args.metadata)]
    if args.aeb is not None:
        pages += aeb_pages(args.aeb)
    rows = snapshot(pages)
    counts = Counter(row["source"] for row in rows)
    records = sum(1 for row in rows if row["record"] is not None)
    print(f"{len(rows)} pages ({', '.join(f'{n} {s}' for s, n in counts.items())}), {records} records")
    if args.out:
        args.out.write_text("".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows))
    status = 0
    if args.compare:
        old = [json.loads(line) for line in args.compare.read_text(encoding="utf-8").splitlines()]
        differences = compare(old, rows, args.ignore)
        print(f"{len(differences)} pages differ from {args.compare}")
        for line in differences:
            print(f"  {line}")
        status = 1 if differences else 0
    if args.cpu:
        figures = cpu_ms_per_page(pages, args.cpu)
        shown = " ".join(f"{f:.2f}" for f in figures)
        print(f"CPU ms/page over {len(pages)} pages: min {min(figures):.2f}, passes: {shown}")
    return status


if __name__ == "__main__":
    sys.exit(main())
