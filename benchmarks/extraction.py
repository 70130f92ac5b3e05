"""Extraction benchmark (AEB): our extract_article vs plain trafilatura, to see where ours wins or loses."""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/extraction.py` from a checkout without an install
    sys.path.insert(0, str(ROOT))

from benchmarks.aeb_metric import Metrics, PageScore, aggregate, score_page  # noqa: E402

#: Where the data comes from when --data is not given: the public benchmark, cloned by the user.
GET_DATA = (
    "git clone https://github.com/scrapinghub/article-extraction-benchmark /tmp/aeb  "
    "# then: --data /tmp/aeb (html/*.html.gz + ground-truth.json)"
)
SYSTEMS = ("ours", "trafilatura")
BELOW_THRESHOLD = 0.05
WORST_N = 10

# An extractor takes (html, url) and returns (body text, note); the note says why the body is empty.
Extractor = Callable[[str, str], tuple[str, str | None]]


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: str


@dataclass
class Run:
    """One system over all pages: outputs, timings and scores."""

    name: str
    bodies: list[str]
    notes: list[str | None]
    seconds: list[float]
    total_seconds: float
    scores: list[PageScore]
    metrics: Metrics

    @property
    def pages_per_s(self) -> float:
        return len(self.bodies) / self.total_seconds if self.total_seconds > 0 else float("inf")

    @property
    def errors(self) -> int:
        return sum(1 for note in self.notes if note and note.startswith("error:"))

    @property
    def empty(self) -> int:
        return sum(1 for body in self.bodies if not body.strip())


def load_pages(data: Path, limit: int | None = None) -> list[Page]:
    """Read the ground truth and decompress/decode every page once, before any timing."""
    truth: dict[str, dict[str, Any]] = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    if limit is not None:
        ids = ids[:limit]
    pages = []
    for page_id in ids:
        raw = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        item = truth[page_id]
        pages.append(Page(page_id, item.get("url") or "", raw.decode("utf-8"), item.get("articleBody") or ""))
    return pages


def load_ours() -> Extractor | str:
    """Our extractor, or the reason it cannot be imported (yet)."""
    try:
        from newsspider.extract import extract_article
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"

    def run(html: str, url: str) -> tuple[str, str | None]:
        result = extract_article(html, url)
        record = result.record
        if record is None:
            return "", result.reason or "no record"
        return record.get("body") or "", None

    return run


def load_trafilatura() -> Extractor | str:
    try:
        import trafilatura
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"

    def run(html: str, url: str) -> tuple[str, str | None]:
        text = trafilatura.extract(html, url=url)  # default options
        return (text, None) if text else ("", "extract() returned nothing")

    return run


def run_system(name: str, extract: Extractor, pages: Sequence[Page]) -> Run:
    """One untimed warm-up call (lazy imports, caches), then every page in a single timed loop."""
    with contextlib.suppress(Exception):  # a crash is reported below, page by page
        extract(pages[0].html, pages[0].url)
    bodies: list[str] = []
    notes: list[str | None] = []
    seconds: list[float] = []
    start = time.perf_counter()
    for page in pages:
        t0 = time.perf_counter()
        try:
            body, note = extract(page.html, page.url)
        except Exception as exc:  # a crash counts as an empty prediction
            body, note = "", f"error: {type(exc).__name__}: {exc}"
        seconds.append(time.perf_counter() - t0)
        bodies.append(body)
        notes.append(note)
    total = time.perf_counter() - start
    scores = [score_page(page.truth, body) for page, body in zip(pages, bodies, strict=True)]
    return Run(name, bodies, notes, seconds, total, scores, aggregate(scores))


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


def page_diffs(pages: Sequence[Page], ours: Run, theirs: Run) -> list[tuple[Page, float, float, float]]:
    """(page, ours F1, trafilatura F1, diff) for every page, worst diff first."""
    rows = [(page, a.f1, b.f1, a.f1 - b.f1) for page, a, b in zip(pages, ours.scores, theirs.scores, strict=True)]
    return sorted(rows, key=lambda row: (row[3], row[0].id))


def print_report(pages: Sequence[Page], runs: dict[str, Run]) -> None:
    print(f"\nAEB: {len(pages)} pages\n")
    header = f"{'system':<26} {'precision':>9} {'recall':>7} {'F1':>7} {'accuracy':>8} {'pages/s':>8}"
    print(header)
    print("-" * len(header))
    for run in runs.values():
        m = run.metrics
        print(
            f"{run.name:<26} {m.precision:>9.3f} {m.recall:>7.3f} {m.f1:>7.3f} "
            f"{m.accuracy:>8.3f} {run.pages_per_s:>8.1f}"
        )
    for run in runs.values():
        if run.errors or run.empty:
            reasons = Counter(note for note in run.notes if note)
            top = "; ".join(f"{n}x {r}" for r, n in reasons.most_common(3))
            print(f"  {run.name}: {run.empty} empty predictions, {run.errors} errors ({top})")

    if "ours" not in runs or "trafilatura" not in runs:
        return
    ours, theirs = runs["ours"], runs["trafilatura"]
    a, b = ours.metrics, theirs.metrics
    speed = ours.pages_per_s / theirs.pages_per_s if theirs.pages_per_s else float("nan")
    print(
        f"{'diff (ours - trafilatura)':<26} {a.precision - b.precision:>+9.3f} {a.recall - b.recall:>+7.3f} "
        f"{a.f1 - b.f1:>+7.3f} {a.accuracy - b.accuracy:>+8.3f} "
        f"{ours.pages_per_s - theirs.pages_per_s:>+8.1f}  (speed x{speed:.2f})"
    )

    rows = page_diffs(pages, ours, theirs)
    worst = [row for row in rows if row[3] < 0][:WORST_N]
    print(f"\nPages where ours is furthest below trafilatura (per-page F1), {len(worst)} shown:")
    print(f"{'id':<64} {'ours':>6} {'traf':>6} {'diff':>7}  host")
    for page, f_ours, f_theirs, diff in worst:
        print(f"{page.id:<64} {f_ours:>6.3f} {f_theirs:>6.3f} {diff:>+7.3f}  {_host(page.url)}")
    below = sum(1 for row in rows if row[3] < -BELOW_THRESHOLD)
    above = sum(1 for row in rows if row[3] > BELOW_THRESHOLD)
    print(f"\nPages more than {BELOW_THRESHOLD} F1 below trafilatura: {below}  (above: {above})")


def _metrics_dict(run: Run) -> dict[str, Any]:
    m = run.metrics
    return {
        "precision": m.precision,
        "recall": m.recall,
        "f1": m.f1,
        "accuracy": m.accuracy,
        "pages": m.pages,
        "seconds": run.total_seconds,
        "pages_per_s": run.pages_per_s,
        "empty": run.empty,
        "errors": run.errors,
    }


def build_json(data: Path, pages: Sequence[Page], runs: dict[str, Run], unavailable: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "data": str(data),
        "pages": len(pages),
        "systems": {name: _metrics_dict(run) for name, run in runs.items()},
        "unavailable": unavailable,
    }
    try:
        import trafilatura

        out["trafilatura_version"] = trafilatura.__version__
    except ImportError:
        pass
    if "ours" in runs and "trafilatura" in runs:
        a, b = out["systems"]["ours"], out["systems"]["trafilatura"]
        out["diff"] = {key: a[key] - b[key] for key in ("precision", "recall", "f1", "accuracy", "pages_per_s")}
        rows = page_diffs(pages, runs["ours"], runs["trafilatura"])
        out["worst"] = [
            {"id": p.id, "url": p.url, "ours_f1": fa, "trafilatura_f1": fb, "diff": d} for p, fa, fb, d in rows if d < 0
        ][:WORST_N]
        out["pages_below_threshold"] = sum(1 for row in rows if row[3] < -BELOW_THRESHOLD)
        out["pages_above_threshold"] = sum(1 for row in rows if row[3] > BELOW_THRESHOLD)
        out["threshold"] = BELOW_THRESHOLD
    per_page: dict[str, Any] = {}
    for i, page in enumerate(pages):
        entry: dict[str, Any] = {"url": page.url}
        for name, run in runs.items():
            s = run.scores[i]
            entry[name] = {
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "exact": s.exact,
                "seconds": run.seconds[i],
                "note": run.notes[i],
            }
        per_page[page.id] = entry
    out["per_page"] = per_page
    return out


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, help="AEB-shaped directory: html/<id>.html.gz and ground-truth.json")
    parser.add_argument("--only", choices=SYSTEMS, help="run one system only")
    parser.add_argument("--limit", type=int, help="first N pages (sorted by id), for quick runs")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write all figures and per-page scores")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.disable(logging.WARNING)  # extractor warnings would drown the report
    if args.data is None or not (args.data / "ground-truth.json").is_file():
        where = f"under {args.data} " if args.data else ""
        print(f"no AEB data {where}(expected ground-truth.json and html/); get it with:\n  {GET_DATA}", file=sys.stderr)
        return 2
    pages = load_pages(args.data, args.limit)
    if not pages:
        print(f"no pages under {args.data}", file=sys.stderr)
        return 2

    loaders: dict[str, Callable[[], Extractor | str]] = {"ours": load_ours, "trafilatura": load_trafilatura}
    runs: dict[str, Run] = {}
    unavailable: dict[str, str] = {}
    for name in SYSTEMS:
        if args.only and name != args.only:
            continue
        extractor = loaders[name]()
        if isinstance(extractor, str):
            unavailable[name] = extractor
            print(f"{name}: unavailable ({extractor})")
            continue
        runs[name] = run_system(name, extractor, pages)

    if runs:
        print_report(pages, runs)
    if args.json:
        args.json.write_text(json.dumps(build_json(args.data, pages, runs, unavailable), indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0 if runs else 1


if __name__ == "__main__":
    sys.exit(main())
