"""`scrapy crawl news -a url=ROOT` on every site of a news-site corpus (tests/fixtures/sites/ format), scored against
its expected records: articles found and emitted once, headline/authors/published/first and last paragraph/language
right, pages that are not articles emitted, requests, wall and CPU time.

    python benchmarks/corpus_crawl.py [--data DIR ...] [--site NAME ...] [--parallel N]

--data adds corpora in the same format (the held-out one); without it the repository's corpus is crawled.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from sites_server import SITES, SitesServer  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from sites_golden import FIELDS, field_matches, got_fields  # noqa: E402


def record_path(record: dict) -> str:
    parts = urlsplit(record["url"])
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


def crawl(site: Path) -> dict:
    server = SitesServer(site, rewrite_live=True)
    server.start_in_background()
    work = Path(tempfile.mkdtemp(prefix="corpus-crawl-"))
    command = [
        sys.executable, "-m", "newsspider", "crawl", "news", "-a", f"url={server.url}/",
        "-s", f"OUTPUT_DIR={work / 'output'}", "-s", f"STATE_DIR={work / 'state'}", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "NEWSSPIDER_EXTRACT_WORKERS=0", "-L", "WARNING",
    ]  # fmt: skip
    started, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        status = subprocess.run(command, capture_output=True, timeout=900).returncode
    finally:
        server.shutdown()
        server.server_close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    records = [
        json.loads(line)
        for path in (work / "output").glob("*/*.jsonl")
        if not path.name.endswith(".rejects.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    return score(site, records) | {
        "site": site.name,
        "exit": status,
        "requests": sum(server.requests_by_url.values()),
        "seconds": time.monotonic() - started,
        # Children of this process, threads running side by side: an upper bound when --parallel > 1.
        "cpu": after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime,
    }


def score(site: Path, records: list[dict]) -> dict:
    folder = site / "expected"
    expected = {}
    for path in folder.glob("*.json"):
        if path.name not in {"non_articles.json", "duplicates.json"}:
            record = json.loads(path.read_text(encoding="utf-8"))
            expected[record["url"]] = record
    duplicates_file = folder / "duplicates.json"
    duplicates = json.loads(duplicates_file.read_text(encoding="utf-8")) if duplicates_file.exists() else {}
    non_articles = set(json.loads((folder / "non_articles.json").read_text(encoding="utf-8")))
    emitted = Counter(duplicates.get(record_path(r), record_path(r)) for r in records)
    right = Counter()
    for record in records:
        truth = expected.get(duplicates.get(record_path(record), record_path(record)))
        if truth is None:
            continue
        got = got_fields(record, truth.get("standfirst"))
        right.update(field for field in FIELDS if field_matches(field, truth.get(field), got[field]))
    return {
        "articles": len(expected),
        "found_once": sum(1 for url in expected if emitted[url] == 1),
        "twice": sum(1 for url in expected if emitted[url] > 1),
        "non_articles": sum(n for url, n in emitted.items() if url in non_articles),
        "other": sum(n for url, n in emitted.items() if url not in expected and url not in non_articles),
        "right": dict(right),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, action="append", default=[], help="another corpus folder")
    parser.add_argument("--site", action="append", default=[], help="only these sites")
    parser.add_argument("--parallel", type=int, default=2)
    args = parser.parse_args()
    folders = args.data or [SITES]
    missing = [folder for folder in folders if not folder.is_dir()]
    if missing:
        sys.exit(f"no corpus at {', '.join(map(str, missing))} (a folder of <site>/site, <site>/expected)")
    sites = [s for f in folders for s in sorted(f.iterdir()) if (s / "site").is_dir()]
    sites = [s for s in sites if not args.site or s.name in args.site]
    with ThreadPoolExecutor(args.parallel) as pool:
        results = list(pool.map(crawl, sites))
    header = f"{'site':<26} exit  found  twice  non-art  other  " + "  ".join(f"{f[:5]:>5}" for f in FIELDS)
    print(header + "  requests    wall     cpu")
    totals: Counter[str] = Counter()
    for r in results:
        fields = "  ".join(f"{r['right'].get(f, 0):>5}" for f in FIELDS)
        print(
            f"{r['site']:<26} {r['exit']:>4}  {r['found_once']:>2}/{r['articles']:<2}  {r['twice']:>5}  "
            f"{r['non_articles']:>7}  {r['other']:>5}  {fields}  {r['requests']:>8}  {r['seconds']:>5.1f}s  "
            f"{r['cpu']:>5.1f}s"
        )
        totals.update({k: r[k] for k in ("articles", "found_once", "twice", "non_articles", "other", "requests")})
        totals.update({f"right/{k}": v for k, v in r["right"].items()})
    fields = "  ".join(f"{totals[f'right/{f}']:>5}" for f in FIELDS)
    print(
        f"{'all':<26}       {totals['found_once']:>2}/{totals['articles']:<2}  {totals['twice']:>5}  "
        f"{totals['non_articles']:>7}  {totals['other']:>5}  {fields}  {totals['requests']:>8}"
    )


if __name__ == "__main__":
    main()
