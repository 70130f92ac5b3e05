"""`newsspider export`: merge a site's runs into the latest version of each article, as one file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _export(args: argparse.Namespace) -> int:
    from newsspider.export.merge import iter_run_records, latest_versions, write_merged

    if args.format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            print(
                "newsspider export: --format parquet needs pyarrow (pip install 'newsspider[parquet]')", file=sys.stderr
            )
            return 2
    try:
        records = latest_versions(iter_run_records(args.output_dir, args.spider))
        write_merged(records, Path(args.to), args.format)
    except (OSError, ValueError) as error:
        print(f"newsspider export: {error}", file=sys.stderr)
        return 1
    print(f"{len(records)} articles -> {args.to}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="merge a spider's runs into the latest version of each article")
    export.add_argument("--spider", default="eureporter")
    export.add_argument("--output-dir", default="output")
    export.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    export.add_argument("--to", required=True, help="destination file")
    export.set_defaults(func=_export)
