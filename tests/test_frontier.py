"""Crawl bounds decided before a request leaves: URL families, the trap detector, depth, the request budget."""

from __future__ import annotations

from datetime import date

import pytest

from newsspider.discovery.frontier import Frontier, Limits, families, is_pagination, trap_reason

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.org/news?page=7", ("/news?page", "/news?*")),
        ("https://x.org/2024/05/17/", ("/#/#/#/",)),
        ("https://x.org/2024/05/17/slug/", ("/#/#/#/slug/", "/#/#/#/*/")),
        ("https://x.org/tag/foo/", ("/tag/foo/", "/tag/*/")),
        ("https://x.org/node/123", ("/node/#",)),
        ("https://x.org/shop?size=m&color=red", ("/shop?color&size", "/shop?*")),
        ("https://x.org/", ("/",)),
    ],
)
def test_families_wildcard_numbers_query_values_and_the_last_segment(url: str, expected: tuple[str, ...]) -> None:
    assert families(url) == expected


def test_pagination_is_the_same_url_but_for_its_numbers() -> None:
    assert is_pagination("https://x.org/news?offset=20", "https://x.org/news?offset=10")
    assert is_pagination("https://x.org/2024/05/18/", "https://x.org/2024/05/17/")
    assert not is_pagination("https://x.org/news?page=2", "https://x.org/news")
    assert not is_pagination("https://x.org/a/", "https://x.org/a/")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://x.org/2024/05/17/slug/", None),
        ("https://x.org/node/25011201", None),  # an id, not a date
        ("https://x.org/story/1985/", None),
        ("https://x.org/calendar/2031/01/", "calendar date in the future"),
        ("https://x.org/e/20270101", "calendar date in the future"),
        ("https://x.org/archive?date=1970-01-01", "calendar date before 1990"),
        ("https://x.org/a/b/a/b/a/b/", "repeated path segments"),
        ("https://x.org/" + "x" * 600, "url too long"),
    ],
)
def test_trap_detector(url: str, reason: str | None) -> None:
    assert trap_reason(url, TODAY, 500) == reason


def test_a_family_of_non_articles_closes_at_its_budget_and_counts_what_it_kept_out() -> None:
    frontier = Frontier(Limits(max_listing_pages=3), TODAY)
    admitted = [bool(frontier.admit_page(f"https://x.org/news?page={n}", 1, linked=True)) for n in range(5)]
    assert admitted == [True, True, True, False, False]
    for n in range(3):
        frontier.record_verdict(f"https://x.org/news?page={n}", False)
    assert frontier.drain_waiting() == 0  # held back with no request object: counted at once
    assert dict(frontier.pop_reached()) == {"newsspider/limits/listing_pages": 2}


def test_a_family_that_turns_out_to_hold_articles_releases_what_it_held_back() -> None:
    frontier = Frontier(Limits(max_listing_pages=2), TODAY)
    for n in range(2):
        assert frontier.admit_page(f"https://x.org/node/{n}", 0, linked=True, request=n)
    assert not frontier.admit_page("https://x.org/node/7", 0, linked=True, request="held")
    assert frontier.record_verdict("https://x.org/node/0", False) == []  # no article yet: still closed
    assert frontier.record_verdict("https://x.org/node/1", True) == ["held"]  # half of them articles: open
    assert dict(frontier.pop_reached()) == {}


def test_links_beyond_the_depth_limit_and_traps_are_not_admitted() -> None:
    frontier = Frontier(Limits(max_depth=2), TODAY)
    assert frontier.admit_page("https://x.org/a/", 2, linked=True)
    assert not frontier.admit_page("https://x.org/b/", 3, linked=True)
    assert frontier.admit_page("https://x.org/c/", 9, linked=False)  # a sitemap entry: no depth
    assert not frontier.admit_page("https://x.org/2099/01/", 0, linked=False)
    assert dict(frontier.pop_reached()) == {"newsspider/limits/depth": 1, "newsspider/limits/traps": 1}


def test_the_request_budget_counts_every_request() -> None:
    frontier = Frontier(Limits(max_requests=2), TODAY)
    assert frontier.admit_any()
    assert frontier.admit_page("https://x.org/a/", 0, linked=False)
    assert not frontier.admit_page("https://x.org/b/", 0, linked=False)
    assert not frontier.admit_any()
    assert dict(frontier.pop_reached()) == {"newsspider/limits/requests": 2}


def test_zero_means_no_bound() -> None:
    frontier = Frontier(Limits(max_requests=0, max_depth=0, max_listing_pages=0, max_url_length=0), TODAY)
    assert all(frontier.admit_page(f"https://x.org/news?page={n}", 99, linked=True) for n in range(200))


def test_a_sitemap_backlog_gives_what_there_is_room_for_and_few_child_sitemaps_at_once() -> None:
    from newsspider.discovery.backlog import HELD, SitemapBacklog

    backlog = SitemapBacklog(open_urlsets=2)
    backlog.add_index(iter(["child-1", "child-2", "child-3"]))
    assert backlog.take(10) == ["child-1", "child-2"]  # two child sitemaps in flight at most
    backlog.arrived("child-1")
    backlog.add_urlset(iter(["a", HELD, "b", "c", "d"]))
    assert backlog.take(3) == ["a", "b"]  # HELD takes room: the frontier holds it
    assert backlog.deferred == 1  # a sitemap not read in one go
    backlog.arrived("child-2")
    assert backlog.take(None) == ["c", "d", "child-3"]
    assert not backlog.pending
