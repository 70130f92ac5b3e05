"""The offline mirror server answers as WordPress does: /path/ -> index.html, HEAD like GET without a body."""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest

from newsspider.mirror import MirrorServer


@pytest.fixture
def mirror(tmp_path: Path):
    (tmp_path / "news" / "story").mkdir(parents=True)
    (tmp_path / "news" / "story" / "index.html").write_text("<html><body><p>Hello</p></body></html>")
    server = MirrorServer(tmp_path)
    server.start_in_background()
    yield server
    server.shutdown()
    server.server_close()


def _request(server: MirrorServer, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=5)
    connection.request(method, path)
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def test_head_answers_like_get_without_a_body(mirror: MirrorServer) -> None:
    get_status, get_headers, get_body = _request(mirror, "GET", "/news/story/")
    head_status, head_headers, head_body = _request(mirror, "HEAD", "/news/story/")
    assert (get_status, head_status) == (200, 200)
    assert get_body.startswith(b"<html>") and head_body == b""
    assert head_headers["Content-Length"] == get_headers["Content-Length"]
    assert head_headers["Content-Type"] == "text/html; charset=utf-8"
    assert mirror.requests["/news/story/"] == 1  # only GETs are counted as fetches


def test_missing_page_is_404_for_both(mirror: MirrorServer) -> None:
    assert _request(mirror, "GET", "/news/none/")[0] == 404
    assert _request(mirror, "HEAD", "/news/none/")[0] == 404
