"""robots.txt as a gate: no request leaves before its host's robots.txt is known, the file is fetched once per
run (the spider's own request for it is answered from that fetch), and a robots.txt that answers 5xx or cannot
be fetched means disallow-all for the run (RFC 9309, 2.3.1.3-4)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

#: Meta key of the gate's own robots.txt request (it passes the gate untouched).
FETCH = "newsspider_robots_fetch"


@dataclass
class HostRules:
    """What a host's robots.txt says for this run."""

    verdict: str  # "http_200", "http_404: no robots.txt, all allowed", "http_503: disallow all for this run", ...
    parser: RobotParser | None = None
    disallow_all: bool = False
    response: Response | None = None

    def allowed(self, url: str, user_agent: str | bytes) -> bool:
        if self.disallow_all:
            return False
        return self.parser is None or self.parser.allowed(url, user_agent)


class RobotsGate:
    """Downloader middleware in place of Scrapy's RobotsTxtMiddleware (ROBOTSTXT_OBEY, ROBOTSTXT_PARSER and
    ROBOTSTXT_USER_AGENT as Scrapy reads them; Protego parses by default)."""

    DOWNLOAD_PRIORITY = 1000

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.user_agent: str | None = crawler.settings.get("ROBOTSTXT_USER_AGENT")
        self.default_user_agent: str = crawler.settings.get("USER_AGENT")
        self.parser_class = load_object(crawler.settings.get("ROBOTSTXT_PARSER"))
        self.hosts: dict[str, HostRules] = {}
        #: Requests waiting for a robots.txt being fetched, each with its own Deferred (a Deferred shared by several
        #: awaiters hands the result to the first only: the others would get None, and go out unchecked).
        self.waiting: dict[str, list[Deferred[HostRules]]] = {}
        self.refused_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsGate:
        return cls(crawler)

    async def process_request(self, request: Request) -> Response | None:
        if request.meta.get(FETCH) or request.meta.get("dont_obey_robotstxt"):
            return None
        url = urlparse_cached(request)
        if url.scheme not in ("http", "https"):
            return None
        rules = await self.rules(url.scheme, url.netloc)
        if url.path == "/robots.txt" and not url.query:
            return self.answer_from_fetch(request, rules)
        user_agent = self.user_agent or request.headers.get(b"User-Agent") or self.default_user_agent
        stats = self.crawler.stats
        if rules.allowed(request.url, user_agent):
            stats.inc_value("newsspider/robots/allowed")
            return None
        stats.inc_value("newsspider/robots/refused")
        if url.netloc not in self.refused_hosts:
            self.refused_hosts.add(url.netloc)
            logger.info("robots.txt of %s (%s) refuses %s (and maybe more)", url.netloc, rules.verdict, request.url)
        raise IgnoreRequest(f"Forbidden by robots.txt ({rules.verdict})")

    def answer_from_fetch(self, request: Request, rules: HostRules) -> Response:
        """The spider's own robots.txt request (for its Sitemap: lines) gets the response the gate fetched."""
        if rules.response is None:
            raise IgnoreRequest(f"robots.txt unavailable ({rules.verdict})")
        self.crawler.stats.inc_value("newsspider/robots/served_from_cache")
        request.meta["dont_retry"] = True  # the answer is final: retries and redirects already happened
        request.meta["dont_redirect"] = True
        return rules.response.replace(request=request, flags=[*rules.response.flags, "cached"])

    async def rules(self, scheme: str, netloc: str) -> HostRules:
        known = self.hosts.get(netloc)
        if known is not None:
            return known
        if netloc in self.waiting:  # another request is fetching it: wait for that fetch
            waiter: Deferred[HostRules] = Deferred()
            self.waiting[netloc].append(waiter)
            return await maybe_deferred_to_future(waiter)
        self.waiting[netloc] = []
        try:
            rules = await self.fetch(f"{scheme}://{netloc}/robots.txt")
        except BaseException:  # cancelled (the engine is stopping): whoever waits is refused, not let through
            rules = HostRules("not fetched: disallow all", disallow_all=True)
            raise
        finally:
            self.hosts[netloc] = rules
            self.crawler.stats.set_value(f"newsspider/robots/rules/{netloc}", rules.verdict)
            for waiter in self.waiting.pop(netloc):
                waiter.callback(rules)
        return rules

    async def fetch(self, url: str) -> HostRules:
        request = Request(url, priority=self.DOWNLOAD_PRIORITY, meta={FETCH: True}, callback=NO_CALLBACK)
        engine = self.crawler.engine
        try:
            if hasattr(engine, "download_async"):
                response = await engine.download_async(request)
            else:  # Scrapy < 2.14
                response = await maybe_deferred_to_future(engine.download(request))
        except Exception as error:
            name = type(error).__name__
            logger.warning("robots.txt at %s not fetched (%s: %s): disallow all for this run", url, name, error)
            return HostRules(f"unreachable ({name}): disallow all for this run", disallow_all=True)
        return self.rules_from(response)

    def rules_from(self, response: Response) -> HostRules:
        status = response.status
        if 200 <= status < 300:
            parser = build_from_crawler(self.parser_class, self.crawler, response.body)
            return HostRules(f"http_{status}", parser=parser, response=response)
        if status == 429 or status >= 500:
            logger.warning("robots.txt at %s answered %d: disallow all for this run (RFC 9309)", response.url, status)
            return HostRules(f"http_{status}: disallow all for this run", disallow_all=True, response=response)
        # 4xx (and a redirect that led nowhere): robots.txt is unavailable, every URL may be crawled.
        return HostRules(f"http_{status}: no robots.txt, all allowed", response=response)
