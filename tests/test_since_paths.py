"""`since` (dates of any source, paging that stops at older articles) and where a run's files go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsspider import paths
from newsspider.discovery.since import SincePaging, day_of


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-05-13", date(2024, 5, 13)),
        ("2024-05-13T09:30:00+02:00", date(2024, 5, 13)),
        ("2024-05-13T23:30:00Z", date(2024, 5, 13)),
        ("Mon, 13 May 2024 09:30:00 +0000", date(2024, 5, 13)),
        ("yesterday", None),
        (None, None),
    ],
)
def test_day_of_reads_sitemap_feed_and_record_dates(text: str | None, day: date | None) -> None:
    assert day_of(text) == day


def test_a_listing_pages_on_while_its_articles_are_newer() -> None:
    paging = SincePaging()
    paging.linked("p1", "a")
    paging.linked("p1", "b")
    assert paging.hold("p1", "p2")
    assert paging.resolved("a", article=True, older=True) == []
    assert paging.resolved("b", article=True, older=False) == ["p2"]


def test_a_listing_stops_when_all_its_articles_are_older() -> None:
    paging = SincePaging()
    paging.resolved("c", article=True, older=True)  # judged already, from another page
    paging.linked("p2", "c")
    paging.linked("p2", "d")
    assert paging.resolved("d", article=True, older=True) == []
    assert paging.hold("p2", "p3")  # dropped: counted as stopped
    assert paging.stopped == 1
    assert list(paging.release_all()) == []


def test_a_listing_of_no_articles_pages_on_and_idle_releases_what_waits() -> None:
    paging = SincePaging()
    assert not paging.hold("p1", "p2")  # linked nothing: page on now
    paging.linked("p3", "never-fetched")
    assert paging.hold("p3", "p4")
    assert list(paging.release_all()) == ["p4"]


def test_paths_are_built_from_the_settings_in_one_place(tmp_path: Path) -> None:
    settings = {"OUTPUT_DIR": str(tmp_path / "out"), "STATE_DIR": str(tmp_path / "st")}
    run_id = paths.new_run_id(pid=4242)
    assert paths.run_file(settings, "site", run_id) == tmp_path / "out" / "site" / f"{run_id}.jsonl"
    assert paths.run_file(settings, "site", run_id, ".summary.json").name == f"{run_id}.summary.json"
    assert paths.state_file(settings, "site") == tmp_path / "st" / "site.sqlite3"
    assert paths.lock_file(settings, "site") == tmp_path / "st" / "site.lock"
    assert paths.feed_uri(settings) == str(tmp_path / "out" / "%(name)s" / "%(run_id)s.jsonl")
    assert paths.run_id_pid(f"{run_id}.summary.json") == 4242
    assert paths.output_dir({}) == Path("output") and paths.state_dir({}) == Path("state")
