"""Build the held-out AEB split: upstream pages that a tuning set (an AEB-shaped directory) does not contain."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path


def build_heldout(upstream: Path, tuning: Path, out: Path) -> int:
    """Copy upstream pages (html/<id>.html.gz + ground truth) whose ids are not in the tuning set; returns the count."""
    truth = json.loads((upstream / "ground-truth.json").read_text(encoding="utf-8"))
    seen = set(json.loads((tuning / "ground-truth.json").read_text(encoding="utf-8")))
    heldout = {page_id: entry for page_id, entry in sorted(truth.items()) if page_id not in seen}
    (out / "html").mkdir(parents=True, exist_ok=True)
    for page_id in heldout:
        shutil.copyfile(upstream / "html" / f"{page_id}.html.gz", out / "html" / f"{page_id}.html.gz")
    (out / "ground-truth.json").write_text(json.dumps(heldout, indent=4, sort_keys=True, ensure_ascii=False) + "\n")
    return len(heldout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("upstream", type=Path, help="a clone of github.com/scrapinghub/article-extraction-benchmark")
    parser.add_argument("out", type=Path, help="directory to write the held-out pages into")
    parser.add_argument("--tuning", type=Path, required=True, help="the tuning set (html/ + ground-truth.json)")
    args = parser.parse_args(argv)
    count = build_heldout(args.upstream, args.tuning, args.out)
    print(f"{count} held-out pages in {args.out}; score them with: python benchmarks/extraction.py --data {args.out}")
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main())
