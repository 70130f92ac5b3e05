"""`newsspider serve` and `newsspider demo`: an offline mirror on 127.0.0.1, and the bundled demo crawl of it."""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from pathlib import Path

from newsspider.crawl.runner import crawl_command

DEFAULT_MIRROR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "eureporter" / "site"


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
    project_root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="newsspider.settings")
    try:
        status = subprocess.call(command, cwd=project_root if (project_root / "scrapy.cfg").exists() else None, env=env)
    finally:
        server.shutdown()
    print(f"Output in {Path(args.output_dir).resolve() / 'eureporter'} (exit status {status})")
    return status


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="serve an offline mirror on 127.0.0.1")
    serve.add_argument("mirror", nargs="?", default=str(DEFAULT_MIRROR))
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=_serve)
    demo = commands.add_parser("demo", help="crawl the bundled EU Reporter mirror into output/")
    demo.add_argument("--mirror", default=str(DEFAULT_MIRROR))
    demo.add_argument("--output-dir", default="output")
    demo.add_argument("--state-dir", default="state")
    demo.set_defaults(func=_demo)
