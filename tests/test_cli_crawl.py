"""The `newsspider` command around Scrapy: crawl one or many sites, manage profiles, the demo, --version."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from newssites import SiteServer
from newssites_catalog import atom_fr, bind, ghost_en

from newsspider import __version__
from newsspider.cli.crawl import parse, scrapy_arguments

#: Settings for every crawl these tests start: no throttling, extraction in the crawler process.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NEWSSPIDER_EXTRACT_WORKERS=0"]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def newsspider(*args: str, cwd: Path) -> Result:
    process = subprocess.run(
        [sys.executable, "-m", "newsspider", *args],
        cwd=cwd,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        capture_output=True,
        text=True,
        timeout=240,
    )
    return Result(process.returncode, process.stdout, process.stderr)


# --- parsing our options apart from scrapy crawl's -----------------------------------------------------------


def test_sites_and_our_options_are_parsed_apart_from_scrapy_options() -> None:
    request = parse(["a", "-a", "since=2024-01-01", "b", "--parallel", "2", "-s", "X=1", "-L", "INFO", "--log-dir=l"])
    assert request.sites == ["a", "b"]
    assert request.passthrough == ["-a", "since=2024-01-01", "-s", "X=1", "-L", "INFO"]
    assert (request.parallel, str(request.log_dir), request.all_sites) == (2, "l", False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "give one or more SITE"),
        (["a", "--all"], "give one or more SITE"),
        (["a", "--parallel", "0"], "whole number"),
    ],
)
def test_bad_crawl_options_are_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        parse(argv)
    assert exit.value.code == 2
    assert message in capsys.readouterr().err


def test_a_site_is_a_spider_a_profile_or_a_root_url() -> None:
    spiders = {"news", "eureporter"}
    assert scrapy_arguments("eureporter", spiders) == ["crawl", "eureporter"]
    assert scrapy_arguments("zeitung", spiders) == ["crawl", "news", "-a", "site=zeitung"]
    assert scrapy_arguments("https://x.org/", spiders) == ["crawl", "news", "-a", "url=https://x.org/"]


def test_version(tmp_path: Path) -> None:
    result = newsspider("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, f"newsspider {__version__}")


# --- real crawls ----------------------------------------------------------------------------------------------


@pytest.mark.crawl
def test_crawl_several_sites_one_line_each_and_the_failed_one_named(tmp_path: Path) -> None:
    ghost, atom = ghost_en(), atom_fr()
    servers = [SiteServer(ghost).start(), SiteServer(atom).start()]
    bind(ghost, servers[0].url)
    bind(atom, servers[1].url)
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "harbour.toml").write_text(f'url = "{servers[0].url}/"\n')
    (sites / "quotidien.toml").write_text(f'url = "{servers[1].url}/"\n')
    (sites / "gone.toml").write_text('url = "http://127.0.0.1:9/"\n')
    settings = [
        "-s",
        "NEWSSPIDER_SITES_DIR=sites",
        "-s",
        "OUTPUT_DIR=out",
        "-s",
        "STATE_DIR=state",
        "-s",
        "RETRY_TIMES=0",
    ]
    try:
        result = newsspider("crawl", "--all", "--parallel", "3", *settings, *FAST, cwd=tmp_path)
    finally:
        for server in servers:
            server.stop()
    lines = sorted(result.stdout.splitlines())
    assert [line.split(":")[0] for line in lines] == ["gone", "harbour", "quotidien"]
    assert re.match(r"gone: exit 3 unreachable, 0 pages", lines[0]), lines[0]
    assert re.match(rf"harbour: exit 0 ok, \d+ pages, {len(ghost.stories)} written", lines[1]), lines[1]
    assert re.match(rf"quotidien: exit 0 ok, \d+ pages, {len(atom.stories)} written", lines[2]), lines[2]
    assert result.returncode == 3
    assert "failed: gone (exit 3 unreachable)" in result.stderr
    assert {"harbour.sqlite3", "quotidien.sqlite3"} <= {p.name for p in (tmp_path / "state").glob("*.sqlite3")}
    assert len(list((tmp_path / "logs").glob("*.log"))) == 3


@pytest.mark.crawl
def test_sites_add_writes_a_profile_that_list_shows_and_check_tries(tmp_path: Path) -> None:
    site = ghost_en()
    server = SiteServer(site).start()
    bind(site, server.url)
    try:
        added = newsspider("sites", "add", server.url + "/", "--name", "harbour", "--pages", "3", *FAST, cwd=tmp_path)
        again = newsspider("sites", "add", server.url + "/", "--name", "harbour", cwd=tmp_path)
        listed = newsspider("sites", "list", cwd=tmp_path)
    finally:
        server.stop()
    assert added.returncode == 0, added.stderr[-3000:]
    assert "robots.txt: 1 sitemap(s)" in added.stdout and "Harbour Post" in added.stdout
    assert re.search(r"^3 article\(s\):", added.stdout, re.M)
    assert re.search(r"^  authors +3/3$", added.stdout, re.M) and re.search(r"^  published +3/3$", added.stdout, re.M)
    profile = (tmp_path / "sites" / "harbour.toml").read_text()
    assert f'url = "{server.url}/"' in profile and 'site_name = "Harbour Post"' in profile
    assert again.returncode == 2 and "exists" in again.stderr
    assert "harbour" in listed.stdout and "eureporter  https://www.eureporter.co/  (built in)" in listed.stdout


def test_sites_check_of_an_unknown_or_broken_profile_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "broken.toml").write_text("url = 3\n")
    unknown = newsspider("sites", "check", "nope", cwd=tmp_path)
    broken = newsspider("sites", "check", "broken", cwd=tmp_path)
    listed = newsspider("sites", "list", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown site 'nope'" in unknown.stderr
    assert broken.returncode == 2 and "url must be a string" in broken.stderr
    assert listed.returncode == 1 and re.search(r"^broken +NOT VALID: .*url must be a string", listed.stdout, re.M)


@pytest.mark.crawl
def test_demo_crawls_into_its_own_folders(tmp_path: Path) -> None:
    result = newsspider("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(list((tmp_path / "newsspider-demo" / "output" / "eureporter").glob("*.jsonl"))) == 1
    assert (tmp_path / "newsspider-demo" / "state" / "eureporter.sqlite3").exists()
    assert not (tmp_path / "output").exists() and not (tmp_path / "state").exists()


# --- the Scrapy commands that look at pages ---------------------------------------------------------------------


def scrapy(*args: str, cwd: Path) -> Result:
    process = subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=cwd,
        env=dict(os.environ, SCRAPY_SETTINGS_MODULE="newsspider.settings", PYTHONUNBUFFERED="1"),
        capture_output=True,
        text=True,
        input='print("STATUS", response.status)\n',
        timeout=120,
    )
    return Result(process.returncode, process.stdout, process.stderr)


@pytest.mark.crawl
def test_check_runs_contracts_on_shipped_pages(tmp_path: Path) -> None:
    result = scrapy("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    ran = re.search(r"Ran (\d+) contracts", result.stderr)
    assert ran and int(ran.group(1)) >= 4  # @returns and @scrapes, on both spiders
    assert not (tmp_path / "output").exists() and not (tmp_path / "state").exists()


@pytest.mark.crawl
def test_shell_and_parse_write_no_run_files_and_warn_of_nothing(tmp_path: Path) -> None:
    from newsspider.mirror import MirrorServer
    from newsspider.spiders.contracts import DEMO_MIRROR

    server = MirrorServer(DEMO_MIRROR)
    server.start_in_background()
    page = server.url + "/2022/11/15/baltic-ports-brace-for-record-grain-transit/"
    try:
        shell = scrapy("shell", page, cwd=tmp_path)
        parse = scrapy(
            "parse", "--spider", "eureporter", "-a", f"base_url={server.url}/", page, "-c", "parse_page", cwd=tmp_path
        )
    finally:
        server.shutdown()
        server.server_close()
    assert "STATUS 200" in shell.stdout and "Traceback" not in shell.stderr and "KeyError" not in shell.stderr
    assert parse.returncode == 0 and "'headline': 'Baltic ports brace for record grain transit'" in parse.stdout
    assert "returned a Deferred" not in parse.stderr and "WARNING" not in parse.stderr
    assert list(tmp_path.iterdir()) == []  # no output/, state/, lock or summary
