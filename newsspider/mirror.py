"""A static server for an offline site mirror, as WordPress serves it: /path/ -> path/index.html (or index.xml)."""

from __future__ import annotations

import mimetypes
import threading
import time
from collections import Counter
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".gz": "application/gzip",
}


class MirrorHandler(SimpleHTTPRequestHandler):
    """Serves files from the mirror root; counts requests per path so tests can see what a crawl fetched."""

    server: MirrorServer

    def translate(self) -> Path | None:
        parts = urlsplit(self.path)
        relative = unquote(parts.path).lstrip("/")
        root = self.server.root
        candidate = (root / relative).resolve()
        if root not in candidate.parents and candidate != root:
            return None
        if candidate.is_dir():
            for index in ("index.html", "index.xml"):
                if (candidate / index).is_file():
                    return candidate / index
            return None
        return candidate if candidate.is_file() else None

    def do_GET(self) -> None:
        self.server.requests[urlsplit(self.path).path] += 1
        self.respond(with_body=True)

    def do_HEAD(self) -> None:
        self.respond(with_body=False)

    def respond(self, *, with_body: bool) -> None:
        path = self.translate()
        if self.server.delay and path is not None and path.suffix == ".html":
            time.sleep(self.server.delay)  # a slow site, for tests that interrupt a crawl
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not Found")
            return
        body = path.read_bytes()
        self.send_response(HTTPStatus.OK)
        content_type = (
            CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        if path.name == "index.xml" and path.parent.name == "feed":
            content_type = "application/rss+xml; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, root: str | Path, host: str = "127.0.0.1", port: int = 0, verbose: bool = False, delay: float = 0.0
    ) -> None:
        self.root = Path(root).resolve()
        self.verbose = verbose
        self.delay = delay
        self.requests: Counter[str] = Counter()
        super().__init__((host, port), MirrorHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="mirror-server", daemon=True)
        thread.start()
        return thread
