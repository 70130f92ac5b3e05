"""One run per state dir: an exclusive flock on STATE_DIR/<site>.lock, freed by the kernel when a process dies."""

from __future__ import annotations

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO


class LockHeld(Exception):
    """Another process holds the lock; the message names it (`pid N since TIME`)."""


def acquire(path: Path) -> IO[str]:
    """Take the lock or raise LockHeld (OSError when the state dir is not writable). Keep the handle: closing it
    (or exiting) frees the lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise LockHeld(holder) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
    handle.flush()
    return handle


def release(handle: IO[str]) -> None:
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    handle.close()
