"""`newsspider report`: the crawl's history (runs, articles, field coverage) as one self-contained HTML page."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from newsspider.cli.export import add_site_arguments, chosen_site


def _report(args: argparse.Namespace) -> int:
    from newsspider.export.merge import ExportError
    from newsspider.report import build_report, write_report

    if importlib.util.find_spec("plotly") is None:
        print("newsspider report: needs plotly (pip install 'newsspider[report]')", file=sys.stderr)
        return 2
    try:
        html = build_report(args.output_dir, args.state_dir, chosen_site(args))
        write_report(html, Path(args.to))
    except ExportError as error:
        print(f"newsspider report: {error}", file=sys.stderr)
        return 1 if isinstance(error, ValueError) else 2
    except OSError as error:
        print(f"newsspider report: cannot write {args.to}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"report -> {args.to}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="one self-contained HTML page: runs, articles, field coverage")
    add_site_arguments(report)
    report.add_argument("--state-dir", default="state", help="the crawl's STATE_DIR, read-only (default: state)")
    report.add_argument("--to", required=True, help="the HTML file to write")
    report.set_defaults(func=_report)
