"""Setting values checked before a crawl starts: each numeric or true/false setting against its default's type."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from newsspider.crawl.commands.crawl import settings_problem, value_problem


@pytest.mark.parametrize(
    ("name", "value", "phrase"),
    [
        ("NEWSSPIDER_EXTRACT_WORKERS", "abc", "must be a whole number"),
        ("NEWSSPIDER_EXTRACT_WORKERS", "-3", "must not be negative"),
        ("NEWSSPIDER_EXTRACT_WORKERS", "2.5", "must be a whole number"),
        ("MAX_ERROR_RATIO", "lots", "must be a number"),
        ("MAX_ERROR_RATIO", "1.5", "must be between 0 and 1"),
        ("MAX_ERROR_RATIO", "nan", "must be a finite number"),
        ("NEWSSPIDER_STATE_ENABLED", "maybe", "must be true or false"),
        ("NEWSSPIDER_GUARD_SUSPECT_SHARE", "2", "must be between 0 and 1"),
        ("NEWSSPIDER_GUARD_MIN_RECORDS", "-1", "must not be negative"),
        ("RETRY_AFTER_MAX", "soon", "must be a number"),
        ("DOWNLOAD_TIMEOUT", "-5", "must not be negative"),
        ("CONCURRENT_REQUESTS", "many", "must be a whole number"),
    ],
)
def test_a_bad_value_is_named_with_the_rule_it_breaks(name: str, value: str, phrase: str) -> None:
    problem = value_problem(name, value)
    assert problem is not None and problem.startswith(name) and phrase in problem and repr(value) in problem


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSSPIDER_EXTRACT_WORKERS", "0"),
        ("NEWSSPIDER_EXTRACT_WORKERS", "4"),
        ("MAX_ERROR_RATIO", "0.25"),
        ("NEWSSPIDER_STATE_ENABLED", "False"),
        ("NEWSSPIDER_GUARD_ENABLED", "0"),
        ("RETRY_PRIORITY_ADJUST", "-1"),  # priorities may be negative
        ("DEPTH_PRIORITY", "-1"),
        ("LOG_FILE", "logs/x.log"),  # not a number: not this check's business
    ],
)
def test_a_good_value_passes(name: str, value: str) -> None:
    assert value_problem(name, value) is None


def test_only_given_settings_and_ours_are_checked() -> None:
    settings = Settings({"NEWSSPIDER_GUARD_MIN_RECORDS": 3})
    settings.set("NEWSSPIDER_NO_SUCH_THING", "1", priority="project")  # not given on the command line: left alone
    assert settings_problem(settings) is None
    settings.set("NEWSSPIDER_TYPO", "1", priority="cmdline")
    assert settings_problem(settings) == "unknown setting NEWSSPIDER_TYPO"
