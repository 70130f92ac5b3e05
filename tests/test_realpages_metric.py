"""benchmarks/realpages_metric.py on synthetic pages: what counts as the same headline, authors, day and body."""

from __future__ import annotations

import importlib.util
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


m = _load("realpages_metric")

BODY = "Die Regierung hat am Montag ein neues Gesetz beschlossen.\n\nEs tritt im Januar in Kraft."


def _truth(**fields: object) -> dict[str, object]:
    truth: dict[str, object] = {
        "headline": "Neues Gesetz beschlossen",
        "authors": ["Jane Doe", "John Roe"],
        "published": "2024-05-03T00:30:00+02:00",
        "body": BODY,
    }
    truth.update(fields)
    return truth


def test_headline_ignores_whitespace_soft_hyphens_and_typographic_quotes() -> None:
    assert m.headline_matches("Trump plant Helikopter\u00adlandeplatz", "  Trump plant\n Helikopterlandeplatz ")
    assert m.headline_matches("Strava's 'family' plan - more", "Strava\u2019s \u2018family\u2019 plan \u2013 more")
    assert m.headline_matches("Cafe\u0301 de Flore", "Caf\u00e9 de Flore")  # NFD and NFC are one title


def test_headline_with_other_words_or_a_site_suffix_does_not_match() -> None:
    assert not m.headline_matches("Nairobi von unten", "Kenia: Nairobi von unten")
    assert not m.headline_matches("Nairobi von unten", "Nairobi von unten | junge Welt")
    assert not m.headline_matches("Nairobi von unten", None)


def test_authors_are_one_set_of_names_whatever_their_order_and_case() -> None:
    assert m.authors_match(["Jane Doe", "John Roe"], ["JOHN  ROE", "jane doe"])
    assert m.authors_match([], [])


def test_authors_missing_added_or_unsplit_names_do_not_match() -> None:
    assert not m.authors_match(["Jane Doe", "John Roe"], ["Jane Doe"])
    assert not m.authors_match(["Jane Doe"], ["Jane Doe", "Example News"])
    assert not m.authors_match(["Trine Jørgensen", "Tôrtia Reimer"], ["Trine Jørgensen og Tôrtia Reimer"])
    assert not m.authors_match(["Jane Doe"], None)


def test_published_day_is_the_day_in_the_pages_own_offset() -> None:
    truth = "2024-05-03T00:30:00+02:00"  # just after midnight in Berlin: still 2 May in UTC
    assert m.published_day(truth, "2024-05-02T22:30:00+00:00")
    assert m.published_day(truth, "2024-05-02T22:30:00Z")
    assert m.published_day(truth, "2024-05-03")
    assert not m.published_day(truth, "2024-05-02")
    assert not m.published_day(truth, None)
    assert not m.published_day(truth, "3 May 2024")


def test_published_day_of_a_naive_truth_takes_the_prediction_as_given() -> None:
    assert m.published_day("2024-04-25T14:07:00", "2024-04-25T23:50:00-05:00")
    assert m.published_day("2024-04-25", "2024-04-25T08:00:00+09:00")
    assert not m.published_day("2024-04-25T14:07:00", "2024-04-26T01:00:00+02:00")


def test_a_field_the_truth_lacks_is_not_scored() -> None:
    result = m.score(_truth(authors=None, published=None), m.Prediction(judged=True, body=BODY, authors=["X"]))
    assert result.fields["authors"] is None
    assert result.fields["published"] is None
    assert result.fields["headline"] is False


def test_a_page_not_judged_an_article_scores_zero_recall_and_no_precision() -> None:
    result = m.score(_truth(), m.Prediction(judged=False))
    assert not result.judged
    assert result.body.recall == 0.0
    assert not result.body.has_prediction
    assert result.fields == {"headline": False, "authors": False, "published": False}


def test_a_perfect_prediction_matches_every_field_and_the_body() -> None:
    predicted = m.Prediction(
        judged=True,
        body=BODY.replace("\n\n", "\n"),  # paragraph breaks do not change the shingles
        headline="Neues Gesetz beschlossen",
        authors=["John Roe", "Jane Doe"],
        published="2024-05-02T22:30:00+00:00",
    )
    result = m.score(_truth(), predicted)
    assert result.body.f1 == pytest.approx(1.0)
    assert result.body.exact
    assert result.fields == {"headline": True, "authors": True, "published": True}


def test_summary_rates_count_only_pages_whose_truth_has_the_field() -> None:
    right = m.Prediction(True, BODY, "Neues Gesetz beschlossen", ["Jane Doe", "John Roe"], "2024-05-03")
    good = m.score(_truth(), right)
    no_authors = m.score(_truth(authors=None), m.Prediction(True, BODY, "Anderer Titel", [], "2024-05-03"))
    missed = m.score(_truth(), m.Prediction(judged=False))
    summary = m.summarize([good, no_authors, missed])
    assert summary.pages == 3
    assert summary.judged == 2
    assert (summary.correct["headline"], summary.scored["headline"]) == (1, 3)
    assert (summary.correct["authors"], summary.scored["authors"]) == (1, 2)
    assert summary.rate("published") == pytest.approx(2 / 3)
    # The body follows the AEB averaging: precision over the two predictions, recall over all three pages.
    assert summary.body.precision == pytest.approx(1.0)
    assert summary.body.recall == pytest.approx(2 / 3)


def test_standfirst_counts_as_kept_when_half_of_it_is_in_the_body() -> None:
    lead = "Der Bundestag stimmte am Abend mit großer Mehrheit zu."
    truth = _truth(body=f"{lead}\n\n{BODY}", standfirst=lead)
    assert m.score(truth, m.Prediction(judged=True, body=f"{lead}\n{BODY}")).standfirst is True
    assert m.score(truth, m.Prediction(judged=True, body=BODY)).standfirst is False
    assert m.score(_truth(standfirst=None), m.Prediction(judged=True, body=BODY)).standfirst is None


def test_a_short_paragraph_is_found_by_its_words_not_by_shingles() -> None:
    index = m.TextIndex("Das erwarten wir\nGalaxy Ring: mehr Details")
    assert index.coverage("Das erwarten wir") == 1.0
    assert index.coverage("Was erwarten wir") == 0.0
    assert index.coverage("Galaxy Ring: mehr Details folgen bald") == pytest.approx(1 / 3)
