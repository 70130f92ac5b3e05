"""`newsspider extract`: the same extraction on saved files, one JSON line per file, in input order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, REPO, golden_files, non_article_paths, page_file

GOLDENS = golden_files("eureporter_holdout")


def extract(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "newsspider.cli", "extract", *args]
    return subprocess.run(command, cwd=REPO, input=stdin, capture_output=True, timeout=120)


def test_extract_prints_one_line_per_file_in_input_order() -> None:
    files = [str(g.html_path) for g in GOLDENS[:3]]
    result = extract(*files)
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert [json.loads(line)["headline"] for line in lines] == [g.expected["headline"] for g in GOLDENS[:3]]
    assert [json.loads(line)["url"] for line in lines] == [Path(f).resolve().as_uri() for f in files]


def test_extract_with_url_applies_the_site_profile() -> None:
    golden = GOLDENS[0]
    result = extract(str(golden.html_path), "--url", golden.expected["url"])
    record = json.loads(result.stdout)
    assert record["url"] == golden.expected["url"]
    assert record["site"] == "eureporter"
    assert record["body"] == golden.expected["body"]


def test_extract_reads_standard_input() -> None:
    golden = GOLDENS[1]
    result = extract("-", "--url", golden.expected["url"], stdin=golden.html_path.read_bytes())
    assert json.loads(result.stdout)["headline"] == golden.expected["headline"]


def test_extract_reports_non_articles_and_missing_files_but_processes_the_rest(tmp_path: Path) -> None:
    listing = page_file(
        FIXTURES / "eureporter_holdout" / "site",
        "https://www.eureporter.co" + non_article_paths("eureporter_holdout")[0],
    )
    missing = tmp_path / "missing.html"
    result = extract(str(listing), str(missing), str(GOLDENS[0].html_path))
    assert result.returncode != 0
    stderr = result.stderr.decode()
    assert "not-article" in stderr
    assert "cannot read" in stderr
    assert "Traceback" not in stderr
    assert [json.loads(line)["headline"] for line in result.stdout.decode().splitlines()] == [
        GOLDENS[0].expected["headline"]
    ]
