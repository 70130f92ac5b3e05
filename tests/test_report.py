"""`newsspider report`: one self-contained page, opened in real headless Chromium: no script error, every plot drawn."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from night_files import article, summary, write_night

from newsspider.cli import main
from newsspider.report.figures import FIGURES
from newsspider.state.sqlite import SqliteState

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    """Headless Chromium driven over the DevTools protocol (websocket-client); events kept for inspection."""

    def __init__(self, profile: Path) -> None:
        import websocket

        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.events: list[dict[str, Any]] = []
        self._id = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        self.socket.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(event)
            self.events.append(json.loads(self.socket.recv()))

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(json.dumps(params["exceptionDetails"])[:300])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
                found.append(json.dumps(params.get("args"))[:300])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", "")[:300])
        return found

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        if getattr(self, "socket", None) is not None:
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[Chromium]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium); the report is not opened")
    browser = Chromium(tmp_path / "chromium-profile")
    yield browser
    browser.close()


# Each plot div must hold plotly's drawing (an <svg class="main-svg">) with at least one drawn layer.
PLOTS_DRAWN = """(() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return {plots: plots.length,
          drawn: plots.filter(p => p.querySelector('svg.main-svg') && p.querySelectorAll('svg *').length > 20).length,
          titles: plots.map(p => (p.querySelector('.gtitle') || {}).textContent || ''),
          lines: document.querySelectorAll('.scatterlayer .trace').length,
          bars: document.querySelectorAll('.barlayer .trace').length,
          sites: [...document.querySelectorAll('section.site h2')].map(h => h.textContent)};
})()"""


def open_report(browser: Chromium, page: Path) -> dict[str, Any]:
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(f"{domain}.enable")
    browser.call("Page.navigate", url=page.resolve().as_uri())
    browser.wait_for("Page.loadEventFired")
    deadline = time.monotonic() + 30
    while True:
        state = browser.evaluate(PLOTS_DRAWN)
        if (state["plots"] and state["drawn"] == state["plots"]) or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def nights_of_two_sites(output_dir: Path, state_dir: Path) -> None:
    """Three nights of eureporter (the third after a redesign: no authors, no sections) and one of another site."""
    nights = [
        ("2024-03-07T02-00-00Z-101", "2024-03-07T02:00:00+00:00", {}, 0),
        ("2024-03-08T02-00-00Z-202", "2024-03-08T02:00:00+00:00", {"http_503": 4, "TimeoutError": 1}, 0),
        ("2024-03-09T02-00-00Z-303", "2024-03-09T02:00:00+00:00", {"http_503": 30}, 5),
    ]
    state = SqliteState(state_dir / "eureporter.sqlite3")
    for number, (run_id, started, errors, code) in enumerate(nights):
        redesigned = number == 2
        records = [
            article(
                f"story-{number}-{n}",
                published=f"2024-03-0{n + 1}",
                authors=[] if redesigned else ["Ion Rusu"],
                section=None if redesigned else ("Politics", "Economy", "Energy")[n % 3],
                body=" ".join(["word"] * (50 + 40 * n)),
                fetched_at=started,
            )
            for n in range(4)
        ]
        write_night(output_dir, run_id, records, **summary(started, new=4, errors=errors, code=code))
        for record in records:
            state.record_article(record)
    state.close()
    write_night(output_dir, "2024-03-09T03-00-00Z-404", [article("other-story", site="other")], site="other")
    (output_dir / "eureporter" / "2024-03-09T02-00-00Z-303.rejects.jsonl").write_text('{"not": "an article"}\n')


def test_report_opens_in_chromium_without_errors_and_draws_every_plot(tmp_path: Path, chromium: Chromium) -> None:
    nights_of_two_sites(tmp_path / "output", tmp_path / "state")
    page = tmp_path / "report.html"
    assert main(["report", "--output-dir", str(tmp_path / "output"), "--state-dir", str(tmp_path / "state"),
                 "--to", str(page)]) == 0  # fmt: skip
    state = open_report(chromium, page)
    assert chromium.errors() == []
    assert state["sites"] == ["eureporter", "other"]
    assert state["plots"] == len(FIGURES) * 2
    assert state["drawn"] == state["plots"]
    assert state["lines"] > 0 and state["bars"] > 0
    assert "Field coverage per run (share of records carrying it)" in state["titles"]
    assert all(url.startswith(("file:", "data:", "about:")) for url in chromium.requested_urls())


def test_report_of_one_site_shows_only_that_site(tmp_path: Path, chromium: Chromium) -> None:
    nights_of_two_sites(tmp_path / "output", tmp_path / "state")
    page = tmp_path / "report.html"
    assert main(["report", "--output-dir", str(tmp_path / "output"), "--site", "other", "--to", str(page)]) == 0
    state = open_report(chromium, page)
    assert chromium.errors() == []
    assert state["sites"] == ["other"]
    assert state["drawn"] == state["plots"] == len(FIGURES)


def test_coverage_shows_a_redesign_as_a_cliff(tmp_path: Path) -> None:
    from newsspider.report.data import read_site

    nights_of_two_sites(tmp_path / "output", tmp_path / "state")
    site = read_site(tmp_path / "output" / "eureporter", tmp_path / "state")
    assert [run.coverage("authors") for run in site.runs] == [1.0, 1.0, 0.0]
    assert [run.coverage("section") for run in site.runs] == [1.0, 1.0, 0.0]
    assert [run.coverage("published") for run in site.runs] == [1.0, 1.0, 1.0]
    assert [run.info["exit_code"] for run in site.runs] == [0, 0, 5]
    assert site.state is not None and site.state.articles == 12


def test_report_reads_the_state_store_without_writing_it(tmp_path: Path) -> None:
    nights_of_two_sites(tmp_path / "output", tmp_path / "state")
    before = {p.name: p.read_bytes() for p in (tmp_path / "state").iterdir()}
    status = main(["report", "--output-dir", str(tmp_path / "output"), "--state-dir", str(tmp_path / "state"),
                   "--to", str(tmp_path / "r.html")])  # fmt: skip
    assert status == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "state").iterdir()} == before


def test_report_is_one_self_contained_file_with_plotly_embedded_once(tmp_path: Path) -> None:
    nights_of_two_sites(tmp_path / "output", tmp_path / "state")
    page = tmp_path / "report.html"
    assert main(["report", "--output-dir", str(tmp_path / "output"), "--to", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") == len(FIGURES) * 2
    assert html.count("plotly.js v") == 1  # the library's banner: embedded once
    assert "<script src=" not in html and "cdn." not in html.split("</head>")[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "report.html", "state"]


def test_report_fails_in_one_line_on_an_unknown_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nights_of_two_sites(tmp_path / "output", tmp_path / "state")
    status = main(["report", "--output-dir", str(tmp_path / "output"), "--site", "nope", "--to", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "unknown site 'nope'" in err
    assert not (tmp_path / "r").exists()
