"""Real crawls against a fault-injecting server: broken pages, transports and encodings never break a run."""

from __future__ import annotations

import json
import re
import signal
import socket
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import faultserver as fs
import pytest
from conftest import CrawlRun, run_crawl
from processes import side_by_side, signal_when, start_crawl

from newsspider.crawl.extensions import ExitCode
from newsspider.extract import extract_article
from newsspider.sites import get_profile
from newsspider.validate import validation_errors

#: Small limits so that every fault resolves in seconds (faultserver.MAXSIZE and TIMEOUT fit its pages).
FAST = ("-s", "RETRY_TIMES=1", "-s", f"DOWNLOAD_TIMEOUT={fs.TIMEOUT}", "-s", f"DOWNLOAD_MAXSIZE={fs.MAXSIZE}")
#: Extraction inline, for the scenario crawls that test exit statuses (fewer processes side by side).
INLINE = ("-s", "NEWSSPIDER_EXTRACT_WORKERS=0")
MOJIBAKE = ("\ufffd", "â€", "Ã", "Â")

pytestmark = pytest.mark.crawl  # real `scrapy crawl` subprocesses


def _path(record: dict) -> str:
    return urlsplit(record["url"]).path


def _crawl_site(
    tmp_path: Path, site: Callable[[str], dict[str, fs.Route]] | None = None, *extra: str
) -> tuple[fs.FaultServer, CrawlRun]:
    server = fs.FaultServer(site)
    server.start_in_background()
    try:
        run = run_crawl(server.url + "/", tmp_path / "output", tmp_path / "state", *FAST, *extra, timeout=120)
    finally:
        server.stop()
    return server, run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _crawl_unreachable(tmp_path: Path) -> tuple[None, CrawlRun]:
    url = f"http://127.0.0.1:{_free_port()}/"
    return None, run_crawl(url, tmp_path / "output", tmp_path / "state", *FAST, *INLINE)


def _crawl_interrupted(tmp_path: Path) -> tuple[fs.FaultServer, CrawlRun]:
    """Start a crawl of a site with slow pages, and SIGINT it (as Ctrl-C or `kill -INT` would) once it waits."""
    server = fs.FaultServer(fs.slow_site)
    server.start_in_background()
    try:
        process = start_crawl(f"{server.url}/", tmp_path, *FAST)
        waiting = lambda: any(p.startswith("/economy/slow-story-") for p in server.requests)  # noqa: E731
        ended = signal_when(process, waiting, signal.SIGINT)
    finally:
        server.stop()
    return server, CrawlRun(ended.returncode, tmp_path / "output", ended.stdout, ended.stderr)


#: Every crawl this module makes, run side by side (they mostly wait on sockets and timeouts).
SCENARIOS: dict[str, Callable[[Path], tuple[fs.FaultServer | None, CrawlRun]]] = {
    "faults": lambda tmp: _crawl_site(tmp),
    "interrupted": _crawl_interrupted,
    "bad_urls": lambda tmp: _crawl_site(tmp, fs.bad_urls_site),
    "storm_404": lambda tmp: _crawl_site(tmp, fs.error_storm_site(404), *INLINE),
    "storm_500": lambda tmp: _crawl_site(tmp, fs.error_storm_site(500), *INLINE),
    "storm_dropped": lambda tmp: _crawl_site(tmp, fs.error_storm_site(None), *INLINE),
    "no_articles": lambda tmp: _crawl_site(tmp, fs.no_articles_site, *INLINE),
    "unreachable": _crawl_unreachable,
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[fs.FaultServer | None, CrawlRun]]:
    return side_by_side(SCENARIOS, tmp_path_factory)


@pytest.fixture(scope="module")
def crawl(runs: dict[str, tuple[fs.FaultServer | None, CrawlRun]]) -> tuple[fs.FaultServer, CrawlRun]:
    """The real crawl of the whole faulty site, shared by most assertions below."""
    server, run = runs["faults"]
    assert server is not None
    return server, run


@pytest.fixture(scope="module")
def records(crawl: tuple[fs.FaultServer, CrawlRun]) -> dict[str, dict]:
    _, run = crawl
    by_path: dict[str, dict] = {}
    for record in run.records():
        assert _path(record) not in by_path, f"emitted twice: {record['url']}"
        by_path[_path(record)] = record
    return by_path


@pytest.fixture(scope="module")
def summary(crawl: tuple[fs.FaultServer, CrawlRun]) -> dict:
    _, run = crawl
    summaries = run.summaries()
    assert len(summaries) == 1, run.stderr[-3000:]
    return summaries[0]


# --- the run as a whole -----------------------------------------------------------------------------------


def test_faulty_site_crawl_exits_ok(crawl: tuple[fs.FaultServer, CrawlRun], summary: dict) -> None:
    _, run = crawl
    assert run.returncode == ExitCode.OK, run.stderr[-5000:]
    assert summary["exit_code"] == 0
    assert summary["finish_reason"] == "finished"
    assert "Traceback" not in run.stderr, run.stderr[-5000:]


def test_output_is_complete_parseable_and_valid(crawl: tuple[fs.FaultServer, CrawlRun], summary: dict) -> None:
    _, run = crawl
    files = list((run.output_dir / "eureporter").iterdir())
    assert not [f.name for f in files if f.name.endswith(".part")]
    assert not [f.name for f in files if f.name.endswith(".rejects.jsonl")]
    lines = [line for f in files if f.name.endswith(".jsonl") for line in f.read_text(encoding="utf-8").splitlines()]
    records = [json.loads(line) for line in lines]  # every line parses
    for record in records:
        schema_fields = {k: v for k, v in record.items() if k not in {"version", "previous_content_hash"}}
        assert validation_errors(schema_fields) == [], record["url"]
    assert summary["articles"]["written"] == len(records)
    assert summary["rejects"] == 0


# --- good articles ----------------------------------------------------------------------------------------

_PLAIN_GOOD = [s for s in fs.GOOD if s not in (fs.CP1252_AS_UTF8, fs.HEADER_LIES)]


@pytest.mark.parametrize("story", _PLAIN_GOOD, ids=lambda s: s.path.strip("/").split("/")[-1][:40])
def test_good_article_emitted_once_with_its_text(records: dict[str, dict], story: fs.Story) -> None:
    record = records.get(story.path)
    assert record is not None, f"{story.path} not emitted"
    assert record["headline"] == story.headline
    assert record["body"] == story.body
    assert record["authors"] == ([story.author] if story.author else [])
    assert record["published"] == story.published
    assert urlsplit(record["canonical_url"]).path == story.path
    assert not any(mark in record["headline"] + record["body"] for mark in MOJIBAKE)


@pytest.mark.parametrize(
    "story",
    [
        pytest.param(fs.CP1252_AS_UTF8, id="cp1252-declared-utf8"),
        pytest.param(fs.HEADER_LIES, id="header-latin1-body-utf8"),
    ],
)
def test_mislabelled_charset_article_text_is_correct(records: dict[str, dict], story: fs.Story) -> None:
    record = records.get(story.path)
    assert record is not None, f"{story.path} not emitted"
    assert record["headline"] == story.headline
    assert record["body"] == story.body


def test_article_without_date_or_author_is_still_an_article(records: dict[str, dict]) -> None:
    record = records[fs.UNDATED.path]
    assert record["published"] is None
    assert record["modified"] is None
    assert record["authors"] == []
    assert record["body"] == fs.UNDATED.body


def test_transient_errors_are_retried_once_then_succeed(crawl: tuple[fs.FaultServer, CrawlRun]) -> None:
    server, _ = crawl
    for story in fs.RECOVERED:
        assert server.requests[story.path] == 2, story.path


def test_retry_after_is_honoured(crawl: tuple[fs.FaultServer, CrawlRun]) -> None:
    server, _ = crawl
    first, second = server.request_times(fs.RATE_LIMITED.path)
    assert second - first >= 0.9


# --- faulty pages -----------------------------------------------------------------------------------------

FAULTY = [
    fs.ALWAYS_500,
    fs.NOT_FOUND,
    fs.GONE,
    fs.SLOW,
    fs.DROPPED,
    fs.EMPTY,
    fs.HEADLINE_ONLY,
    fs.OVERSIZED,
    fs.ENCODING_BOMB,
    fs.PDF,
    fs.PNG,
    fs.LOOP_A,
    fs.LOOP_B,
    fs.OFFSITE,
    fs.DEAD_LINK,
    fs.BOMB_TARGET,
    fs.TRUNCATED_EARLY.path,
]


def test_no_record_from_a_faulty_page(records: dict[str, dict]) -> None:
    emitted = set(records)
    assert emitted.isdisjoint(FAULTY)
    allowed = {s.path for s in fs.GOOD} | {fs.TRUNCATED.path}
    assert emitted <= allowed, sorted(emitted - allowed)


def test_truncated_page_yields_no_garbage(records: dict[str, dict]) -> None:
    """The server's length matched, so the crawler cannot know: either nothing, or the text that did arrive."""
    record = records.get(fs.TRUNCATED.path)
    if record is None:
        return
    assert record["headline"] == fs.TRUNCATED.headline
    assert fs.TRUNCATED.body.startswith(record["body"])
    assert record["body"].startswith("\n\n".join(fs.TRUNCATED.paragraphs[:3]))
    assert "<" not in record["body"]


def test_errors_counted_by_kind(summary: dict) -> None:
    errors = dict(summary["errors"])
    assert errors.pop("http_404") == 1
    assert errors.pop("http_410") == 1
    assert errors.pop("http_500") == 1  # after its retry; the flaky 500/503/429 pages recovered and are not errors
    timeouts = [k for k in errors if "timeout" in k.lower()]
    assert [errors.pop(k) for k in timeouts] == [1], summary["errors"]
    data_loss = [k for k in errors if "dataloss" in k.lower() or "responsefailed" in k.lower()]
    assert [errors.pop(k) for k in data_loss] == [1], summary["errors"]
    too_large = [k for k in errors if any(w in k.lower() for w in ("cancel", "size", "large"))]
    assert sum(errors.pop(k) for k in too_large) >= 1, summary["errors"]  # the oversized page
    assert errors == {}, f"unexpected error kinds: {errors}"
    assert summary["broken_links"] == 1  # the listing's dead link is the web's noise, not a crawl error
    assert summary["error_ratio"] < 0.5


def test_content_encoding_bomb_counted_like_an_oversized_page(summary: dict) -> None:
    too_large = [k for k in summary["errors"] if any(w in k.lower() for w in ("cancel", "size", "large"))]
    assert sum(summary["errors"][k] for k in too_large) == 2, summary["errors"]


def test_not_html_pages_reported_in_summary(summary: dict) -> None:
    reported = summary["errors"].get("not_html", summary.get("not_html"))
    assert reported == 2  # the PDF and the PNG at article URLs


def test_every_failure_warning_names_its_reason(crawl: tuple[fs.FaultServer, CrawlRun]) -> None:
    _, run = crawl
    reasons = re.findall(r"\] WARNING: Failed \S+: (.*)$", run.stderr, flags=re.MULTILINE)
    assert len(reasons) >= 6, run.stderr[-3000:]
    assert all(reason.strip() for reason in reasons), reasons


def test_sitemap_faults_are_contained(crawl: tuple[fs.FaultServer, CrawlRun], records: dict[str, dict]) -> None:
    server, _ = crawl
    requests = server.requests
    assert requests[fs.BOMB_TARGET] == 0  # the bomb was never inflated far enough to read its last entry
    assert requests[fs.BOMB_SITEMAP] == 1
    assert requests[fs.SELF_INDEX] == 1  # an index listing itself is read once
    assert requests[fs.MALFORMED_SITEMAP] == 1
    assert fs.FREIGHT.path in records and fs.ANTIBIOTICS.path in records  # listed only in the .xml.gz sitemap
    assert fs.LOBBYING.path in records  # listed only in the feed
    assert fs.LATE_PAYMENTS.path in records  # listed only on listing page 2


def test_redirect_faults_are_contained(crawl: tuple[fs.FaultServer, CrawlRun], summary: dict) -> None:
    server, _ = crawl
    requests = server.requests
    assert requests[fs.LOOP_A] + requests[fs.LOOP_B] <= 2 * 6  # bounded by REDIRECT_MAX_TIMES
    assert requests[fs.OFFSITE] == 1
    assert not [k for k in summary["errors"] if "dns" in k.lower()]  # example.invalid was never looked up


def test_every_page_requested_a_bounded_number_of_times(crawl: tuple[fs.FaultServer, CrawlRun]) -> None:
    server, _ = crawl
    over = {path: n for path, n in server.requests.items() if n > 2}
    assert over == {}


# --- extraction of mislabelled bytes (what `newsspider extract FILE` and any bytes caller sees) ---------------


@pytest.mark.parametrize(
    "story",
    [
        pytest.param(fs.CP1252_AS_UTF8, id="cp1252-declared-utf8"),
        pytest.param(fs.LATIN1_NO_CHARSET, id="latin1-undeclared"),
        pytest.param(fs.UTF8_BOM, id="utf8-bom"),
        pytest.param(fs.HEADER_LIES, id="header-latin1-body-utf8"),
        pytest.param(fs.META_LIES, id="meta-cp1252-body-utf8"),
    ],
)
def test_extract_article_decodes_mislabelled_bytes(story: fs.Story) -> None:
    base = "http://127.0.0.1:9"
    body, content_type = fs.charset_pages(base)[story.path]
    result = extract_article(body, base + story.path, get_profile("eureporter"), content_type=content_type)
    assert result.record is not None, result.reason
    assert result.record["headline"] == story.headline
    assert result.record["body"] == story.body


@pytest.fixture(scope="module")
def bad_urls(runs: dict[str, tuple[fs.FaultServer | None, CrawlRun]]) -> CrawlRun:
    return runs["bad_urls"][1]


def test_unparseable_addresses_on_a_page_lose_nothing(bad_urls: CrawlRun) -> None:
    emitted = {_path(r): r for r in bad_urls.records()}
    assert set(emitted) == {s.path for s in (*fs.ORDINARY[:2], fs.BAD_HREFS, fs.BAD_CANONICAL)}
    assert emitted[fs.BAD_CANONICAL.path]["body"] == fs.BAD_CANONICAL.body
    assert urlsplit(emitted[fs.BAD_CANONICAL.path]["canonical_url"]).path == fs.BAD_CANONICAL.path
    assert "Traceback" not in bad_urls.stderr
    assert bad_urls.returncode == ExitCode.OK


# --- exit statuses of whole runs --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unreachable(runs: dict[str, tuple[fs.FaultServer | None, CrawlRun]]) -> CrawlRun:
    return runs["unreachable"][1]


def test_unreachable_site_exits_3(unreachable: CrawlRun) -> None:
    assert unreachable.returncode == ExitCode.UNREACHABLE, unreachable.stderr[-3000:]
    assert unreachable.records() == []
    assert unreachable.summaries()[0]["exit_status"] == "unreachable"


def test_unreachable_site_logs_no_traceback(unreachable: CrawlRun) -> None:
    assert "Traceback" not in unreachable.stderr


def test_site_without_articles_exits_4(runs: dict[str, tuple[fs.FaultServer | None, CrawlRun]]) -> None:
    _, run = runs["no_articles"]
    assert run.returncode == ExitCode.NOTHING_DISCOVERED, run.stderr[-3000:]
    assert run.summaries()[0]["exit_code"] == ExitCode.NOTHING_DISCOVERED


def test_mostly_dead_links_exit_5(runs: dict[str, tuple[fs.FaultServer | None, CrawlRun]]) -> None:
    """40 of 42 sitemap entries answer 404: the run did its job badly and must say so."""
    _, run = runs["storm_404"]
    assert run.returncode == ExitCode.TOO_MANY_ERRORS, run.stderr[-3000:]
    assert len(run.records()) == 2
    assert run.summaries()[0]["errors"] == {"http_404": 40}


def test_mostly_server_errors_exit_5(runs: dict[str, tuple[fs.FaultServer | None, CrawlRun]]) -> None:
    """40 of 42 sitemap entries answer 500 even after their retry: as bad as the 404 case above."""
    _, run = runs["storm_500"]
    assert len(run.records()) == 2
    assert run.summaries()[0]["errors"] == {"http_500": 40}
    assert run.returncode == ExitCode.TOO_MANY_ERRORS, run.summaries()[0]


def test_mostly_dropped_connections_exit_5(runs: dict[str, tuple[fs.FaultServer | None, CrawlRun]]) -> None:
    """40 of 42 sitemap entries drop the connection even after their retry: as bad as the cases above."""
    _, run = runs["storm_dropped"]
    assert len(run.records()) == 2
    assert sum(run.summaries()[0]["errors"].values()) == 40
    assert run.returncode == ExitCode.TOO_MANY_ERRORS, run.summaries()[0]


def test_interrupted_run_exits_8_with_finished_files(runs: dict[str, tuple[fs.FaultServer | None, CrawlRun]]) -> None:
    server, run = runs["interrupted"]
    assert server is not None
    assert any(p.startswith("/economy/slow-story-") for p in server.requests), "never reached the slow pages"
    assert run.returncode == ExitCode.INTERRUPTED, run.stderr[-3000:]
    files = list((run.output_dir / "eureporter").iterdir())
    assert not [f.name for f in files if f.name.endswith(".part")]
    assert run.summaries()[0]["exit_code"] == ExitCode.INTERRUPTED
    paths = Counter(_path(r) for r in run.records())  # every line parses
    assert all(n == 1 for n in paths.values())
    assert set(paths) <= {s.path for s in fs.ORDINARY[:2]}
