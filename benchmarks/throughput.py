"""Throughput benchmark: pages/s, CPU and peak memory of newsspider vs a bare Scrapy crawler vs extraction alone."""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = Path(__file__).resolve().parent
for _path in (ROOT, BENCHMARKS):  # `python benchmarks/throughput.py` from a checkout without an install
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from sitegen import LIVE_ROOT, GeneratedSite, generate_site  # noqa: E402

from newsspider.crawl.runner import crawl_command  # noqa: E402
from newsspider.mirror import MirrorHandler, MirrorServer  # noqa: E402

SAMPLE_EVERY = 0.1  # seconds between RSS samples of a process tree
_PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Measurement:
    system: str
    pages: int  # site size N (article pages)
    articles: int  # articles (records / non-empty texts) the system produced
    fetched: int  # HTTP responses (crawlers only)
    wall_s: float
    cpu_s: float  # user + system of the whole process tree
    peak_rss_mb: float  # max over time of the summed RSS of the process tree
    returncode: int = 0
    round: int = 1  # systems run in turn, round after round, on the same site: drift hits all alike

    @property
    def pages_per_s(self) -> float:
        return self.articles / self.wall_s if self.wall_s else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_s / self.articles if self.articles else 0.0


# --- a fast mirror server ----------------------------------------------------------------------------------------


class _KeepAliveHandler(MirrorHandler):
    """MirrorHandler over HTTP/1.1 keep-alive, so the server's connection setup is not what is measured."""

    protocol_version = "HTTP/1.1"


class FastMirrorServer(MirrorServer):
    request_queue_size = 1024

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.RequestHandlerClass = _KeepAliveHandler


# --- measuring a process tree ------------------------------------------------------------------------------------


def _become_subreaper() -> None:
    """Orphaned grandchildren (a pool's forkserver outliving its crawler) are re-parented to this process, so
    their CPU time reaches RUSAGE_CHILDREN when we reap them (Linux; elsewhere a no-op)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_orphans(timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class TreeSampler:
    """Samples the summed RSS of a process and all its descendants every SAMPLE_EVERY s; keeps the peak."""

    def __init__(self, roots: Callable[[], list[psutil.Process]]) -> None:
        self.roots = roots
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            seen: set[int] = set()
            for root in self.roots():
                with contextlib.suppress(psutil.Error):
                    for process in [root, *root.children(recursive=True)]:
                        if process.pid in seen:
                            continue
                        seen.add(process.pid)
                        with contextlib.suppress(psutil.Error):
                            total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(SAMPLE_EVERY)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[int, float, float, int]:
    """(returncode, wall s, CPU s of the whole tree, peak summed RSS bytes) of one command."""
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        root = psutil.Process(process.pid)
        with TreeSampler(lambda: [root]) as sampler:
            returncode = process.wait()
    wall = time.perf_counter() - started
    _reap_orphans()
    return returncode, wall, _cpu_seconds() - cpu_before, sampler.peak


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "SCRAPYD_"))}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _crawl_settings(concurrency: int) -> list[str]:
    settings = {
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "DOWNLOAD_DELAY": "0",
        "ROBOTSTXT_OBEY": "True",
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": "False",
    }
    return [arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")]


# --- the three systems ---------------------------------------------------------------------------------------------


def measure_newsspider(site: GeneratedSite, url: str, work: Path, concurrency: int) -> Measurement:
    output, state = work / "newsspider-output", work / "newsspider-state"
    command = crawl_command(f"{url}/", output, state, *_crawl_settings(concurrency))
    code, wall, cpu, peak = run_measured(command, ROOT, _clean_env(), work / "newsspider.log")
    summaries = [json.loads(p.read_text()) for p in (output / "eureporter").glob("*.summary.json")]
    summary = summaries[0] if summaries else {}
    written = summary.get("articles", {}).get("written", 0)
    return Measurement(
        "newsspider", len(site.articles), written, summary.get("pages_fetched", 0), wall, cpu, peak / 2**20, code
    )


def measure_baseline(site: GeneratedSite, url: str, work: Path, concurrency: int) -> Measurement:
    # Run outside the project (no scrapy.cfg above `work`), so none of newsspider's settings apply.
    items = work / "baseline.jsonl"
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(BENCHMARKS / "baseline_spider.py"),
        "-a",
        f"sitemap={url}/wp-sitemap.xml",
        "-a",
        f"live_root={LIVE_ROOT}",
        "-o",
        f"{items}:jsonlines",
        *_crawl_settings(concurrency),
    ]
    code, wall, cpu, peak = run_measured(command, work, _clean_env(), work / "baseline.log")
    records = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()] if items.exists() else []
    # Article pages only: the page sitemap also lists the home page, which the baseline extracts too.
    texts = sum(1 for r in records if r.get("text") and urlsplit(r["url"]).path != "/")
    fetched = re.search(r"'response_received_count': (\d+)", (work / "baseline.log").read_text(errors="replace"))
    return Measurement(
        "baseline", len(site.articles), texts, int(fetched.group(1)) if fetched else 0, wall, cpu, peak / 2**20, code
    )


def _warm_up() -> None:
    import trafilatura  # noqa: F401


def _extract(html: str) -> str | None:
    import trafilatura

    return trafilatura.extract(html)


def measure_ceiling(site: GeneratedSite) -> Measurement:
    """trafilatura.extract alone over the saved article pages, one process per core (forkserver workers)."""
    pages = [(site.root / a.path.strip("/") / "index.html").read_text(encoding="utf-8") for a in site.articles]
    workers = os.cpu_count() or 1
    context = multiprocessing.get_context("forkserver")
    me = psutil.Process()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_up) as pool:
        list(pool.map(_extract, pages[: workers * 2]))  # every worker started, imported and warm: not timed
        tree = me.children(recursive=True)
        cpu_before = sum(sum(p.cpu_times()[:2]) for p in tree)
        with TreeSampler(lambda: me.children()) as sampler:
            started = time.perf_counter()
            texts = list(pool.map(_extract, pages, chunksize=8))
            wall = time.perf_counter() - started
        cpu = sum(sum(p.cpu_times()[:2]) for p in tree) - cpu_before
    return Measurement("ceiling", len(pages), sum(1 for t in texts if t), 0, wall, cpu, sampler.peak / 2**20)


# --- driver --------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def served(site: GeneratedSite) -> Iterator[str]:
    server = FastMirrorServer(site.root)
    server.start_in_background()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()


def run_size(pages: int, work: Path, concurrency: int, only: set[str], rounds: int = 1) -> list[Measurement]:
    site_dir = work / f"site-{pages}"
    started = time.perf_counter()
    site = generate_site(site_dir, pages, seed=pages)
    print(
        f"N={pages}: generated {site.page_count} HTML pages in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )
    results = []
    for number in range(1, rounds + 1):
        with served(site) as url:
            for name, measure in (("newsspider", measure_newsspider), ("baseline", measure_baseline)):
                if name in only:
                    run_dir = work / f"{name}-{pages}-round{number}"
                    run_dir.mkdir()
                    print(f"N={pages} round {number}: {name} ...", file=sys.stderr)
                    results.append(replace(measure(site, url, run_dir, concurrency), round=number))
        if "ceiling" in only:
            print(f"N={pages} round {number}: ceiling ...", file=sys.stderr)
            results.append(replace(measure_ceiling(site), round=number))
    return results


def _ratios(results: list[Measurement], size: int, other: str) -> list[tuple[float, float, float]]:
    """Per round: newsspider/other pages/s, CPU per page and peak RSS."""
    ratios = []
    for number in sorted({m.round for m in results}):
        by = {m.system: m for m in results if m.pages == size and m.round == number}
        news, them = by.get("newsspider"), by.get(other)
        if news and them and them.pages_per_s and them.cpu_ms_per_page:
            ratios.append(
                (
                    news.pages_per_s / them.pages_per_s,
                    news.cpu_ms_per_page / them.cpu_ms_per_page,
                    news.peak_rss_mb / max(them.peak_rss_mb, 1),
                )
            )
    return ratios


def report(results: list[Measurement], concurrency: int) -> str:
    lines = [
        f"CPUs: {os.cpu_count()}; crawl concurrency {concurrency}; Python {sys.version.split()[0]}; "
        f"load average at the end {os.getloadavg()[0]:.1f} (other work on the machine skews the figures)",
        "",
        "| N | round | system | articles | fetched | wall s | pages/s | CPU s | CPU ms/page | peak RSS MB | exit |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in results:
        fetched = str(m.fetched) if m.fetched else "-"
        lines.append(
            f"| {m.pages} | {m.round} | {m.system} | {m.articles} | {fetched} | {m.wall_s:.1f} | {m.pages_per_s:.1f} | "
            f"{m.cpu_s:.1f} | {m.cpu_ms_per_page:.1f} | {m.peak_rss_mb:.0f} | {m.returncode} |"
        )
    lines.append("")
    for size in sorted({m.pages for m in results}):
        for other in ("baseline", "ceiling"):
            ratios = _ratios(results, size, other)
            if ratios:
                speed, cpu, rss = (statistics.median(column) for column in zip(*ratios, strict=True))
                rounds = ", ".join(f"x{r[0]:.2f}" for r in ratios)
                lines.append(
                    f"N={size}: newsspider/{other}: pages/s x{speed:.2f}, CPU per page x{cpu:.2f}, "
                    f"peak RSS x{rss:.2f} (medians over {len(ratios)} round(s); pages/s by round: {rounds})"
                )
    sizes = sorted({m.pages for m in results})
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for system in ("newsspider", "baseline", "ceiling"):
            peaks = {
                size: max((m.peak_rss_mb for m in results if m.system == system and m.pages == size), default=0)
                for size in (small, large)
            }
            if peaks[small] and peaks[large]:
                lines.append(
                    f"peak RSS {system}: {peaks[small]:.0f} MB at N={small} -> {peaks[large]:.0f} MB at "
                    f"N={large} (x{peaks[large] / peaks[small]:.2f}; highest of the rounds)"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000, help="articles in the generated site (N); default 2000")
    parser.add_argument("--scale", action="store_true", help="also run at 5*N, to see how peak RSS grows")
    parser.add_argument("--concurrency", type=int, default=64, help="CONCURRENT_REQUESTS(_PER_DOMAIN) of both crawls")
    parser.add_argument("--only", default="newsspider,baseline,ceiling", help="comma-separated subset of systems")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (sites, outputs, crawl logs)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="run every system this many times in turn; ratios are medians (default 3)"
    )
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    _become_subreaper()
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsspider-throughput-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = []
        for size in [args.pages, 5 * args.pages] if args.scale else [args.pages]:
            results.extend(run_size(size, work / f"n{size}", args.concurrency, only, max(args.rounds, 1)))
        print(report(results, args.concurrency))
        if args.json:
            args.json.write_text(json.dumps([{**asdict(m), "pages_per_s": m.pages_per_s} for m in results], indent=2))
        failed = [m for m in results if m.returncode != 0 or m.articles < m.pages]
        for m in failed:
            print(
                f"warning: {m.system} at N={m.pages}: exit {m.returncode}, {m.articles}/{m.pages} articles "
                f"(see the logs with --keep)",
                file=sys.stderr,
            )
        return 1 if failed else 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
