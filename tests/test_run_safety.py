"""A nightly run that never loses or re-emits and ends with a true status: robots.txt, Retry-After, signals,
a full disk, a reused JOBDIR, and commands that must leave the run's files alone. Real crawls, side by side."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import faultserver as fs
import pytest
from conftest import REPO, CrawlRun, run_crawl
from processes import side_by_side, signal_when, start_crawl
from sites_server import SITES, SitesServer

from newsspider.crawl.extensions import ExitCode
from newsspider.state import lock

pytestmark = pytest.mark.crawl

FAST = ("-s", "RETRY_TIMES=1", "-s", f"DOWNLOAD_TIMEOUT={fs.TIMEOUT}", "-s", f"DOWNLOAD_MAXSIZE={fs.MAXSIZE}")
INLINE = ("-s", "NEWSSPIDER_EXTRACT_WORKERS=0")


@dataclass
class Scenario:
    """The crawls of one scenario (in order), the server of each, and anything else the assertions need."""

    runs: list[CrawlRun] = field(default_factory=list)
    servers: list[Any] = field(default_factory=list)  # FaultServer or SitesServer: both count `requests`
    #: Each run's own summary (runs of a scenario share their output folder), None where it wrote none.
    summaries: list[dict | None] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)

    def add(self, server: Any, run: CrawlRun, before: set[Path]) -> None:
        new = sorted(set(_summary_files(run.output_dir)) - before)
        self.servers.append(server)
        self.runs.append(run)
        self.summaries.append(json.loads(new[-1].read_text()) if new else None)

    def summary(self, index: int = 0) -> dict:
        summary = self.summaries[index]
        assert summary is not None, self.runs[index].stderr[-3000:]
        return summary

    @property
    def run(self) -> CrawlRun:
        return self.runs[0]

    @property
    def server(self) -> Any:
        return self.servers[0]


def _summary_files(output: Path) -> list[Path]:
    return list((output / "eureporter").glob("*.summary.json")) if (output / "eureporter").is_dir() else []


def _paths(run: CrawlRun) -> Counter[str]:
    return Counter(urlsplit(r["url"]).path for r in run.records())


def _crawl(scenario: Scenario, site: Callable[[str], dict[str, fs.Route]], tmp: Path, *extra: str) -> CrawlRun:
    server = fs.FaultServer(site)
    server.start_in_background()
    before = set(_summary_files(tmp / "output"))
    try:
        run = run_crawl(server.url + "/", tmp / "output", tmp / "state", *FAST, *INLINE, *extra, timeout=150)
    finally:
        server.stop()
    scenario.add(server, run, before)
    return run


# --- scenarios --------------------------------------------------------------------------------------------


def robots_disallow_all(tmp: Path) -> Scenario:
    scenario = Scenario()
    _crawl(scenario, fs.robots_site("User-agent: *\nDisallow: /\n"), tmp)
    return scenario


def robots_server_error(tmp: Path) -> Scenario:
    scenario = Scenario()
    _crawl(scenario, fs.robots_site("<h1>Service unavailable</h1>", status=503), tmp)
    return scenario


def robots_slow_partial(tmp: Path) -> Scenario:
    """robots.txt answers after a second and refuses /politics/: nothing may leave before it is known."""
    scenario = Scenario()
    _crawl(scenario, fs.robots_site("User-agent: *\nDisallow: /politics/\n", delay=1.0), tmp)
    return scenario


def retry_after_huge(tmp: Path) -> Scenario:
    """16 article URLs answer 429 with Retry-After: 100000 (two of them once with Retry-After: 2); then a night
    where the server answers them."""
    scenario = Scenario()
    _crawl(scenario, fs.rate_limited_site("100000", waits=2), tmp)
    _crawl(scenario, fs.rate_limited_site(None), tmp)
    return scenario


def sigterm_during_retry_after(tmp: Path) -> Scenario:
    """Every LIMITED URL asks for a 30 s wait (under the cap): one SIGTERM must still end the run at once."""
    scenario = Scenario()
    server = fs.FaultServer(fs.rate_limited_site("30"))
    server.start_in_background()
    try:
        process = start_crawl(server.url + "/", tmp, *FAST, *INLINE)
        asked = lambda: all(server.requests[s.path] for s in fs.LIMITED)  # noqa: E731
        ended = signal_when(process, asked, signal.SIGTERM)
    finally:
        server.stop()
    scenario.notes["seconds_to_exit"] = ended.seconds_after_last_signal
    scenario.add(server, CrawlRun(ended.returncode, tmp / "output", ended.stdout, ended.stderr), set())
    return scenario


def two_signals(first: signal.Signals, second: signal.Signals) -> Callable[[Path], Scenario]:
    """Two signals while slow pages are in flight (the second forces the stop), then a night that finishes."""

    def scenario_of(tmp: Path) -> Scenario:
        scenario = Scenario()
        server = fs.FaultServer(fs.slow_site)
        server.start_in_background()
        try:
            process = start_crawl(server.url + "/", tmp, *FAST, *INLINE)
            waiting = lambda: any(p.startswith("/economy/slow-story-") for p in server.requests)  # noqa: E731
            ended = signal_when(process, waiting, first, second)
        finally:
            server.stop()
        scenario.add(server, CrawlRun(ended.returncode, tmp / "output", ended.stdout, ended.stderr), set())
        _crawl(scenario, fs.slow_site_of(0.0), tmp)
        return scenario

    return scenario_of


def _mount_tmpfs(directory: Path, size: str) -> str | None:
    """Mount a small tmpfs on `directory`; the reason when that is impossible here (not root, no permission)."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"cannot run mount: {error}"
    return None if result.returncode == 0 else f"cannot mount a tmpfs: {result.stderr.strip() or result.returncode}"


def disk_full(tmp: Path) -> Scenario:
    """OUTPUT_DIR on a 64 kB tmpfs with room for a few records only; then the same night with room."""
    scenario = Scenario()
    output = tmp / "output"
    reason = _mount_tmpfs(output, "64k")
    if reason:
        scenario.notes["skip"] = reason
        return scenario
    try:
        (output / "eureporter").mkdir()
        free = os.statvfs(output).f_bavail * os.statvfs(output).f_frsize
        filler = output / "filler"
        filler.write_bytes(b"\0" * (free - 24 * 1024))  # room for some ten records
        _crawl(scenario, fs.many_articles_site, tmp)
        scenario.notes["after_full"] = sorted(p.name for p in (output / "eureporter").iterdir())
        scenario.notes["lines_on_disk"] = [
            line
            for path in (output / "eureporter").iterdir()
            if ".jsonl" in path.name
            for line in path.read_bytes().splitlines(keepends=True)
        ]
        with sqlite3.connect(tmp / "state" / "eureporter.sqlite3") as db:
            scenario.notes["state_articles"] = {row[0] for row in db.execute("SELECT canonical_url FROM articles")}
        filler.unlink()
        _crawl(scenario, fs.many_articles_site, tmp)
        scenario.notes["records"] = scenario.runs[-1].records()
        scenario.notes["after_rerun"] = sorted(p.name for p in (output / "eureporter").iterdir())
    finally:
        subprocess.run(["umount", "-l", str(output)], capture_output=True, timeout=30)
    return scenario


def finished_jobdir(tmp: Path) -> Scenario:
    scenario = Scenario()
    site = fs.robots_site("User-agent: *\n")
    _crawl(scenario, site, tmp, "-s", f"JOBDIR={tmp / 'job'}")
    _crawl(scenario, site, tmp, "-s", f"JOBDIR={tmp / 'job'}")
    return scenario


def corpus_site(name: str) -> Callable[[Path], Scenario]:
    """A hostile site of the news-site corpus (tests/fixtures/sites/, written for issue 10 by another hand)."""

    def scenario_of(tmp: Path) -> Scenario:
        scenario = Scenario()
        server = SitesServer.for_site(name, rewrite_live=True)
        server.start_in_background()
        try:
            run = run_crawl(server.url + "/", tmp / "output", tmp / "state", *INLINE, timeout=150)
        finally:
            server.shutdown()
            server.server_close()
        scenario.add(server, run, set())
        expected = (SITES / name / "expected").glob("*.json")
        scenario.notes["articles"] = {json.loads(p.read_text())["url"] for p in expected if p.stem != "non_articles"}
        return scenario

    return scenario_of


SCENARIOS: dict[str, Callable[[Path], Scenario]] = {
    "robots_disallow_all": robots_disallow_all,
    "robots_server_error": robots_server_error,
    "robots_slow_partial": robots_slow_partial,
    "retry_after_huge": retry_after_huge,
    "sigterm_during_retry_after": sigterm_during_retry_after,
    "two_sigints": two_signals(signal.SIGINT, signal.SIGINT),
    "two_sigterms": two_signals(signal.SIGTERM, signal.SIGTERM),
    "sigint_then_sigterm": two_signals(signal.SIGINT, signal.SIGTERM),
    "disk_full": disk_full,
    "finished_jobdir": finished_jobdir,
    "corpus_retry_after": corpus_site("hostile-retry-after"),
    "corpus_robots_disallow": corpus_site("hostile-robots-disallow"),
    "corpus_robots_500": corpus_site("hostile-robots-500"),
}


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    return side_by_side(SCENARIOS, tmp_path_factory)


def _no_traceback(run: CrawlRun) -> None:
    assert "Traceback" not in run.stderr, run.stderr[-5000:]


# --- robots.txt -------------------------------------------------------------------------------------------


def test_robots_disallow_all_fetches_nothing_but_robots_txt(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["robots_disallow_all"]
    assert dict(scenario.server.requests) == {"/robots.txt": 1}
    assert scenario.run.records() == []


def test_robots_disallow_all_exits_with_its_own_status(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["robots_disallow_all"]
    run = scenario.run
    assert run.returncode == ExitCode.ROBOTS_DENIED, run.stderr[-3000:]
    summary = scenario.summary()
    assert summary["robots"]["refused_everything"] is True
    assert summary["robots"]["refused"] >= 4  # the sitemap probes, the feed, the home page...
    assert summary["exit_status"] == "robots_denied"
    assert "robots.txt refused every URL" in run.stderr
    _no_traceback(run)


def test_robots_server_error_means_disallow_all(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["robots_server_error"]
    assert set(scenario.server.requests) == {"/robots.txt"}  # asked again once (RETRY_TIMES=1), nothing else
    assert scenario.run.returncode == ExitCode.ROBOTS_DENIED, scenario.run.stderr[-3000:]
    hosts = scenario.summary()["robots"]["hosts"]
    assert [verdict for verdict in hosts.values()] == ["http_503: disallow all for this run"]


def test_no_request_leaves_before_robots_txt_is_known(scenarios: dict[str, Scenario]) -> None:
    server = scenarios["robots_slow_partial"].server
    (asked,) = server.request_times("/robots.txt")  # fetched once, though the spider reads it too
    others = [t for path in server.requests if path != "/robots.txt" for t in server.request_times(path)]
    assert others and min(others) >= asked + 0.9  # robots.txt took a second to answer


def test_robots_partial_disallow_refuses_only_its_paths(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["robots_slow_partial"]
    assert not [p for p in scenario.server.requests if p.startswith("/politics/")]
    assert set(_paths(scenario.run)) == {s.path for s in fs.ORDINARY[:4] if not s.path.startswith("/politics/")}
    summary = scenario.summary()
    refused = [s for s in fs.ORDINARY[:4] if s.path.startswith("/politics/")]
    assert summary["robots"]["refused"] == len(refused) == 1  # asked for once (sitemap and home page link it)
    assert summary["robots"]["refused_everything"] is False
    assert scenario.run.returncode == ExitCode.OK


# --- Retry-After ------------------------------------------------------------------------------------------


def test_huge_retry_after_defers_instead_of_waiting(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["retry_after_huge"]
    first, server = scenario.runs[0], scenario.servers[0]
    summary = scenario.summary(0)
    deferred = {s.path for s in fs.LIMITED[2:]}
    assert summary["deferred"]["count"] == len(deferred)
    assert summary["deferred"]["by_reason"] == {"retry_after": len(deferred)}
    assert {urlsplit(u).path for u in summary["deferred"]["urls"]} == deferred
    assert all(server.requests[p] == 1 for p in deferred)  # asked once, not retried, not waited for
    assert summary["duration_seconds"] < 60  # a single 60 s wait, let alone sixteen, would show
    assert summary["errors"] == {} and summary["error_ratio"] == 0  # deferred is not failed
    assert first.returncode == ExitCode.OK
    _no_traceback(first)


def test_retry_after_within_the_cap_is_honoured_without_holding_a_slot(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["retry_after_huge"]
    server = scenario.servers[0]
    for story in fs.LIMITED[:2]:
        asked, again = server.request_times(story.path)
        assert again - asked >= 1.9
    assert {s.path for s in fs.LIMITED[:2]} <= set(_paths(scenario.runs[0]))


def test_deferred_urls_are_fetched_by_the_next_run_and_each_article_emitted_once(
    scenarios: dict[str, Scenario],
) -> None:
    scenario = scenarios["retry_after_huge"]
    second = scenario.runs[1]
    assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    emitted = _paths(second)  # CrawlRun reads every run's file in the output folder
    assert emitted == Counter({s.path: 1 for s in (*fs.ORDINARY[:4], *fs.LIMITED)})
    assert not [s.path for s in (*fs.ORDINARY[:4], *fs.LIMITED[:2]) if scenario.servers[1].requests[s.path]]


def test_one_sigterm_ends_a_run_waiting_on_retry_after(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["sigterm_during_retry_after"]
    run = scenario.run
    assert run.returncode == ExitCode.INTERRUPTED, run.stderr[-3000:]
    assert scenario.notes["seconds_to_exit"] < 20  # the 30 s waits were not sat out
    summary = scenario.summary()
    assert summary["deferred"]["by_reason"] == {"stopped_while_waiting": len(fs.LIMITED)}
    _no_traceback(run)


def test_corpus_retry_after_site_defers_the_sixteen_and_emits_its_articles_once(scenarios: dict[str, Scenario]) -> None:
    scenario = scenarios["corpus_retry_after"]
    assert scenario.run.returncode == ExitCode.OK, scenario.run.stderr[-3000:]
    assert _paths(scenario.run) == Counter(dict.fromkeys(scenario.notes["articles"], 1))  # type: ignore[arg-type]
    premium = {f"/premium/{i}/" for i in range(1, 17)}
    assert {path: scenario.server.requests[path] for path in premium} == dict.fromkeys(premium, 1)
    summary = scenario.summary()
    assert summary["deferred"]["count"] == 16 and summary["duration_seconds"] < 60


@pytest.mark.parametrize("name", ["corpus_robots_disallow", "corpus_robots_500"])
def test_corpus_robots_sites_get_nothing_but_robots_txt(scenarios: dict[str, Scenario], name: str) -> None:
    scenario = scenarios[name]
    assert scenario.run.returncode == ExitCode.ROBOTS_DENIED, scenario.run.stderr[-3000:]
    assert set(scenario.server.requests) == {"/robots.txt"}
    assert scenario.summary()["robots"]["refused_everything"] is True


# --- signals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["two_sigints", "two_sigterms", "sigint_then_sigterm"])
def test_repeated_signals_exit_8_with_a_summary(scenarios: dict[str, Scenario], name: str) -> None:
    run = scenarios[name].runs[0]
    assert run.returncode == ExitCode.INTERRUPTED, run.stderr[-3000:]
    summary = scenarios[name].summary(0)
    assert summary["exit_code"] == ExitCode.INTERRUPTED
    assert summary["exit_status"] == "interrupted"
    assert "newsspider summary:" in run.stderr
    assert not list((run.output_dir / "eureporter").glob("*.part"))


@pytest.mark.parametrize("name", ["two_sigints", "two_sigterms", "sigint_then_sigterm"])
def test_after_repeated_signals_the_next_run_completes_every_article_once(
    scenarios: dict[str, Scenario], name: str
) -> None:
    scenario = scenarios[name]
    second = scenario.runs[1]
    assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    emitted = _paths(second)  # every run's file in the folder
    assert set(emitted.values()) == {1}
    assert set(emitted) == {s.path for s in fs.ORDINARY[:2]} | {f"/economy/slow-story-{i}/" for i in range(4)}
    # What the interrupted run said it wrote is what it published (the rest came the next night).
    assert scenario.summary(0)["articles"]["written"] + scenario.summary(1)["articles"]["written"] == 6


# --- a full disk ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full(scenarios: dict[str, Scenario]) -> Scenario:
    scenario = scenarios["disk_full"]
    if "skip" in scenario.notes:
        pytest.skip(str(scenario.notes["skip"]))
    return scenario


def test_full_disk_stops_the_run_with_status_6_and_a_clear_message(full: Scenario) -> None:
    run = full.runs[0]
    assert run.returncode == ExitCode.OUTPUT_NOT_WRITABLE, run.stderr[-3000:]
    assert "No space left on device" in run.stderr
    assert "Stopping the run" in run.stderr
    assert "(ok" not in run.stderr.split("newsspider summary:")[-1]
    _no_traceback(run)


def test_full_disk_leaves_only_whole_lines_and_the_state_matches_them(full: Scenario) -> None:
    lines = full.notes["lines_on_disk"]
    assert lines, full.notes["after_full"]  # some records fitted
    assert len(lines) < len(fs.MANY)  # and some did not
    records = [json.loads(line) for line in lines]  # every line is whole JSON
    assert all(line.endswith(b"\n") for line in lines)
    assert full.notes["state_articles"] == {r["canonical_url"] for r in records}
    written = int(full.runs[0].stderr.split("newsspider summary:")[-1].split(" written")[0].rsplit(" ", 1)[-1])
    assert written == len(records)


def test_after_a_full_disk_the_next_run_emits_the_rest_and_nothing_twice(full: Scenario) -> None:
    second = full.runs[1]
    assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    emitted = Counter(urlsplit(r["url"]).path for r in full.notes["records"])  # type: ignore[union-attr]
    assert emitted == Counter({s.path: 1 for s in fs.MANY})
    assert not [name for name in full.notes["after_rerun"] if name.endswith(".part")]  # type: ignore[attr-defined]


# --- JOBDIR -----------------------------------------------------------------------------------------------


def test_a_finished_jobdir_starts_a_fresh_crawl(scenarios: dict[str, Scenario]) -> None:
    first, second = scenarios["finished_jobdir"].runs
    assert first.returncode == ExitCode.OK, first.stderr[-3000:]
    assert second.returncode == ExitCode.OK, second.stderr[-3000:]  # not 4, "nothing discovered"
    assert scenarios["finished_jobdir"].summary(1)["articles"]["skipped_known"] == 4
    assert "holds a finished crawl; starting a fresh one" in second.stderr


# --- commands that are not a run -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["parse", "shell"])
def test_parse_and_shell_write_no_run_files_and_take_no_lock(tmp_path: Path, command: str) -> None:
    server = fs.FaultServer(fs.robots_site("User-agent: *\n"))
    server.start_in_background()
    output, state = tmp_path / "output", tmp_path / "state"
    held = lock.acquire(state / "eureporter.lock")  # a nightly run is going on
    url = server.url + fs.ECB.path
    args = ["parse", url, "--spider", "eureporter", "-c", "parse_page"] if command == "parse" else ["shell", url]
    args += ["-c", "response.status"] if command == "shell" else []
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", *args, "-s", f"OUTPUT_DIR={output}", "-s", f"STATE_DIR={state}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        lock.release(held)
        server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert not output.exists()
    assert sorted(p.name for p in state.iterdir()) == ["eureporter.lock"]
    assert "another eureporter run holds" not in result.stderr.lower()
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
