"""Nightly runs as cron makes them: incremental, duplicate-free, crash-safe, locked and summarized, on two sites:
the EU Reporter mirror (`scrapy crawl eureporter`) and a generated Ghost-like site crawled by `news` with a TOML
profile (`scrapy crawl news -a site=harbour`). Independent scenarios run side by side."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest
from conftest import FIXTURES, CrawlRun, golden_files, run_concurrently, run_crawl
from newssites import HTML, Site, SiteServer
from newssites_catalog import bind, ghost_en

from newsspider.crawl.extensions import ExitCode
from newsspider.crawl.runner import crawl_command
from newsspider.mirror import MirrorServer

pytestmark = pytest.mark.crawl

MIRROR = "eureporter_holdout"
HARBOUR_PROFILE = 'url = "https://www.harbourpost.example/"\nsite_name = "Harbour Post"\n'
INLINE = ("-s", "NEWSSPIDER_EXTRACT_WORKERS=0")


class Server(Protocol):
    url: str
    requests: Counter[str]

    def shutdown(self) -> None: ...


class SiteCopy(Protocol):
    """A private copy of a site that a scenario may edit between nights."""

    name: str
    article_paths: set[str]

    def serve(self, delay: float = 0.0) -> Server: ...
    def edit_article(self) -> str: ...
    def move_lastmod_only(self) -> str: ...
    def arguments(self) -> tuple[str, ...]: ...


class MirrorCopy:
    """The EU Reporter holdout mirror, copied to a folder: edits are file edits."""

    name = "eureporter"
    spider = "eureporter"
    edited = "energy/eu-energy-ministers-agree-to-extend-gas-storage-targets"
    touched = "transport/europes-night-train-revival-stalls-over-track-access-charges"

    def __init__(self, folder: Path) -> None:
        self.root = folder / "site"
        shutil.copytree(FIXTURES / MIRROR / "site", self.root)
        base = FIXTURES / MIRROR / "site"
        self.article_paths = {"/" + g.html_path.parent.relative_to(base).as_posix() + "/" for g in golden_files(MIRROR)}
        self.sitemap = self.root / "wp-sitemap-posts-post-1.xml"

    def serve(self, delay: float = 0.0) -> MirrorServer:
        server = MirrorServer(self.root, delay=delay)
        server.start_in_background()
        return server

    def _move(self, old: str, new: str) -> None:
        self.sitemap.write_text(self.sitemap.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    def edit_article(self) -> str:
        page = self.root / self.edited / "index.html"
        html = page.read_text(encoding="utf-8")
        edited = re.sub(r"(<p>)([^<]{40,})", r"\1UPDATE: ministers met again on Friday. \2", html, count=1)
        page.write_text(edited.replace("2024-04-18T11:02:15+00:00", "2024-04-20T09:00:00+00:00"), encoding="utf-8")
        self._move("2024-04-18T11:02:15+00:00", "2024-04-20T09:00:00+00:00")
        return "/" + self.edited + "/"

    def move_lastmod_only(self) -> str:
        self._move("2024-03-05T07:45:00+00:00", "2024-04-21T09:00:00+00:00")
        return "/" + self.touched + "/"

    def arguments(self) -> tuple[str, ...]:
        return ()


@dataclass
class GeneratedCopy:
    """The generated Ghost-like site, crawled by `news` with a profile naming a live host (a mirror crawl)."""

    folder: Path
    name: str = "harbour"
    spider: str = "news"
    site: Site = field(default_factory=ghost_en)

    def __post_init__(self) -> None:
        self.article_paths = {story.path for story in self.site.stories}
        (self.folder / "sites").mkdir(parents=True, exist_ok=True)
        (self.folder / "sites" / "harbour.toml").write_text(HARBOUR_PROFILE, encoding="utf-8")

    def serve(self, delay: float = 0.0) -> SiteServer:
        server = SiteServer(self.site, delay=delay).start()
        self.base = server.url
        bind(self.site, server.url)
        return server

    def _lastmods(self, path: str, moment: str) -> None:
        entries = self.site.sitemap_entries  # type: ignore[attr-defined]
        self.site.sitemap_entries = [(p, moment if p == path else m) for p, m in entries]  # type: ignore[attr-defined]
        if getattr(self, "base", None):
            bind(self.site, self.base)  # a server already running serves the new sitemap

    def edit_article(self) -> str:
        story = self.site.stories[2]
        paragraphs = ("UPDATE: the council met again on Friday. " + story.paragraphs[0], *story.paragraphs[1:])
        html = self.site.routes[story.path][2].decode().replace(story.paragraphs[0], paragraphs[0])
        self.site.routes[story.path] = (200, HTML, html.encode())
        self._lastmods(story.path, "2024-06-01T09:00:00+00:00")
        return story.path

    def move_lastmod_only(self) -> str:
        story = self.site.stories[4]
        self._lastmods(story.path, "2024-06-02T09:00:00+00:00")
        return story.path

    def arguments(self) -> tuple[str, ...]:
        return ("-a", "site=harbour", "-s", f"NEWSSPIDER_SITES_DIR={self.folder / 'sites'}")


TARGETS: dict[str, Callable[[Path], Any]] = {"eureporter": MirrorCopy, "harbour": GeneratedCopy}


def crawl(target: Any, server: Server, folder: Path, *extra: str) -> CrawlRun:
    return run_crawl(
        server.url + "/", folder / "output", folder / "state", *target.arguments(), *extra,
        spider=target.spider, site=target.name,
    )  # fmt: skip


def records(target: Any, folder: Path) -> list[dict]:
    out = []
    for path in sorted((folder / "output" / target.name).glob("*.jsonl")):
        if not path.name.endswith(".rejects.jsonl"):
            out += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return out


def _written_lines(target: Any, folder: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in (folder / "output" / target.name).glob("*.jsonl.part"))


def _wait_for(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def _start(target: Any, server: Server, folder: Path, *extra: str) -> subprocess.Popen[str]:
    command = crawl_command(
        server.url + "/", folder / "output", folder / "state", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS=1", *target.arguments(), *extra, spider=target.spider,
    )  # fmt: skip
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


# --- scenarios: each a sequence of nights on a private copy of a site ---------------------------------------


def nights(target: Any, folder: Path) -> dict[str, Any]:
    """Night 1 crawls all; 2 nothing changed; 3 one article edited; 4 one lastmod moved, same text; 5 `full=1`."""
    result: dict[str, Any] = {"runs": [], "requests": [], "records": []}
    steps = [None, None, target.edit_article, target.move_lastmod_only, None]
    for night, change in enumerate(steps, start=1):
        if change is not None:
            result[change.__name__] = change()
        server = target.serve()
        try:
            run = crawl(target, server, folder, *INLINE, *(("-a", "full=1") if night == 5 else ()))
        finally:
            server.shutdown()
        result["runs"].append(run)
        result["requests"].append(Counter(server.requests))
        result["records"].append(records(target, folder))
    return result


def killed(target: Any, folder: Path) -> dict[str, Any]:
    """`kill -9` mid-crawl, then the next night's run."""
    slow = target.serve(delay=0.4)
    try:
        process = _start(target, slow, folder)
        _wait_for(lambda: _written_lines(target, folder) >= 2)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        slow.shutdown()
    interrupted = records(target, folder)
    server = target.serve()
    try:
        rerun = crawl(target, server, folder, *INLINE)
    finally:
        server.shutdown()
    return {"interrupted": interrupted, "rerun": rerun, "records": records(target, folder)}


def locked(target: Any, folder: Path) -> dict[str, Any]:
    """A second run while the first holds the site's lock."""
    slow = target.serve(delay=0.3)
    lock = folder / "state" / f"{target.name}.lock"
    try:
        first = _start(target, slow, folder)
        _wait_for(lambda: lock.exists() and "pid" in lock.read_text())
        started = time.monotonic()
        second = crawl(target, slow, folder, *INLINE)
        elapsed = time.monotonic() - started
        first_status = first.wait(timeout=120)
    finally:
        slow.shutdown()
    return {"second": second, "elapsed": elapsed, "first_status": first_status}


def paused(target: Any, folder: Path) -> dict[str, Any]:
    """Ctrl-C with a JOBDIR, the same command again to resume, and the finished JOBDIR reused the night after."""
    jobdir = folder / "job"
    server = target.serve(delay=0.4)
    try:
        process = _start(target, server, folder, "-s", f"JOBDIR={jobdir}")
        _wait_for(lambda: _written_lines(target, folder) >= 2)
        process.send_signal(signal.SIGINT)  # Ctrl-C once: Scrapy stops gracefully and keeps the queue in JOBDIR
        process.wait(timeout=120)
        first = records(target, folder)
        server.delay = 0.0  # type: ignore[attr-defined]
        resumed = crawl(target, server, folder, *INLINE, "-s", f"JOBDIR={jobdir}")
        after_resume = records(target, folder)
        edited = target.edit_article()
        again = crawl(target, server, folder, *INLINE, "-s", f"JOBDIR={jobdir}")
    finally:
        server.shutdown()
    return {
        "paused_status": process.returncode,
        "first": first,
        "resumed": resumed,
        "after_resume": after_resume,
        "edited": edited,
        "again": again,
        "records": records(target, folder),
    }


SCENARIOS: dict[str, Callable[[Any, Path], dict[str, Any]]] = {
    "nights": nights,
    "killed": killed,
    "locked": locked,
    "paused": paused,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    jobs = {}
    for scenario, run in SCENARIOS.items():
        for name, make in TARGETS.items():
            folder = tmp_path_factory.mktemp(f"{scenario}-{name}")
            target = make(folder)
            jobs[f"{scenario}/{name}"] = lambda run=run, target=target, folder=folder: (
                {"target": target} | run(target, folder)
            )
    done = run_concurrently(jobs)
    return {tuple(key.split("/")): value for key, value in done.items()}  # type: ignore[misc]


@pytest.fixture(params=list(TARGETS))
def target(request: pytest.FixtureRequest) -> str:
    return request.param


def _ok(run: CrawlRun) -> None:
    assert run.returncode == 0, run.stderr[-3000:]


# --- nights -------------------------------------------------------------------------------------------------


def test_first_night_emits_every_article_once(results: dict, target: str) -> None:
    nights = results[("nights", target)]
    _ok(nights["runs"][0])
    assert Counter(r["canonical_url"] for r in nights["records"][0]) == Counter(
        {r["canonical_url"]: 1 for r in nights["records"][0]}
    )
    assert len(nights["records"][0]) == len(nights["target"].article_paths)


def test_second_night_emits_nothing_and_requests_no_article_page(results: dict, target: str) -> None:
    nights = results[("nights", target)]
    _ok(nights["runs"][1])
    assert len(nights["records"][1]) == len(nights["records"][0])
    assert not nights["target"].article_paths & set(nights["requests"][1])
    summary = nights["runs"][1].summary()
    assert summary["articles"]["written"] == 0
    assert summary["articles"]["skipped_known"] >= len(nights["target"].article_paths)


def test_edited_article_is_emitted_once_more_as_version_2(results: dict, target: str) -> None:
    nights = results[("nights", target)]
    _ok(nights["runs"][2])
    before = {r["canonical_url"]: r for r in nights["records"][1]}
    new = nights["records"][2][len(nights["records"][1]) :]
    assert [r["version"] for r in new] == [2]
    assert new[0]["url"].endswith(nights["edit_article"])
    assert new[0]["previous_content_hash"] == before[new[0]["canonical_url"]]["content_hash"]
    assert "UPDATE:" in new[0]["body"]


def test_lastmod_moved_but_content_same_is_fetched_but_not_emitted(results: dict, target: str) -> None:
    nights = results[("nights", target)]
    _ok(nights["runs"][3])
    assert nights["requests"][3][nights["move_lastmod_only"]] == 1
    assert len(nights["records"][3]) == len(nights["records"][2])
    assert nights["runs"][3].summary()["articles"]["unchanged"] == 1


def test_full_recrawl_refetches_but_emits_no_duplicate(results: dict, target: str) -> None:
    nights = results[("nights", target)]
    _ok(nights["runs"][4])
    assert set(nights["requests"][4]) >= nights["target"].article_paths
    assert len(nights["records"][4]) == len(nights["records"][3])


# --- faults and interruptions ----------------------------------------------------------------------------


def test_sigkill_mid_crawl_then_rerun_leaves_every_article_exactly_once(results: dict, target: str) -> None:
    killed = results[("killed", target)]
    assert len(killed["interrupted"]) < len(killed["target"].article_paths)  # it really was interrupted
    _ok(killed["rerun"])
    urls = [r["canonical_url"] for r in killed["records"]]  # json.loads of every line: no unreadable line anywhere
    assert sorted(urls) == sorted(set(urls))
    assert len(urls) == len(killed["target"].article_paths)
    assert not list((killed["rerun"].output_dir / killed["target"].name).glob("*.part"))


def test_second_run_on_the_same_site_exits_at_once_with_lock_status(results: dict, target: str) -> None:
    locked = results[("locked", target)]
    assert locked["second"].returncode == ExitCode.LOCKED
    assert "holds" in locked["second"].stderr
    assert locked["elapsed"] < 30
    assert locked["first_status"] == 0


def test_jobdir_pause_and_resume_emits_every_article_once(results: dict, target: str) -> None:
    paused = results[("paused", target)]
    assert paused["paused_status"] == ExitCode.INTERRUPTED
    assert 2 <= len(paused["first"]) < len(paused["target"].article_paths)
    _ok(paused["resumed"])
    urls = [r["canonical_url"] for r in paused["after_resume"]]
    assert sorted(urls) == sorted(set(urls))
    assert len(urls) == len(paused["target"].article_paths)


def test_a_finished_jobdir_reused_by_the_next_run_still_discovers(results: dict, target: str) -> None:
    paused = results[("paused", target)]
    _ok(paused["again"])
    assert [r["url"].endswith(paused["edited"]) for r in paused["records"] if r.get("version", 1) > 1] == [True]


# --- exit statuses of runs that find nothing --------------------------------------------------------------


@pytest.fixture(scope="module")
def empty_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CrawlRun]:
    empty = tmp_path_factory.mktemp("empty-site")
    (empty / "index.html").write_text("<html><body class='home blog'><p>Nothing yet.</p></body></html>")
    server = MirrorServer(empty)
    server.start_in_background()
    folders = {key: tmp_path_factory.mktemp(key) for key in ("unreachable", "nothing", "news-unreachable")}

    def run(key: str, url: str, *extra: str, spider: str = "eureporter", site: str = "eureporter") -> CrawlRun:
        folder = folders[key]
        return run_crawl(url, folder / "output", folder / "state", *INLINE, *extra, spider=spider, site=site)

    try:
        return run_concurrently(
            {
                "unreachable": lambda: run("unreachable", "http://127.0.0.1:9/", "-s", "RETRY_TIMES=0"),
                "nothing": lambda: run("nothing", server.url + "/"),
                "news-unreachable": lambda: run(
                    "news-unreachable", "http://127.0.0.1:9/", "-s", "RETRY_TIMES=0", spider="news", site="127.0.0.1"
                ),
            }
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("key", ["unreachable", "news-unreachable"])
def test_unreachable_site_exits_with_its_own_status(empty_runs: dict[str, CrawlRun], key: str) -> None:
    run = empty_runs[key]
    assert run.returncode == ExitCode.UNREACHABLE
    assert run.summary()["exit_status"] == "unreachable"


def test_site_with_nothing_to_crawl_exits_with_nothing_discovered(empty_runs: dict[str, CrawlRun]) -> None:
    assert empty_runs["nothing"].returncode == ExitCode.NOTHING_DISCOVERED
