"""Deploy to a real Scrapyd: build the egg with scrapyd-client, upload it, schedule a crawl, find its JSONL."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO
from services import free_port, stop

from newsspider.mirror import MirrorServer

PROJECT = "newsspider"
HOLDOUT_ARTICLES = 6
pytestmark = pytest.mark.crawl
#: What the egg is built from: the project as a clean checkout has it (the build writes setup.py and build/).
PROJECT_FILES = ("pyproject.toml", "scrapy.cfg", "README.md")


def _require_tools() -> None:
    missing = [
        name
        for name in ("scrapyd", "scrapyd-deploy")
        if not (Path(sys.executable).parent / name).exists() and not shutil.which(name)
    ]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (pip install -e '.[dev]'); NEWSSPIDER_SKIP_SERVICES=1 skips this"
    if os.environ.get("NEWSSPIDER_SKIP_SERVICES") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def _program(name: str) -> str:
    beside = Path(sys.executable).parent / name  # the venv's own console script, even without an activated venv
    return str(beside) if beside.exists() else str(shutil.which(name))


def _call(url: str, data: dict[str, Any] | None = None, files: dict[str, bytes] | None = None) -> dict[str, Any]:
    """GET, or POST form fields (multipart when files are given); Scrapyd answers JSON."""
    if data is None:
        request = urllib.request.Request(url)
    elif files:
        boundary = "----newsspider-test-boundary"
        parts = []
        for name, value in data.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, content in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}.egg"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
    else:
        pairs = [(k, v) for k, values in data.items() for v in (values if isinstance(values, list) else [values])]
        request = urllib.request.Request(url, data=urllib.parse.urlencode(pairs).encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@dataclass
class Scrapyd:
    url: str
    root: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return (self.root / "scrapyd.out").read_text(errors="replace")[-4000:]


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    """A real Scrapyd on a free loopback port, everything it writes kept in tmp_path/scrapyd."""
    _require_tools()
    root = tmp_path / "scrapyd"
    root.mkdir()
    port = free_port()
    config = configparser.ConfigParser()
    config["scrapyd"] = {
        "bind_address": "127.0.0.1",
        "http_port": str(port),
        "eggs_dir": str(root / "eggs"),
        "logs_dir": str(root / "logs"),
        "items_dir": str(root / "items"),
        "dbs_dir": str(root / "dbs"),
        "jobs_to_keep": "5",
        "max_proc": "2",
        "poll_interval": "0.2",
    }
    with (root / "scrapyd.conf").open("w") as handle:  # read from the working directory
        config.write(handle)
    output = (root / "scrapyd.out").open("wb")
    process = subprocess.Popen(
        [_program("scrapyd"), "--pidfile", str(root / "twistd.pid")], cwd=root, stdout=output, stderr=subprocess.STDOUT
    )
    server = Scrapyd(f"http://127.0.0.1:{port}", root, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"scrapyd exited with status {process.returncode}: {server.log()}")
            try:
                if _call(server.url + "/daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"scrapyd did not answer on port {port} within 30 s: {server.log()}")
            time.sleep(0.1)
        yield server
    finally:
        stop(process)
        output.close()


def build_egg(tmp_path: Path) -> Path:
    """`scrapyd-deploy --build-egg` on a copy of the project, so the build's setup.py and build/ stay out of it."""
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        if (REPO / name).exists():
            shutil.copy(REPO / name, project / name)
    shutil.copytree(
        REPO / "newsspider", project / "newsspider", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    )
    egg = tmp_path / f"{PROJECT}.egg"
    build = subprocess.run(
        [_program("scrapyd-deploy"), "--build-egg", str(egg)], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert build.returncode == 0 and egg.exists(), build.stderr[-3000:]
    return egg


def test_egg_carries_the_schema_and_the_settings_entry_point(tmp_path: Path) -> None:
    _require_tools()
    with zipfile.ZipFile(build_egg(tmp_path)) as egg:
        names = set(egg.namelist())
        entry_points = egg.read("EGG-INFO/entry_points.txt").decode() if "EGG-INFO/entry_points.txt" in names else ""
    schemas = {p.name for p in (REPO / "newsspider" / "schema").glob("*.json")}
    assert schemas and {f"newsspider/schema/{name}" for name in schemas} <= names
    assert "newsspider/spiders/eureporter.py" in names
    assert "newsspider/sites/builtin/eureporter.toml" in names
    _require_entry_point(entry_points)


def _require_entry_point(entry_points: str) -> None:
    """Scrapyd cannot load an egg without it (pyproject.toml: [project.entry-points.scrapy] settings = ...)."""
    parser = configparser.ConfigParser()
    parser.read_string(entry_points)
    assert parser.get("scrapy", "settings").strip() == "newsspider.settings"


def _wait_for(scrapyd: Scrapyd, jobs: list[str]) -> None:
    deadline = time.monotonic() + 120
    while True:
        finished = {j["id"] for j in _call(scrapyd.url + f"/listjobs.json?project={PROJECT}")["finished"]}
        if set(jobs) <= finished:
            return
        assert time.monotonic() < deadline, f"jobs {jobs} not finished in 120 s; {scrapyd.log()}"
        time.sleep(0.3)


def _schedule(
    scrapyd: Scrapyd, spider: str, output_dir: Path, state_dir: Path, *settings: str, **arguments: str
) -> str:
    settings = (f"OUTPUT_DIR={output_dir}", f"STATE_DIR={state_dir}", "AUTOTHROTTLE_ENABLED=False", *settings)
    scheduled = _call(
        scrapyd.url + "/schedule.json",
        {"project": PROJECT, "spider": spider, **arguments, "setting": list(settings)},
    )
    assert scheduled["status"] == "ok", scheduled
    return scheduled["jobid"]


def test_scrapyd_runs_the_deployed_spiders_with_any_profile(tmp_path: Path, scrapyd: Scrapyd) -> None:
    """`eureporter`, and `news` with a profile from a sites folder the job names, side by side."""
    egg = build_egg(tmp_path)
    with zipfile.ZipFile(egg) as archive:
        _require_entry_point(archive.read("EGG-INFO/entry_points.txt").decode())
    added = _call(scrapyd.url + "/addversion.json", {"project": PROJECT, "version": "1"}, {"egg": egg.read_bytes()})
    assert added["status"] == "ok", added
    assert {"eureporter", "news"} <= set(_call(scrapyd.url + f"/listspiders.json?project={PROJECT}")["spiders"])
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "holdout.toml").write_text('url = "https://www.eureporter.co/"\nsite_name = "EU Reporter"\n')

    mirror = MirrorServer(FIXTURES / "eureporter_holdout" / "site")
    mirror.start_in_background()
    output_dir = tmp_path / "output"
    try:
        job = _schedule(scrapyd, "eureporter", output_dir, tmp_path / "state", base_url=mirror.url + "/")
        news = _schedule(
            scrapyd, "news", tmp_path / "news-output", tmp_path / "news-state", f"NEWSSPIDER_SITES_DIR={sites}",
            site="holdout", url=mirror.url + "/",
        )  # fmt: skip
        _wait_for(scrapyd, [job, news])
    finally:
        mirror.shutdown()
        mirror.server_close()

    log_path = scrapyd.root / "logs" / PROJECT / "eureporter" / f"{job}.log"
    log = log_path.read_text(errors="replace") if log_path.exists() else "(no job log)"
    files = sorted((output_dir / "eureporter").glob("*.jsonl")) if (output_dir / "eureporter").is_dir() else []
    outputs = [f for f in files if not f.name.endswith(".rejects.jsonl")]
    assert len(outputs) == 1, log[-4000:]
    records = [json.loads(line) for line in outputs[0].read_text(encoding="utf-8").splitlines()]
    assert len(records) == HOLDOUT_ARTICLES, log[-4000:]
    assert len({r["canonical_url"] for r in records}) == HOLDOUT_ARTICLES
    summaries = [json.loads(p.read_text()) for p in (output_dir / "eureporter").glob("*.summary.json")]
    assert [s["exit_code"] for s in summaries] == [0], log[-4000:]
    # Scrapyd's own feed (items_dir) gets the same records: both feeds are kept.
    items = list((scrapyd.root / "items").rglob(f"{job}.jl"))
    assert len(items) == 1 and len(items[0].read_text(encoding="utf-8").splitlines()) == HOLDOUT_ARTICLES

    news_log = (scrapyd.root / "logs" / PROJECT / "news" / f"{news}.log").read_text(errors="replace")
    news_records = [
        json.loads(line)
        for path in (tmp_path / "news-output" / "holdout").glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert {r["canonical_url"] for r in news_records} == {r["canonical_url"] for r in records}, news_log[-4000:]
    assert {r["site"] for r in news_records} == {"holdout"}
