"""The run's JSONL files: each line lands whole or not at all, is fsynced before the state counts it, and a file
appears under its final name only when complete (written as .part, renamed when the run closes)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from weakref import WeakKeyDictionary

from scrapy.extensions.feedexport import FileFeedStorage

logger = logging.getLogger(__name__)

PART_SUFFIX = ".part"


def run_path(output_dir: str | os.PathLike[str], spider: str, run_id: str, suffix: str = ".jsonl") -> Path:
    """Where a run's files live: OUTPUT_DIR/<spider>/<run start, UTC><suffix>."""
    return Path(output_dir) / spider / f"{run_id}{suffix}"


class DurableLines:
    """An append-only file of lines in which every `write` lands whole or not at all.

    A write that fails part-way (ENOSPC, EIO, a read-only remount) is cut back to the end of the last complete
    line, and the file refuses every later write: it holds complete lines only, and `error` says why it stopped.
    Unbuffered: each line is one write(2) (or more, if the kernel takes it in pieces), so a killed process
    leaves whole lines too (the next run drops an unterminated last line all the same).

    `quiet`: a failed write returns 0 instead of raising (the feed exporter would log a traceback for a failure
    the run handles itself: it reads `error` after each item).
    """

    def __init__(
        self, path: Path, *, write: Callable[[int, bytes | memoryview], int] = os.write, quiet: bool = False
    ) -> None:
        self.path = path
        self._write = write
        self.quiet = quiet
        self._fd: int | None = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
        self.size = os.fstat(self._fd).st_size
        self.lines = 0
        self.error: OSError | None = None
        #: True when a failed write could not be cut back: the file may end in a partial line.
        self.damaged = False

    @property
    def closed(self) -> bool:
        return self._fd is None

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self._fd is None:
            raise ValueError(f"{self.path} is closed")
        return self._fd

    def write(self, data: bytes) -> int:
        if self.error is not None:
            if self.quiet:
                return 0
            raise OSError(self.error.errno, f"{self.path}: no longer written after an earlier failure: {self.error}")
        fd = self.fileno()
        view = memoryview(data)
        done = 0
        try:
            while done < len(view):
                done += self._write(fd, view[done:])
        except OSError as error:
            self.error = error
            self._cut_back()
            if self.quiet:
                return 0
            raise
        self.size += done
        self.lines += data.count(b"\n")
        return done

    def _cut_back(self) -> None:
        try:
            os.ftruncate(self.fileno(), self.size)
        except OSError as error:
            self.damaged = True
            logger.error("Could not cut %s back to its last complete line: %s", self.path, error)

    def flush(self) -> None:
        """Nothing is buffered here; `sync` is what makes the lines durable."""

    def sync(self) -> None:
        """fsync: the lines written so far survive a crash of the machine. A failure stops the file like a write's."""
        if self._fd is None or (self.error is not None and self.damaged):
            return
        try:
            os.fsync(self._fd)
        except OSError as error:
            self.error = self.error or error
            self.damaged = True  # what the kernel dropped is unknown: the next run reads back what is really there
            raise

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def publishable(self) -> bool:
        """Complete lines only, all of them on disk."""
        return not self.damaged


# --- the files a run has open, per crawler (the state commits only after they are synced) ---------------------

_OPEN: WeakKeyDictionary[Any, list[DurableLines]] = WeakKeyDictionary()


def open_run_file(crawler: Any, path: Path, *, quiet: bool = False) -> DurableLines:
    path.parent.mkdir(parents=True, exist_ok=True)
    file = DurableLines(path, quiet=quiet)
    if crawler is not None:
        _OPEN.setdefault(crawler, []).append(file)
    return file


def run_files(crawler: Any) -> list[DurableLines]:
    return list(_OPEN.get(crawler, ()))


def write_failure(crawler: Any) -> DurableLines | None:
    """The first of the run's files whose writing failed, if any: nothing written after it counts as sent."""
    return next((file for file in run_files(crawler) if file.error is not None), None)


def sync_run_files(crawler: Any) -> None:
    """fsync every open run file; raises the first OSError (the caller must then not commit the state)."""
    for file in run_files(crawler):
        if not file.closed:
            file.sync()


def publish(file: DurableLines, final: Path) -> bool:
    """Sync, close and rename a finished `.part` to its final name; a file that may hold a partial line, or
    that cannot be synced or renamed, stays a `.part` for the next run to finish. Returns True when published."""
    try:
        file.sync()
    except OSError as error:
        logger.error("Could not sync %s: %s; left for the next run to finish", file.path, error)
    finally:
        file.close()
    if not file.publishable():
        return False
    try:
        os.replace(file.path, final)
        _sync_directory(final.parent)
    except OSError as error:
        logger.error("Could not publish %s as %s: %s; left for the next run to finish", file.path, final, error)
        return False
    return True


def _sync_directory(directory: Path) -> None:
    """Make a rename durable (the directory entry), where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class AtomicFileFeedStorage(FileFeedStorage):
    """Scrapy feed storage: writes `<path>.part` line by line (DurableLines) and renames it to `<path>` on close."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Any = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.file: DurableLines | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, uri: str, *, feed_options: dict[str, Any] | None = None) -> Any:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Any) -> IO[bytes]:
        final = Path(self.path)
        # Quiet: a failed write is the run's to handle (RunSummary reads it after each item and stops the run).
        self.file = open_run_file(self.crawler, final.with_name(final.name + PART_SUFFIX), quiet=True)
        return self.file  # type: ignore[return-value]

    def store(self, file: IO[bytes]) -> None:
        if self.file is not None and not self.file.closed:
            publish(self.file, Path(self.path))


class JsonlAppender:
    """A side file of JSON lines (rejects, suspects), with the same discipline as the feed."""

    def __init__(self, path: Path, crawler: Any = None) -> None:
        self.path = path
        self.crawler = crawler
        self.part_path = path.with_name(path.name + PART_SUFFIX)
        self._file: DurableLines | None = None
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        if self._file is None:
            self._file = open_run_file(self.crawler, self.part_path)
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        self._file.write(line.encode("utf-8"))
        self.count += 1

    def close(self) -> None:
        if self._file is not None and not self._file.closed:
            publish(self._file, self.path)

    def discard(self) -> None:
        """Delete the side file (its records went elsewhere)."""
        if self._file is not None:
            self._file.close()
        self.part_path.unlink(missing_ok=True)
        self._file = None


def write_json_atomically(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + PART_SUFFIX)
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a file of lines, one at a time; an unterminated or garbled line is skipped (a file may be
    the whole archive of a first crawl: it is never read into memory at once)."""
    with path.open("rb") as handle:
        for line in handle:
            record = _whole_record(line)
            if record is not None:
                yield record


def _whole_record(line: bytes) -> dict[str, Any] | None:
    if not line.endswith(b"\n"):
        return None  # the last line of a killed or failed run, cut short
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def finish_part_file(part: Path) -> Path | None:
    """Finish a .part file a killed or failed run left: keep its whole JSON lines only and publish it under its final
    name (None, and the file removed, when it held no whole record)."""
    final = part.with_name(part.name[: -len(PART_SUFFIX)])
    kept = 0
    clean = True
    with part.open("rb") as handle:
        for line in handle:
            if _whole_record(line) is None:
                clean = False
            else:
                kept += 1
    if not kept:
        part.unlink()
        return None
    if not clean:  # rewrite with the whole lines only, streaming
        fixed = part.with_name(part.name + ".fixed")
        with part.open("rb") as source, fixed.open("wb") as target:
            for line in source:
                if _whole_record(line) is not None:
                    target.write(line)
            target.flush()
            os.fsync(target.fileno())
        os.replace(fixed, part)
    os.replace(part, final)
    _sync_directory(final.parent)
    return final


def recover_part_file(part: Path) -> tuple[Path, list[dict[str, Any]]]:
    """finish_part_file, and the records of the published file."""
    final = finish_part_file(part)
    if final is None:
        return part.with_name(part.name[: -len(PART_SUFFIX)]), []
    return final, list(iter_records(final))
