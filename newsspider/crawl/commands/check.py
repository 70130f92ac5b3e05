"""`scrapy check`: the spiders' contracts on pages shipped with the package, without run files, lock or state."""

from __future__ import annotations

from scrapy.commands.check import Command as ScrapyCheckCommand

from newsspider.crawl.commands import Inspection


class Command(Inspection, ScrapyCheckCommand):
    pass
