"""The `newsspider` command: one subcommand a module (crawl, sites, extract, export, serve, demo), each registering
itself."""

from __future__ import annotations

import argparse
import sys

from newsspider import __version__
from newsspider.cli import crawl, export, extract, mirror, publish, report, sites

SUBCOMMANDS = (crawl, sites, extract, export, report, publish, mirror)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsspider", description=__doc__)
    parser.add_argument("--version", action="version", version=f"newsspider {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in SUBCOMMANDS:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["crawl"]:
        return crawl.main(argv[1:])  # its options are `scrapy crawl`'s, passed through as they are
    args = build_parser().parse_args(argv)
    return int(args.func(args))
