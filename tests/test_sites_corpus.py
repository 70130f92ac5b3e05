"""The news-site corpus is sound: pages parse, every expected record points at a real page that says what it
claims, every page is classified, articles are reachable by each site's intended discovery path (checked by a
small independent walker, not the project's crawler), internal links are alive and the traps really are endless.

Held-out corpora in the same format can be checked too: `NEWSSPIDER_SITES_DIRS=/path/a:/path/b pytest ...`.
"""

from __future__ import annotations

import html as htmllib
import http.client
import json
import os
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from lxml import etree, html
from protego import Protego

from tests.sites_server import SITES, Site, SitesServer, Trap

CORPORA = [SITES, *(Path(p) for p in os.environ.get("NEWSSPIDER_SITES_DIRS", "").split(os.pathsep) if p)]
RECORD_FIELDS = {"url", "headline", "authors", "published", "first_paragraph", "last_paragraph", "language"}
ISO_DAY = r"\d{4}-\d{2}-\d{2}"
ISO_PUBLISHED = re.compile(rf"^{ISO_DAY}(T\d{{2}}:\d{{2}}:\d{{2}}[+-]\d{{2}}:\d{{2}})?$")
ALL_SOURCES = ("robots", "sitemap", "feed", "alternate", "html")
MEDIA = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|mp3|mp4|css|js|ico|woff2?)$", re.IGNORECASE)


def corpus_entries() -> list[tuple[Path, dict]]:
    entries = []
    for corpus in CORPORA:
        index = json.loads((corpus / "index.json").read_text(encoding="utf-8"))
        entries += [(corpus / entry["name"], entry) for entry in index["sites"]]
    return entries


ENTRIES = corpus_entries()
SITE_IDS = [entry["name"] for _, entry in ENTRIES]


def expected_records(directory: Path) -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((directory / "expected").glob("*.json"))
        if path.name not in ("non_articles.json", "duplicates.json")
    ]


def listed(directory: Path, name: str, default: object) -> object:
    path = directory / "expected" / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(document: html.HtmlElement) -> str:
    for element in document.xpath("//script|//style|//noscript"):
        element.drop_tree()
    return squash(document.text_content())


@pytest.fixture(params=ENTRIES, ids=SITE_IDS)
def site_entry(request: pytest.FixtureRequest) -> tuple[Path, dict]:
    return request.param


@pytest.fixture
def server(site_entry: tuple[Path, dict]) -> Iterator[SitesServer]:
    running = SitesServer(site_entry[0])
    running.start_in_background()
    yield running
    running.shutdown()
    running.server_close()


# --- a tiny independent walker -------------------------------------------------------------------------------


@dataclass
class Walk:
    fetched: dict[str, int] = field(default_factory=dict)  # URL (path?query) -> status
    files: set[Path] = field(default_factory=set)  # static files answered with 200
    dead: set[tuple[str, str]] = field(default_factory=set)  # (page, link) internal links answering 404
    trap_pages: Counter[str] = field(default_factory=Counter)
    fallbacks: set[str] = field(default_factory=set)  # URLs whose query the site ignored (served the bare path)


def fetch(server: SitesServer, url: str, limit: int = 8 << 20) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=30)
    connection.request("GET", url)
    response = connection.getresponse()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read(limit)
    connection.close()
    return result


def local(url: str, base: str, domain: str | None) -> str | None:
    """A link as this site's path?query, or None when it leaves the site."""
    absolute = urljoin(base, url.strip())
    parts = urlsplit(absolute)
    own = {"127.0.0.1", "localhost"} | ({urlsplit(domain).hostname} if domain else set())
    if parts.scheme not in ("http", "https") or parts.hostname not in own:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_of(body: bytes, content_type: str, sources: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(kind, href) pairs: kind 'a' for anchors (dead-link checked), 'src' for other discovery sources."""
    text = body.lstrip()
    if "xml" in content_type or text.startswith(b"<?xml"):
        root = etree.fromstring(body, etree.XMLParser(recover=True, huge_tree=True))
        tag = etree.QName(root).localname
        if tag in ("sitemapindex", "urlset") and "sitemap" in sources:
            yield from (("src", loc.text or "") for loc in root.iter("{*}loc"))
        if tag == "rss" and "feed" in sources:
            yield from (("src", link.text or "") for link in root.iter("link") if link.getparent().tag == "item")
        if tag == "feed" and "feed" in sources:
            for link in root.iter("{http://www.w3.org/2005/Atom}link"):
                if link.getparent().tag.endswith("entry") and link.get("rel", "alternate") == "alternate":
                    yield "src", link.get("href", "")
        return
    if "html" not in content_type:
        return
    document = html.fromstring(body)
    if "html" in sources:
        yield from (("a", a.get("href")) for a in document.iter("a") if a.get("href"))
    if "alternate" in sources or "html" in sources:
        for link in document.xpath("//link[@rel='alternate'][@type][@href]"):
            if any(kind in link.get("type") for kind in ("rss", "atom")):
                yield "src", link.get("href")
    if "html" in sources:
        yield from (("src", link.get("href")) for link in document.xpath("//link[@rel='alternate'][@hreflang]"))
        yield from (("src", link.get("href")) for link in document.xpath("//link[@rel='amphtml'][@href]"))
        yield from (("src", link.get("href")) for link in document.xpath("//link[@rel='alternate'][@media][@href]"))


def walk(
    server: SitesServer,
    entries: list[str],
    sources: tuple[str, ...],
    *,
    per_trap: int = 3,
    per_page: int = 2000,
    limit: int = 3000,
) -> Walk:
    """Breadth-first from the entries, obeying robots.txt, taking at most `per_page` links a page and
    `per_trap` pages of each declared trap, so that it stays small on the hostile sites."""
    site, result = server.site, Walk()
    status, _, robots_body = fetch(server, "/robots.txt")
    robots = Protego.parse(robots_body.decode("utf-8", "replace") if status == 200 else "")
    disallow_all = status >= 500
    queue: deque[tuple[str, str | None]] = deque((entry, None) for entry in entries)
    while queue and len(result.fetched) < limit:
        url, referrer = queue.popleft()
        url = url.split("#", 1)[0]
        if (
            MEDIA.search(url.partition("?")[0])
            or url in result.fetched
            or disallow_all
            or not robots.can_fetch(server.url + url, "newsspider")
        ):
            continue
        path, _, query = url.partition("?")
        trap = next((t.name for t in site.traps if t.match(path, dict(_qsl(query))) is not None), None)
        static = site.static_file(path, query)
        if trap and not static:
            if result.trap_pages[trap] >= per_trap:
                continue
            result.trap_pages[trap] += 1
        elif not static and query:
            static = site.static_file(path, "")
            if static:
                result.fallbacks.add(url)
        status, headers, body = fetch(server, url)
        result.fetched[url] = status
        if status == 404 and referrer:
            result.dead.add((referrer, url))
        if status in (301, 302) and headers.get("location"):
            queue.append((local(headers["location"], server.url + url, site.live_domain) or "", None))
            continue
        if status != 200:
            continue
        if static:
            result.files.add(static)
        for kind, href in islice(links_of(body, headers.get("content-type", ""), sources), per_page):
            target = local(href, server.url + url, site.live_domain)
            if target is not None and target not in result.fetched:
                queue.append((target, url if kind == "a" else None))
        if url == "/robots.txt" and "robots" in sources:
            queue.extend((local(s, server.url, site.live_domain) or "", None) for s in robots.sitemaps)
    return result


def _qsl(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


# --- the checks -------------------------------------------------------------------------------------------------


def test_index_lists_every_site_directory() -> None:
    for corpus in CORPORA:
        index = json.loads((corpus / "index.json").read_text(encoding="utf-8"))
        on_disk = {p.parent.name for p in corpus.glob("*/site")}
        assert {entry["name"] for entry in index["sites"]} == on_disk
        for entry in index["sites"]:
            assert {"name", "root", "domain", "shape", "languages", "discovery", "kind"} <= entry.keys()


def test_every_html_page_and_template_parses_without_errors(site_entry: tuple[Path, dict]) -> None:
    directory = site_entry[0]
    pages = [*directory.glob("site/**/*.html"), *directory.glob("templates/*.html")]
    assert pages
    for path in pages:
        parser = etree.HTMLParser()
        root = etree.fromstring(path.read_bytes(), parser)
        assert root is not None and root.find("body") is not None, path
        assert [str(e) for e in parser.error_log] == [], path


def test_every_xml_file_parses(site_entry: tuple[Path, dict]) -> None:
    for path in site_entry[0].glob("site/**/*.xml"):
        etree.fromstring(path.read_bytes())


def test_expected_records_point_at_pages_that_say_what_they_claim(site_entry: tuple[Path, dict]) -> None:
    directory, entry = site_entry
    site = Site(directory)
    records = expected_records(directory)
    assert len(records) == entry["articles"] and records
    for record in records:
        assert set(record) >= RECORD_FIELDS, record["url"]
        path, _, query = record["url"].partition("?")
        page = site.static_file(path, query)
        assert page is not None, record["url"]
        raw = page.read_text(encoding="utf-8")
        document = html.fromstring(raw)
        text = page_text(html.fromstring(raw))
        assert record["headline"] in text, record["url"]
        assert squash(record["first_paragraph"]) in text and squash(record["last_paragraph"]) in text, record["url"]
        unescaped = htmllib.unescape(raw)
        assert record["authors"] and all(name in unescaped for name in record["authors"]), record["url"]
        assert ISO_PUBLISHED.match(record["published"]), record["url"]
        assert record["published"][:4] in raw, record["url"]
        declared = document.get("lang") or document.get("xml:lang") or ""
        assert record["language"] == declared.split("-")[0].lower(), record["url"]
        assert record["language"] in entry["languages"], record["url"]


def test_every_page_is_an_article_a_duplicate_or_a_listed_non_article(site_entry: tuple[Path, dict]) -> None:
    directory = site_entry[0]
    site = Site(directory)
    articles = [r["url"] for r in expected_records(directory)]
    others = [*listed(directory, "non_articles.json", []), *listed(directory, "duplicates.json", {})]
    classified = Counter(site.static_file(*url.partition("?")[::2]) for url in articles + others)
    assert None not in classified, "a listed path has no page"
    assert [f for f, n in classified.items() if n > 1] == [], "a page is listed twice"
    pages = set(directory.glob("site/**/index.html")) | set(directory.glob("site/**/*.html"))
    assert pages == {f for f in classified if f.suffix == ".html"}
    duplicates = listed(directory, "duplicates.json", {})
    assert set(duplicates.values()) <= set(articles)


def test_articles_are_reachable_by_the_intended_discovery_path(server: SitesServer, site_entry) -> None:
    directory, entry = site_entry
    discovery = entry["discovery"]
    if entry.get("robots") in ("disallow-all", "error-500"):
        pytest.skip("nothing may be fetched on this site")
    result = walk(server, discovery["entry"], tuple(discovery["follow"]))
    site = server.site
    missing = [
        r["url"]
        for r in expected_records(directory)
        if site.static_file(*r["url"].partition("?")[::2]) not in result.files
    ]
    assert missing == []


def test_articles_hidden_from_other_paths_stay_hidden(server: SitesServer, site_entry) -> None:
    """A site's README claim "reachable only through X" holds: walking without X does not find them."""
    directory, entry = site_entry
    rule = entry.get("not_reachable")
    if not rule:
        pytest.skip("no hidden articles on this site")
    urls = [r["url"] for r in expected_records(directory)] if rule["articles"] == "*" else rule["articles"]
    assert urls
    result = walk(server, rule["entry"], tuple(rule["follow"]))
    assert result.fetched, "the walk fetched nothing"
    assert [url for url in urls if server.site.static_file(*url.partition("?")[::2]) in result.files] == []


def test_a_full_walk_reaches_every_page_without_dead_links(server: SitesServer, site_entry) -> None:
    directory, entry = site_entry
    if entry.get("robots") in ("disallow-all", "error-500"):
        fetched = walk(server, ["/", "/robots.txt"], ALL_SOURCES).files
        assert {page.name for page in fetched} <= {"robots.txt"}
        return
    result = walk(server, ["/robots.txt", "/", *entry["discovery"]["entry"]], ALL_SOURCES)
    allowed_dead = set(entry.get("dead_links", []))
    assert sorted(result.fallbacks - set(listed(directory, "duplicates.json", {}))) == [], "unlisted duplicates"
    assert sorted(link for _, link in result.dead if link.split("?")[0] not in allowed_dead) == []
    robots_file = directory / "site" / "robots.txt"
    robots = Protego.parse(robots_file.read_text(encoding="utf-8") if robots_file.exists() else "")
    listed_urls = [r["url"] for r in expected_records(directory)]
    listed_urls += [*listed(directory, "non_articles.json", []), *listed(directory, "duplicates.json", {})]
    unreached = [
        url
        for url in listed_urls
        if robots.can_fetch(server.url + url, "newsspider")
        and server.site.static_file(*url.partition("?")[::2]) not in result.files
    ]
    assert unreached == []


def trap_start(trap: Trap) -> str:
    config = trap.config
    if trap.kind == "calendar":
        return config["pattern"].format(year="2024", month="05", day="14")
    if trap.kind == "paging":
        return f"{config['path']}?{config['param']}={config.get('generated_from', 50)}"
    if trap.kind == "linkfarm":
        return config["pattern"].format(n=1, slug="seed")
    return config.get("path") or config.get("index") or config["pattern"].format(n=7, i=1, slug="x")


def rel_links(body: bytes, rel: str) -> list[str]:
    return html.fromstring(body).xpath(f"//a[@rel='{rel}']/@href")


def test_traps_are_endless_and_statuses_are_what_they_declare(server: SitesServer, site_entry) -> None:
    traps = server.site.traps
    if not traps:
        pytest.skip("no traps on this site")
    for trap in traps:
        start = trap_start(trap)
        if trap.kind in ("calendar", "paging"):
            for rel in ("next", "prev") if trap.kind == "calendar" else ("next",):
                seen, url = set(), start
                for _ in range(60):
                    status, _, body = fetch(server, url)
                    assert status == 200 and url not in seen, (trap.name, url)
                    seen.add(url)
                    url = local(rel_links(body, rel)[0], server.url + url, None)
        elif trap.kind == "linkfarm":
            queue, seen = deque([start]), set()
            while queue and len(seen) < 100:
                url = queue.popleft()
                status, _, body = fetch(server, url)
                assert status == 200, url
                seen.add(url)
                queue.extend(h for h in html.fromstring(body).xpath("//aside//a/@href") if h not in seen)
            assert len(seen) == 100 and queue, trap.name
        elif trap.kind == "many_links":
            status, _, body = fetch(server, start, limit=1 << 30)
            assert status == 200 and body.count(b"<a href=") >= trap.config.get("count", 500_000)
        elif trap.kind == "huge_sitemap":
            status, _, body = fetch(server, start)
            locs = re.findall(r"<loc>([^<]+)</loc>", body.decode())
            children = [local(loc, server.url, server.site.live_domain) for loc in locs]
            total = sum(fetch(server, child, limit=1 << 30)[2].count(b"<loc>") for child in children)
            assert status == 200 and total >= trap.config["children"] * trap.config["per_child"]
        elif trap.kind == "status":
            status, headers, _ = fetch(server, start)
            assert status == trap.config["status"]
            assert all(headers[k.lower()] == v for k, v in trap.config.get("headers", {}).items())
        else:
            assert fetch(server, start)[0] == 200, trap.name
    assert sum(server.trap_hits.values()) > 0


# --- the server itself -----------------------------------------------------------------------------------------


@pytest.fixture
def arc_server() -> Iterator[SitesServer]:
    running = SitesServer.for_site("arc-tribune", rewrite_live=True)
    running.start_in_background()
    yield running
    running.shutdown()
    running.server_close()


def test_server_rewrites_the_live_domain_to_its_own_origin_when_asked(arc_server: SitesServer) -> None:
    status, _, body = fetch(arc_server, "/robots.txt")
    assert status == 200 and arc_server.url.encode() in body and b"lakeshoretribune.com" not in body


def test_a_query_page_is_found_whatever_the_order_and_encoding_of_its_parameters(arc_server: SitesServer) -> None:
    spellings = ["?outputType=xml&from=0", "?from=0&outputType=xml", "?outputType=xml&from=%30"]
    bodies = {fetch(arc_server, "/arc/outboundfeeds/sitemap/" + query)[2] for query in spellings}
    assert len(bodies) == 1 and b"<urlset" in bodies.pop()
    assert arc_server.requests["/arc/outboundfeeds/sitemap/"] == 3
    assert arc_server.requests_by_url["/arc/outboundfeeds/sitemap/?from=0&outputType=xml"] == 1


def test_trap_pages_are_counted_per_trap_and_answer_head_without_a_body() -> None:
    server = SitesServer.for_site("listings-rundschau")
    server.start_in_background()
    try:
        for month in ("01", "02", "03"):
            assert fetch(server, f"/kalender/2031/{month}/")[0] == 200
        host, port = server.server_address[:2]
        connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
        connection.request("HEAD", "/region/?page=99")
        response = connection.getresponse()
        assert response.status == 200 and response.read() == b""
        connection.close()
        assert server.trap_hits == Counter({"termine-kalender": 3})
    finally:
        server.shutdown()
        server.server_close()
