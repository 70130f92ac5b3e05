"""`newsspider serve` and `newsspider demo`: an offline mirror on 127.0.0.1, and the bundled demo crawl of it."""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
from pathlib import Path

from newsspider.crawl.runner import crawl_command

#: The offline mirror of EU Reporter shipped in the package (package data, so it works from a wheel too).
DEMO_MIRROR = Path(__file__).resolve().parents[1] / "demo" / "eureporter"
#: Where `newsspider demo` crawls to: its own folders, so the demo's URLs never count as known to a real crawl.
DEMO_DIR = Path("newsspider-demo")


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
    output_dir, state_dir = args.dir / "output", args.dir / "state"
    server = MirrorServer(root)
    server.start_in_background()
    command = crawl_command(f"{server.url}/", output_dir, state_dir, "-s", "AUTOTHROTTLE_ENABLED=False")
    print("Running:", " ".join(command), flush=True)
    try:
        status = subprocess.call(command)
    finally:
        server.shutdown()
        server.server_close()
    print(f"Output in {(output_dir / 'eureporter').resolve()} (exit status {status}).")
    print(f"Run it again for an incremental run (nothing new to fetch); delete {args.dir}/ to start over.")
    return status


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="serve an offline mirror on 127.0.0.1 (default: the demo's)")
    serve.add_argument("mirror", nargs="?", default=str(DEMO_MIRROR))
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=_serve)
    demo = commands.add_parser("demo", help=f"crawl the bundled EU Reporter mirror into {DEMO_DIR}/")
    demo.add_argument("--mirror", default=str(DEMO_MIRROR))
    demo.add_argument("--dir", type=Path, default=DEMO_DIR, help=f"where output/ and state/ go (default {DEMO_DIR}/)")
    demo.set_defaults(func=_demo)
