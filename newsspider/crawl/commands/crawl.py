"""`scrapy crawl` that exits with the status the run summary decided, so cron can tell a failed night."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings, default_settings

import newsspider.settings as project

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # A real run: run files, the lock and the state (`shell`, `parse`, `fetch` and `check` leave them alone).
        # Set above the project's priority, since settings.py outranks a command's defaults.
        if self.settings.getpriority("NEWSSPIDER_RUN") is None:
            self.settings.set("NEWSSPIDER_RUN", True, priority="cmdline")
        problem = settings_problem(self.settings)
        if problem:  # before Scrapy starts logging: one line, exit status 2
            print(f"scrapy crawl: error: {problem}", file=sys.stderr)
            raise SystemExit(2)
        create_log_folder(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newsspider.crawl.extensions import RunSummary, exit_code_of

        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process
        self.check(args[0], opts.spargs)
        crawler = self.crawler_process.create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        try:
            summary = crawler.get_extension(RunSummary)
        except RuntimeError:  # the crawler never got as far as building its extensions
            summary = None
        if summary is not None and crawler.spider is not None:
            summary.finish_cut_short()  # the reactor was stopped before the spider closed (a second signal)
        self.exitcode = exit_code_of(crawler) or self.exitcode

    def check(self, name: str, arguments: dict[str, str]) -> None:
        """Bad spider names and spider arguments: one clear message, exit status 2, no traceback."""
        assert self.crawler_process
        try:
            spider_class = self.crawler_process.spider_loader.load(name)
        except KeyError:
            known = ", ".join(sorted(self.crawler_process.spider_loader.list()))
            raise UsageError(f"unknown spider {name!r}; known: {known}", print_help=False) from None
        check_arguments = getattr(spider_class, "check_arguments", None)
        if check_arguments is not None:
            check_arguments(arguments, self.crawler_process.settings)


# --- settings checks ------------------------------------------------------------------------------------------

#: Numeric settings whose default is None (so it gives no type): what they take when set.
_NUMBERS_WITHOUT_DEFAULT = {"NEWSSPIDER_EXTRACT_WORKERS": int, "NEWSSPIDER_RUN": bool}
#: Our settings that are not NEWSSPIDER_*-named.
_OURS = frozenset({"MAX_ERROR_RATIO", "RETRY_AFTER_MAX", "OUTPUT_DIR", "STATE_DIR"})
_TRUE_FALSE = {"0", "1", "true", "false", "True", "False"}


def _default(name: str) -> Any:
    return getattr(project, name, getattr(default_settings, name, None))


def _kind(name: str) -> type | None:
    if name in _NUMBERS_WITHOUT_DEFAULT:
        return _NUMBERS_WITHOUT_DEFAULT[name]
    default = _default(name)
    for kind in (bool, int, float):  # bool first: True is an int too
        if isinstance(default, kind):
            return kind
    return None


def _known(name: str) -> bool:
    return name in _NUMBERS_WITHOUT_DEFAULT or hasattr(project, name) or hasattr(default_settings, name)


def value_problem(name: str, value: Any) -> str | None:
    """Why `value` is no good for setting `name` (typed by its default), or None. Numbers are never negative
    (except priorities); ratios and shares lie between 0 and 1."""
    kind = _kind(name)
    if kind is None or value is None:
        return None
    if kind is bool:
        if isinstance(value, bool) or str(value) in _TRUE_FALSE:
            return None
        return f"{name} must be true or false (1 or 0), got {value!r}"
    try:
        number = kind(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        what = "a whole number" if kind is int else "a number"
        return f"{name} must be {what}, got {value!r}"
    if number != number or number in (float("inf"), float("-inf")):
        return f"{name} must be a finite number, got {value!r}"
    default = _default(name)
    if number < 0 and "PRIORITY" not in name and not (isinstance(default, (int, float)) and default < 0):
        return f"{name} must not be negative, got {value!r}"
    if name.endswith(("_RATIO", "_SHARE")) and number > 1:
        return f"{name} must be between 0 and 1, got {value!r}"
    return None


def settings_problem(settings: BaseSettings) -> str | None:
    """The first bad setting value: an unknown NEWSSPIDER_* name given with -s (a typo would be ignored
    silently), or a value of the wrong type or range for a numeric or true/false setting."""
    for name in sorted(settings):
        given = (settings.getpriority(name) or 0) >= SETTINGS_PRIORITIES["cmdline"]
        if name.startswith("NEWSSPIDER_") and given and not _known(name):
            return f"unknown setting {name}"
        if given or name.startswith("NEWSSPIDER_") or name in _OURS:
            problem = value_problem(name, settings[name])
            if problem:
                return problem
    return None


def create_log_folder(settings: BaseSettings) -> None:
    """`-s LOG_FILE=logs/site-DATE.log` works on a fresh checkout: the folder is made, not a traceback."""
    log_file = settings.get("LOG_FILE")
    if not log_file:
        return
    folder = Path(log_file).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"scrapy crawl: error: cannot create the LOG_FILE folder {folder}: {error}", file=sys.stderr)
        raise SystemExit(6) from None  # ExitCode.OUTPUT_NOT_WRITABLE
