"""The Python API: `newsspider.extract`/`extract_result` on saved pages, `newsspider.load` as a typed table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import REPO, golden_files, mirror_site
from night_files import NIGHT_1, article, two_nights, write_night

import newsspider
from newsspider.export.merge import BadRecordError, ExportError
from newsspider.export.schema import arrow_schema
from newsspider.extract import ExtractionResult

GOLDEN = golden_files("eureporter")


def test_import_newsspider_loads_neither_scrapy_nor_trafilatura_nor_pyarrow() -> None:
    heavy = ("scrapy", "trafilatura", "pyarrow", "duckdb", "plotly", "lxml", "twisted")
    code = f"import sys, newsspider; print([m for m in {heavy!r} if m in sys.modules])"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


@pytest.mark.parametrize("golden", GOLDEN, ids=[g.name for g in GOLDEN])
def test_extract_gives_the_golden_record(golden) -> None:  # type: ignore[no-untyped-def]
    record = newsspider.extract(golden.html_path.read_bytes(), url=golden.expected["url"])
    assert record is not None
    for field in ("headline", "authors", "published", "modified", "section", "tags", "canonical_url", "body"):
        assert record[field] == golden.expected[field], field


def test_extract_without_url_uses_the_pages_canonical_address() -> None:
    golden = GOLDEN[0]
    with_url = newsspider.extract(golden.html_path.read_bytes(), url=golden.expected["canonical_url"])
    without = newsspider.extract(golden.html_path.read_bytes())
    assert without is not None and with_url is not None
    assert without["url"] == golden.expected["canonical_url"]
    assert without["site"] == "eureporter"  # the profile chosen by the canonical address's domain
    assert {k: v for k, v in without.items() if k != "fetched_at"} == {
        k: v for k, v in with_url.items() if k != "fetched_at"
    }


def test_a_page_that_is_not_an_article_gives_none_and_a_reason() -> None:
    html = (mirror_site("eureporter") / "about" / "index.html").read_bytes()
    assert newsspider.extract(html, url="https://www.eureporter.co/about/") is None
    result = newsspider.extract_result(html, url="https://www.eureporter.co/about/")
    assert isinstance(result, ExtractionResult)
    assert result.record is None and not result.ok
    assert result.reason and result.reason.startswith("not-article")


def test_an_empty_page_is_unparseable() -> None:
    assert newsspider.extract_result(b"   ").reason == "unparseable: empty document"


def test_an_unknown_site_profile_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown site"):
        newsspider.extract("<html></html>", site="nosuchsite")


def test_the_api_functions_stay_functions_after_their_namesake_subpackage_is_imported() -> None:
    import newsspider.extract.pipeline  # the import system sets `newsspider.extract` to the subpackage here
    from newsspider.extract import extract_article

    assert callable(extract_article)
    assert newsspider.extract.__module__ == "newsspider.api"
    assert sys.modules["newsspider.extract"].extract_article is extract_article


def test_load_gives_one_typed_row_per_article_with_its_latest_version(tmp_path: Path) -> None:
    _, edited = two_nights(tmp_path / "output")
    table = newsspider.load(tmp_path / "output")
    assert table.schema.equals(arrow_schema(), check_metadata=True)
    assert table.schema.field("published").type == pa.timestamp("us", tz="UTC")
    urls = table.column("canonical_url").to_pylist()
    assert len(urls) == len(set(urls)) == 3
    row = next(r for r in table.to_pylist() if r["canonical_url"] == edited["canonical_url"])
    assert row["version"] == 2 and row["content_hash"] == edited["content_hash"]
    assert str(table.to_pandas()["published"].dtype) == "datetime64[us, UTC]"


def test_load_all_versions_and_one_site(tmp_path: Path) -> None:
    two_nights(tmp_path / "output")
    write_night(tmp_path / "output", NIGHT_1, [article("elsewhere", site="other")], site="other")
    assert newsspider.load(tmp_path / "output", latest=False).num_rows == 5
    assert newsspider.load(tmp_path / "output").num_rows == 4
    assert newsspider.load(tmp_path / "output", site="other").column("site").to_pylist() == ["other"]


def test_load_takes_variants_of_one_address_as_one_article(tmp_path: Path) -> None:
    first = article("variant")
    second = article("variant", version=2, body="Edited text of the variant story, now longer than it was.")
    second["canonical_url"] = second["canonical_url"].replace("https://www.", "http://").rstrip("/")
    write_night(tmp_path / "output", NIGHT_1, [first, second])
    table = newsspider.load(tmp_path / "output")
    assert table.num_rows == 1 and table.column("version").to_pylist() == [2]


def test_load_of_a_folder_without_runs_is_an_empty_typed_table(tmp_path: Path) -> None:
    (tmp_path / "output" / "eureporter").mkdir(parents=True)
    table = newsspider.load(tmp_path / "output")
    assert table.num_rows == 0 and table.schema.equals(arrow_schema())


def test_load_reports_missing_folders_unknown_sites_and_bad_lines(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no output folder"):
        newsspider.load(tmp_path / "missing")
    path = write_night(tmp_path / "output", NIGHT_1, [article("fine")])
    with pytest.raises(ExportError, match="unknown site 'nope'"):
        newsspider.load(tmp_path / "output", site="nope")
    path.write_text(path.read_text() + json.dumps("a string") + "\n")
    with pytest.raises(BadRecordError) as caught:
        newsspider.load(tmp_path / "output")
    assert (caught.value.path, caught.value.line) == (path, 2)
    assert isinstance(caught.value, ValueError)


def test_the_package_ships_py_typed_and_its_schema() -> None:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11+")
    package_data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    shipped = {path for pattern in package_data["newsspider"] for path in (REPO / "newsspider").glob(pattern)}
    assert REPO / "newsspider" / "py.typed" in shipped
    assert any(path.name.startswith("article-v") for path in shipped)
