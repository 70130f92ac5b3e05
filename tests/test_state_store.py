"""Run files and the state, unit by unit: lines land whole or not at all under injected write faults, the state
commits only what the disk holds, corrupt stores are recognised (never silently replaced), old layouts migrate."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from pathlib import Path

import pytest

from newsspider.export.feed import DurableLines, JsonlAppender, publish, recover_part_file
from newsspider.normalize import dedupe_key
from newsspider.state import RunFacts, StateCorrupt, ingest_run
from newsspider.state.facts import Baseline, VersionFacts, retained, shingle_hashes
from newsspider.state.sqlite import SCHEMA_VERSION, SqliteState

RECORD = {"canonical_url": "https://x.org/a/", "content_hash": "sha256:a", "body": "x" * 300}
LINE = (json.dumps(RECORD) + "\n").encode()


class FailingWrites:
    """A write(2) stand-in: writes the first `room` bytes for real (in pieces of at most `chunk`), then fails with
    `error` - what a filling disk, a dying disk or a read-only remount does to a process."""

    def __init__(self, room: int, error: int = errno.ENOSPC, chunk: int = 100) -> None:
        self.room = room
        self.error = error
        self.chunk = chunk
        self.calls = 0

    def __call__(self, fd: int, data: bytes | memoryview) -> int:
        self.calls += 1
        if self.room <= 0:
            raise OSError(self.error, os.strerror(self.error))
        piece = bytes(data[: min(len(data), self.room, self.chunk)])
        written = os.write(fd, piece)
        self.room -= written
        return written


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


# --- DurableLines under write faults ----------------------------------------------------------------------


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EIO, errno.EROFS])
def test_a_line_cut_by_a_failing_write_is_removed(tmp_path: Path, error: int) -> None:
    path = tmp_path / "run.jsonl.part"
    file = DurableLines(path, write=FailingWrites(room=len(LINE) * 2 + 50, error=error))
    file.write(LINE)
    file.write(LINE)
    with pytest.raises(OSError) as raised:
        file.write(LINE)  # 50 bytes go out, then the disk fails
    assert raised.value.errno == error
    assert _lines(path) == [LINE, LINE]
    assert file.error is not None and file.publishable()


def test_short_writes_are_completed_not_taken_for_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl.part"
    writes = FailingWrites(room=10**6, chunk=7)  # the kernel takes a few bytes at a time
    file = DurableLines(path, write=writes)
    file.write(LINE)
    assert _lines(path) == [LINE]
    assert writes.calls >= len(LINE) // 7
    assert file.lines == 1


def test_after_a_failure_nothing_more_is_written(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl.part"
    file = DurableLines(path, write=FailingWrites(room=len(LINE) + 10))
    file.write(LINE)
    with pytest.raises(OSError):
        file.write(LINE)
    with pytest.raises(OSError, match="earlier failure"):
        file.write(b"{}\n")  # room again (the disk was freed): still refused, the run is stopping
    assert _lines(path) == [LINE]


def test_the_feed_file_fails_quietly_and_says_so(tmp_path: Path) -> None:
    file = DurableLines(tmp_path / "feed.jsonl.part", write=FailingWrites(room=5), quiet=True)
    assert file.write(LINE) == 0
    assert file.error is not None and file.error.errno == errno.ENOSPC
    assert (tmp_path / "feed.jsonl.part").read_bytes() == b""


def test_a_file_that_could_not_be_cut_back_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "run.jsonl.part"
    file = DurableLines(path, write=FailingWrites(room=len(LINE) + 10, error=errno.EIO))
    file.write(LINE)

    def broken_truncate(fd: int, length: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "ftruncate", broken_truncate)
    with pytest.raises(OSError):
        file.write(LINE)
    assert file.damaged
    assert not publish(file, tmp_path / "run.jsonl")
    assert path.exists() and not (tmp_path / "run.jsonl").exists()  # left for the next run to finish
    final, records = recover_part_file(path)  # which keeps the whole line only
    assert len(records) == 1 and _lines(final) == [LINE]


def test_publish_renames_a_complete_file(tmp_path: Path) -> None:
    file = DurableLines(tmp_path / "run.jsonl.part")
    file.write(LINE)
    assert publish(file, tmp_path / "run.jsonl")
    assert _lines(tmp_path / "run.jsonl") == [LINE] and not (tmp_path / "run.jsonl.part").exists()


def test_recover_keeps_only_whole_json_lines(tmp_path: Path) -> None:
    part = tmp_path / "run.jsonl.part"
    part.write_bytes(LINE + b'{"canonical_url": "https://x.org/b/", "conte\n' + LINE + b'{"canonical_url": "htt')
    final, records = recover_part_file(part)
    assert len(records) == 2
    assert _lines(final) == [LINE, LINE]


def test_jsonl_appender_raises_on_a_failed_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    appender = JsonlAppender(tmp_path / "x.rejects.jsonl")
    appender.write({"ok": 1})
    assert appender._file is not None
    appender._file._write = FailingWrites(room=3)
    with pytest.raises(OSError):
        appender.write({"ok": 2})
    appender.close()
    assert [json.loads(line) for line in _lines(tmp_path / "x.rejects.jsonl")] == [{"ok": 1}]


# --- the state commits after the output is synced -----------------------------------------------------------


def _record(url: str = "https://x.org/a/", content_hash: str = "h1", version: int = 1, body: str = "") -> dict:
    return {"canonical_url": url, "content_hash": content_hash, "version": version, "body": body or "word " * 80}


def test_a_failed_sync_rolls_the_batch_back(tmp_path: Path) -> None:
    store = SqliteState(tmp_path / "s.sqlite3")
    store.record_article(_record())
    store.commit()

    def disk_failed() -> None:
        raise OSError(errno.EIO, "I/O error")

    store.on_commit(disk_failed)
    store.record_article(_record("https://x.org/b/"))
    with pytest.raises(OSError):
        store.commit()
    assert store.article(dedupe_key("https://x.org/a/")) is not None
    assert store.article(dedupe_key("https://x.org/b/")) is None  # never counted as sent


def test_an_older_version_never_takes_the_latest_ones_place(tmp_path: Path) -> None:
    store = SqliteState(tmp_path / "s.sqlite3")
    store.record_article(_record(content_hash="h2", version=2, body="new text " * 50))
    store.record_article(_record(content_hash="h1", version=1, body="old"))  # a recovered older run
    article = store.article(dedupe_key("https://x.org/a/"))
    assert article is not None and (article.content_hash, article.version) == ("h2", 2)
    assert article.facts is not None and article.facts.body_chars == len("new text " * 50)
    assert store.has_emitted(article.key, "h1")


def test_ingesting_the_same_run_twice_changes_nothing(tmp_path: Path) -> None:
    store = SqliteState(tmp_path / "s.sqlite3")
    records = [_record(), _record(content_hash="h2", version=2)]
    ingest_run(store, "2026-01-01T00-00-00Z-1", records)
    ingest_run(store, "2026-01-01T00-00-00Z-1", records)
    article = store.article(dedupe_key("https://x.org/a/"))
    assert article is not None and article.version == 2
    assert store.known_runs() == {"2026-01-01T00-00-00Z-1"}


# --- corrupt or unreadable stores ---------------------------------------------------------------------------


def _good_store(path: Path, articles: int = 300) -> None:
    store = SqliteState(path)
    for i in range(articles):
        store.record_article(_record(f"https://x.org/{i}/", f"h{i}", body=f"article {i} " * 40))
    store.close()


@pytest.mark.parametrize("damage", ["random_bytes", "cut_in_half", "directory", "other_database"])
def test_a_corrupt_store_is_recognised_not_replaced(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "site.sqlite3"
    if damage == "random_bytes":
        path.write_bytes(os.urandom(8192))
    elif damage == "cut_in_half":
        _good_store(path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif damage == "directory":
        path.mkdir()
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT)")
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(StateCorrupt):
        SqliteState(path)
    assert (path.read_bytes() if path.is_file() else None) == before  # left exactly as found


def test_quarantine_keeps_the_corrupt_file_and_its_journal(tmp_path: Path) -> None:
    path = tmp_path / "site.sqlite3"
    path.write_bytes(b"garbage")
    path.with_name("site.sqlite3-wal").write_bytes(b"wal")
    aside = SqliteState.quarantine(path)
    assert aside.read_bytes() == b"garbage" and aside.with_name(aside.name + "-wal").read_bytes() == b"wal"
    assert not path.exists() and not path.with_name("site.sqlite3-wal").exists()


def test_an_unusable_state_dir_is_an_oserror_not_corruption(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        SqliteState(blocker / "site.sqlite3")


def test_a_first_layout_store_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "site.sqlite3"
    with sqlite3.connect(path) as db:  # the layout every existing state file has (PRAGMA user_version 0)
        db.executescript(
            "CREATE TABLE articles (key TEXT PRIMARY KEY, canonical_url TEXT NOT NULL, content_hash TEXT NOT NULL, "
            "version INTEGER NOT NULL, lastmod TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);"
            "CREATE TABLE emitted (key TEXT NOT NULL, content_hash TEXT NOT NULL, version INTEGER NOT NULL, "
            "emitted_at TEXT NOT NULL, PRIMARY KEY (key, content_hash));"
            "CREATE TABLE urls (url TEXT PRIMARY KEY, key TEXT NOT NULL, lastmod TEXT, etag TEXT, last_modified TEXT);"
            "INSERT INTO articles VALUES ('x.org/a', 'https://x.org/a/', 'h3', 3, NULL, 't', 't');"
        )
    store = SqliteState(path)
    assert store.migrated_from == 0
    article = store.article("x.org/a")
    assert article is not None and article.version == 3 and article.facts is None  # known, facts to come
    store.record_article(_record(content_hash="h4", version=4))
    article = store.article("x.org/a")
    assert article is not None and article.facts is not None and article.version == 4
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# --- what the guard remembers ---------------------------------------------------------------------------------

PARAGRAPHS = [
    f"Paragraph {i} of the story: ministers met in Brussels on day {i} to discuss the budget of year {2000 + i}, "
    f"and officials said talks on chapter {i} would resume next week after the summit of the {i}th council."
    for i in range(6)
]


def _retained(old: str, new: str) -> float:
    value = retained(VersionFacts.of({"body": old}).sketch, shingle_hashes(new))
    assert value is not None
    return value


def test_an_added_paragraph_keeps_all_the_previous_wording() -> None:
    old = "\n\n".join(PARAGRAPHS[:5])
    assert _retained(old, old + "\n\n" + PARAGRAPHS[5]) == 1.0


def test_a_removed_paragraph_keeps_most_of_it() -> None:
    old = "\n\n".join(PARAGRAPHS)
    assert _retained(old, "\n\n".join(PARAGRAPHS[:3] + PARAGRAPHS[4:])) >= 0.6


def test_a_teaser_with_other_stories_appended_keeps_little() -> None:
    old = "\n\n".join(PARAGRAPHS)
    teaser = PARAGRAPHS[0][:90] + "... Subscribe to read more.\n\nRecent Posts\n\n" + "Other headline. " * 30
    assert _retained(old, teaser) < 0.25


def test_baseline_reads_runs_back_to_the_newest_reset() -> None:
    old = RunFacts("2026-01-01", 10, {"authors": 10}, 2000)
    reset = RunFacts("2026-01-02", 10, {"authors": 1}, 300, baseline_reset=True)
    newer = RunFacts("2026-01-03", 10, {"authors": 0}, 310)
    baseline = Baseline.of([newer, reset, old])  # newest first
    assert baseline.records == 20
    assert baseline.coverage["authors"] == pytest.approx(0.05)
    assert baseline.body_chars_median == 305


def test_runs_are_recorded_and_read_newest_first(tmp_path: Path) -> None:
    store = SqliteState(tmp_path / "s.sqlite3")
    for day in (1, 3, 2):
        store.record_run(RunFacts.of(f"2026-01-0{day}T00-00-00Z-1", [_record(), _record(content_hash="x")]))
    assert [run.run_id[:10] for run in store.recent_runs(2)] == ["2026-01-03", "2026-01-02"]
    assert store.recent_runs(1)[0].records == 2
