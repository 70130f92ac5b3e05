"""`newsspider crawl SITE... | --all [--parallel N]`: Scrapy's own `scrapy crawl` for each site, without a scrapy.cfg.

One site runs in this process through Scrapy's command machinery (the same options, log and exit status as
`scrapy crawl`). Several sites run as one `scrapy crawl` each, N at a time, each logging to its own file; one
summary line per site, and a non-zero exit status naming the sites that failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsspider import paths

SETTINGS_MODULE = "newsspider.settings"
#: Options of `scrapy crawl` that take a value: passed through with it.
_WITH_VALUE = {"-a", "-s", "--set", "-o", "--output", "-O", "--overwrite-output", "-t", "--output-format"}
_WITH_VALUE |= {"-L", "--loglevel", "--logfile"}
USAGE = """usage: newsspider crawl SITE... [options]
       newsspider crawl --all [--parallel N] [options]

SITE is a profile name (sites/<name>.toml, or built in: eureporter), a spider name (news, eureporter) or a
site's root URL (crawled with the generic spider). Every other option goes to `scrapy crawl` as it is
(-a NAME=VALUE, -s SETTING=VALUE, -L LEVEL, ...).

options:
  --all          every profile in the sites folder (NEWSSPIDER_SITES_DIR, default sites/)
  --parallel N   with several sites: how many crawl at once (default 1)
  --log-dir DIR  with several sites: where each site's log goes (default logs/)
"""


@dataclass
class Request:
    sites: list[str]
    all_sites: bool
    parallel: int
    log_dir: Path
    passthrough: list[str]


def parse(argv: list[str]) -> Request:
    """Split our options from `scrapy crawl`'s (which are passed through untouched)."""
    sites: list[str] = []
    passthrough: list[str] = []
    all_sites, parallel, log_dir = False, 1, Path("logs")
    arguments = iter(argv)
    for argument in arguments:
        name, _, inline = argument.partition("=")
        if argument in {"-h", "--help"}:
            raise SystemExit(_usage(0))
        if argument == "--all":
            all_sites = True
        elif name in {"--parallel", "--log-dir"}:
            value = inline if inline else next(arguments, None)
            if value is None:
                raise SystemExit(_usage(2, f"{name} needs a value"))
            if name == "--log-dir":
                log_dir = Path(value)
            elif value.isdigit() and int(value) > 0:
                parallel = int(value)
            else:
                raise SystemExit(_usage(2, f"--parallel must be a whole number > 0, got {value!r}"))
        elif argument.startswith("-"):
            passthrough.append(argument)
            if argument in _WITH_VALUE:
                value = next(arguments, None)
                if value is None:
                    raise SystemExit(_usage(2, f"{argument} needs a value"))
                passthrough.append(value)
        else:
            sites.append(argument)
    if all_sites == bool(sites):
        raise SystemExit(_usage(2, "give one or more SITE names, or --all"))
    return Request(sites, all_sites, parallel, log_dir, passthrough)


def _usage(status: int, message: str | None = None) -> int:
    print(USAGE, file=sys.stderr if status else sys.stdout, end="")
    if message:
        print(f"newsspider crawl: {message}", file=sys.stderr)
    return status


def project_settings(passthrough: list[str]) -> Any:
    """The settings a crawl will run with (the project's, then -s from the command line)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    pairs = [passthrough[i + 1] for i, option in enumerate(passthrough[:-1]) if option in {"-s", "--set"}]
    settings.setdict(dict(pair.split("=", 1) for pair in pairs if "=" in pair), priority="cmdline")
    return settings


def scrapy_arguments(site: str, spiders: set[str]) -> list[str]:
    """`scrapy crawl` arguments for one site: a spider by name, a profile through `news`, or a root URL."""
    if site in spiders:
        return ["crawl", site]
    if site.startswith(("http://", "https://")):
        return ["crawl", "news", "-a", f"url={site}"]
    return ["crawl", "news", "-a", f"site={site}"]


def run_scrapy(arguments: list[str]) -> int:
    """Scrapy's command line in this process, with newsspider's settings when no scrapy.cfg names others."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    from scrapy.cmdline import execute

    try:
        execute(["scrapy", *arguments])
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    return 0


def main(argv: list[str]) -> int:
    request = parse(argv)
    settings = project_settings(request.passthrough)
    from scrapy.spiderloader import get_spider_loader

    spiders = set(get_spider_loader(settings).list())
    sites = request.sites
    if request.all_sites:
        from newsspider.sites import sites_dir

        folder = sites_dir(settings)
        sites = sorted(path.stem for path in folder.glob("*.toml")) if folder.is_dir() else []
        if not sites:
            print(
                f"newsspider crawl --all: no profiles in {folder}/ (add one: newsspider sites add URL)", file=sys.stderr
            )
            return 2
    if len(sites) == 1 and not request.all_sites:
        return run_scrapy([*scrapy_arguments(sites[0], spiders), *request.passthrough])
    return crawl_sites(sites, spiders, request, settings)


@dataclass
class SiteRun:
    site: str
    status: int
    summary: dict[str, Any] | None
    log: Path
    seconds: float


def crawl_sites(sites: list[str], spiders: set[str], request: Request, settings: Any) -> int:
    """Each site a `scrapy crawl` of its own, `request.parallel` at a time; a summary line for each as it ends."""
    request.log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H-%M-%SZ")
    printing = threading.Lock()

    def crawl_one(site: str) -> SiteRun:
        log = request.log_dir / f"{_file_name(site)}-{stamp}.log"
        command = [sys.executable, "-m", "newsspider", *scrapy_arguments(site, spiders), *request.passthrough]
        started = time.monotonic()
        with log.open("wb") as handle:
            process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
            status = process.wait()
        summary = _summary(settings, site_name(site, request.passthrough, settings), process.pid)
        run = SiteRun(site, status, summary, log, time.monotonic() - started)
        with printing:
            print(summary_line(run), flush=True)
        return run

    with ThreadPoolExecutor(max_workers=request.parallel) as pool:
        runs = list(pool.map(crawl_one, sites))
    failed = [run for run in runs if run.status != 0]
    if not failed:
        return 0
    names = ", ".join(f"{run.site} (exit {run.status}{_status_name(run.status)})" for run in failed)
    print(f"newsspider crawl: failed: {names}", file=sys.stderr)
    return failed[0].status


def site_name(site: str, passthrough: list[str], settings: Any) -> str:
    """The name a crawl's files go under: the profile's, or for a URL (`news -a url=`) the one made from its host."""
    arguments = dict(
        passthrough[i + 1].split("=", 1)
        for i, option in enumerate(passthrough[:-1])
        if option == "-a" and "=" in passthrough[i + 1]
    )
    url = site if site.startswith(("http://", "https://")) else None
    if site == "news":
        url = arguments.get("url") or arguments.get("base_url")
        site = arguments.get("site") or site
    if url is None:
        return site
    from newsspider.sites import profile_for_url, sites_dir
    from newsspider.spiders.arguments import generic_profile

    return (profile_for_url(url, sites_dir(settings)) or generic_profile(url)).name


def _summary(settings: Any, name: str, pid: int) -> dict[str, Any] | None:
    """The run summary a crawl process wrote (its file name ends with the process id)."""
    for path in paths.site_output_dir(settings, name).glob(f"*-{pid}.summary.json"):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
    return None


def summary_line(run: SiteRun) -> str:
    """One line per site: status, pages, articles, errors, time, and where the log is."""
    summary = run.summary
    if summary is None:
        status = f"exit {run.status}{_status_name(run.status)}"
        return f"{run.site}: {status}, no run summary ({run.seconds:.0f}s), log {run.log}"
    articles = summary.get("articles", {})
    errors = summary.get("errors") or {}
    limits = summary.get("limits") or {}
    return (
        f"{run.site}: exit {run.status}{_status_name(run.status)}, {summary.get('pages_fetched', 0)} pages, "
        f"{articles.get('written', 0)} written ({articles.get('new', 0)} new, {articles.get('updated', 0)} updated), "
        f"{sum(errors.values())} errors"
        + (f", limits {', '.join(f'{k} {v}' for k, v in limits.items())}" if limits else "")
        + f" ({run.seconds:.0f}s), log {run.log}"
    )


def _status_name(status: int) -> str:
    from newsspider.crawl.extensions import ExitCode

    try:
        return f" {ExitCode(status).name.lower()}"
    except ValueError:
        return ""


def _file_name(site: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "-" for c in site.split("://")[-1]).strip("-")


def register(commands: argparse._SubParsersAction) -> None:
    crawl = commands.add_parser(
        "crawl", help="crawl one or more sites (scrapy crawl without a scrapy.cfg)", add_help=False
    )
    crawl.add_argument("arguments", nargs=argparse.REMAINDER, help="SITE... | --all, and scrapy crawl's options")
    crawl.set_defaults(func=lambda args: main(args.arguments))
