"""The news-site corpus server: a site's static files as MirrorServer serves them, plus the endless routes its
traps.json declares (calendars, paging, link farms, huge link pages and sitemaps, status codes), generated and
streamed on demand so a crawl that falls into one costs the server no memory, with request counts per path and
per trap so a test can see what a crawl fetched.

Run one by hand: `python tests/sites_server.py tests/fixtures/sites/NAME [--port 8000] [--rewrite-live]`.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from newsspider.mirror import CONTENT_TYPES, MirrorHandler, MirrorServer

SITES = Path(__file__).resolve().parent / "fixtures" / "sites"
EXTRA_TYPES = {".atom": "application/atom+xml; charset=utf-8", ".rss": "application/rss+xml; charset=utf-8"}
PLACEHOLDERS = {"year": r"\d{4}", "month": r"\d{2}", "day": r"\d{2}", "n": r"\d+", "i": r"\d+", "slug": r"[a-z0-9-]+"}
CHUNK_LINKS = 2000


def canonical_query(query: str) -> str:
    """One spelling per query, so `?b=2&a=1`, `?a=1&b=2` and their percent-encodings find the same file."""
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """`/kalender/{year}/{month}/` -> a regex with named groups; the trailing slash is optional."""
    regex = re.escape(pattern.rstrip("/"))
    for name, part in PLACEHOLDERS.items():
        regex = regex.replace(re.escape("{" + name + "}"), f"(?P<{name}>{part})")
    return re.compile(f"^{regex}/?$")


@dataclass
class Trap:
    """One generated route family of a site, as declared in traps.json."""

    name: str
    kind: str
    config: dict[str, Any]
    patterns: list[re.Pattern[str]]

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Trap:
        routes = [config[key] for key in ("path", "pattern", "index", "child") if key in config]
        return cls(config["name"], config["kind"], config, [compile_pattern(route) for route in routes])

    def match(self, path: str, query: dict[str, str]) -> dict[str, str] | None:
        for pattern in self.patterns:
            found = pattern.match(path)
            if found is None:
                continue
            groups = found.groupdict()
            if self.kind == "paging":
                value = query.get(self.config["param"], "")
                if not value.isdigit() or int(value) < self.config.get("first", 1):
                    return None
                groups["n"] = value
            return groups
        return None


class Site:
    """A corpus site on disk: static root, declared traps, redirects, content types and its live domain."""

    def __init__(self, directory: Path, live_domain: str | None = None) -> None:
        self.directory = directory.resolve()
        self.root = self.directory / "site"
        config_path = self.directory / "traps.json"
        config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
        self.traps = [Trap.from_config(trap) for trap in config.get("traps", [])]
        self.redirects: dict[str, str] = config.get("redirects", {})
        self.content_types: dict[str, str] = config.get("content_types", {})
        self.live_domain = live_domain or config.get("domain") or self._domain_from_index()
        self.query_files = self._index_query_files()

    def _domain_from_index(self) -> str | None:
        index = self.directory.parent / "index.json"
        if not index.exists():
            return None
        for entry in json.loads(index.read_text(encoding="utf-8"))["sites"]:
            if entry["name"] == self.directory.name:
                return entry.get("domain")
        return None

    def _index_query_files(self) -> dict[tuple[str, str], Path]:
        """Pages saved under `path?query` (conftest.page_file's layout), keyed by path and canonical query."""
        found = {}
        for candidate in self.root.rglob("*?*"):
            relative = candidate.relative_to(self.root).as_posix()
            if "?" not in relative.rsplit("/", 1)[-1]:
                continue
            path, query = relative.split("?", 1)
            target = candidate / "index.html" if candidate.is_dir() else candidate
            if candidate.is_dir() and not target.exists():
                target = candidate / "index.xml"
            found[("/" + path.strip("/"), canonical_query(query))] = target
        return found

    def static_file(self, path: str, query: str) -> Path | None:
        if query:
            return self.query_files.get(("/" + unquote(path).strip("/"), canonical_query(query)))
        candidate = (self.root / unquote(path).lstrip("/")).resolve()
        if self.root not in candidate.parents and candidate != self.root:
            return None
        if candidate.is_dir():
            return next((candidate / n for n in ("index.html", "index.xml") if (candidate / n).is_file()), None)
        return candidate if candidate.is_file() else None

    def content_type(self, request_path: str, file: Path) -> str:
        if request_path in self.content_types:
            return self.content_types[request_path]
        if file.name == "index.xml" and file.parent.name == "feed":
            return "application/rss+xml; charset=utf-8"
        return EXTRA_TYPES.get(file.suffix) or CONTENT_TYPES.get(file.suffix) or "application/octet-stream"

    def template(self, name: str) -> tuple[str, str]:
        text = (self.directory / name).read_text(encoding="utf-8")
        head, _, tail = text.partition("{{content}}")
        return head, tail


class SitesHandler(MirrorHandler):
    """Static files first (a query has its own file when the site saved one), then traps, then the path alone."""

    server: SitesServer
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self.route(with_body=True)

    def do_HEAD(self) -> None:
        self.route(with_body=False)

    def route(self, *, with_body: bool) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parts.query
        site = self.server.site
        if with_body:
            self.server.count(path, query)
        if path in site.redirects:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", site.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        params = dict(parse_qsl(query, keep_blank_values=True))
        for trap in site.traps:
            if trap.kind == "status" and trap.match(path, params) is not None:
                self.server.trap_hits[trap.name] += with_body
                return self.send_generated(*generate(self.server, trap, {}, params), with_body=with_body)
        file = site.static_file(path, query)
        if file is None:
            for trap in site.traps:
                groups = trap.match(path, params)
                if groups is not None:
                    self.server.trap_hits[trap.name] += with_body
                    return self.send_generated(*generate(self.server, trap, groups, params), with_body=with_body)
            file = site.static_file(path, "") if query else None
        if file is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not Found")
            return
        body = self.server.rewrite(file.read_bytes())
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", site.content_type(path if not query else f"{path}?{query}", file))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(file.stat().st_mtime)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def send_generated(self, status: int, headers: dict[str, str], chunks: Iterable[str], *, with_body: bool) -> None:
        """Streamed: no Content-Length, the connection closes at the end (HTTP/1.0), nothing held in memory."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        if not with_body:
            return
        try:
            for chunk in chunks:
                self.wfile.write(chunk.encode("utf-8"))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on a huge response: that is its right


class SitesServer(MirrorServer):
    """A real HTTP server on 127.0.0.1 for one corpus site; `requests`, `requests_by_url` and `trap_hits` count."""

    def __init__(
        self,
        site_dir: str | Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rewrite_live: bool = False,
        live_domain: str | None = None,
        verbose: bool = False,
    ) -> None:
        self.site = Site(Path(site_dir), live_domain)
        super().__init__(self.site.root, host, port, verbose=verbose)
        self.RequestHandlerClass = SitesHandler
        self.rewrite_live = rewrite_live and bool(self.site.live_domain)
        self.requests_by_url: Counter[str] = Counter()
        self.trap_hits: Counter[str] = Counter()

    def start_in_background(self) -> threading.Thread:
        """Like MirrorServer's, polling for shutdown every 50 ms so a test that stops it does not wait."""
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        return thread

    @classmethod
    def for_site(cls, name: str, **kwargs: Any) -> SitesServer:
        return cls(SITES / name, **kwargs)

    def count(self, path: str, query: str) -> None:
        self.requests[path] += 1
        self.requests_by_url[f"{path}?{query}" if query else path] += 1

    @property
    def base(self) -> str:
        """The origin generated pages use for absolute URLs: the live domain, or this server when rewriting."""
        return self.url if self.rewrite_live or not self.site.live_domain else self.site.live_domain.rstrip("/")

    def rewrite(self, body: bytes) -> bytes:
        if not self.rewrite_live:
            return body
        live = urlsplit(self.site.live_domain)
        for origin in (f"https://{live.netloc}", f"http://{live.netloc}", f"//{live.netloc}"):
            body = body.replace(origin.encode(), self.url.encode())
        return body


# --- generators: each returns (status, headers, chunks) -----------------------------------------------------

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml; charset=utf-8"}


def generate(
    server: SitesServer, trap: Trap, groups: dict[str, str], params: dict[str, str]
) -> tuple[int, dict[str, str], Iterable[str]]:
    return GENERATORS[trap.kind](server, trap.config, groups, params)


def page(server: SitesServer, config: dict[str, Any], title: str, content: Iterable[str]) -> Iterator[str]:
    head, tail = server.site.template(config["template"])
    yield head.replace("{{title}}", title)
    yield from content
    yield tail.replace("{{title}}", title)


def teasers(items: list[dict[str, str]], config: dict[str, Any] | None = None, css: str = "listing") -> str:
    """Items as the site's own teaser markup (`item`, a format string with {href} and {title}) or a plain list."""
    item = (config or {}).get("item")
    if item:
        return "".join(item.format(**entry) for entry in items)
    rows = "".join(f'<li><a href="{entry["href"]}">{entry["title"]}</a></li>\n' for entry in items)
    return f'<ul class="{css}">\n{rows}</ul>'


def calendar_page(server: SitesServer, config: dict[str, Any], groups: dict[str, str], params: dict[str, str]):
    """Month (or day) pages with previous/next links forever, in both directions, between years 1000 and 9999."""
    year, month = int(groups["year"]), int(groups["month"])
    if not 1 <= month <= 12 or not 1000 <= year <= 9999:
        return 404, HTML, ["<h1>404</h1>"]
    names = config.get("month_names") or list(calendar.month_name)[1:]
    pattern = config["pattern"]
    if "day" in groups:
        day = int(groups["day"])
        if day > calendar.monthrange(year, month)[1] or day < 1:
            return 404, HTML, ["<h1>404</h1>"]
        current = dt.date(year, month, day)
        before, after = current - dt.timedelta(days=1), current + dt.timedelta(days=1)
        key, title = current.isoformat(), f"{day} {names[month - 1]} {year}"
    else:
        current = dt.date(year, month, 1)
        before = (current - dt.timedelta(days=1)).replace(day=1)
        after = (current + dt.timedelta(days=31)).replace(day=1)
        key, title = f"{year:04d}-{month:02d}", f"{names[month - 1]} {year}"

    def link(day: dt.date) -> str:
        return pattern.format(year=f"{day.year:04d}", month=f"{day.month:02d}", day=f"{day.day:02d}")

    entries = config.get("entries", {}).get(key, [])
    body = teasers(entries, config, "calendar-entries") if entries else f"<p>{config['empty']}</p>"
    nav = (
        f'<nav class="calendar-nav"><a rel="prev" href="{link(before)}">{config["prev_label"]}</a> '
        f'<a rel="next" href="{link(after)}">{config["next_label"]}</a></nav>'
    )
    heading = config.get("title", "{title}").format(title=title)
    return 200, HTML, page(server, config, heading, [f"<h1>{heading}</h1>\n", body, nav])


def paging_page(server: SitesServer, config: dict[str, Any], groups: dict[str, str], params: dict[str, str]):
    """A listing whose `?param=N` never runs out: every page repeats the same teasers and links to N+step."""
    n, step, param = int(groups["n"]), config.get("step", 1), config["param"]
    path = config["path"]
    heading = config["title"].format(n=n)
    nav = f'<a class="next" rel="next" href="{path}?{param}={n + step}">{config["next_label"]}</a>'
    if n - step >= config.get("first", 1):
        nav = f'<a class="prev" rel="prev" href="{path}?{param}={n - step}">{config["prev_label"]}</a> ' + nav
    items = config.get("items", [])
    body = teasers(items, config) if items else f"<p>{config.get('empty', '')}</p>"
    return 200, HTML, page(server, config, heading, [f"<h1>{heading}</h1>\n", body, f'<nav class="pager">{nav}</nav>'])


FARM_WORDS = {
    "en": (
        [
            "council",
            "port",
            "budget",
            "rail",
            "school",
            "hospital",
            "museum",
            "bridge",
            "harbour",
            "market",
            "festival",
            "police",
            "river",
            "airport",
        ],
        ["approves", "delays", "reviews", "rejects", "expands", "postpones", "questions", "unveils"],
        "Officials said the decision would be reviewed at the next meeting. Residents were invited to comment. "
        "A spokesperson declined to give further details. The plan has been discussed for several years.",
    ),
}


def seeded(n: int, salt: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{salt}:{n}".encode(), digest_size=8).digest(), "big")


def linkfarm_page(server: SitesServer, config: dict[str, Any], groups: dict[str, str], params: dict[str, str]):
    """An article-like page that links to `fanout` more generated article-like pages, forever."""
    n = int(groups["n"])
    nouns, verbs, text = FARM_WORDS[config.get("words", "en")]
    seed = seeded(n, "farm")
    headline = f"{nouns[seed % len(nouns)].capitalize()} {verbs[seed // 7 % len(verbs)]} plan number {n}"
    links = []
    for i in range(config.get("fanout", 10)):
        child = seeded(n * 31 + i, "child") % 10**9
        slug = f"{nouns[child % len(nouns)]}-{verbs[child // 3 % len(verbs)]}-plan-{child}"
        links.append({"href": config["pattern"].format(n=child, slug=slug), "title": f"Story {child}"})
    published = dt.date(2024, 1, 1) + dt.timedelta(days=seed % 150)
    body = (
        f'<article><h1>{headline}</h1><p class="byline">By Staff Reporter | {published:%B %-d, %Y}</p>\n'
        + "".join(f"<p>{sentence.strip()}.</p>\n" for sentence in text.split(".") if sentence.strip())
        + f'</article><aside class="more-stories"><h2>More stories</h2>{teasers(links)}</aside>'
    )
    return 200, HTML, page(server, config, headline, [body])


def many_links_page(server: SitesServer, config: dict[str, Any], groups: dict[str, str], params: dict[str, str]):
    """One page with `count` links (500,000 by default), streamed in chunks."""

    def chunks() -> Iterator[str]:
        yield f"<h1>{config['title']}</h1>\n<ul>\n"
        count, href, text = config.get("count", 500_000), config["href"], config["text"]
        for start in range(0, count, CHUNK_LINKS):
            stop = min(start + CHUNK_LINKS, count)
            yield "".join(f'<li><a href="{href.format(n=n)}">{text.format(n=n)}</a></li>\n' for n in range(start, stop))
        yield "</ul>\n"

    return 200, HTML, page(server, config, config["title"], chunks())


def stub_page(server: SitesServer, config: dict[str, Any], groups: dict[str, str], params: dict[str, str]):
    """A thin generated page (an archive entry, a tag stub) that is not an article."""
    title = config["title"].format(**groups)
    return 200, HTML, page(server, config, title, [f"<h1>{title}</h1>\n<p>{config['text'].format(**groups)}</p>"])


def huge_sitemap(server: SitesServer, config: dict[str, Any], groups: dict[str, str], params: dict[str, str]):
    """A sitemap index (its static children first) and `children` generated sitemaps of `per_child` URLs."""
    base, per_child = server.base, config.get("per_child", 50_000)
    header = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if "i" not in groups:
        children = [*config.get("static_children", [])]
        children += [config["child"].format(i=i) for i in range(1, config.get("children", 6) + 1)]
        locs = "".join(f"<sitemap><loc>{base}{child}</loc></sitemap>\n" for child in children)
        ns = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        return 200, XML, [header, ns, locs, "</sitemapindex>\n"]
    i = int(groups["i"])
    if not 1 <= i <= config.get("children", 6):
        return 404, XML, [header, "<error/>"]

    def chunks() -> Iterator[str]:
        yield header + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        first = (i - 1) * per_child
        for start in range(first, first + per_child, CHUNK_LINKS):
            stop = min(start + CHUNK_LINKS, first + per_child)
            yield "".join(
                f"<url><loc>{base}{config['loc'].format(n=n)}</loc><lastmod>2019-01-01</lastmod></url>\n"
                for n in range(start, stop)
            )
        yield "</urlset>\n"

    return 200, XML, chunks()


def status_page(server: SitesServer, config: dict[str, Any], groups: dict[str, str], params: dict[str, str]):
    """A fixed status (robots.txt answering 500, a 429 with Retry-After...) with its headers and a short body."""
    headers = {"Content-Type": "text/plain; charset=utf-8", **config.get("headers", {})}
    return config["status"], headers, [config.get("body", "")]


GENERATORS = {
    "calendar": calendar_page,
    "paging": paging_page,
    "linkfarm": linkfarm_page,
    "many_links": many_links_page,
    "stub": stub_page,
    "huge_sitemap": huge_sitemap,
    "status": status_page,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", help="a site directory (tests/fixtures/sites/NAME) or a corpus site name")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--rewrite-live", action="store_true", help="serve live-domain URLs as this server's")
    args = parser.parse_args(argv)
    directory = Path(args.site) if Path(args.site).is_dir() else SITES / args.site
    server = SitesServer(directory, port=args.port, rewrite_live=args.rewrite_live, verbose=True)
    print(f"serving {directory} on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print(json.dumps({"requests": sum(server.requests.values()), "trap_hits": server.trap_hits}))


if __name__ == "__main__":
    main()
