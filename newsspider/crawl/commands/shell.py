"""`scrapy shell URL` that writes no run files and takes no lock."""

from __future__ import annotations

from scrapy.commands.shell import Command as ScrapyShellCommand

from newsspider.crawl.commands import Inspection


class Command(Inspection, ScrapyShellCommand):
    pass
