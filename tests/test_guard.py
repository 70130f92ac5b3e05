"""Nights on a mirror that guard the data: a redesign that turns every article into a paywalled teaser is held back
(exit 11) and can be published after review, an ordinary edit still comes out as version n+1, and a corrupt state
is rebuilt from the published output so that versions never go backwards. Real crawls, side by side."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
from conftest import REPO, CrawlRun, Golden, golden_files, mirror_site, run_crawl
from processes import side_by_side

from newsspider.crawl.extensions import ExitCode
from newsspider.mirror import MirrorServer

pytestmark = pytest.mark.crawl

#: The mirror the guard's thresholds were tried on while building it; UNSEEN was first crawled by these tests.
MIRROR = "eureporter"
UNSEEN = "eureporter_blind3"
INLINE = ("-s", "NEWSSPIDER_EXTRACT_WORKERS=0")
LATER = "2030-01-01T00:00:00+00:00"


@dataclass
class Nights:
    """One site's nights: each crawl, each run's own summary, and anything else the assertions need."""

    tmp: Path
    site: Path
    runs: list[CrawlRun] = field(default_factory=list)
    summaries: list[dict | None] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def output(self) -> Path:
        return self.tmp / "output"

    @property
    def state(self) -> Path:
        return self.tmp / "state"

    def night(self, *extra: str) -> CrawlRun:
        before = set(self.output.glob("*/*.summary.json"))
        server = MirrorServer(self.site)
        server.start_in_background()
        try:
            run = run_crawl(server.url + "/", self.output, self.state, *INLINE, *extra, timeout=150)
        finally:
            server.shutdown()
            server.server_close()
        new = sorted(set(self.output.glob("*/*.summary.json")) - before)
        self.runs.append(run)
        self.summaries.append(json.loads(new[-1].read_text()) if new else None)
        return run

    def summary(self, index: int) -> dict:
        summary = self.summaries[index]
        assert summary is not None, self.runs[index].stderr[-3000:]
        return summary

    def published(self) -> list[dict]:
        """Every record of every published run file (what the README's recipes read)."""
        return [
            json.loads(line)
            for path in sorted((self.output / "eureporter").glob("*.jsonl"))
            if not path.name.endswith((".rejects.jsonl", ".suspect.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
        ]


def newsspider(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsspider.cli", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def export(nights: Nights) -> dict[str, dict]:
    target = nights.tmp / f"export-{len(os.listdir(nights.tmp))}.jsonl"
    result = newsspider("export", "--output-dir", str(nights.output), "--format", "jsonl", "--to", str(target))
    assert result.returncode == 0, result.stderr
    return {r["canonical_url"]: r for r in map(json.loads, target.read_text(encoding="utf-8").splitlines())}


# --- what happens to the mirror between nights ---------------------------------------------------------------


def _copy(mirror: str, tmp: Path) -> Path:
    site = tmp / "site"
    shutil.copytree(mirror_site(mirror), site)
    return site


def _prose(tree: lxml.html.HtmlElement) -> tuple[lxml.html.HtmlElement, list[lxml.html.HtmlElement]]:
    """The element holding the article's paragraphs, and those paragraphs."""

    def paragraphs(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
        return [child for child in element if child.tag == "p" and len(child.text_content().strip()) > 40]

    container = max(tree.iter("div", "section", "article", "main"), key=lambda element: len(paragraphs(element)))
    return container, paragraphs(container)


def _rewrite(golden: Golden, change: Callable[[lxml.html.HtmlElement], None]) -> None:
    raw = golden.html_path.read_text(encoding="utf-8")
    doctype = "<!DOCTYPE html>\n" if raw.lstrip().lower().startswith("<!doctype") else ""
    tree = lxml.html.fromstring(raw)
    change(tree)
    golden.html_path.write_text(doctype + lxml.html.tostring(tree, encoding="unicode"), encoding="utf-8")


def _fragment(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


def move_lastmods(site: Path, paths: list[str] | None = None, when: str = LATER) -> None:
    """Every sitemap lastmod (or those of `paths`) moved to `when`, as a CMS does after a redesign."""
    for sitemap in site.rglob("*.xml"):
        text = sitemap.read_text(encoding="utf-8")
        if paths is None:
            moved = re.sub(r"<lastmod>[^<]*</lastmod>", f"<lastmod>{when}</lastmod>", text)
        else:
            moved = text
            for path in paths:
                pattern = rf"(<loc>[^<]*{re.escape(path)}</loc>\s*<lastmod>)[^<]*(</lastmod>)"
                moved = re.sub(pattern, rf"\g<1>{when}\g<2>", moved)
        if moved != text:
            sitemap.write_text(moved, encoding="utf-8")


def redesign(site: Path, mirror: str) -> None:
    """Every article page becomes a paywalled teaser (the first paragraph, cut) with "Recent Posts" teasers of other
    stories appended inside the article, and every sitemap lastmod moves."""
    goldens = golden_files(mirror)
    for golden in goldens:
        golden.html_path = site / golden.html_path.relative_to(mirror_site(mirror))
        others = [g for g in goldens if g.name != golden.name][:5]

        def teaser(tree: lxml.html.HtmlElement, golden: Golden = golden, others: list[Golden] = others) -> None:
            body = {" ".join(p.split()) for p in golden.expected["body"].split("\n\n")}
            prose = [
                e for e in tree.iter("p", "h2", "h3", "li", "blockquote") if " ".join(e.text_content().split()) in body
            ]
            first = next(e for e in prose if e.tag == "p")
            for element in prose:  # the whole article text goes, but for its first paragraph
                if element is not first and element.getparent() is not None:
                    element.getparent().remove(element)
            text = first.text_content().strip()
            for child in list(first):
                first.remove(child)
            first.text = text[:160].rsplit(" ", 1)[0] + "…"
            container = first.getparent()
            container.append(
                _fragment(
                    '<div class="article-paywall"><p>This story is for subscribers. Subscribe now to keep reading: '
                    "unlimited access to every article from €1 a month.</p></div>"
                )
            )
            posts = "".join(
                f'<article class="recent-post"><h3><a href="{o.expected["url"]}">{o.expected["headline"]}</a></h3>'
                f"<p>{o.expected['body'].split(chr(10))[0][:220]}</p></article>"
                for o in others
            )
            container.append(_fragment(f'<section class="recent-posts"><h2>Recent Posts</h2>{posts}</section>'))

        _rewrite(golden, teaser)
    move_lastmods(site)


def edited(site: Path, mirror: str, when: str = "Friday") -> tuple[list[str], list[Golden]]:
    """An ordinary night of edits: a paragraph added to one article, one removed from another; their lastmods move."""
    goldens = [g for g in golden_files(mirror) if _has_lastmod(site, g)][:2]
    for golden in goldens:
        golden.html_path = site / golden.html_path.relative_to(mirror_site(mirror))
    added, removed = goldens

    def add(tree: lxml.html.HtmlElement) -> None:
        container, paragraphs = _prose(tree)
        update = _fragment(
            f"<p>Update: in a statement issued late on {when}, the Commission said it would publish its own "
            "assessment of the agreement before the end of the month.</p>"
        )
        container.insert(container.index(paragraphs[1]) + 1, update)

    def remove(tree: lxml.html.HtmlElement) -> None:
        container, paragraphs = _prose(tree)
        container.remove(paragraphs[2])

    _rewrite(added, add)
    _rewrite(removed, remove)
    paths = [_path(g) for g in goldens]
    move_lastmods(site, paths)
    return paths, goldens


def _path(golden: Golden) -> str:
    return "/" + golden.expected["url"].split("://", 1)[1].split("/", 1)[1]


def _has_lastmod(site: Path, golden: Golden) -> bool:
    pattern = re.compile(rf"<loc>[^<]*{re.escape(_path(golden))}</loc>\s*<lastmod>")
    return any(pattern.search(p.read_text(encoding="utf-8")) for p in site.rglob("*.xml"))


# --- scenarios ----------------------------------------------------------------------------------------------


def redesign_nights(mirror: str, *, publish: bool) -> Callable[[Path], Nights]:
    def scenario(tmp: Path) -> Nights:
        nights = Nights(tmp, _copy(mirror, tmp))
        nights.night()
        nights.notes["good"] = {r["canonical_url"]: r["content_hash"] for r in nights.published()}
        redesign(nights.site, mirror)
        nights.night()
        nights.notes["after_redesign"] = nights.published()
        nights.notes["export_after_redesign"] = export(nights)
        if publish:
            suspects = sorted((nights.output / "eureporter").glob("*.suspect.jsonl"))
            nights.notes["suspect_lines"] = [json.loads(x) for p in suspects for x in p.read_text().splitlines()]
            nights.notes["publish"] = [
                newsspider("publish-suspect", str(p), "--state-dir", str(nights.state)) for p in suspects
            ]
            nights.notes["export_after_publish"] = export(nights)
            nights.night()  # the site stays redesigned: the published teasers are its new normal
        else:
            nights.night("-s", "NEWSSPIDER_GUARD_ACCEPT=1")  # or the operator accepts the next night as it comes
        return nights

    return scenario


def edit_then_corrupt_state_nights(tmp: Path) -> Nights:
    """Night 1; an ordinary edit, night 2 (version 2); another edit, then the state is damaged (random bytes, a
    directory in its place; a store cut in half is in the unit tests), night 3 on each damaged copy."""
    nights = Nights(tmp, _copy(MIRROR, tmp))
    nights.night()
    paths, _ = edited(nights.site, MIRROR)
    nights.night()
    nights.notes["after_edit"] = nights.published()
    edited(nights.site, MIRROR, when="Monday")  # the same two articles change again: version 3 is due
    move_lastmods(nights.site, paths, "2031-01-01T00:00:00+00:00")
    damaged = {}
    for damage in DAMAGES:
        copy = Nights(tmp / damage, nights.site)
        shutil.copytree(nights.output, copy.output)
        shutil.copytree(nights.state, copy.state)
        store = copy.state / "eureporter.sqlite3"
        with sqlite3.connect(store) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for companion in ("-wal", "-shm"):
            store.with_name(store.name + companion).unlink(missing_ok=True)
        if damage == "random_bytes":
            store.write_bytes(os.urandom(store.stat().st_size))
        else:
            store.unlink()
            store.mkdir()
        damaged[damage] = copy
    with ThreadPoolExecutor(max_workers=len(DAMAGES)) as pool:
        for copy in damaged.values():
            pool.submit(copy.night)
    nights.notes["damaged"] = damaged
    nights.notes["paths"] = paths
    return nights


DAMAGES = ("random_bytes", "directory")
SCENARIOS: dict[str, Callable[[Path], Nights]] = {
    "redesign": redesign_nights(MIRROR, publish=True),
    "redesign_unseen": redesign_nights(UNSEEN, publish=False),
    "edit_then_corrupt_state": edit_then_corrupt_state_nights,
}


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Nights]:
    return side_by_side(SCENARIOS, tmp_path_factory)


# --- a redesign night -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["redesign", "redesign_unseen"])
def test_redesign_night_publishes_no_shell_and_exits_11(scenarios: dict[str, Nights], name: str) -> None:
    nights = scenarios[name]
    first, second = nights.runs[:2]
    assert first.returncode == ExitCode.OK, first.stderr[-3000:]
    assert second.returncode == ExitCode.QUALITY_DROP, second.stderr[-3000:]
    good = nights.notes["good"]
    assert {r["canonical_url"]: r["content_hash"] for r in nights.notes["after_redesign"]} == good  # nothing new
    summary = nights.summary(1)
    assert summary["guard"]["drops"], summary
    assert summary["exit_status"] == "quality_drop"
    assert "Traceback" not in second.stderr


@pytest.mark.parametrize("name", ["redesign", "redesign_unseen"])
def test_export_keeps_the_good_versions_after_a_redesign_night(scenarios: dict[str, Nights], name: str) -> None:
    nights = scenarios[name]
    exported = nights.notes["export_after_redesign"]
    assert {url: r["content_hash"] for url, r in exported.items()} == nights.notes["good"]


def test_held_back_records_name_their_reasons(scenarios: dict[str, Nights]) -> None:
    nights = scenarios["redesign"]
    lines = nights.notes["suspect_lines"]
    summary = nights.summary(1)
    assert len(lines) == summary["articles"]["held_back"] == summary["guard"]["held_back"]
    for line in lines:
        assert line["reasons"] and all(isinstance(reason, str) for reason in line["reasons"])
        assert line["record"]["version"] == 2


def test_publish_suspect_publishes_them_as_the_next_versions(scenarios: dict[str, Nights]) -> None:
    nights = scenarios["redesign"]
    results = nights.notes["publish"]
    assert results and all(r.returncode == 0 for r in results), [r.stderr for r in results]
    held = {line["record"]["canonical_url"]: line["record"] for line in nights.notes["suspect_lines"]}
    exported = nights.notes["export_after_publish"]
    for url, record in held.items():
        assert exported[url]["content_hash"] == record["content_hash"]
        assert exported[url]["version"] == 2
        assert exported[url]["previous_content_hash"] == nights.notes["good"][url]
    assert not list((nights.output / "eureporter").glob("*.suspect.jsonl"))  # renamed *.published


def test_after_publishing_the_redesign_is_the_new_normal(scenarios: dict[str, Nights]) -> None:
    nights = scenarios["redesign"]
    third = nights.runs[2]
    assert third.returncode == ExitCode.OK, third.stderr[-3000:]
    assert nights.summary(2)["articles"]["written"] == 0
    assert not nights.summary(2)["guard"]["drops"]


def test_a_night_accepted_by_setting_publishes_what_the_guard_held_back(scenarios: dict[str, Nights]) -> None:
    nights = scenarios["redesign_unseen"]
    third = nights.runs[2]
    assert third.returncode == ExitCode.OK, third.stderr[-3000:]
    held = nights.summary(1)["articles"]["held_back"]
    assert held and nights.summary(2)["articles"]["updated"] == held  # the held-back articles, fetched again
    assert nights.summary(2)["guard"]["drops"] == []


# --- an ordinary night of edits ------------------------------------------------------------------------------


def test_an_ordinary_edit_still_comes_out_as_the_next_version(scenarios: dict[str, Nights]) -> None:
    nights = scenarios["edit_then_corrupt_state"]
    second = nights.runs[1]
    assert second.returncode == ExitCode.OK, second.stderr[-3000:]
    newest = [r for r in nights.notes["after_edit"] if r["version"] == 2]
    assert sorted("/" + r["url"].split("/", 3)[3] for r in newest) == sorted(nights.notes["paths"])
    summary = nights.summary(1)
    assert summary["articles"]["updated"] == 2 and summary["articles"]["held_back"] == 0
    assert summary["guard"]["drops"] == []


# --- a corrupt state ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_corrupt_state_is_rebuilt_and_versions_go_on(scenarios: dict[str, Nights], damage: str) -> None:
    nights = scenarios["edit_then_corrupt_state"]
    copy: Nights = nights.notes["damaged"][damage]
    (third,) = copy.runs
    assert third.returncode == ExitCode.STATE_CORRUPT, third.stderr[-3000:]
    assert "rebuilt from the published runs" in third.stderr
    records = copy.published()
    versions: dict[str, list[int]] = {}
    for record in records:
        versions.setdefault(record["canonical_url"], []).append(record["version"])
    edited_urls = {url for url in versions if any(url.endswith(p) for p in nights.notes["paths"])}
    assert len(edited_urls) == 2
    assert all(versions[url] == [1, 2, 3] for url in edited_urls), versions  # not 1, 2, 3, 1
    assert all(v == [1] for url, v in versions.items() if url not in edited_urls)  # nothing re-emitted
    assert list(copy.state.glob("eureporter.sqlite3.corrupt-*"))  # kept for inspection, not silently replaced
    summary = copy.summary(0)
    assert summary["state"]["rebuilt"] and summary["exit_status"] == "state_corrupt"
