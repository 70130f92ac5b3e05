"""Hand-computed cases pinning benchmarks/aeb_metric.py to the upstream AEB evaluate.py semantics."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _load_metric() -> ModuleType:
    # benchmarks/ is not an installed package: load the module from its file.
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "aeb_metric.py"
    spec = importlib.util.spec_from_file_location("aeb_metric", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("aeb_metric", module)
    spec.loader.exec_module(module)
    return module


m = _load_metric()


def test_tokenize_keeps_case_and_unicode_drops_punctuation() -> None:
    assert m.tokenize("Zürich's café, 2020—now!") == ["Zürich", "s", "café", "2020", "now"]
    assert m.tokenize(None) == []


def test_ngrams_short_text_gives_one_shorter_shingle() -> None:
    assert m.ngrams("a b c d e") == [("a", "b", "c", "d"), ("b", "c", "d", "e")]
    assert m.ngrams("Hello, world!") == [("Hello", "world")]
    assert m.ngrams("  ...  ") == []


def test_identical_texts_score_one() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    s = m.score_page(text, text)
    assert (s.tp, s.fp, s.fn) == (1.0, 0.0, 0.0)
    assert s.precision == s.recall == s.f1 == 1.0
    assert s.exact
    # Only tokens matter: whitespace and punctuation differences still match exactly.
    assert m.score_page(text, "The quick brown fox\n\njumps over the lazy dog").exact


def test_disjoint_texts_score_zero() -> None:
    s = m.score_page("a b c d", "e f g h")
    assert (s.tp, s.fp, s.fn) == (0.0, 0.5, 0.5)
    assert s.precision == s.recall == s.f1 == 0.0
    assert not s.exact


def test_short_texts_under_four_tokens() -> None:
    # One 2-token shingle each: equal -> perfect, case differs -> disjoint.
    assert m.shingle_matching("Hello world", "Hello, world!") == (1.0, 0.0, 0.0)
    assert m.shingle_matching("Hello world", "hello world") == (0.0, 0.5, 0.5)
    # A 3-token prediction is one 3-token shingle: it does not contain the 2-token one.
    assert m.shingle_matching("Hello world", "Hello world again") == (0.0, 0.5, 0.5)


def test_partial_overlap() -> None:
    # truth shingles: abcd, bcde; prediction: abcd -> tp 1, fn 1.
    s = m.score_page("a b c d e", "a b c d")
    assert (s.tp, s.fp, s.fn) == (0.5, 0.0, 0.5)
    assert s.precision == 1.0
    assert s.recall == 0.5
    assert s.f1 == pytest.approx(2 / 3)
    # prediction with extra text: truth abcd; prediction abcd, bcde, cdef -> tp 1, fp 2.
    assert m.shingle_matching("a b c d", "a b c d e f") == pytest.approx((1 / 3, 2 / 3, 0.0))


def test_shingles_are_a_multiset() -> None:
    # truth: xyzw, yzwx, zwxy, wxyz, xyzw (xyzw twice); prediction: xyzw once -> tp 1, fn 4.
    assert m.shingle_matching("x y z w x y z w", "x y z w") == pytest.approx((0.2, 0.0, 0.8))
    assert m.shingle_matching("x y z w", "x y z w x y z w") == pytest.approx((0.2, 0.8, 0.0))


@pytest.mark.parametrize("empty", ["", None, " -- "])
def test_empty_prediction_zero_recall_and_left_out_of_precision(empty: str | None) -> None:
    s = m.score_page("a b c d", empty)
    assert (s.tp, s.fp, s.fn) == (0.0, 0.0, 1.0)
    assert s.recall == 0.0 and s.f1 == 0.0
    assert not s.has_prediction and s.has_truth

    perfect = m.score_page("a b c d", "a b c d")
    metrics = m.aggregate([perfect, s])
    assert metrics.precision == 1.0  # only the page with a prediction
    assert metrics.recall == 0.5  # both pages
    assert metrics.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert metrics.accuracy == 0.5
    assert metrics.pages == 2


def test_f1_is_computed_from_the_means_not_averaged() -> None:
    # page 1: p=1, r=0.5 (f1 2/3); page 2: p=1/3, r=1 (f1 0.5).
    scores = [m.score_page("a b c d e", "a b c d"), m.score_page("a b c d", "a b c d e f")]
    metrics = m.aggregate(scores)
    assert metrics.precision == pytest.approx((1 + 1 / 3) / 2)
    assert metrics.recall == pytest.approx((0.5 + 1) / 2)
    p, r = metrics.precision, metrics.recall
    assert metrics.f1 == pytest.approx(2 * p * r / (p + r))
    assert metrics.f1 != pytest.approx((2 / 3 + 0.5) / 2)


def test_both_empty_is_left_out_of_both_means() -> None:
    s = m.score_page("", "")
    assert (s.tp, s.fp, s.fn) == (0.0, 0.0, 0.0)
    assert not s.has_prediction and not s.has_truth
    metrics = m.aggregate([s, m.score_page("a b c d", "a b c d")])
    assert (metrics.precision, metrics.recall, metrics.f1) == (1.0, 1.0, 1.0)


def test_nothing_predicted_scores_zero_without_error() -> None:
    metrics = m.aggregate([m.score_page("a b c d", None), m.score_page("e f g h", "")])
    assert (metrics.precision, metrics.recall, metrics.f1, metrics.accuracy) == (0.0, 0.0, 0.0, 0.0)
