"""The report's plots (plotly), one function a question: what came in, how the nights went, what pages carried."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from newsspider.report.data import Run, SiteData, coverage_columns

if TYPE_CHECKING:
    import plotly.graph_objects as go

SECTIONS_SHOWN = 25
_OK_COLOUR, _FAILED_COLOUR, _UNKNOWN_COLOUR = "#2ca02c", "#d62728", "#7f7f7f"


def _figure(title: str, x_title: str, y_title: str) -> go.Figure:
    import plotly.graph_objects as go

    figure = go.Figure()
    figure.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
        height=380,
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.3},
    )
    return figure


def _note(figure: go.Figure, text: str) -> go.Figure:
    """An empty plot says why (no runs, no errors) instead of showing blank axes."""
    figure.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 16})
    return figure


def _started(runs: list[Run]) -> list[str]:
    return [run.started.isoformat() if run.started else run.run_id for run in runs]


_BAR_OF_A_DAY_MS = 0.8 * 86_400_000


def _date_axis(figure: go.Figure, moments: list[datetime], least_span: timedelta) -> go.Figure:
    """A date x axis at least `least_span` wide (one point alone would zoom in to milliseconds)."""
    figure.update_xaxes(type="date")
    if moments:
        first, last = min(moments), max(moments)
        if last - first < least_span:
            middle = first + (last - first) / 2
            figure.update_xaxes(range=[(middle - least_span / 2).isoformat(), (middle + least_span / 2).isoformat()])
    return figure


def _per_day(figure: go.Figure, counts: dict[str, int]) -> go.Figure:
    """Bars of counts per day (YYYY-MM-DD) on a date axis."""
    import plotly.graph_objects as go

    days = sorted(counts)
    figure.add_trace(go.Bar(x=days, y=[counts[d] for d in days], width=_BAR_OF_A_DAY_MS, name="articles"))
    return _date_axis(figure, [datetime.fromisoformat(d) for d in days], timedelta(days=8))


def _runs_axis(figure: go.Figure, runs: list[Run]) -> go.Figure:
    return _date_axis(figure, [run.started for run in runs if run.started], timedelta(days=2))


def articles_per_day(site: SiteData) -> go.Figure:
    figure = _figure("Articles per day published (latest versions)", "day", "articles")
    days = Counter(article.day for article in site.articles if article.day)
    return _per_day(figure, days) if days else _note(figure, "no dated articles yet")


def articles_first_crawled(site: SiteData) -> go.Figure:
    figure = _figure("Articles first crawled per day (state store)", "day (UTC)", "articles")
    if site.state is None:
        return _note(figure, site.state_problem or "no state store for this site")
    seen = site.state.first_seen_per_day
    return _per_day(figure, seen) if seen else _note(figure, "no articles in the state store yet")


def articles_per_section(site: SiteData) -> go.Figure:
    import plotly.graph_objects as go

    figure = _figure("Articles per section", "articles", "")
    sections = Counter(article.section or "(none)" for article in site.articles)
    shown = sections.most_common(SECTIONS_SHOWN)
    rest = sum(sections.values()) - sum(count for _, count in shown)
    if rest:
        shown.append((f"({len(sections) - len(shown)} other sections)", rest))
    if not shown:
        return _note(figure, "no articles yet")
    shown.reverse()  # largest on top
    figure.add_trace(go.Bar(x=[c for _, c in shown], y=[s for s, _ in shown], orientation="h", name="articles"))
    figure.update_layout(height=max(380, 22 * len(shown) + 120))
    return figure


def nightly_volume(site: SiteData) -> go.Figure:
    import plotly.graph_objects as go

    figure = _figure("Nightly runs: pages fetched, articles new and updated", "run start (UTC)", "count")
    runs = [run for run in site.runs if run.summary]
    if not runs:
        return _note(figure, "no run summaries yet")
    x = _started(runs)
    for key, label in (("new", "new articles"), ("updated", "updated articles")):
        figure.add_trace(go.Bar(x=x, y=[run.info.get("articles", {}).get(key, 0) for run in runs], name=label))
    figure.add_trace(
        go.Scatter(
            x=x, y=[run.info.get("pages_fetched", 0) for run in runs], name="pages fetched", mode="lines+markers"
        )
    )
    figure.update_layout(barmode="stack")
    return _runs_axis(figure, runs)


def errors_by_kind(site: SiteData) -> go.Figure:
    import plotly.graph_objects as go

    figure = _figure("Errors by kind per run", "run start (UTC)", "errors")
    runs = [run for run in site.runs if run.summary]
    kinds = sorted({kind for run in runs for kind in (run.info.get("errors") or {})})
    x = _started(runs)
    for kind in kinds:
        figure.add_trace(go.Bar(x=x, y=[(run.info.get("errors") or {}).get(kind, 0) for run in runs], name=kind))
    figure.update_layout(barmode="stack")
    if not kinds:
        return _note(figure, "no errors in any run" if runs else "no run summaries yet")
    return _runs_axis(figure, runs)


def duration_and_status(site: SiteData) -> go.Figure:
    import plotly.graph_objects as go

    figure = _figure("Run duration and exit status", "run start (UTC)", "duration (s)")
    runs = [run for run in site.runs if run.summary]
    if not runs:
        return _note(figure, "no run summaries yet")
    codes = [run.info.get("exit_code") for run in runs]
    colours = [_UNKNOWN_COLOUR if code is None else _OK_COLOUR if code == 0 else _FAILED_COLOUR for code in codes]
    labels = [f"exit {code} ({run.info.get('exit_status', '?')})" for run, code in zip(runs, codes, strict=True)]
    figure.add_trace(
        go.Scatter(
            x=_started(runs),
            y=[run.info.get("duration_seconds") for run in runs],
            mode="lines+markers",
            marker={"color": colours, "size": 11},
            line={"color": "#bbbbbb"},
            text=labels,
            hovertemplate="%{x}<br>%{y} s<br>%{text}<extra></extra>",
            name="duration (green: exit 0, red: failed)",
        )
    )
    return _runs_axis(figure, runs)


def field_coverage(site: SiteData) -> go.Figure:
    import plotly.graph_objects as go

    figure = _figure("Field coverage per run (share of records carrying it)", "run start (UTC)", "share of records")
    runs = [run for run in site.runs if run.records]
    if not runs:
        return _note(figure, "no records yet")
    x = _started(runs)
    for column in coverage_columns():
        figure.add_trace(
            go.Scatter(x=x, y=[run.coverage(column.name) for run in runs], name=column.name, mode="lines+markers")
        )
    figure.update_yaxes(range=[-0.02, 1.02], tickformat=".0%")
    return _runs_axis(figure, runs)


def word_counts(site: SiteData) -> go.Figure:
    import plotly.graph_objects as go

    figure = _figure("Word count distribution (latest versions)", "words", "articles")
    counts = [article.word_count for article in site.articles if article.word_count is not None]
    if not counts:
        return _note(figure, "no articles yet")
    figure.add_trace(go.Histogram(x=counts, nbinsx=40, name="articles"))
    return figure


FIGURES = (
    articles_per_day,
    articles_first_crawled,
    articles_per_section,
    nightly_volume,
    errors_by_kind,
    duration_and_status,
    field_coverage,
    word_counts,
)
