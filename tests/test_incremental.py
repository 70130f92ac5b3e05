"""The incremental middleware decides from each request and its meta (scrapy-deltafetch's shape)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newsspider.crawl import incremental
from newsspider.crawl.incremental import Decision, IncrementalMiddleware, NotModified, lastmod_moved, latest
from newsspider.crawl.state import remember_url, sitemap_lastmod, url_key
from newsspider.state import UrlState
from newsspider.state.sqlite import SqliteState

KEY = "news.example/a"


@pytest.fixture
def store(tmp_path: Path):
    store = SqliteState(tmp_path / "s.sqlite3")
    store.record_url(UrlState(KEY, "news.example/a", "2024-05-01T00:00:00+00:00", '"v1"', None))
    yield store
    store.close()


@pytest.fixture
def middleware(store: SqliteState, monkeypatch: pytest.MonkeyPatch) -> IncrementalMiddleware:
    monkeypatch.setattr(incremental, "store_of", lambda crawler: store)  # the run's CrawlState store
    return IncrementalMiddleware(get_crawler())


def request(url: str = "http://127.0.0.1:8000/a/", **meta: object) -> Request:
    return Request(url, meta={"newsspider_kind": "article", "newsspider_url_key": KEY, **meta})


def test_a_page_an_earlier_run_emitted_is_skipped(middleware: IncrementalMiddleware) -> None:
    assert middleware.get_processed_request(request(), None) is None
    assert middleware.crawler.stats.get_value("newsspider/incremental/skipped") == 1


def test_unknown_pages_listings_and_full_refetches_go_on(middleware: IncrementalMiddleware) -> None:
    for kept in (
        request(newsspider_url_key="news.example/b"),
        request(newsspider_kind="listing"),
        request(newsspider_refetch=True),
    ):
        assert middleware.get_processed_request(kept, None) is kept


def test_a_moved_lastmod_asks_again_conditionally_and_past_the_dupefilter(middleware: IncrementalMiddleware) -> None:
    refreshed = middleware.get_processed_request(request(newsspider_lastmod="2024-06-01"), None)
    assert refreshed is not None and refreshed.dont_filter
    assert refreshed.headers[b"If-None-Match"] == b'"v1"'
    again = request(newsspider_lastmod="2024-06-02")  # another sitemap, later the same run
    assert middleware.decide(again, incremental.store_of(middleware.crawler)) is Decision.FETCHED


def test_a_304_is_unchanged_and_ends_there(middleware: IncrementalMiddleware, store: SqliteState) -> None:
    response = HtmlResponse("http://127.0.0.1:8000/a/", status=304, request=request(newsspider_lastmod="2024-06-01"))
    with pytest.raises(NotModified):
        middleware.process_spider_input(response)
    assert store.url(KEY).lastmod == "2024-06-01"  # type: ignore[union-attr]
    assert middleware.crawler.stats.get_value("newsspider/articles/unchanged") == 1


def test_the_latest_lastmod_of_the_run_travels_with_the_item(middleware: IncrementalMiddleware) -> None:
    first = request(newsspider_url_key="news.example/new", newsspider_lastmod="2024-06-03")
    middleware.get_processed_request(first, None)
    linked = request(newsspider_url_key="news.example/new")  # the page as a link requested it, without lastmod
    response = HtmlResponse(linked.url, request=linked)
    middleware.get_processed_item({}, response)
    assert sitemap_lastmod(response) == "2024-06-03"


def test_the_state_stage_reads_key_lastmod_and_validators_from_the_response(store: SqliteState) -> None:
    response = HtmlResponse(
        "http://127.0.0.1:8000/c/?x=1",
        headers={"ETag": '"e2"', "Last-Modified": "Sat, 01 Jun 2024 00:00:00 GMT"},
        request=request(
            "http://127.0.0.1:8000/c/?x=1", newsspider_url_key="news.example/c?x=1", newsspider_lastmod="2024-06-01"
        ),
    )
    remember_url(store, response, "news.example/c")
    assert store.url("news.example/c?x=1") == UrlState(
        "news.example/c?x=1", "news.example/c", "2024-06-01", '"e2"', "Sat, 01 Jun 2024 00:00:00 GMT"
    )
    assert url_key(Request("http://127.0.0.1:8000/d/")) == "127.0.0.1:8000/d"


def test_lastmods_compare_as_moments() -> None:
    assert lastmod_moved("2024-06-01T10:00:00+02:00", "2024-06-01T07:00:00Z")
    assert not lastmod_moved("2024-06-01", None) and not lastmod_moved("garbage", "2024-01-01")
    assert latest("2024-06-01", "2024-05-01T00:00:00Z") == "2024-06-01" and latest(None, "2024-01-01") == "2024-01-01"
