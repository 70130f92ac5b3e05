"""`newsspider sites add URL | list | check NAME`: write a site's profile, list them, and see in a minute whether a
site works (a small real crawl, each field's coverage on the articles it found)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

#: Fields whose coverage `sites check` shows, in this order.
FIELDS = ("headline", "authors", "published", "modified", "section", "tags", "description", "image", "language")


def _add(args: argparse.Namespace) -> int:
    from newsspider.sites import NAME, get_profile
    from newsspider.sites.loader import ProfileError, check_root_url
    from newsspider.sites.probe import probe_site, profile_toml
    from newsspider.spiders.arguments import generic_profile

    try:
        check_root_url(args.url, "URL")
    except ProfileError as error:
        print(f"newsspider sites add: {error}", file=sys.stderr)
        return 2
    name = args.name or generic_profile(args.url).name
    if not NAME.match(name):
        print(f"newsspider sites add: --name {name!r}: lower-case letters, digits, '.', '_' or '-'", file=sys.stderr)
        return 2
    path = args.sites_dir / f"{name}.toml"
    if path.exists() and not args.force:
        print(f"newsspider sites add: {path} exists (--force replaces it)", file=sys.stderr)
        return 2
    print(f"Probing {args.url} ...", flush=True)
    probe = probe_site(args.url)
    if not probe.reachable:
        print(f"newsspider sites add: {args.url} does not answer", file=sys.stderr)
        return 3
    print(f"  site name:  {probe.site_name or '?'}   language: {probe.language or '?'}")
    print(f"  robots.txt: {len(probe.robots_sitemaps)} sitemap(s) named {' '.join(probe.robots_sitemaps)}".rstrip())
    print(f"  sitemaps:   {len(probe.sitemaps)} readable, {probe.sitemap_urls} entries {' '.join(probe.sitemaps)}")
    print(f"  feeds:      {len(probe.feeds)} readable, {probe.feed_urls} entries {' '.join(probe.feeds)}")
    if probe.refused_by_robots:
        print(f"  robots.txt refuses: {' '.join(probe.refused_by_robots)}")
    args.sites_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(profile_toml(probe), encoding="utf-8")
    try:
        get_profile(str(path))
    except ProfileError as error:  # a bug of ours, never the user's: say so rather than leave a broken file
        path.unlink()
        print(f"newsspider sites add: the profile written was not valid ({error})", file=sys.stderr)
        return 1
    print(f"Wrote {path}. Trying it on a few articles (newsspider sites check {name}):", flush=True)
    return _check_site(name, args.sites_dir, args.pages, args.settings)


def _list(args: argparse.Namespace) -> int:
    from newsspider.sites import SiteProfile, is_builtin, list_profiles

    profiles = list_profiles(args.sites_dir)
    if not profiles:
        print(f"No profiles (add one: newsspider sites add URL; folder {args.sites_dir}/)")
        return 0
    width = max(len(name) for name in profiles)
    failures = 0
    for name, profile in profiles.items():
        if isinstance(profile, SiteProfile):
            where = "built in" if is_builtin(profile) else profile.source
            print(f"{name:<{width}}  {profile.base_url}  ({where})")
        else:
            failures += 1
            print(f"{name:<{width}}  NOT VALID: {profile}")
    return 1 if failures else 0


def _check(args: argparse.Namespace) -> int:
    from newsspider.sites import ProfileError, get_profile

    try:
        get_profile(args.name, args.sites_dir)
    except (KeyError, ProfileError) as error:
        print(f"newsspider sites check: {error.args[0]}", file=sys.stderr)
        return 2
    return _check_site(args.name, args.sites_dir, args.pages, args.settings)


def _check_site(name: str, sites_dir: Path, pages: int, settings: list[str]) -> int:
    """A real `scrapy crawl news -a site=NAME`, into a temporary folder, stopped after `pages` articles."""
    with tempfile.TemporaryDirectory(prefix="newsspider-check-") as temporary:
        command = [
            sys.executable, "-m", "newsspider", "crawl", "news", "-a", f"site={name}",
            "-s", f"NEWSSPIDER_SITES_DIR={sites_dir}",
            "-s", f"OUTPUT_DIR={Path(temporary) / 'output'}",
            "-s", f"STATE_DIR={Path(temporary) / 'state'}",
            "-s", f"CLOSESPIDER_ITEMCOUNT={pages}",
            "-s", f"NEWSSPIDER_MAX_REQUESTS={max(50, pages * 10)}",
            "-s", "CLOSESPIDER_TIMEOUT=180",
            "-L", "WARNING",
            *[part for setting in settings for part in ("-s", setting)],
        ]  # fmt: skip
        process = subprocess.run(command, capture_output=True, text=True)
        records = _records(Path(temporary) / "output" / name)[:pages]  # items in flight may have made it more
    if not records:
        print(process.stderr[-3000:], file=sys.stderr)
        print(
            f"No article found on {name} (crawl exit {process.returncode}): check its url and [discovery] entry points",
            file=sys.stderr,
        )
        return 1
    print(coverage_table(records))
    return 0


def _records(folder: Path) -> list[dict[str, Any]]:
    records = []
    for path in sorted(folder.glob("*.jsonl")):
        if not path.name.endswith(".rejects.jsonl"):
            records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return records


def coverage_table(records: list[dict[str, Any]]) -> str:
    """Each article in a line, then each field's coverage: what a user needs to judge a profile in one look."""
    lines = [f"{len(records)} article(s):"]
    for record in records:
        authors = ", ".join(record.get("authors") or []) or "-"
        published = record.get("published") or "-"
        lines.append(
            f"  {record['headline'][:60]:<60}  {authors[:30]:<30}  {published[:25]:<25}  {record['word_count']}w"
        )
        lines.append(f"      {record['url']}")
    lines.append("field coverage:")
    for field in FIELDS:
        filled = sum(1 for record in records if record.get(field))
        lines.append(f"  {field:<12} {filled}/{len(records)}")
    bodies = sorted(record["word_count"] for record in records)
    lines.append(f"  {'body words':<12} median {bodies[len(bodies) // 2]}, shortest {bodies[0]}")
    return "\n".join(lines)


def register(commands: argparse._SubParsersAction) -> None:
    from newsspider.sites import sites_dir

    sites = commands.add_parser("sites", help="site profiles: add URL, list, check NAME")
    actions = sites.add_subparsers(dest="action", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--sites-dir", type=Path, default=sites_dir(), help="profiles folder (default %(default)s)")
    trial = argparse.ArgumentParser(add_help=False)
    trial.add_argument("--pages", type=int, default=5, help="articles to try (default %(default)s)")
    trial.add_argument(
        "-s", dest="settings", action="append", default=[], metavar="NAME=VALUE", help="a setting for the trial crawl"
    )
    add = actions.add_parser("add", parents=[common, trial], help="probe a site and write its profile")
    add.add_argument("url")
    add.add_argument("--name", help="the site's name (default: its host)")
    add.add_argument("--force", action="store_true", help="replace an existing profile")
    add.set_defaults(func=_add)
    listing = actions.add_parser("list", parents=[common], help="every profile, built in and in the sites folder")
    listing.set_defaults(func=_list)
    check = actions.add_parser("check", parents=[common, trial], help="crawl a few articles, show field coverage")
    check.add_argument("name")
    check.set_defaults(func=_check)
