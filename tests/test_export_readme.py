"""The README's loading recipes and Python API example, run exactly as README.md prints them, on two nights' JSONL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import REPO
from night_files import NIGHT_1, article, two_nights, write_night

README = REPO / "README.md"
# Latest versions in the nights below, by UTC month of `published` (2024-02-29T23:30-02:00 is 1 March in UTC).
EXPECTED_PER_MONTH = {"2024-02": 1, "2024-03": 2, "2024-04": 1}


def code_blocks(section: str) -> list[tuple[str, int, str]]:
    """(language, line number, code) of each fenced block under the README heading `section`, up to the next
    heading of the same or a higher level."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if re.fullmatch(rf"#+ {re.escape(section)}", line))
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    blocks, language, body, first = [], None, [], 0
    for number, line in enumerate(lines[start + 1 :], start + 2):
        if language is None and re.match(rf"#{{1,{level}}} ", line):
            break
        if language is None and line.startswith("```"):
            language, body, first = line[3:].strip(), [], number + 1
        elif language is not None and line.startswith("```"):
            blocks.append((language, first, "\n".join(body) + "\n"))
            language = None
        elif language is not None:
            body.append(line)
    return blocks


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder like a user's: output/ with two nights of eureporter and a night of another site; `tests` points
    at the repository's fixtures (the Python API example reads a saved page from there)."""
    two_nights(tmp_path / "output")
    elsewhere = article("elsewhere", site="other", published="2024-04-02")
    write_night(tmp_path / "output", NIGHT_1, [elsewhere], site="other")
    (tmp_path / "tests").symlink_to(REPO / "tests")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_shell(code: str, where: Path) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    process = subprocess.run(["bash", "-e", "-c", code], cwd=where, env=env, capture_output=True, text=True)
    assert process.returncode == 0, process.stderr


def run_python(code: str, line: int) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    exec(compile(code, f"{README}:{line}", "exec"), namespace)
    return namespace


def months(result: Any) -> dict[str, int]:
    """A recipe's `per_month` as {YYYY-MM: count}, whichever way it was computed."""
    if isinstance(result, pd.Series):
        return {str(k): int(v) for k, v in result.items()}
    assert isinstance(result["month"].dtype, pd.DatetimeTZDtype)
    pairs = zip(result["month"], result["articles"], strict=True)
    return {month.strftime("%Y-%m"): int(count) for month, count in pairs}


def check_typed(namespace: dict[str, Any]) -> int:
    """Every DataFrame a recipe left with article columns has them typed; returns how many were checked."""
    checked = 0
    for value in namespace.values():
        if isinstance(value, pd.DataFrame) and "published" in value.columns:
            assert isinstance(value["published"].dtype, pd.DatetimeTZDtype)
            assert str(value["published"].dtype.tz) in {"UTC", "Etc/UTC"}
            assert value["version"].dtype == "int64"
            assert all(isinstance(tags, (list, tuple)) or hasattr(tags, "tolist") for tags in value["tags"])
            checked += 1
    return checked


def test_loading_recipes_run_as_printed_and_give_typed_columns(workdir: Path) -> None:
    blocks = code_blocks("Loading it")
    assert [language for language, _, _ in blocks].count("python") >= 3
    per_month_results, typed = 0, 0
    for language, line, code in blocks:
        if language == "sh":
            run_shell(code, workdir)
            continue
        namespace = run_python(code, line)
        typed += check_typed(namespace)
        if "per_month" in namespace:
            assert months(namespace["per_month"]) == EXPECTED_PER_MONTH, f"README.md:{line}"
            per_month_results += 1
        if "per_site_month" in namespace:
            frame = namespace["per_site_month"]
            assert frame["articles"].sum() == 4 and set(frame["site"]) == {"eureporter", "other"}
        if "sections" in namespace:
            sections = namespace["sections"]
            assert dict(zip(sections["section"], sections["articles"], strict=True)) == {"Politics": 4}
    assert per_month_results == 3
    assert typed >= 2


def test_python_api_example_runs_as_printed(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (language, line, code), *rest = code_blocks("Python API")
    assert language == "python" and not rest
    namespace = run_python(code, line)
    assert namespace["record"]["headline"] == "US says Russia is buying rockets and artillery from N Korea"
    assert namespace["result"].record is None and namespace["result"].reason.startswith("not-article")
    assert namespace["articles"].num_rows == 4
    assert check_typed(namespace) == 1
    comment = next(line for line in code.splitlines() if line.startswith("print(result")).split("#", 1)[1].strip()
    assert capsys.readouterr().out.splitlines()[1] == comment  # the README shows what it prints
