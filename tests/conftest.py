"""Shared test fixtures: the fixture mirrors, a real local HTTP server for them, and a real `scrapy crawl` runner."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import pytest

import newsspider
from newsspider.crawl.runner import crawl_command
from newsspider.mirror import MirrorServer

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
#: Mirrors shipped in the package (the demo's): their goldens stay in tests/fixtures/<mirror>/expected.
PACKAGE_MIRRORS = Path(newsspider.__file__).resolve().parent / "demo"
LIVE_ROOT = "https://www.eureporter.co"
T = TypeVar("T")


def mirror_site(mirror: str) -> Path:
    """The served folder of a fixture mirror: tests/fixtures/<mirror>/site, or the package's demo copy."""
    local = FIXTURES / mirror / "site"
    return local if local.is_dir() else PACKAGE_MIRRORS / mirror


MIRRORS = sorted(p.parent.name for p in FIXTURES.glob("*/expected") if mirror_site(p.parent.name).is_dir())


@dataclass
class Golden:
    mirror: str
    name: str
    expected: dict
    html_path: Path


def golden_files(mirror: str) -> list[Golden]:
    base = FIXTURES / mirror
    result = []
    for path in sorted((base / "expected").glob("*.json")):
        if path.name == "non_articles.json":
            continue
        expected = json.loads(path.read_text(encoding="utf-8"))
        result.append(Golden(mirror, path.stem, expected, page_file(mirror_site(mirror), expected["url"])))
    return result


def page_file(site: Path, url: str) -> Path:
    parts = urlsplit(url)
    relative = parts.path.strip("/")
    directory = site / relative if relative else site
    if parts.query:
        directory = site / (relative + "?" + parts.query)
    return directory / "index.html" if directory.is_dir() else directory


def non_article_paths(mirror: str) -> list[str]:
    path = FIXTURES / mirror / "expected" / "non_articles.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


@pytest.fixture
def mirror_server(request: pytest.FixtureRequest) -> Iterator[MirrorServer]:
    """A real HTTP server on 127.0.0.1 serving one fixture mirror (the test's `mirror` parameter)."""
    mirror = getattr(request, "param", "eureporter")
    server = MirrorServer(mirror_site(mirror))
    server.start_in_background()
    yield server
    server.shutdown()
    server.server_close()


@dataclass
class CrawlRun:
    returncode: int
    output_dir: Path
    stdout: str
    stderr: str
    #: The site the run's files are named after (a `news -a url=` crawl of 127.0.0.1 is "127.0.0.1").
    site: str = "eureporter"
    #: The summary this run wrote (runs of one second sort by process id, not by time).
    summary_path: Path | None = None

    def summary(self) -> dict:
        assert self.summary_path is not None, f"no run summary written: {self.stderr[-3000:]}"
        return json.loads(self.summary_path.read_text())

    def records(self, site: str | None = None) -> list[dict]:
        records = []
        for path in sorted((self.output_dir / (site or self.site)).glob("*.jsonl")):
            if path.name.endswith(".rejects.jsonl"):
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                records.append(json.loads(line))
        return records

    def summaries(self, site: str | None = None) -> list[dict]:
        folder = self.output_dir / (site or self.site)
        return [json.loads(p.read_text()) for p in sorted(folder.glob("*.summary.json"))]

    def stats(self) -> dict[str, int]:
        """The run's integer stats, as Scrapy dumps them in the log at the end."""
        return {key: int(value) for key, value in _STAT.findall(self.stderr.rpartition("Dumping Scrapy stats")[2])}


_STAT = re.compile(r"'([\w/.-]+)': (\d+)[,}]")


def run_crawl(
    base_url: str,
    output_dir: Path,
    state_dir: Path,
    *extra: str,
    spider: str = "eureporter",
    site: str | None = None,
    timeout: float = 180,
) -> CrawlRun:
    """Run the real crawl as a subprocess, exactly as a user or cron would: `newsspider crawl` (Scrapy's `scrapy
    crawl`), from a folder that is not the checkout."""
    settings = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO")
    command = crawl_command(base_url, output_dir, state_dir, *settings, *extra, spider=spider)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cwd = Path(output_dir).parent
    cwd.mkdir(parents=True, exist_ok=True)
    folder = Path(output_dir) / (site or spider)
    before = set(folder.glob("*.summary.json"))
    process = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    written = sorted(set(folder.glob("*.summary.json")) - before)
    summary = written[0] if len(written) == 1 else None
    return CrawlRun(process.returncode, output_dir, process.stdout, process.stderr, site or spider, summary)


def run_concurrently(jobs: dict[str, Callable[[], T]], workers: int = 4) -> dict[str, T]:
    """Independent crawls side by side (they mostly wait on sockets): results by name."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}
