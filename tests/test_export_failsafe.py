"""Export fail-safes: a clear one-line failure, never a half-written or wrongly replaced target, no side file read."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from night_files import NIGHT_1, NIGHT_2, article, two_nights, write_night

from newsspider.cli import main

OLD = b"the previous export\n"


def run_export(capsys: pytest.CaptureFixture[str], output_dir: Path, to: Path, *options: str) -> tuple[int, str, str]:
    status = main(["export", "--output-dir", str(output_dir), "--to", str(to), *options])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """An export a previous night left: it must survive every failed export."""
    path = tmp_path / "articles.jsonl"
    path.write_bytes(OLD)
    return path


def test_unknown_site_fails_in_one_line_and_leaves_the_target(
    tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_nights(tmp_path / "output")
    status, _, err = run_export(capsys, tmp_path / "output", target, "--site", "eurepoter")
    assert status == 2
    assert err.count("\n") == 1 and "unknown site 'eurepoter'" in err and "eureporter" in err
    assert target.read_bytes() == OLD


def test_missing_output_folder_fails_in_one_line(
    tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_export(capsys, tmp_path / "outptu", target)
    assert status == 2
    assert err.count("\n") == 1 and "no output folder" in err
    assert target.read_bytes() == OLD


@pytest.mark.parametrize("site_folder", [True, False], ids=["site-folder-empty", "known-site-no-folder-yet"])
def test_a_folder_without_runs_exports_nothing_and_says_so(
    tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str], site_folder: bool
) -> None:
    (tmp_path / "output").mkdir()
    if site_folder:
        (tmp_path / "output" / "eureporter").mkdir()
    status, out, _ = run_export(capsys, tmp_path / "output", target, "--site", "eureporter")
    assert status == 0
    assert "no runs yet" in out and "nothing exported" in out
    assert target.read_bytes() == OLD


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [('{"url": "https://x.org/", "headl', "not valid JSON"), ('["not", "a", "record"]', "not a JSON object but list")],
    ids=["invalid-json", "json-but-not-an-object"],
)
def test_a_bad_line_fails_naming_file_and_line(
    tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str], bad_line: str, problem: str
) -> None:
    two_nights(tmp_path / "output")
    broken = tmp_path / "output" / "eureporter" / f"{NIGHT_1}.jsonl"
    broken.write_text(broken.read_text() + bad_line + "\n")
    status, _, err = run_export(capsys, tmp_path / "output", target, "--format", "jsonl")
    assert status == 1
    assert err.count("\n") == 1 and f"{broken}:4: {problem}" in err
    assert target.read_bytes() == OLD


def test_a_value_of_the_wrong_type_fails_naming_file_line_and_field(
    tmp_path: Path, target: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_night(tmp_path / "output", NIGHT_1, [article("fine"), article("odd", published="yesterday")])
    status, _, err = run_export(capsys, tmp_path / "output", target, "--format", "jsonl")
    assert status == 1
    assert f"{NIGHT_1}.jsonl:2: field 'published'" in err
    assert target.read_bytes() == OLD


def test_side_files_and_unfinished_runs_are_never_read_as_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_nights(tmp_path / "output")
    folder = tmp_path / "output" / "eureporter"
    rejected = {"url": "https://x.org/r/", "reasons": ["headline: too short"], "record": article("rejected")}
    (folder / f"{NIGHT_1}.rejects.jsonl").write_text(json.dumps(rejected) + "\n")
    (folder / f"{NIGHT_2}.suspect.jsonl").write_text(json.dumps(article("suspect-shell", version=2)) + "\n")
    (folder / "2024-03-09T02-00-00Z-303.jsonl.part").write_text(json.dumps(article("half-written")) + "\n{")
    status, _, _ = run_export(capsys, tmp_path / "output", tmp_path / "a.jsonl")
    assert status == 0
    slugs = sorted(json.loads(line)["url"].split("/")[-2] for line in (tmp_path / "a.jsonl").read_text().splitlines())
    assert slugs == ["baltic-ports", "moldova-gas-deal", "romania-rail-link"]


def test_a_failing_write_leaves_the_previous_export_and_no_temporary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    two_nights(tmp_path / "output")
    target = tmp_path / "articles.parquet"
    target.write_bytes(OLD)

    def write_half_then_fail(table, where, **kwargs) -> None:  # type: ignore[no-untyped-def]
        Path(where).write_bytes(b"PAR1 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", write_half_then_fail)
    status, _, err = run_export(capsys, tmp_path / "output", target, "--format", "parquet")
    assert status == 1 and "No space left on device" in err
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.parquet", "output"]


def test_partitioned_export_replaces_its_previous_folder_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_nights(tmp_path / "output")
    destination = tmp_path / "articles"
    assert run_export(capsys, tmp_path / "output", destination, "--format", "parquet", "--partition")[0] == 0
    stale = destination / "site=eureporter" / "month=1999-01"
    stale.mkdir()
    (stale / "part-0.parquet").write_bytes(b"stale")
    assert run_export(capsys, tmp_path / "output", destination, "--format", "parquet", "--partition")[0] == 0
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "output"]


def test_a_partitioned_export_never_replaces_a_folder_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_nights(tmp_path / "output")
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    status, _, err = run_export(capsys, tmp_path / "output", precious, "--format", "parquet", "--partition")
    assert status == 2 and "not a partitioned export" in err
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_partition_applies_to_parquet_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    two_nights(tmp_path / "output")
    status, _, err = run_export(capsys, tmp_path / "output", tmp_path / "a.jsonl", "--partition")
    assert status == 2 and "--partition applies to --format parquet" in err


def test_all_reads_every_site_and_site_reads_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    two_nights(tmp_path / "output")
    write_night(tmp_path / "output", NIGHT_1, [article("elsewhere", site="other")], site="other")
    assert run_export(capsys, tmp_path / "output", tmp_path / "all.jsonl", "--all")[0] == 0
    assert run_export(capsys, tmp_path / "output", tmp_path / "one.jsonl", "--site", "other")[0] == 0
    assert len((tmp_path / "all.jsonl").read_text().splitlines()) == 4
    assert [json.loads(line)["site"] for line in (tmp_path / "one.jsonl").read_text().splitlines()] == ["other"]


def test_spider_is_a_deprecated_alias_of_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    two_nights(tmp_path / "output")
    write_night(tmp_path / "output", NIGHT_1, [article("elsewhere", site="other")], site="other")
    status, out, err = run_export(capsys, tmp_path / "output", tmp_path / "a.jsonl", "--spider", "eureporter")
    assert status == 0 and "deprecated" in err
    assert "3 articles from 2 runs of eureporter" in out
