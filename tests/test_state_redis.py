"""RedisState against a real redis-server: the SqliteState contract, atomic records, and one claim per version."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from services import free_port, redis_server

from newsspider.normalize import dedupe_key
from newsspider.state import RunFacts, StateCorrupt, UrlState
from newsspider.state.redis import RedisState
from newsspider.state.sqlite import SqliteState

URL = "https://www.example.org/politics/some-story/"
KEY = dedupe_key(URL)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


@pytest.fixture
def state(server_url: str, request: pytest.FixtureRequest) -> Iterator[RedisState]:
    store = RedisState.from_url(server_url, f"spider-{request.node.name}")
    store.clear()
    yield store
    store.clear()
    store.close()


def record(content_hash: str = "h1", version: int = 1, url: str = URL) -> dict[str, object]:
    return {"canonical_url": url, "content_hash": content_hash, "version": version, "url": url}


def test_unknown_article_and_url_are_none(state: RedisState) -> None:
    assert state.article(KEY) is None
    assert state.url(URL) is None
    assert not state.has_emitted(KEY, "h1")


def test_record_article_then_read_back(state: RedisState) -> None:
    state.record_article(record(), lastmod="2024-01-01T00:00:00+00:00")
    article = state.article(KEY)
    assert article is not None
    assert (article.key, article.canonical_url, article.content_hash, article.version) == (KEY, URL, "h1", 1)
    assert article.lastmod == "2024-01-01T00:00:00+00:00"
    assert article.first_seen and article.first_seen == article.last_seen
    assert state.has_emitted(KEY, "h1")
    assert not state.has_emitted(KEY, "h2")


def test_record_article_keeps_first_seen_max_version_and_old_lastmod(state: RedisState) -> None:
    state.record_article(record("h1", 2), lastmod="2024-01-01")
    first = state.article(KEY)
    state.record_article(record("h2", 1))  # an older version (a recovered run) never takes the latest's place
    second = state.article(KEY)
    assert first is not None and second is not None
    assert second.content_hash == "h1"
    assert second.version == 2
    assert second.lastmod == "2024-01-01"
    assert second.first_seen == first.first_seen
    assert state.has_emitted(KEY, "h1") and state.has_emitted(KEY, "h2")


def test_record_article_is_one_transaction(state: RedisState) -> None:
    """MULTI/EXEC: the hash and the emitted set change together (MONITOR would show it; here, the result)."""
    state.record_article(record("h3", 3))
    members = state.client.smembers(state.emitted_key)
    assert members == {f"{KEY}|h3"}
    assert state.client.hgetall(state.article_key(KEY))["version"] == "3"


def test_touch_article_updates_known_only(state: RedisState) -> None:
    state.touch_article(KEY, "2024-05-01")
    assert state.article(KEY) is None  # touching the unknown creates nothing
    state.record_article(record())
    state.touch_article(KEY, "2024-05-01")
    article = state.article(KEY)
    assert article is not None and article.lastmod == "2024-05-01"
    state.touch_article(KEY, None)
    article = state.article(KEY)
    assert article is not None and article.lastmod == "2024-05-01"


def test_record_url_coalesces_like_sqlite(state: RedisState) -> None:
    state.record_url(UrlState(URL, KEY, "2024-01-01", '"etag-1"', "Mon, 01 Jan 2024 00:00:00 GMT"))
    state.record_url(UrlState(URL, KEY + "x", None, None, None))
    assert state.url(URL) == UrlState(URL, KEY + "x", "2024-01-01", '"etag-1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    state.record_url(UrlState(URL, KEY, "2024-02-02"))
    assert state.url(URL) == UrlState(URL, KEY, "2024-02-02", '"etag-1"', "Mon, 01 Jan 2024 00:00:00 GMT")


def test_recover_counts_only_records_with_identity(state: RedisState) -> None:
    assert state.recover([record("h1"), {"url": URL}, record("h9", url=URL + "other/")]) == 2
    assert state.article(KEY) is not None
    assert {row["key"] for row in state.export()} == {KEY, dedupe_key(URL + "other/")}


def test_claim_is_granted_once_per_version(state: RedisState) -> None:
    assert state.claim_article(KEY, "h1") is True
    assert state.claim_article(KEY, "h1") is False
    assert state.has_emitted(KEY, "h1")
    assert state.claim_article(KEY, "h2") is True  # a new version is a new claim
    state.release_claim(KEY, "h1")
    assert state.claim_article(KEY, "h1") is True


def test_record_after_claim_keeps_claim(state: RedisState) -> None:
    assert state.claim_article(KEY, "h1")
    state.record_article(record("h1"))
    assert not state.claim_article(KEY, "h1")


def test_concurrent_claims_have_one_winner(server_url: str, state: RedisState) -> None:
    """Eight clients (separate connections, as separate workers have) race for the same 50 versions."""
    spider = state.namespace.split(":", 1)[1]
    workers = [RedisState.from_url(server_url, spider) for _ in range(8)]
    wins: list[list[str]] = [[] for _ in workers]
    barrier = threading.Barrier(len(workers))

    def race(index: int) -> None:
        barrier.wait()
        for n in range(50):
            if workers[index].claim_article(f"key-{n}", "hash"):
                wins[index].append(f"key-{n}")

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.close()
    all_wins = [key for won in wins for key in won]
    assert sorted(all_wins) == sorted(f"key-{n}" for n in range(50))


def test_concurrent_record_article_never_lowers_version(server_url: str, state: RedisState) -> None:
    spider = state.namespace.split(":", 1)[1]
    workers = [RedisState.from_url(server_url, spider) for _ in range(4)]

    def write(index: int) -> None:
        for version in range(1, 30):
            workers[index].record_article(record(f"h{version}", version))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.close()
    article = state.article(KEY)
    assert article is not None and article.version == 29


def test_keys_are_namespaced_per_spider(server_url: str, state: RedisState) -> None:
    state.record_article(record())
    state.record_url(UrlState(URL, KEY))
    other = RedisState.from_url(server_url, "another-spider")
    try:
        assert other.article(KEY) is None and other.url(URL) is None and not other.has_emitted(KEY, "h1")
    finally:
        other.close()
    names = set(state.client.scan_iter(state.namespace + ":*"))
    assert names == {state.article_key(KEY), state.url_key(URL), state.emitted_key}


def test_same_contract_as_sqlite(state: RedisState, tmp_path: Path) -> None:
    """The same sequence of calls gives the same answers from both stores."""
    sqlite = SqliteState(tmp_path / "state.sqlite3")
    try:
        for store in (sqlite, state):
            store.record_article(record("h1"), lastmod="2024-01-01")
            store.record_article(record("h2", 2))
            store.touch_article(KEY, "2024-03-03")
            store.record_url(UrlState(URL, KEY, "2024-01-01", "e"))
            store.record_url(UrlState(URL, KEY, None, None, "lm"))
        for store in (sqlite, state):
            article = store.article(KEY)
            assert article is not None
            assert (article.content_hash, article.version, article.lastmod) == ("h2", 2, "2024-03-03")
            assert store.url(URL) == UrlState(URL, KEY, "2024-01-01", "e", "lm")
            assert store.has_emitted(KEY, "h1") and store.has_emitted(KEY, "h2") and not store.has_emitted(KEY, "h3")
        assert sqlite.export() == state.export()
    finally:
        sqlite.close()


def test_unreachable_server_is_an_oserror() -> None:
    with pytest.raises(ConnectionError, match="not usable"):
        RedisState.from_url(f"redis://127.0.0.1:{free_port()}/0", "spider")
    with pytest.raises(OSError):
        RedisState.from_url("not-a-redis-url", "spider")


def test_a_malformed_article_entry_is_corrupt_state_not_a_new_article(state: RedisState) -> None:
    state.record_article(record("h1", 3))
    state.client.hdel(state.article_key(KEY), "version")  # damaged: known, but its version lost
    with pytest.raises(StateCorrupt, match="malformed"):
        state.article(KEY)  # never None: that would emit the article again as version 1


def test_an_entry_of_another_type_is_corrupt_state(state: RedisState) -> None:
    state.client.set(state.article_key(KEY), "not a hash")
    with pytest.raises(StateCorrupt, match="not a hash"):
        state.article(KEY)


def test_a_malformed_url_entry_is_fetched_again(state: RedisState) -> None:
    state.client.hset(state.url_key(URL), mapping={"lastmod": "2024-01-01"})  # no article key
    assert state.url(URL) is None


def test_runs_are_recorded_newest_first(state: RedisState) -> None:
    for day in (1, 3, 2):
        state.record_run(RunFacts(f"2026-01-0{day}", 5, {"authors": 5}, 1000))
    assert [run.run_id for run in state.recent_runs(2)] == ["2026-01-03", "2026-01-02"]
    assert state.known_runs() == {"2026-01-01", "2026-01-02", "2026-01-03"}
