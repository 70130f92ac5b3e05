"""Where a run's files live, built in one place: every component asks here, none joins paths of its own.

    OUTPUT_DIR/<site>/<run_id>.jsonl            the run's records (while running: <run_id>.jsonl.part)
    OUTPUT_DIR/<site>/<run_id><suffix>          its side files: .summary.json, .rejects.jsonl, ...
    STATE_DIR/<site>.sqlite3                    the site's crawl state
    STATE_DIR/<site>.lock                       the site's run lock

`settings` is anything with `.get(name)` (Scrapy's Settings, or a plain dict in tests); OUTPUT_DIR and STATE_DIR
take their defaults from `newsspider.settings`. A run id is the run's start (UTC) and the crawler's process id,
so a site's files sort by time and a live run can be told from a dead one.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from newsspider import settings as defaults

#: A run id: `2026-11-27T02-00-00Z-4242` (start time in UTC, then the process id).
RUN_ID = re.compile(r"^(?P<started>\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)-(?P<pid>\d+)$")


class _Settings(Protocol):
    def get(self, name: str, default: Any = None) -> Any: ...


def output_dir(settings: _Settings) -> Path:
    """OUTPUT_DIR: the root of every site's run files."""
    return Path(settings.get("OUTPUT_DIR") or defaults.OUTPUT_DIR)


def state_dir(settings: _Settings) -> Path:
    """STATE_DIR: the root of every site's state and lock."""
    return Path(settings.get("STATE_DIR") or defaults.STATE_DIR)


def site_output_dir(settings: _Settings, site: str) -> Path:
    """OUTPUT_DIR/<site>/: all runs of one site."""
    return output_dir(settings) / site


def run_file(settings: _Settings, site: str, run_id: str, suffix: str = ".jsonl") -> Path:
    """OUTPUT_DIR/<site>/<run_id><suffix>: one file of one run (`.jsonl`, `.summary.json`, `.rejects.jsonl`...)."""
    return site_output_dir(settings, site) / f"{run_id}{suffix}"


def feed_uri(settings: _Settings) -> str:
    """The FEEDS key of the run's JSONL: run_file() with Scrapy's placeholders (a newsspider spider is named after
    its site, so `%(name)s` is the site)."""
    return str(output_dir(settings) / "%(name)s" / "%(run_id)s.jsonl")


def state_file(settings: _Settings, site: str) -> Path:
    """STATE_DIR/<site>.sqlite3: what earlier runs of the site emitted."""
    return state_dir(settings) / f"{site}.sqlite3"


def lock_file(settings: _Settings, site: str) -> Path:
    """STATE_DIR/<site>.lock: held by the one run of the site allowed at a time."""
    return state_dir(settings) / f"{site}.lock"


def new_run_id(started: datetime | None = None, pid: int | None = None) -> str:
    """A run id for a run starting now in this process."""
    started = started or datetime.now(timezone.utc)
    return f"{started.astimezone(timezone.utc):%Y-%m-%dT%H-%M-%SZ}-{os.getpid() if pid is None else pid}"


def run_id_pid(run_id_or_file_name: str) -> int | None:
    """The process id in a run id (or in a run file's name), None when it is not one."""
    match = RUN_ID.match(run_id_or_file_name.split(".", 1)[0])
    return int(match.group("pid")) if match else None
