"""`newsspider extract`: the crawl's extraction on saved HTML files, one JSON line per file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


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


def register(commands: argparse._SubParsersAction) -> None:
    extract = commands.add_parser("extract", help="extract articles from saved HTML files, one JSON line each")
    extract.add_argument("files", nargs="+", metavar="FILE", help="HTML file(s); - reads standard input")
    extract.add_argument("--url", help="the page's address (default: the file's file:// URI)")
    extract.add_argument("--site", help="site profile to apply (default: chosen by the URL's domain)")
    extract.set_defaults(func=_extract)
