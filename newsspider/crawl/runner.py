"""The crawl command line, built in one place for the CLI, the tests and the benchmarks."""

from __future__ import annotations

import sys
from pathlib import Path


def crawl_command(
    base_url: str, output_dir: str | Path, state_dir: str | Path, *extra: str, spider: str = "eureporter"
) -> list[str]:
    """`newsspider crawl SPIDER -a base_url=... -s OUTPUT_DIR=... -s STATE_DIR=...` (Scrapy's `scrapy crawl`, with
    newsspider's settings wherever it runs): used by `demo`, the tests and the benchmarks."""
    return [
        sys.executable, "-m", "newsspider", "crawl", spider,
        "-a", f"base_url={base_url}",
        "-s", f"OUTPUT_DIR={output_dir}",
        "-s", f"STATE_DIR={state_dir}",
        *extra,
    ]  # fmt: skip
