"""The `newsspider` command: one subcommand a module (extract, export, serve, demo), each registering itself."""

from __future__ import annotations

import argparse

from newsspider.cli import export, extract, mirror, publish, report

SUBCOMMANDS = (extract, mirror, export, report, publish)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsspider", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for module in SUBCOMMANDS:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
