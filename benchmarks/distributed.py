"""Distributed benchmark: one vs two scrapy-redis workers on one shared frontier, each worker on its own core."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
for _path in (ROOT, BENCHMARKS):  # `python benchmarks/distributed.py` from a checkout without an install
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from sitegen import generate_site  # noqa: E402
from throughput import FastMirrorServer, _clean_env, _crawl_settings  # noqa: E402

from newsspider.crawl.runner import crawl_command  # noqa: E402


@dataclass
class Run:
    workers: int
    wall_s: float
    records: int  # lines in all workers' JSONL outputs together
    distinct: int  # distinct canonical URLs among them
    articles: int  # articles in the site
    exit_codes: list[int]

    @property
    def duplicates(self) -> int:
        return self.records - self.distinct

    @property
    def pages_per_s(self) -> float:
        return self.distinct / self.wall_s if self.wall_s else 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1 (no persistence); yields its URL."""
    program = shutil.which("redis-server")
    if program is None:
        raise SystemExit("redis-server is not installed (Debian: apt-get install redis-server)")
    port = _free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    command = [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*command, "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    break
            if time.monotonic() > deadline:
                raise SystemExit("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def _pinned_to(cpu: int | None) -> Callable[[], None]:
    """preexec_fn: the worker (and the extraction processes it forks) run on one core, as if on its own machine."""

    def pin() -> None:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    return pin


def crawl(workers: int, url: str, redis_url: str, work: Path, concurrency: int, articles: int) -> Run:
    """`workers` crawls of the same site sharing one Redis frontier (flushed first); each worker on its own core."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushall()
    client.close()
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    processes, logs = [], []
    started = time.perf_counter()
    for n in range(workers):
        out = work / f"w{workers}-{n}"
        command = crawl_command(
            f"{url}/",
            out / "output",
            out / "state",
            *_crawl_settings(concurrency),
            "-s",
            f"REDIS_URL={redis_url}",
            "-s",
            "NEWSSPIDER_EXTRACT_WORKERS=1",
        )
        cpu = cpus[n % len(cpus)] if cpus else None
        log = (work / f"w{workers}-{n}.log").open("wb")
        logs.append(log)
        processes.append(
            subprocess.Popen(
                command, cwd=ROOT, env=_clean_env(), stdout=log, stderr=subprocess.STDOUT, preexec_fn=_pinned_to(cpu)
            )
        )
    codes = [process.wait() for process in processes]
    wall = time.perf_counter() - started
    for log in logs:
        log.close()
    urls: Counter[str] = Counter()
    for n in range(workers):
        for path in (work / f"w{workers}-{n}" / "output").rglob("*.jsonl"):
            if path.name.endswith(".rejects.jsonl"):
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                urls[json.loads(line)["canonical_url"]] += 1
    return Run(workers, wall, sum(urls.values()), len(urls), articles, codes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000, help="articles in the generated site; default 1000")
    parser.add_argument("--concurrency", type=int, default=32, help="CONCURRENT_REQUESTS of each worker")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (site, outputs, logs)")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsspider-distributed-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        site = generate_site(work / "site", args.pages, seed=args.pages + 7)
        server = FastMirrorServer(site.root)
        server.start_in_background()
        try:
            with redis_server(work / "redis") as redis_url:
                runs = [crawl(n, server.url, redis_url, work, args.concurrency, len(site.articles)) for n in (1, 2)]
        finally:
            server.shutdown()
            server.server_close()
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"CPUs: {os.cpu_count()}; each worker pinned to one core with one extraction process; {args.pages} articles")
    print("")
    print("| workers | wall s | articles/s | records | distinct | duplicates | missing | exit codes |")
    print("|---|---|---|---|---|---|---|---|")
    for run in runs:
        print(
            f"| {run.workers} | {run.wall_s:.1f} | {run.pages_per_s:.1f} | {run.records} | {run.distinct} | "
            f"{run.duplicates} | {run.articles - run.distinct} | {run.exit_codes} |"
        )
    one, two = runs
    print("")
    print(f"two workers / one worker: x{two.pages_per_s / one.pages_per_s:.2f} articles/s")
    ok = all(r.duplicates == 0 and r.distinct == r.articles and not any(r.exit_codes) for r in runs)
    if not ok:
        print("WARNING: a run missed articles, emitted duplicates or failed", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
