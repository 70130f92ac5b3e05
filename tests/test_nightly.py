"""Nightly runs as cron makes them: incremental, duplicate-free, crash-safe, locked, and summarized."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, golden_files, run_crawl

from newsspider.crawl.extensions import ExitCode
from newsspider.crawl.runner import crawl_command
from newsspider.mirror import MirrorServer

MIRROR = "eureporter_holdout"
ARTICLE_PATHS = {
    "/" + g.html_path.parent.relative_to(FIXTURES / MIRROR / "site").as_posix() + "/" for g in golden_files(MIRROR)
}
EDITED = "energy/eu-energy-ministers-agree-to-extend-gas-storage-targets"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A private copy of the mirror that a test may edit."""
    copy = tmp_path / "site"
    shutil.copytree(FIXTURES / MIRROR / "site", copy)
    return copy


def serve(root: Path, delay: float = 0.0) -> MirrorServer:
    server = MirrorServer(root, delay=delay)
    server.start_in_background()
    return server


@pytest.fixture
def dirs(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    yield tmp_path / "output", tmp_path / "state"


def all_records(output: Path) -> list[dict]:
    records = []
    for path in sorted((output / "eureporter").glob("*.jsonl")):
        if not path.name.endswith(".rejects.jsonl"):
            records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return records


def test_second_run_emits_nothing_and_requests_no_article_page(site: Path, dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    first = serve(site)
    try:
        run1 = run_crawl(first.url + "/", output, state)
    finally:
        first.shutdown()
    assert run1.returncode == 0, run1.stderr[-2000:]
    assert len(all_records(output)) == len(ARTICLE_PATHS)

    second = serve(site)
    try:
        run2 = run_crawl(second.url + "/", output, state)
    finally:
        second.shutdown()
    assert run2.returncode == 0, run2.stderr[-2000:]
    assert len(all_records(output)) == len(ARTICLE_PATHS)
    assert not ARTICLE_PATHS & set(second.requests)
    summary = run2.summaries()[-1]
    assert summary["articles"]["written"] == 0
    assert summary["articles"]["skipped_known"] >= len(ARTICLE_PATHS)


def test_edited_article_is_emitted_once_more_as_version_2(site: Path, dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    server = serve(site)
    try:
        assert run_crawl(server.url + "/", output, state).returncode == 0
        before = {r["canonical_url"]: r for r in all_records(output)}
        page = site / EDITED / "index.html"
        html = page.read_text(encoding="utf-8")
        edited = re.sub(r"(<p>)([^<]{40,})", r"\1UPDATE: ministers met again on Friday. \2", html, count=1)
        edited = edited.replace("2024-04-18T11:02:15+00:00", "2024-04-20T09:00:00+00:00")
        assert edited != html
        page.write_text(edited, encoding="utf-8")
        sitemap = site / "wp-sitemap-posts-post-1.xml"
        sitemap.write_text(
            sitemap.read_text(encoding="utf-8").replace("2024-04-18T11:02:15+00:00", "2024-04-20T09:00:00+00:00"),
            encoding="utf-8",
        )
        run3 = run_crawl(server.url + "/", output, state)
    finally:
        server.shutdown()
    assert run3.returncode == 0, run3.stderr[-2000:]
    records = all_records(output)
    newest = [r for r in records if r.get("version") == 2]
    assert len(newest) == 1
    assert newest[0]["canonical_url"].endswith(EDITED + "/")
    assert newest[0]["previous_content_hash"] == before[newest[0]["canonical_url"]]["content_hash"]
    assert "UPDATE: ministers met again on Friday." in newest[0]["body"]
    assert len(records) == len(ARTICLE_PATHS) + 1


def test_lastmod_moved_but_content_same_is_not_emitted_again(site: Path, dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    server = serve(site)
    try:
        assert run_crawl(server.url + "/", output, state).returncode == 0
        sitemap = site / "wp-sitemap-posts-post-1.xml"
        sitemap.write_text(
            sitemap.read_text(encoding="utf-8").replace("2024-04-18T11:02:15+00:00", "2024-04-21T09:00:00+00:00"),
            encoding="utf-8",
        )
        run2 = run_crawl(server.url + "/", output, state)
    finally:
        server.shutdown()
    assert run2.returncode == 0
    assert "/" + EDITED + "/" in server.requests  # fetched again, because the sitemap said it changed
    assert len(all_records(output)) == len(ARTICLE_PATHS)
    assert run2.summaries()[-1]["articles"]["unchanged"] == 1


def test_full_recrawl_refetches_but_emits_no_duplicate(site: Path, dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    server = serve(site)
    try:
        assert run_crawl(server.url + "/", output, state).returncode == 0
        server.requests.clear()
        run2 = run_crawl(server.url + "/", output, state, "-a", "full=1")
    finally:
        server.shutdown()
    assert run2.returncode == 0
    assert set(server.requests) >= ARTICLE_PATHS
    assert len(all_records(output)) == len(ARTICLE_PATHS)


def _start_crawl(base_url: str, output: Path, state: Path) -> subprocess.Popen[str]:
    settings = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=1")
    command = crawl_command(base_url, output, state, *settings)
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for(predicate, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def _written_lines(output: Path) -> int:
    parts = list((output / "eureporter").glob("*.jsonl.part")) if (output / "eureporter").exists() else []
    return sum(p.read_bytes().count(b"\n") for p in parts)


def test_sigkill_mid_crawl_then_rerun_leaves_every_article_exactly_once(site: Path, dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    slow = serve(site, delay=0.4)
    try:
        crawl = _start_crawl(slow.url + "/", output, state)
        _wait_for(lambda: _written_lines(output) >= 2)
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait(timeout=30)
    finally:
        slow.shutdown()
    assert len(all_records(output)) < len(ARTICLE_PATHS)  # it really was interrupted

    server = serve(site)
    try:
        rerun = run_crawl(server.url + "/", output, state)
    finally:
        server.shutdown()
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    records = all_records(output)  # json.loads of every line: no unreadable line anywhere
    assert Counter(r["canonical_url"] for r in records) == Counter({r["canonical_url"]: 1 for r in records})
    assert len(records) == len(ARTICLE_PATHS)
    assert not list((output / "eureporter").glob("*.part"))


def test_second_run_on_the_same_state_exits_at_once_with_lock_status(site: Path, dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    slow = serve(site, delay=0.3)
    try:
        first = _start_crawl(slow.url + "/", output, state)
        _wait_for(lambda: (state / "eureporter.lock").exists() and "pid" in (state / "eureporter.lock").read_text())
        started = time.monotonic()
        second = run_crawl(slow.url + "/", output, state)
        elapsed = time.monotonic() - started
        first_status = first.wait(timeout=120)
    finally:
        slow.shutdown()
    assert second.returncode == ExitCode.LOCKED
    assert "holds" in second.stderr
    assert elapsed < 30
    assert first_status == 0


def test_unreachable_site_exits_with_its_own_status(dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    run = run_crawl("http://127.0.0.1:9/", output, state, "-s", "RETRY_TIMES=0")
    assert run.returncode == ExitCode.UNREACHABLE
    assert run.summaries()[-1]["exit_status"] == "unreachable"


def test_site_with_nothing_to_crawl_exits_with_nothing_discovered(tmp_path: Path, dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "index.html").write_text("<html><body class='home blog'><p>Nothing yet.</p></body></html>")
    server = serve(empty)
    try:
        run = run_crawl(server.url + "/", output, state)
    finally:
        server.shutdown()
    assert run.returncode == ExitCode.NOTHING_DISCOVERED


def test_jobdir_pause_and_resume_emits_every_article_once(site: Path, dirs: tuple[Path, Path], tmp_path: Path) -> None:
    output, state = dirs
    jobdir = tmp_path / "job"
    server = serve(site, delay=0.4)
    try:
        command = crawl_command(
            server.url + "/", output, state, "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=1",
            "-s", f"JOBDIR={jobdir}",
        )  # fmt: skip
        paused = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _wait_for(lambda: _written_lines(output) >= 2)
        paused.send_signal(signal.SIGINT)  # Ctrl-C once: Scrapy stops gracefully and keeps the queue in JOBDIR
        paused.wait(timeout=120)
        first = all_records(output)
        server.delay = 0.0
        resumed = run_crawl(server.url + "/", output, state, "-s", f"JOBDIR={jobdir}")  # the same job, resumed
    finally:
        server.shutdown()
        server.server_close()
    assert paused.returncode == ExitCode.INTERRUPTED
    assert 2 <= len(first) < len(ARTICLE_PATHS)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    records = all_records(output)
    assert sorted(r["canonical_url"] for r in records) == sorted({r["canonical_url"] for r in records})
    assert len(records) == len(ARTICLE_PATHS)
    assert not list((output / "eureporter").glob("*.part"))


def test_a_finished_jobdir_reused_by_the_next_run_still_discovers(site: Path, dirs: tuple[Path, Path]) -> None:
    output, state = dirs
    jobdir = output.parent / "job"
    server = serve(site)
    try:
        assert run_crawl(server.url + "/", output, state, "-s", f"JOBDIR={jobdir}").returncode == 0
        page = site / EDITED / "index.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace("<p>", "<p>Correction appended. ", 1), encoding="utf-8"
        )
        sitemap = site / "wp-sitemap-posts-post-1.xml"
        sitemap.write_text(
            sitemap.read_text(encoding="utf-8").replace("2024-04-18T11:02:15+00:00", "2024-04-22T09:00:00+00:00"),
            encoding="utf-8",
        )
        again = run_crawl(server.url + "/", output, state, "-s", f"JOBDIR={jobdir}")
    finally:
        server.shutdown()
        server.server_close()
    assert again.returncode == 0, again.stderr[-2000:]
    assert [r["version"] for r in all_records(output) if r.get("version", 1) > 1] == [2]
