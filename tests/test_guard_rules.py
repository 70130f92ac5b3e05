"""The quality guard's rules, one by one, on records built here: what makes one record doubtful, and a run a
collapse (the crawls in test_guard.py check the whole on mirrors)."""

from __future__ import annotations

from newsspider.crawl.guard import GuardLimits, RunEvidence, collapse, doubts
from newsspider.state import ArticleState
from newsspider.state.facts import Baseline, RunFacts, VersionFacts

LIMITS = GuardLimits(
    min_records=3,
    suspect_share=0.5,
    length_ratio=0.5,
    new_length_ratio=0.25,
    retained_share=0.5,
    coverage_ratio=0.5,
    not_article_share=0.5,
    history_runs=7,
)
PARAGRAPHS = [
    f"Paragraph {i}: the council of ministers met on day {i} and agreed on point {i} of the plan for year "
    f"{2000 + i}, while the opposition asked for a vote on amendment {i * 7} before the summer."
    for i in range(6)
]
BODY = "\n\n".join(PARAGRAPHS)
FULL = {"body": BODY, "authors": ["A. Writer"], "published": "2024-01-01", "section": "Politics", "tags": ["x"]}
BASELINE = Baseline(records=40, coverage={"authors": 0.95, "published": 1.0, "tags": 0.3}, body_chars_median=len(BODY))


def _previous(record: dict) -> ArticleState:
    return ArticleState("k", "https://x.org/a/", "h1", 1, facts=VersionFacts.of(record))


def test_an_added_or_removed_paragraph_raises_no_doubt() -> None:
    previous = _previous(FULL)
    assert doubts({**FULL, "body": BODY + "\n\nA new closing paragraph."}, previous, BASELINE, LIMITS) == []
    assert doubts({**FULL, "body": "\n\n".join(PARAGRAPHS[1:])}, previous, BASELINE, LIMITS) == []


def test_a_teaser_of_the_same_article_is_doubtful() -> None:
    teaser = {**FULL, "body": PARAGRAPHS[0][:100] + "… Subscribe to keep reading."}
    reasons = doubts(teaser, _previous(FULL), BASELINE, LIMITS)
    assert any(r.startswith("body ") for r in reasons) and any(r.startswith("keeps ") for r in reasons)


def test_a_lost_byline_is_doubtful() -> None:
    reasons = doubts({**FULL, "authors": []}, _previous(FULL), BASELINE, LIMITS)
    assert reasons == ["lost authors (version 1 had them)"]


def test_a_new_article_is_judged_against_the_sites_usual() -> None:
    assert doubts(FULL, None, BASELINE, LIMITS) == []
    short = doubts({**FULL, "body": "One line."}, None, BASELINE, LIMITS)
    assert short and short[0].startswith("body 9 chars")
    assert doubts({**FULL, "authors": []}, None, BASELINE, LIMITS) == [
        "lacks authors (found on most of the site's articles)"
    ]
    assert doubts({**FULL, "tags": []}, None, BASELINE, LIMITS) == []  # tags are not usual on this site


def _evidence(records: list[dict], changed: int = 0, doubtful: int = 0) -> RunEvidence:
    evidence = RunEvidence(records=RunFacts.of("run", records), changed=changed, changed_doubtful=doubtful)
    evidence.changed_ratios = [0.2] * doubtful
    return evidence


def test_one_or_two_doubtful_edits_are_not_a_collapse() -> None:
    assert collapse(_evidence([FULL] * 10, changed=10, doubtful=2), BASELINE, LIMITS) == []


def test_most_changed_articles_doubtful_is_a_collapse() -> None:
    drops = collapse(_evidence([FULL] * 10, changed=10, doubtful=6), BASELINE, LIMITS)
    assert drops == [
        "6 of 10 changed articles shrank, lost their wording or fields (median length 20% of the previous version)"
    ]


def test_a_field_gone_from_most_articles_is_a_collapse() -> None:
    drops = collapse(_evidence([{**FULL, "authors": []}] * 9 + [FULL]), BASELINE, LIMITS)
    assert drops == ["authors found on 10% of this run's 10 articles, 95% in recent runs"]


def test_coverage_is_not_judged_on_too_few_records() -> None:
    assert collapse(_evidence([{**FULL, "authors": []}] * 2), BASELINE, LIMITS) == []


def test_known_article_pages_no_longer_articles_is_a_collapse() -> None:
    evidence = _evidence([])
    evidence.known_fetched = {f"https://x.org/{i}/" for i in range(8)}
    evidence.with_item = {"https://x.org/0/", "https://x.org/1/"}
    assert collapse(evidence, BASELINE, LIMITS) == ["6 of 8 known article pages are no longer judged articles"]


def test_without_history_nothing_is_judged() -> None:
    empty = Baseline(0, {}, None)
    assert doubts({**FULL, "body": "x", "authors": []}, None, empty, LIMITS) == []
    assert collapse(_evidence([{**FULL, "authors": []}] * 10), empty, LIMITS) == []
