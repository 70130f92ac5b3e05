"""AEB metric, re-implemented exactly as upstream evaluate.py so that our figures compare with theirs."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Upstream: scrapinghub/article-extraction-benchmark, evaluate.py (MIT, (c) 2020 Scrapinghub).
# Same tokenizer, same shingling, same normalisation and the same averaging rules.

NGRAM_N = 4
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

Shingle = tuple[str, ...]


def tokenize(text: str | None) -> list[str]:
    """Unicode word tokens; punctuation and whitespace dropped, case kept."""
    return _TOKEN_RE.findall(text or "")


def ngrams(text: str | None, n: int = NGRAM_N) -> list[Shingle]:
    """Token n-grams in order; a text with 1..n-1 tokens yields one shorter shingle, no tokens none."""
    tokens = tokenize(text)
    result: list[Shingle] = []
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            result.append(shingle)
    return result


@dataclass(frozen=True)
class PageScore:
    """Normalised shingle counts of one page: tp + fp + fn == 1, or all 0 when both texts are empty."""

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float:
        return precision_score(self.tp, self.fp, self.fn)

    @property
    def recall(self) -> float:
        return recall_score(self.tp, self.fp, self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else 0.0

    @property
    def has_prediction(self) -> bool:
        """Counts in the precision mean (upstream: tp + fp > 0)."""
        return self.tp + self.fp > 0

    @property
    def has_truth(self) -> bool:
        """Counts in the recall mean (upstream: tp + fn > 0)."""
        return self.tp + self.fn > 0


def shingle_matching(true: str | None, pred: str | None, n: int = NGRAM_N) -> tuple[float, float, float]:
    """tp/fp/fn over multisets of shingles, divided by their sum so that every page weighs the same."""
    true_shingles = Counter(ngrams(true, n))
    pred_shingles = Counter(ngrams(pred, n))
    tp = fp = fn = 0.0
    for key in true_shingles.keys() | pred_shingles.keys():
        t, p = true_shingles.get(key, 0), pred_shingles.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def exact_match(true: str | None, pred: str | None) -> bool:
    """Upstream "accuracy": the two token sequences are identical."""
    return tokenize(true) == tokenize(pred)


def score_page(true: str | None, pred: str | None, n: int = NGRAM_N) -> PageScore:
    tp, fp, fn = shingle_matching(true, pred, n)
    return PageScore(tp=tp, fp=fp, fn=fn, exact=exact_match(true, pred))


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def _mean(values: Sequence[float]) -> float:
    # Upstream would raise on an empty mean; a system that predicts nothing simply scores 0.
    return statistics.mean(values) if values else 0.0


def aggregate(scores: Iterable[PageScore]) -> Metrics:
    """Precision: mean over pages with a non-empty prediction; recall: mean over pages with a non-empty
    truth (all pages of the benchmark); F1 from those two means; accuracy: share of exact matches."""
    page_scores = list(scores)
    precision = _mean([s.precision for s in page_scores if s.has_prediction])
    recall = _mean([s.recall for s in page_scores if s.has_truth])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    accuracy = _mean([float(s.exact) for s in page_scores])
    return Metrics(precision=precision, recall=recall, f1=f1, accuracy=accuracy, pages=len(page_scores))
