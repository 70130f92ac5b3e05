"""The run's JSONL files, never seen half-written by readers: written as .part, renamed when the run closes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage

PART_SUFFIX = ".part"


def run_path(output_dir: str | os.PathLike[str], spider: str, run_id: str, suffix: str = ".jsonl") -> Path:
    """Where a run's files live: OUTPUT_DIR/<spider>/<run start, UTC><suffix>."""
    return Path(output_dir) / spider / f"{run_id}{suffix}"


def _sync_close(file: IO[bytes]) -> None:
    file.flush()
    os.fsync(file.fileno())
    file.close()


def finish(part: Path, final: Path) -> None:
    """Publish a finished .part file under its final name in one atomic step."""
    os.replace(part, final)


class AtomicFileFeedStorage(FileFeedStorage):
    """Scrapy feed storage that writes `<path>.part` unbuffered and renames it to `<path>` on close."""

    def open(self, spider: Any) -> IO[bytes]:
        final = Path(self.path)
        final.parent.mkdir(parents=True, exist_ok=True)
        self.part_path = final.with_name(final.name + PART_SUFFIX)
        # Unbuffered: each exported line is one write(2), so a killed process leaves whole lines only.
        return self.part_path.open("ab", buffering=0)

    def store(self, file: IO[bytes]) -> None:
        _sync_close(file)
        finish(self.part_path, Path(self.path))


class JsonlAppender:
    """A side file of JSON lines (rejects), with the same .part-then-rename discipline as the feed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.part_path = path.with_name(path.name + PART_SUFFIX)
        self._file: IO[bytes] | None = None
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.part_path.open("ab", buffering=0)
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        self._file.write(line.encode("utf-8"))
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            _sync_close(self._file)
            self._file = None
            finish(self.part_path, self.path)


def write_json_atomically(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + PART_SUFFIX)
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def recover_part_file(part: Path) -> tuple[Path, list[dict[str, Any]]]:
    """Finish a .part file a killed run left: drop an unterminated last line, rename it, return its records."""
    data = part.read_bytes()
    complete = data[: data.rfind(b"\n") + 1] if b"\n" in data else b""
    records = []
    for line in complete.splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    final = part.with_name(part.name[: -len(PART_SUFFIX)])
    if complete != data:
        with part.open("r+b") as handle:
            handle.truncate(len(complete))
    if records:
        finish(part, final)
    else:
        part.unlink()
    return final, records
