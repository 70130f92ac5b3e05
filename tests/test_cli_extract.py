"""`newsspider extract`: the same extraction on saved files, one JSON line per file, in input order; an input over
the size cap is a failure that does not stop the files after it. Run in-process: extraction tests stay fast."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, golden_files, non_article_paths, page_file

from newsspider.cli import main
from newsspider.cli.extract import DEFAULT_MAX_SIZE, size

GOLDENS = golden_files("eureporter_holdout")


def extract(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    """Exit status, stdout lines and stderr of `newsspider extract ARGS`."""
    status = main(["extract", *args])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def test_extract_prints_one_line_per_file_in_input_order(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(g.html_path) for g in GOLDENS[:3]]
    status, lines, err = extract(capsys, *files)
    assert status == 0, err
    assert [json.loads(line)["headline"] for line in lines] == [g.expected["headline"] for g in GOLDENS[:3]]
    assert [json.loads(line)["url"] for line in lines] == [Path(f).resolve().as_uri() for f in files]


def test_extract_with_url_applies_the_site_profile(capsys: pytest.CaptureFixture[str]) -> None:
    golden = GOLDENS[0]
    _, lines, _ = extract(capsys, str(golden.html_path), "--url", golden.expected["url"])
    record = json.loads(lines[0])
    assert record["url"] == golden.expected["url"]
    assert record["site"] == "eureporter"
    assert record["body"] == golden.expected["body"]


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_extract_reads_standard_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    golden = GOLDENS[1]
    _stdin(monkeypatch, golden.html_path.read_bytes())
    _, lines, _ = extract(capsys, "-", "--url", golden.expected["url"])
    assert json.loads(lines[0])["headline"] == golden.expected["headline"]


def test_extract_reports_non_articles_and_missing_files_but_processes_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    listing = page_file(
        FIXTURES / "eureporter_holdout" / "site",
        "https://www.eureporter.co" + non_article_paths("eureporter_holdout")[0],
    )
    missing = tmp_path / "missing.html"
    status, lines, err = extract(capsys, str(listing), str(missing), str(GOLDENS[0].html_path))
    assert status != 0
    assert "not-article" in err
    assert "cannot read" in err
    assert "Traceback" not in err
    assert [json.loads(line)["headline"] for line in lines] == [GOLDENS[0].expected["headline"]]


def test_an_input_over_the_size_cap_fails_alone_and_the_next_files_are_processed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    huge = tmp_path / "huge.html"
    huge.write_bytes(b"<html><body>" + b"<p>x</p>" * (1024 * 1024 // 8) + b"</body></html>")  # just over 1 MiB
    status, lines, err = extract(capsys, "--max-size", "1M", str(huge), str(GOLDENS[0].html_path))
    assert status == 1
    assert err.splitlines() == [f"newsspider extract: {huge}: larger than 1.0 MiB, not extracted (see --max-size)"]
    assert [json.loads(line)["headline"] for line in lines] == [GOLDENS[0].expected["headline"]]


def test_the_size_cap_applies_to_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, GOLDENS[1].html_path.read_bytes())
    status, lines, err = extract(capsys, "-", "--max-size", "1K")
    assert (status, lines) == (1, [])
    assert "larger than 1024 bytes" in err


def test_a_file_at_the_size_cap_is_extracted(capsys: pytest.CaptureFixture[str]) -> None:
    path = GOLDENS[0].html_path
    status, lines, _ = extract(capsys, str(path), "--max-size", str(path.stat().st_size))
    assert (status, len(lines)) == (0, 1)


@pytest.mark.parametrize(("text", "expected"), [("512K", 512 * 1024), ("50M", 50 * 1024**2), ("1g", 1024**3)])
def test_sizes_are_read_with_units(text: str, expected: int) -> None:
    assert size(text) == expected


def test_a_bad_size_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "--max-size", "lots", str(GOLDENS[0].html_path)])
    assert exit_info.value.code == 2
    assert "not a size" in capsys.readouterr().err


def test_the_default_cap_is_documented_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    assert DEFAULT_MAX_SIZE == 20 * 1024**2
    assert "(default: 20M)" in " ".join(capsys.readouterr().out.split())
