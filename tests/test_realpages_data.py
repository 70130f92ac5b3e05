"""benchmarks/realdata.py's split and benchmarks/realpages.py's guards, on synthetic pages (no real page here)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _load(name: str) -> ModuleType:
    # benchmarks/ is not an installed package: load the module from its file.
    path = Path(__file__).resolve().parent.parent / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


realdata = _load("realdata")
realpages = _load("realpages")


def _page(publisher: str, language: str, country: str, n: int = 0) -> object:
    truth = {"language": language, "country": country}
    return realdata.Page(f"{publisher}-{n}", "test", publisher, b"", truth)


def _pages() -> list[object]:
    pages = [_page(f"de{i}", "de", ("de", "at", "ch")[i % 3]) for i in range(10)]
    pages += [_page(f"en{i}", "en", ("us", "gb")[i % 2]) for i in range(5)]
    pages += [_page("is0", "is", "is"), _page("kl0", "kl", "gl"), _page("vi0", "vi", "vn")]
    pages += [_page("de3", "de", "at", n=1)]  # a second page of publisher de3
    return pages


def test_split_holds_out_two_fifths_of_each_language() -> None:
    splits = realdata.assign_splits(_pages())
    held = {page_id for page_id, split in splits.items() if split == "heldout"}
    assert sum(1 for i in range(10) if f"de{i}-0" in held) == 4
    assert sum(1 for i in range(5) if f"en{i}-0" in held) == 2
    assert sum(1 for name in ("is0-0", "kl0-0", "vi0-0") if name in held) == 1  # small languages pooled


def test_split_keeps_all_pages_of_a_publisher_together() -> None:
    splits = realdata.assign_splits(_pages())
    assert splits["de3-0"] == splits["de3-1"]


def test_split_does_not_depend_on_the_order_pages_are_read() -> None:
    pages = _pages()
    assert realdata.assign_splits(pages) == realdata.assign_splits(list(reversed(pages)))


def _data(root: Path) -> Path:
    for split, page_id in (("dev", "dev-page-1"), ("heldout", "secret-page-7")):
        (root / split / "html").mkdir(parents=True)
        html = f"<html><body><h1>Title {page_id}</h1><p>{'Some words of text here. ' * 30}</p></body></html>"
        (root / split / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth = {"url": f"https://example.org/{page_id}", "publisher": "P", "country": "de", "language": "en"}
        truth.update(headline=f"Title {page_id}", authors=None, published=None, body="Some words of text here.")
        (root / split / "truth.json").write_text(json.dumps({page_id: truth}))
    return root


def test_harness_without_data_says_how_to_build_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert realpages.main(["--data", str(tmp_path / "missing")]) == 2
    assert "benchmarks/realdata.py" in capsys.readouterr().err


def test_harness_refuses_to_show_a_heldout_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _data(tmp_path)
    show = ["--data", str(data), "--only", "trafilatura", "--show", "secret-page-7"]
    assert realpages.main(show) == 2
    assert "held-out" in capsys.readouterr().err
    assert realpages.main([*show, "--i-know-this-is-heldout"]) == 0
    assert "Title secret-page-7" in capsys.readouterr().out


def test_harness_hides_heldout_pages_in_its_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _data(tmp_path)
    out = tmp_path / "figures.json"
    assert realpages.main(["--data", str(data), "--only", "trafilatura", "--split", "both", "--json", str(out)]) == 0
    report = capsys.readouterr().out
    assert "dev-page-1" in report
    assert "secret-page-7" not in report
    figures = json.loads(out.read_text())
    assert "per_page" in figures["splits"]["dev"]
    assert "per_page" not in figures["splits"]["heldout"]
    assert figures["splits"]["heldout"]["trafilatura"]["pages"] == 1
