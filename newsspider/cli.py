"""The `newsspider` command: extract saved pages, serve a mirror, and run the bundled demo crawl."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

DEFAULT_MIRROR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "eureporter" / "site"


def crawl_command(
    base_url: str, output_dir: str | Path, state_dir: str | Path, *extra: str, spider: str = "eureporter"
) -> list[str]:
    """The `scrapy crawl` command line for a mirror: used by `demo`, the tests and the benchmarks."""
    return [
        sys.executable, "-m", "scrapy", "crawl", spider,
        "-a", f"base_url={base_url}",
        "-s", f"OUTPUT_DIR={output_dir}",
        "-s", f"STATE_DIR={state_dir}",
        *extra,
    ]  # fmt: skip


def _extract(args: argparse.Namespace) -> int:
    from newsspider.extract import extract_article
    from newsspider.sites import get_profile, profile_for_url

    if args.url and len(args.files) > 1:
        print("newsspider extract: --url applies to one file; give one FILE with it", file=sys.stderr)
        return 2
    failures = 0
    for name in args.files:
        try:
            if name == "-":
                html = sys.stdin.buffer.read()
                url = args.url or "file:///dev/stdin"
            else:
                path = Path(name)
                html = path.read_bytes()
                url = args.url or path.resolve().as_uri()
        except OSError as error:
            print(f"newsspider extract: {name}: cannot read: {error.strerror or error}", file=sys.stderr)
            failures += 1
            continue
        try:
            profile = get_profile(args.site) if args.site else profile_for_url(url)
        except KeyError as error:
            print(f"newsspider extract: {error.args[0]}", file=sys.stderr)
            return 2
        result = extract_article(html, url, profile)
        if result.record is None:
            print(f"newsspider extract: {name}: {result.reason}", file=sys.stderr)
            failures += 1
            continue
        sys.stdout.write(json.dumps(result.record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failures else 0


def _serve(args: argparse.Namespace) -> int:
    from newsspider.mirror import MirrorServer

    root = Path(args.mirror)
    if not root.is_dir():
        print(f"newsspider serve: no mirror directory at {root}", file=sys.stderr)
        return 2
    server = MirrorServer(root, port=args.port, verbose=True)
    print(f"Serving {root} at {server.url}/ (Ctrl-C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Serve the bundled mirror on 127.0.0.1 and run the real `scrapy crawl eureporter` against it."""
    from newsspider.mirror import MirrorServer

    root = Path(args.mirror)
    if not root.is_dir():
        print(f"newsspider demo: no mirror directory at {root}", file=sys.stderr)
        return 2
    server = MirrorServer(root)
    server.start_in_background()
    command = crawl_command(f"{server.url}/", args.output_dir, args.state_dir, "-s", "AUTOTHROTTLE_ENABLED=False")
    print("Running:", " ".join(command), flush=True)
    project_root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="newsspider.settings")
    try:
        status = subprocess.call(command, cwd=project_root if (project_root / "scrapy.cfg").exists() else None, env=env)
    finally:
        server.shutdown()
    print(f"Output in {Path(args.output_dir).resolve() / 'eureporter'} (exit status {status})")
    return status


def _export(args: argparse.Namespace) -> int:
    from newsspider.export import iter_run_records, latest_versions, write_merged

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsspider", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="extract articles from saved HTML files, one JSON line each")
    extract.add_argument("files", nargs="+", metavar="FILE", help="HTML file(s); - reads standard input")
    extract.add_argument("--url", help="the page's address (default: the file's file:// URI)")
    extract.add_argument("--site", help="site profile to apply (default: chosen by the URL's domain)")
    extract.set_defaults(func=_extract)

    serve = commands.add_parser("serve", help="serve an offline mirror on 127.0.0.1")
    serve.add_argument("mirror", nargs="?", default=str(DEFAULT_MIRROR))
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=_serve)

    demo = commands.add_parser("demo", help="crawl the bundled EU Reporter mirror into output/")
    demo.add_argument("--mirror", default=str(DEFAULT_MIRROR))
    demo.add_argument("--output-dir", default="output")
    demo.add_argument("--state-dir", default="state")
    demo.set_defaults(func=_demo)

    export = commands.add_parser("export", help="merge a spider's runs into the latest version of each article")
    export.add_argument("--spider", default="eureporter")
    export.add_argument("--output-dir", default="output")
    export.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    export.add_argument("--to", required=True, help="destination file")
    export.set_defaults(func=_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
