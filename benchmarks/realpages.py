"""Real-pages benchmark: our extract_article vs plain trafilatura on real publishers' pages, body and metadata.

Data: built by benchmarks/realdata.py from public sources (see benchmarks/README.md):

    git clone https://github.com/flairNLP/fundus /tmp/fundus
    python benchmarks/realdata.py /tmp/fundus --out /work/data/realpages
    python benchmarks/realpages.py --data /work/data/realpages            # dev split, both systems

The held-out split is for the final figure: its per-page results and pages are never printed (only
aggregates over groups of at least MIN_GROUP pages) unless --i-know-this-is-heldout is given.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import logging
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/realpages.py` from a checkout without an install
    sys.path.insert(0, str(ROOT))

from benchmarks.realpages_metric import (  # noqa: E402
    FIELDS,
    PageResult,
    Prediction,
    Summary,
    TextIndex,
    clean_text,
    score,
    summarize,
)

GET_DATA = (
    "git clone https://github.com/flairNLP/fundus /tmp/fundus && "
    "python benchmarks/realdata.py /tmp/fundus --out DIR   # then: --data DIR (see benchmarks/README.md)"
)
SYSTEMS = ("ours", "trafilatura")
SPLITS = ("dev", "heldout")
WORST_N = 12
MIN_GROUP = 5  # held-out breakdown rows smaller than this are pooled, so no row tells of one page
HELDOUT_FLAG = "--i-know-this-is-heldout"

Extractor = Callable[[str, str], tuple[Prediction, str | None]]


@dataclass(frozen=True)
class Page:
    id: str
    split: str
    html: str
    truth: dict[str, Any]


@dataclass
class Run:
    """One system over the pages of one load: predictions, notes, CPU and wall seconds per page, scores."""

    name: str
    predictions: list[Prediction]
    notes: list[str | None]
    cpu_seconds: list[float]
    wall_seconds: list[float]
    results: list[PageResult]

    def per_page(self, indices: Sequence[int]) -> tuple[float, float]:
        """Mean CPU and wall seconds a page over these pages."""
        n = max(1, len(indices))
        return sum(self.cpu_seconds[i] for i in indices) / n, sum(self.wall_seconds[i] for i in indices) / n


# --- data -------------------------------------------------------------------------------------------------


def load_pages(data: Path, splits: Sequence[str], limit: int | None = None) -> list[Page]:
    pages: list[Page] = []
    for split in splits:
        truth: dict[str, dict[str, Any]] = json.loads((data / split / "truth.json").read_text("utf-8"))
        for page_id in sorted(truth)[:limit]:
            raw = gzip.decompress((data / split / "html" / f"{page_id}.html.gz").read_bytes())
            pages.append(Page(page_id, split, raw.decode("utf-8", errors="replace"), truth[page_id]))
    return pages


def find_page(data: Path, page_id: str) -> tuple[str, Page] | None:
    for split in SPLITS:
        truth = json.loads((data / split / "truth.json").read_text("utf-8"))
        if page_id in truth:
            raw = gzip.decompress((data / split / "html" / f"{page_id}.html.gz").read_bytes())
            return split, Page(page_id, split, raw.decode("utf-8", errors="replace"), truth[page_id])
    return None


# --- systems ----------------------------------------------------------------------------------------------


def load_ours() -> Extractor | str:
    """extract_article, or why it cannot be imported (the extract package may be mid-restructuring)."""
    try:
        from newsspider.extract import extract_article
    except Exception as exc:  # report it, still benchmark trafilatura
        return f"{type(exc).__name__}: {exc}"

    def ours(html: str, url: str) -> tuple[Prediction, str | None]:
        result = extract_article(html, url)
        record = result.record
        if record is None:
            return Prediction(judged=False), result.reason or "no record"
        return Prediction(
            judged=True,
            body=record.get("body") or "",
            headline=record.get("headline"),
            authors=list(record.get("authors") or []),
            published=record.get("published"),
        ), None

    return ours


def load_trafilatura() -> Extractor | str:
    try:
        import trafilatura
        from trafilatura.utils import normalize_unicode
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"

    def plain(html: str, url: str) -> tuple[Prediction, str | None]:
        # One call with default options: the text is what trafilatura.extract(html, url=url) returns (body, then
        # comments, as extract() joins them); title, author ("; "-joined) and date come from its metadata.
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if document is None:
            return Prediction(judged=False), "no result"
        text = document.text or ""
        if document.comments:
            text = f"{text}\n{document.comments}".strip()
        text = normalize_unicode(text)
        author = document.author or ""
        return Prediction(
            judged=bool(text.strip()),
            body=text,
            headline=document.title,
            authors=[name.strip() for name in author.split(";") if name.strip()],
            published=document.date,
        ), None if text.strip() else "empty text"

    return plain


def run_system(name: str, extract: Extractor, pages: Sequence[Page]) -> Run:
    """One untimed warm-up call, then every page; CPU time is this process's (the extractors start none)."""
    with contextlib.suppress(Exception):
        extract(pages[0].html, pages[0].truth["url"])
    run = Run(name, [], [], [], [], [])
    for page in pages:
        cpu0, wall0 = time.process_time(), time.perf_counter()
        try:
            predicted, note = extract(page.html, page.truth["url"])
        except Exception as exc:  # a crash is an empty prediction, reported
            predicted, note = Prediction(judged=False), f"error: {type(exc).__name__}: {exc}"
        run.cpu_seconds.append(time.process_time() - cpu0)
        run.wall_seconds.append(time.perf_counter() - wall0)
        run.predictions.append(predicted)
        run.notes.append(note)
    run.results = [score(page.truth, predicted) for page, predicted in zip(pages, run.predictions, strict=True)]
    return run


# --- report -----------------------------------------------------------------------------------------------


def _pct(summary: Summary, name: str) -> str:
    rate = summary.rate(name)
    return "n/a" if rate is None else f"{rate:6.1%} ({summary.correct[name]}/{summary.scored[name]})"


def print_table(title: str, pages: Sequence[Page], runs: dict[str, Run], indices: Sequence[int]) -> None:
    print(f"\n{title}: {len(indices)} pages, {len({pages[i].truth['publisher'] for i in indices})} publishers")
    header = f"{'system':<12} {'article':>9} {'P':>6} {'R':>6} {'F1':>6} {'headline':>17} {'authors':>17}"
    header += f" {'published day':>17} {'CPU s/page':>10} {'wall s/page':>11}"
    print(header)
    print("-" * len(header))
    for run in runs.values():
        s = summarize([run.results[i] for i in indices])
        cpu, wall = run.per_page(indices)
        print(
            f"{run.name:<12} {s.judged / s.pages:>8.1%} {s.body.precision:>6.3f} {s.body.recall:>6.3f} "
            f"{s.body.f1:>6.3f} {_pct(s, 'headline'):>17} {_pct(s, 'authors'):>17} {_pct(s, 'published'):>17} "
            f"{cpu:>10.4f} {wall:>11.4f}"
        )
    for run in runs.values():
        s = summarize([run.results[i] for i in indices])
        errors = sum(1 for i in indices if (run.notes[i] or "").startswith("error:"))
        crashed = f"; crashed on {errors} pages (an empty prediction each)" if errors else ""
        kept = f"standfirst (lead) kept on {s.standfirst_kept} of {s.standfirsts} pages that have one"
        print(f"  {run.name}: {kept}{crashed}")


def print_breakdown(key: str, pages: Sequence[Page], runs: dict[str, Run], indices: Sequence[int], pool: bool) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for i in indices:
        groups[str(pages[i].truth.get(key))].append(i)
    hidden = 0
    if pool:  # held-out: no row may show a single page's result
        small = [g for g, members in groups.items() if len(members) < MIN_GROUP]
        pooled = [i for g in small for i in groups.pop(g)]
        if len(pooled) >= MIN_GROUP:
            groups["(pooled)"] = pooled
        else:
            hidden = len(pooled)
    print(f"\nBy {key} (F1 ours/trafilatura; ours: headline, authors, published day, judged an article)")
    for g, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        cells = []
        for run in runs.values():
            cells.append(f"{summarize([run.results[i] for i in members]).body.f1:.3f}")
        line = f"  {g:<10} {len(members):>4} pages  F1 {'/'.join(cells)}"
        if "ours" in runs:
            s = summarize([runs["ours"].results[i] for i in members])
            rates = ["  n/a " if s.rate(n) is None else f"{s.rate(n):6.1%}" for n in FIELDS]
            line += f"  {' '.join(rates)}  {s.judged}/{s.pages}"
        print(line)
    if hidden:
        print(f"  ({hidden} pages in groups too small to show)")


def _short(value: Any, width: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else clean_text(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_worst(pages: Sequence[Page], runs: dict[str, Run], indices: Sequence[int]) -> None:
    """Per-page lists (dev only): each system's lowest body F1s, then its mismatches field by field."""
    for run in runs.values():
        other = next((r for r in runs.values() if r is not run), None)
        rows = sorted(indices, key=lambda i: (run.results[i].body.f1, pages[i].id))[:WORST_N]
        print(f"\n{run.name}: lowest body F1 ({len(rows)} shown)   P     R     F1" + ("  other F1" if other else ""))
        for i in rows:
            b = run.results[i].body
            line = f"  {pages[i].id:<52} {b.precision:.3f} {b.recall:.3f} {b.f1:.3f}"
            line += f"  {other.results[i].body.f1:.3f}" if other else ""
            print(line + (f"  [{run.notes[i]}]" if run.notes[i] else ""))
        for name in FIELDS:
            wrong = [i for i in indices if run.results[i].fields[name] is False]
            print(f"{run.name}: {name} wrong on {len(wrong)} pages")
            for i in wrong[:WORST_N]:
                predicted = getattr(run.predictions[i], name)
                print(f"  {pages[i].id:<52} want {_short(pages[i].truth[name])}\n  {'':<52} got  {_short(predicted)}")
            if len(wrong) > WORST_N:
                print(f"  … {len(wrong) - WORST_N} more (--json lists all)")


def page_json(page: Page, runs: dict[str, Run], i: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"split": page.split, "url": page.truth["url"], "language": page.truth["language"]}
    for run in runs.values():
        r, p = run.results[i], run.predictions[i]
        entry[run.name] = {
            "judged": r.judged,
            "note": run.notes[i],
            "precision": r.body.precision,
            "recall": r.body.recall,
            "f1": r.body.f1,
            "fields": r.fields,
            "standfirst_kept": r.standfirst,
            "headline": p.headline,
            "authors": list(p.authors) if p.authors is not None else None,
            "published": p.published,
        }
    return entry


def summary_json(run: Run, indices: Sequence[int]) -> dict[str, Any]:
    summary = summarize([run.results[i] for i in indices])
    cpu, wall = run.per_page(indices)
    return {
        "pages": summary.pages,
        "judged": summary.judged,
        "precision": summary.body.precision,
        "recall": summary.body.recall,
        "f1": summary.body.f1,
        "fields": {n: {"correct": summary.correct[n], "scored": summary.scored[n]} for n in FIELDS},
        "standfirst": {"kept": summary.standfirst_kept, "pages": summary.standfirsts},
        "cpu_seconds_per_page": cpu,
        "wall_seconds_per_page": wall,
    }


# --- one page, side by side -------------------------------------------------------------------------------


def show_page(page: Page, extractors: dict[str, Extractor]) -> None:
    """Truth vs each system: the fields in columns, then the body paragraph by paragraph (share of each
    true paragraph's shingles a system found; the paragraphs a system added that the truth lacks)."""
    predictions = {name: extract(page.html, page.truth["url"])[0] for name, extract in extractors.items()}
    print(f"{page.id}  ({page.split})  {page.truth['url']}")
    print(f"publisher {page.truth['publisher']}, {page.truth['country']}, {page.truth['language']}")
    for note in page.truth.get("notes") or []:
        print(f"  truth note: {note}")
    for name in ("judged", *FIELDS):
        print(f"\n{name}:\n  {'truth':<12} {_short(page.truth.get(name, True), 100)}")
        for system, p in predictions.items():
            value = getattr(p, name)
            mark = "" if name == "judged" else " ✓" if score(page.truth, p).fields[name] else " ✗"
            print(f"  {system:<12} {_short(list(value) if isinstance(value, list | tuple) else value, 100)}{mark}")
    found = {system: TextIndex(p.body) for system, p in predictions.items()}
    truth_found = TextIndex(page.truth["body"])
    print(f"\nbody: truth paragraphs, share found by {' / '.join(predictions)}")
    for paragraph in page.truth["body"].split("\n\n"):
        shares = " ".join(f"{found[s].coverage(paragraph):4.0%}" for s in predictions)
        print(f"  {shares}  {_short(paragraph, 110)}")
    for system, p in predictions.items():
        extra = [line for line in p.body.split("\n") if line.strip() and truth_found.coverage(line) < 0.5]
        print(f"\n{system}: {len(extra)} paragraphs not in the truth")
        for line in extra:
            print(f"  + {_short(line, 120)}")


# --- main -------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="directory built by benchmarks/realdata.py")
    parser.add_argument("--split", choices=(*SPLITS, "both"), default="dev", help="default: dev")
    parser.add_argument("--only", choices=SYSTEMS, help="run one system only")
    parser.add_argument("--limit", type=int, help="first N pages of each split (by id), for quick runs")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures (and dev per-page results)")
    parser.add_argument("--show", metavar="ID", help="one page: truth vs ours vs trafilatura (dev pages)")
    parser.add_argument(HELDOUT_FLAG, dest="heldout_ok", action="store_true", help="allow per-page held-out output")
    return parser.parse_args(argv)


def _extractors(only: str | None) -> dict[str, Extractor]:
    loaders = {"ours": load_ours, "trafilatura": load_trafilatura}
    extractors: dict[str, Extractor] = {}
    for name in SYSTEMS:
        if only and name != only:
            continue
        extractor = loaders[name]()
        if isinstance(extractor, str):
            print(f"{name}: unavailable ({extractor})")
        else:
            extractors[name] = extractor
    return extractors


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.disable(logging.WARNING)  # extractor warnings would drown the report
    if args.data is None or not all((args.data / s / "truth.json").is_file() for s in SPLITS):
        where = f"under {args.data} " if args.data else ""
        print(
            f"no real-pages data {where}(expected dev/ and heldout/ with truth.json); build it with:", file=sys.stderr
        )
        print(f"  {GET_DATA}", file=sys.stderr)
        return 2
    extractors = _extractors(args.only)
    if not extractors:
        return 1
    if args.show:
        found = find_page(args.data, args.show)
        if found is None:
            print(f"no page {args.show!r} in {args.data}", file=sys.stderr)
            return 2
        if found[0] == "heldout" and not args.heldout_ok:
            print(f"{args.show} is a held-out page: debug on dev pages ({HELDOUT_FLAG} to override)", file=sys.stderr)
            return 2
        show_page(found[1], extractors)
        return 0

    splits = SPLITS if args.split == "both" else (args.split,)
    pages = load_pages(args.data, splits, args.limit)
    runs = {name: run_system(name, extract, pages) for name, extract in extractors.items()}
    by_split = {split: [i for i, p in enumerate(pages) if p.split == split] for split in splits}
    for split, indices in by_split.items():
        heldout_hidden = split == "heldout" and not args.heldout_ok
        print_table(f"{split} split", pages, runs, indices)
        for key in ("language", "country"):
            print_breakdown(key, pages, runs, indices, pool=heldout_hidden)
        if heldout_hidden:
            print("\n(held-out: per-page results are not shown)")
        else:
            print_worst(pages, runs, indices)
    if len(splits) > 1:
        print_table("dev + held-out", pages, runs, list(range(len(pages))))
    if args.json:
        out: dict[str, Any] = {"data": str(args.data), "splits": {}}
        for split, indices in by_split.items():
            out["splits"][split] = {name: summary_json(run, indices) for name, run in runs.items()}
            if split == "dev" or args.heldout_ok:
                out["splits"][split]["per_page"] = {pages[i].id: page_json(pages[i], runs, i) for i in indices}
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
