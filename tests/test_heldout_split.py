"""benchmarks/heldout.py: the held-out split holds exactly the upstream pages the tuning set lacks, bytes unchanged."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path


def _build_heldout():  # benchmarks/ is not an installed package: load the module from its file
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "heldout.py"
    spec = importlib.util.spec_from_file_location("heldout", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_heldout


def _write_set(root: Path, pages: dict[str, str]) -> None:
    (root / "html").mkdir(parents=True)
    for page_id, body in pages.items():
        (root / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(f"<p>{body}</p>".encode()))
    truth = {page_id: {"url": f"https://example.org/{page_id}", "articleBody": body} for page_id, body in pages.items()}
    (root / "ground-truth.json").write_text(json.dumps(truth))


def test_heldout_is_upstream_minus_tuning(tmp_path: Path) -> None:
    upstream, tuning, out = tmp_path / "upstream", tmp_path / "tuning", tmp_path / "out"
    _write_set(upstream, {"a": "one", "b": "two", "c": "three"})
    _write_set(tuning, {"b": "two"})
    assert _build_heldout()(upstream, tuning, out) == 2
    truth = json.loads((out / "ground-truth.json").read_text())
    assert sorted(truth) == ["a", "c"]
    assert truth["c"]["articleBody"] == "three"
    assert sorted(p.name for p in (out / "html").iterdir()) == ["a.html.gz", "c.html.gz"]
    assert (out / "html" / "a.html.gz").read_bytes() == (upstream / "html" / "a.html.gz").read_bytes()
