"""Real local services for tests (redis-server, free ports): started per test, on 127.0.0.1, and always stopped."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_program(name: str, hint: str) -> str:
    """The program's path; a missing one fails the test loudly, or skips it if NEWSSPIDER_SKIP_SERVICES=1."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed ({hint}); set NEWSSPIDER_SKIP_SERVICES=1 to skip tests that need it"
    if os.environ.get("NEWSSPIDER_SKIP_SERVICES") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Terminate a process we started, then kill it if it does not exit."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


@dataclass(frozen=True)
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    """A throwaway redis-server: no persistence, loopback only, answering PING before this yields."""
    import redis

    program = require_program("redis-server", "apt-get install redis-server")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        program,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
        "--protected-mode",
        "yes",
    ]
    log = (workdir / "redis.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                output = (workdir / "redis.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"redis-server exited with status {process.returncode}: {output}")
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {port} did not answer PING within 15 s")
            time.sleep(0.05)
        client.close()
        yield RedisServer(port, process)
    finally:
        stop(process)
        log.close()
