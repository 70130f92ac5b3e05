"""Bad command-line input: one clear message on stderr, a non-zero documented exit status, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

from newsspider.crawl.extensions import ExitCode

pytestmark = pytest.mark.crawl  # real `scrapy crawl` subprocesses


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def _run(*args: str, cwd: Path = REPO, stdin: str | None = None) -> Result:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, input=stdin, timeout=60
    )
    return Result(process.returncode, process.stdout, process.stderr)


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def crawl(tmp_path: Path, *args: str, base_url: str | None = None) -> Result:
    """`scrapy crawl eureporter` with harmless defaults; `args` add or override (later -a/-s win)."""
    defaults = ["-a", f"base_url={base_url or _closed_port_url()}", "-s", f"OUTPUT_DIR={tmp_path / 'output'}"]
    defaults += ["-s", f"STATE_DIR={tmp_path / 'state'}", "-s", "RETRY_TIMES=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    return _run("-m", "scrapy", "crawl", "eureporter", *defaults, *args)


def newsspider(*args: str, stdin: str | None = None) -> Result:
    return _run("-m", "newsspider.cli", *args, stdin=stdin)


def assert_clear_failure(result: Result, code: int, *phrases: str) -> None:
    assert result.returncode == code, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "Task exception was never retrieved" not in result.stderr, result.stderr[-3000:]
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr[-3000:])


# --- scrapy crawl -----------------------------------------------------------------------------------------


def test_unknown_spider_argument(tmp_path: Path) -> None:
    result = crawl(tmp_path, "-a", "bogus=1")
    assert_clear_failure(result, ExitCode.USAGE, "unknown spider argument", "bogus")


@pytest.mark.parametrize("base_url", ["notaurl", "ftp://example.org/", "http:///no-host"])
def test_malformed_base_url(tmp_path: Path, base_url: str) -> None:
    result = crawl(tmp_path, "-a", f"base_url={base_url}")
    assert_clear_failure(result, ExitCode.USAGE, "base_url must be an http(s) URL", base_url)


def test_non_numeric_max_listing_pages(tmp_path: Path) -> None:
    result = crawl(tmp_path, "-a", "max_listing_pages=many")
    assert_clear_failure(result, ExitCode.USAGE, "max_listing_pages", "many")


def test_non_numeric_max_error_ratio(tmp_path: Path) -> None:
    result = crawl(tmp_path, "-s", "MAX_ERROR_RATIO=lots")
    assert_clear_failure(result, ExitCode.USAGE, "MAX_ERROR_RATIO", "lots")


@pytest.mark.parametrize(
    ("setting", "phrase"),
    [
        ("NEWSSPIDER_EXTRACT_WORKERS=abc", "NEWSSPIDER_EXTRACT_WORKERS must be a whole number, got 'abc'"),
        ("NEWSSPIDER_EXTRACT_WORKERS=-3", "NEWSSPIDER_EXTRACT_WORKERS must not be negative, got '-3'"),
        ("NEWSSPIDER_GUARD_ENABLE=0", "unknown setting NEWSSPIDER_GUARD_ENABLE"),
    ],
)
def test_bad_setting_value_is_a_one_line_usage_error(tmp_path: Path, setting: str, phrase: str) -> None:
    """End to end for three; tests/test_settings_checks.py checks every kind of value against the rules."""
    result = crawl(tmp_path, "-s", setting)
    assert_clear_failure(result, ExitCode.USAGE, phrase)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "output").exists()


def test_log_file_folder_is_created(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "nightly" / "eureporter.log"
    result = crawl(tmp_path, "-s", f"LOG_FILE={log}")
    assert result.returncode == ExitCode.UNREACHABLE, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "newsspider summary:" in log.read_text()


def test_unknown_spider_name(tmp_path: Path) -> None:
    result = _run("-m", "scrapy", "crawl", "no-such-site", "-s", f"OUTPUT_DIR={tmp_path}")
    assert_clear_failure(result, ExitCode.USAGE, "no-such-site")


def test_missing_spider_name() -> None:
    result = _run("-m", "scrapy", "crawl")
    assert_clear_failure(result, ExitCode.USAGE, "give exactly one spider name")


def test_output_dir_under_a_regular_file(tmp_path: Path) -> None:
    """Not chmod: tests run as root. A path below a regular file can be created by nobody."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory\n")
    result = crawl(tmp_path, "-s", f"OUTPUT_DIR={blocker / 'out'}")
    assert_clear_failure(result, ExitCode.OUTPUT_NOT_WRITABLE, "OUTPUT_DIR", "not writable")
    assert blocker.read_text() == "not a directory\n"
    assert "Crawled 0 pages" in result.stderr and "Crawled 1 pages" not in result.stderr


def test_state_dir_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory\n")
    result = crawl(tmp_path, "-s", f"STATE_DIR={blocker / 'state'}")
    assert_clear_failure(result, ExitCode.OUTPUT_NOT_WRITABLE, "not writable")


# --- newsspider extract -----------------------------------------------------------------------------------


def test_extract_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    result = newsspider("extract", str(missing))
    assert_clear_failure(result, 1, str(missing), "cannot read", "No such file")
    assert result.stdout == ""


def test_extract_directory(tmp_path: Path) -> None:
    result = newsspider("extract", str(tmp_path))
    assert_clear_failure(result, 1, str(tmp_path), "cannot read")


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.html", b""), ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), ("blank.html", b"  \n\t\n")],
)
def test_extract_file_that_is_no_article(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = newsspider("extract", str(path))
    assert_clear_failure(result, 1, str(path))
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_extract_unknown_site(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>hello</p></body></html>")
    result = newsspider("extract", "--site", "no-such-site", str(path))
    assert_clear_failure(result, ExitCode.USAGE, "unknown site", "no-such-site")


def test_extract_url_with_several_files(tmp_path: Path) -> None:
    result = newsspider("extract", "--url", "https://example.org/a/", str(tmp_path / "a"), str(tmp_path / "b"))
    assert_clear_failure(result, ExitCode.USAGE, "--url applies to one file")


def test_extract_without_files() -> None:
    result = newsspider("extract")
    assert_clear_failure(result, ExitCode.USAGE, "FILE")


def test_unknown_subcommand() -> None:
    result = newsspider("frobnicate")
    assert_clear_failure(result, ExitCode.USAGE, "frobnicate")


def test_extract_empty_stdin() -> None:
    result = newsspider("extract", "-", stdin="")
    assert_clear_failure(result, 1)
    assert result.stdout == ""
