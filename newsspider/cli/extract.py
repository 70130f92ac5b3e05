"""`newsspider extract`: the crawl's extraction on saved HTML files, one JSON line per file."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import BinaryIO

#: The largest input read by default: real article pages weigh well under 5 MiB; a larger file is most likely not
#: a page, and parsing one costs memory and minutes (a 200 MB file took 4 GB).
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def size(text: str) -> int:
    """A size in bytes from "20M", "512K", "1G" or a plain number of bytes (units are powers of 1024)."""
    match = _SIZE.match(text)
    if not match or int(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (a positive number of bytes, or with K, M or G)")
    return int(match.group(1)) * _UNITS[(match.group(2) or "")[:1].lower()]


def _human(count: int) -> str:
    return f"{count / 1024**2:.1f} MiB" if count >= 1024**2 else f"{count} bytes"


class TooLarge(Exception):
    """The input is larger than --max-size: it is not read further."""


def _read_at_most(handle: BinaryIO, limit: int) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge
    return data


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
                html = _read_at_most(sys.stdin.buffer, args.max_size)
                url = args.url or "file:///dev/stdin"
            else:
                path = Path(name)
                with path.open("rb") as handle:
                    html = _read_at_most(handle, args.max_size)
                url = args.url or path.resolve().as_uri()
        except OSError as error:
            print(f"newsspider extract: {name}: cannot read: {error.strerror or error}", file=sys.stderr)
            failures += 1
            continue
        except TooLarge:
            limit = _human(args.max_size)
            print(f"newsspider extract: {name}: larger than {limit}, not extracted (see --max-size)", file=sys.stderr)
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
    extract.add_argument(
        "--max-size",
        type=size,
        default=DEFAULT_MAX_SIZE,
        metavar="SIZE",
        help="skip (as a failure) any input larger than SIZE, e.g. 512K, 50M (default: 20M)",
    )
    extract.set_defaults(func=_extract)
