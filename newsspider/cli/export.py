"""`newsspider export`: merge the runs of one site or all into one typed file (JSONL, Parquet, DuckDB)."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

# What each format imports, and the extra that installs it.
_NEEDS = {"parquet": ("pyarrow", "parquet"), "duckdb": ("duckdb", "duckdb")}


def missing_dependency(fmt: str) -> str | None:
    """The one-line message when a format's library is not installed (pyarrow for every typed format)."""
    modules = [_NEEDS[fmt]] if fmt in _NEEDS else []
    if fmt == "duckdb":
        modules.insert(0, _NEEDS["parquet"])
    for module, extra in modules:
        if importlib.util.find_spec(module) is None:
            return f"--format {fmt} needs {module} (pip install 'newsspider[{extra}]')"
    return None


def chosen_site(args: argparse.Namespace) -> str | None:
    """The site the user named (`--site`, or the deprecated `--spider`); None for every site."""
    if args.spider is not None:
        print("newsspider: --spider is deprecated; use --site", file=sys.stderr)
    return None if args.all else (args.site or args.spider)


def add_site_arguments(parser: argparse.ArgumentParser) -> None:
    """--output-dir, and --site NAME | --all (the default: every site folder under OUTPUT_DIR)."""
    parser.add_argument("--output-dir", default="output", help="the crawl's OUTPUT_DIR (default: output)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--site", help="one site: OUTPUT_DIR/<site>/ (default: every site)")
    which.add_argument("--all", action="store_true", help="every site folder under OUTPUT_DIR (the default)")
    which.add_argument("--spider", help=argparse.SUPPRESS)  # deprecated alias of --site


def _export(args: argparse.Namespace) -> int:
    from newsspider.export.merge import ExportError, read_entries, run_files, site_dirs
    from newsspider.export.writers import write_export

    problem = missing_dependency(args.format)
    if problem is None and args.partition and args.format != "parquet":
        problem = f"--partition applies to --format parquet, not {args.format}"
    if problem:
        print(f"newsspider export: {problem}", file=sys.stderr)
        return 2
    site = chosen_site(args)
    try:
        folders = site_dirs(args.output_dir, site)
        files = run_files(folders)
        if not files:
            where = Path(args.output_dir) / site if site else Path(args.output_dir)
            print(f"newsspider export: no runs yet in {where}; nothing exported, {args.to} left as it was")
            return 0
        entries = read_entries(files, latest=not args.all_versions)
        write_export(entries, Path(args.to), args.format, partition=args.partition)
    except ExportError as error:
        print(f"newsspider export: {error}", file=sys.stderr)
        return 2 if not isinstance(error, ValueError) else 1
    except OSError as error:
        print(f"newsspider export: cannot write {args.to}: {error.strerror or error}", file=sys.stderr)
        return 1
    what = "article versions" if args.all_versions else "articles"
    sites = sorted({folder.name for folder in folders})
    runs = f"{len(files)} run{'s' if len(files) != 1 else ''}"
    print(f"{len(entries)} {what} from {runs} of {', '.join(sites)} -> {args.to} ({args.format})")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export", help="merge the runs into the latest version of each article, as one typed JSONL/Parquet/DuckDB"
    )
    add_site_arguments(export)
    export.add_argument("--format", choices=("jsonl", "parquet", "duckdb"), default="jsonl")
    export.add_argument("--partition", action="store_true", help="parquet only: a folder site=<site>/month=YYYY-MM/")
    export.add_argument("--all-versions", action="store_true", help="every version of each article, not the latest")
    export.add_argument("--to", required=True, help="destination file (a folder with --partition)")
    export.set_defaults(func=_export)
