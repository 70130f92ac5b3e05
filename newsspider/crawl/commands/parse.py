"""`scrapy parse URL` without the "returned a Deferred" warning: Scrapy's own wrapper callback returns a Deferred,
which Scrapy 2.13+ deprecates; here the wrapper is a coroutine. (Like every command but `crawl`, it writes no run
files, takes no lock and leaves the state alone: NEWSSPIDER_RUN is not set.)"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from scrapy.commands.parse import Command as ScrapyParseCommand
from scrapy.utils.defer import maybe_deferred_to_future

if TYPE_CHECKING:
    import argparse

    from scrapy import Request, Spider
    from scrapy.http import Response


class Command(ScrapyParseCommand):
    def prepare_request(self, spider: Spider, request: Request, opts: argparse.Namespace) -> Request:
        request = super().prepare_request(spider, request, opts)
        request.callback = self._awaiting(request.callback)
        return request

    def _get_items_and_requests(self, *args: Any) -> Any:
        """Requests for the next depth get Scrapy's wrapper callback (the last element): wrapped the same way."""
        *rest, callback = super()._get_items_and_requests(*args)
        return (*rest, self._awaiting(callback))

    @staticmethod
    def _awaiting(callback: Any) -> Any:
        @functools.wraps(callback)
        async def awaiting(response: Response, **cb_kwargs: Any) -> Any:
            return await maybe_deferred_to_future(callback(response, **cb_kwargs))

        return awaiting
