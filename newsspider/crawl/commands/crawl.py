"""`scrapy crawl` that exits with the status the run summary decided, so cron can tell a failed night."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

if TYPE_CHECKING:
    import argparse

#: Settings that must be whole numbers >= 0 (None allowed where the default is None).
WHOLE_NUMBER_SETTINGS = (
    "NEWSSPIDER_EXTRACT_WORKERS",
    "NEWSSPIDER_MAX_REQUESTS",
    "NEWSSPIDER_MAX_DEPTH",
    "NEWSSPIDER_MAX_LINKS_PER_PAGE",
    "NEWSSPIDER_MAX_LISTING_PAGES",
    "NEWSSPIDER_MAX_URL_LENGTH",
    "NEWSSPIDER_MAX_SITEMAP_URLS",
)


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process
        self.check(args[0], opts.spargs)
        crawler = self.crawler_process.create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        self.exitcode = int(getattr(crawler, "newsspider_exit_code", 0)) or self.exitcode

    def check(self, name: str, arguments: dict[str, str]) -> None:
        """Bad spider names, spider arguments and settings: one clear message, exit status 2, no traceback."""
        assert self.crawler_process
        try:
            spider_class = self.crawler_process.spider_loader.load(name)
        except KeyError:
            known = ", ".join(sorted(self.crawler_process.spider_loader.list()))
            raise UsageError(f"unknown spider {name!r}; known: {known}", print_help=False) from None
        settings = self.crawler_process.settings
        check_arguments = getattr(spider_class, "check_arguments", None)
        if check_arguments is not None:
            check_arguments(arguments, settings)
        check_settings(settings)


def check_settings(settings: Any) -> None:
    """Settings whose value cannot work: a usage error naming the setting and the value."""
    try:
        ratio = settings.getfloat("MAX_ERROR_RATIO")
    except ValueError:
        raise UsageError(
            f"MAX_ERROR_RATIO must be a number, got {settings.get('MAX_ERROR_RATIO')!r}", print_help=False
        ) from None
    if not 0 <= ratio <= 1:
        raise UsageError(f"MAX_ERROR_RATIO must be between 0 and 1, got {ratio}", print_help=False)
    for name in WHOLE_NUMBER_SETTINGS:
        value = settings.get(name)
        if value in (None, "None") and name == "NEWSSPIDER_EXTRACT_WORKERS":
            continue
        if not str(value).strip().isdigit():
            raise UsageError(f"{name} must be a whole number >= 0, got {value!r}", print_help=False)
