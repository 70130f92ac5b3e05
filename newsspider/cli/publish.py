"""`newsspider publish-suspect`: after review, publish the records a run's quality guard held back, as a run of
their own (versions numbered against the state as it is now), and restart the guard's baselines from them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path


def _publish(args: argparse.Namespace) -> int:
    from newsspider.crawl.guard import staged_records
    from newsspider.export.feed import PART_SUFFIX, DurableLines, publish, run_path
    from newsspider.normalize import dedupe_key
    from newsspider.state import RunFacts, StateCorrupt, lock
    from newsspider.state.sqlite import SqliteState

    suspect = Path(args.file)
    if not suspect.name.endswith(".suspect.jsonl") or not suspect.is_file():
        print(f"newsspider publish-suspect: {suspect}: not a <run>.suspect.jsonl file", file=sys.stderr)
        return 2
    site = suspect.parent.name
    output_dir = suspect.parent.parent
    state_dir = Path(args.state_dir)
    try:
        handle = lock.acquire(state_dir / f"{site}.lock")
    except lock.LockHeld as held:
        print(f"newsspider publish-suspect: a {site} run holds the lock ({held}); try again later", file=sys.stderr)
        return 7
    except OSError as error:
        print(f"newsspider publish-suspect: state dir {state_dir}: {error}", file=sys.stderr)
        return 6
    try:
        store = SqliteState(state_dir / f"{site}.sqlite3")
    except StateCorrupt as error:
        lock.release(handle)
        print(f"newsspider publish-suspect: {error}; run a crawl first (it rebuilds the state)", file=sys.stderr)
        return 10
    run_id = f"{datetime.now(timezone.utc):%Y-%m-%dT%H-%M-%SZ}-{os.getpid()}"
    final = run_path(output_dir, site, run_id)
    published: list[dict] = []
    skipped = 0
    try:
        part = DurableLines(final.with_name(final.name + PART_SUFFIX))
        for entry in staged_records(suspect):
            record = dict(entry["record"])
            key = dedupe_key(record["canonical_url"])
            known = store.article(key)
            if known is not None and (
                known.content_hash == record["content_hash"] or store.has_emitted(key, record["content_hash"])
            ):
                skipped += 1  # published since (or unchanged): nothing to add
                continue
            record["version"] = known.version + 1 if known is not None else 1
            record["previous_content_hash"] = known.content_hash if known is not None else None
            part.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            published.append(record)
        if not published:
            part.close()
            part.path.unlink(missing_ok=True)
        elif not publish(part, final):
            raise OSError(f"could not publish {final}")
        for record in published:
            store.record_article(record)
        facts = RunFacts.of(run_id, published)
        facts.baseline_reset = True  # an operator said these are the site's new normal: the guard starts from them
        store.record_run(facts)
        store.close()
    except OSError as error:
        print(f"newsspider publish-suspect: {error}", file=sys.stderr)
        return 6
    finally:
        lock.release(handle)
    suspect.rename(suspect.with_name(suspect.name + ".published"))
    target = final if published else "nothing new"
    print(f"{len(published)} records published -> {target} ({skipped} already published or unchanged)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "publish-suspect", help="publish the records a run's quality guard held back (after review)"
    )
    command.add_argument("file", metavar="FILE", help="OUTPUT_DIR/<site>/<run>.suspect.jsonl")
    command.add_argument("--state-dir", default="state", help="the crawl's STATE_DIR (default: state)")
    command.set_defaults(func=_publish)
