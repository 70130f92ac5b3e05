"""The report as one self-contained HTML page: plotly.js embedded once, every plot drawn in the browser, offline."""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape

from newsspider.report.data import SiteData
from newsspider.report.figures import FIGURES

RUNS_LISTED = 30
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px; color: #222; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } .meta { color: #666; margin-top: 0; }
section.site { border-top: 2px solid #ddd; margin-top: 2em; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 1em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; } .failed { color: #d62728; font-weight: bold; }
.facts li { margin: 0.2em 0; } .problem { color: #d62728; }
"""


def _facts(site: SiteData) -> str:
    items = [f"{len(site.articles)} articles (latest versions) from {sum(r.records for r in site.runs)} records"]
    items.append(f"{len(site.runs)} runs, {sum(1 for r in site.runs if r.info.get('exit_code', 0) != 0)} failed")
    if site.state:
        items.append(
            f"state store: {site.state.articles} articles known ({site.state.updated_articles} changed since "
            f"first seen), {site.state.urls} URLs"
        )
    lines = "".join(f"<li>{escape(item)}</li>" for item in items)
    problem = f'<p class="problem">{escape(site.state_problem)}</p>' if site.state_problem else ""
    return f'<ul class="facts">{lines}</ul>{problem}'


def _runs_table(site: SiteData) -> str:
    rows = []
    for run in site.runs[-RUNS_LISTED:][::-1]:
        info = run.info
        articles = info.get("articles", {})
        errors = sum((info.get("errors") or {}).values())
        code = info.get("exit_code")
        status = "no summary" if run.summary is None else f"{code} {info.get('exit_status', '')}"
        cells = [
            run.run_id,
            info.get("pages_fetched", ""),
            articles.get("new", ""),
            articles.get("updated", ""),
            run.records,
            errors if run.summary else "",
            info.get("duration_seconds", ""),
        ]
        css = ' class="failed"' if code not in (0, None) else ""
        rows.append("".join(f"<td>{escape(str(c))}</td>" for c in cells) + f"<td{css}>{escape(status)}</td>")
    head = "".join(
        f"<th>{h}</th>" for h in ("run", "pages", "new", "updated", "records", "errors", "seconds", "exit status")
    )
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _site_section(site: SiteData, index: int) -> str:
    plots = []
    for number, make in enumerate(FIGURES):
        figure = make(site)
        plots.append(
            figure.to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=f"plot-{index}-{number}",
                config={"displaylogo": False, "responsive": True},
            )
        )
    return (
        f'<section class="site" id="site-{escape(site.name)}"><h2>{escape(site.name)}</h2>{_facts(site)}'
        f'<div class="figures">{"".join(plots)}</div>'
        f"<h3>Latest runs</h3>{_runs_table(site)}</section>"
    )


def render(sites: list[SiteData]) -> str:
    """The whole page. Without any site it still renders, saying there is nothing to show."""
    from plotly.offline import get_plotlyjs

    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    names = ", ".join(f'<a href="#site-{escape(s.name)}">{escape(s.name)}</a>' for s in sites) or "none"
    sections = "".join(_site_section(site, index) for index, site in enumerate(sites))
    if not sites:
        sections = "<p>No site folder with runs yet.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newsspider report</title><style>{_STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
        f'<body><h1>newsspider report</h1><p class="meta">generated {generated}; sites: {names}</p>'
        f"{sections}</body></html>\n"
    )
