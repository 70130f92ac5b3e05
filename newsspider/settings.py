"""Project settings: polite crawling defaults and the newsspider components, each overridable with -s."""

from __future__ import annotations

from newsspider import __version__

BOT_NAME = "newsspider"
SPIDER_MODULES = ["newsspider.spiders"]
NEWSPIDER_MODULE = "newsspider.spiders"
COMMANDS_MODULE = "newsspider.crawl.commands"
ADDONS = {"newsspider.crawl.addon.NewsspiderAddon": 0}

# --- where things go ----------------------------------------------------------------------------------------
OUTPUT_DIR = "output"  # JSONL: OUTPUT_DIR/<spider>/<run>.jsonl (+ .summary.json, .rejects.jsonl)
STATE_DIR = "state"  # persistent crawl state (lock, seen articles); keep it outside OUTPUT_DIR
MAX_ERROR_RATIO = 0.5  # above this share of failed requests the run exits with status 5

# --- politeness -----------------------------------------------------------------------------------------------
USER_AGENT = f"newsspider/{__version__} (news research crawler; +https://github.com/newsspider/newsspider)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
# A page yields at most one article: Scrapy starts this many asyncio workers per response to process its output,
# and the default (100) makes that bookkeeping cost more than the item pipelines themselves.
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- pipeline ------------------------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "newsspider.crawl.pipelines.ValidationPipeline": 300,
    "newsspider.crawl.pipelines.DuplicatesPipeline": 400,
    "newsspider.crawl.state.StatePipeline": 500,
}
DOWNLOADER_MIDDLEWARES = {
    "newsspider.crawl.incremental.IncrementalMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsspider.crawl.retry.RetryAfterMiddleware": 550,
}
RETRY_AFTER_MAX = 60.0  # longest Retry-After wait honoured, in seconds
EXTENSIONS = {
    "newsspider.crawl.extensions.RunLock": 10,
    "newsspider.crawl.state.CrawlState": 20,
    "newsspider.crawl.extensions.RunSummary": 900,
}
FEED_STORAGES = {
    "": "newsspider.export.feed.AtomicFileFeedStorage",
    "file": "newsspider.export.feed.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
