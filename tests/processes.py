"""Crawls as cron and operators run them: started in the background, signalled, waited for; several side by side."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import REPO

from newsspider.crawl.runner import crawl_command

T = TypeVar("T")


def start_crawl(base_url: str, tmp: Path, *extra: str) -> subprocess.Popen[str]:
    """`scrapy crawl` of `base_url` into tmp/output and tmp/state, in the background."""
    command = crawl_command(base_url, tmp / "output", tmp / "state", "-s", "AUTOTHROTTLE_ENABLED=False", *extra)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@dataclass
class Ended:
    returncode: int
    stdout: str
    stderr: str
    seconds_after_last_signal: float


def signal_when(
    process: subprocess.Popen[str], ready: Callable[[], bool], *signals: int, pause: float = 0.3, timeout: float = 60
) -> Ended:
    """Once `ready()` (or after `timeout`), send `signals` `pause` seconds apart and wait for the process to end."""
    try:
        deadline = time.monotonic() + timeout
        while not ready() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        for index, number in enumerate(signals):
            if index:
                time.sleep(pause)
            process.send_signal(number)
        sent = time.monotonic()
        stdout, stderr = process.communicate(timeout=timeout)
        return Ended(process.returncode, stdout, stderr, time.monotonic() - sent)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def side_by_side(scenarios: dict[str, Callable[[Path], T]], factory: pytest.TempPathFactory) -> dict[str, T]:
    """Run independent scenarios (each in its own temporary folder) at once: they mostly wait on sockets."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(run, factory.mktemp(name)) for name, run in scenarios.items()}
        return {name: future.result() for name, future in futures.items()}
