"""Project settings, every default in one place: polite crawling, where files go, the limits that bound a crawl.

Components read these from the crawler's settings object and never repeat a default; override any of them
with `-s NAME=VALUE` (the README's "Settings" table explains each).
"""

from __future__ import annotations

from newsspider import __version__

BOT_NAME = "newsspider"
SPIDER_MODULES = ["newsspider.spiders"]
NEWSPIDER_MODULE = "newsspider.spiders"
COMMANDS_MODULE = "newsspider.crawl.commands"
ADDONS = {"newsspider.crawl.addon.NewsspiderAddon": 0}

# --- where things go (paths are built by newsspider.paths) ----------------------------------------------------
OUTPUT_DIR = "output"  # OUTPUT_DIR/<site>/<run_id>.jsonl (+ .summary.json, .rejects.jsonl)
STATE_DIR = "state"  # STATE_DIR/<site>.sqlite3 and STATE_DIR/<site>.lock; keep it outside OUTPUT_DIR
NEWSSPIDER_SITES_DIR = "sites"  # site profiles: <dir>/<name>.toml (relative to the working directory)

# --- the run -------------------------------------------------------------------------------------------------
MAX_ERROR_RATIO = 0.5  # above this share of failed requests the run exits with status 5
NEWSSPIDER_STATE_ENABLED = True  # incremental crawling and cross-run dedupe
NEWSSPIDER_LOCK_ENABLED = True  # one run per site and STATE_DIR at a time
NEWSSPIDER_EXTRACT_WORKERS = None  # extraction processes; None: one per core; 0: in the crawler process
REDIS_URL = None  # redis://host:6379/0 switches to distributed mode (shared frontier and state)

# --- limits: each one reached is counted as newsspider/limits/<name> and is normal operation (exit 0) ---------
NEWSSPIDER_MAX_REQUESTS = 100_000  # requests per run (discovery and pages); then nothing new is scheduled
NEWSSPIDER_MAX_DEPTH = 3  # article pages a link may be found through (article -> article -> ...) from the nearest
#                          listing or entry point; listings, archives and pagination are bounded by the next limit
NEWSSPIDER_MAX_LINKS_PER_PAGE = 500  # links followed from one page, in document order
NEWSSPIDER_MAX_LISTING_PAGES = 50  # non-article pages per URL family (a listing and its pagination, a calendar)
NEWSSPIDER_MAX_URL_LENGTH = 500  # longer URLs are traps (session ids, endless facets), never requested
NEWSSPIDER_MAX_SITEMAP_URLS = 20_000  # sitemap entries held in memory; the rest is read as the crawl drains them

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
RETRY_AFTER_MAX = 60.0  # longest Retry-After wait honoured, in seconds
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- components -----------------------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "newsspider.crawl.pipelines.ValidationPipeline": 300,
    "newsspider.crawl.pipelines.DuplicatesPipeline": 400,
    "newsspider.crawl.state.StatePipeline": 500,
}
SPIDER_MIDDLEWARES = {
    # Before Scrapy's HttpErrorMiddleware (50), so that it sees the 304 answers to its conditional requests.
    "newsspider.crawl.incremental.IncrementalMiddleware": 40,
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsspider.crawl.retry.RetryAfterMiddleware": 550,
}
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
SPIDER_CONTRACTS = {"newsspider.spiders.contracts.DemoPageContract": 10}
FEED_URI_PARAMS = "newsspider.crawl.addon.feed_uri_params"

LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# --- nightly-run safety (safety branch): run files, state, robots gate, deferred retries, quality guard --------
# NEWSSPIDER_RUN is set by `scrapy crawl` (run files, lock, state); shell/parse/fetch/check leave them alone.
NEWSSPIDER_STATE_ENABLED = True  # incremental crawling and cross-run dedupe (STATE_DIR, or Redis)
NEWSSPIDER_LOCK_ENABLED = True  # one run per STATE_DIR at a time
DOWNLOADER_MIDDLEWARES = {
    **DOWNLOADER_MIDDLEWARES,
    # robots.txt known before any request of its host leaves; 5xx or unreachable: disallow all (RFC 9309)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsspider.crawl.robots.RobotsGate": 100,
}
ITEM_PIPELINES = {**ITEM_PIPELINES, "newsspider.crawl.guard.GuardPipeline": 550}
NEWSSPIDER_GUARD_ENABLED = True  # hold a collapse's suspect records back in <run>.suspect.jsonl (exit 11)
NEWSSPIDER_GUARD_ACCEPT = False  # publish this run's records whatever the guard says; baselines restart from it
NEWSSPIDER_GUARD_MIN_RECORDS = 3  # a signal needs at least this many records (or known pages) behind it
NEWSSPIDER_GUARD_SUSPECT_SHARE = 0.5  # collapse: at least this share of changed (or new) articles look broken
NEWSSPIDER_GUARD_LENGTH_RATIO = 0.5  # a changed body shorter than this share of its previous version is suspect
NEWSSPIDER_GUARD_NEW_LENGTH_RATIO = 0.25  # a new body shorter than this share of the site's median is suspect
NEWSSPIDER_GUARD_RETAINED_SHARE = 0.5  # ... or one that keeps less than this share of the previous wording
NEWSSPIDER_GUARD_COVERAGE_RATIO = 0.5  # a field found on fewer than this share of its usual coverage has dropped
NEWSSPIDER_GUARD_NOT_ARTICLE_SHARE = 0.5  # collapse: this share of known article pages are no longer articles
NEWSSPIDER_GUARD_HISTORY_RUNS = 7  # the recent runs the guard's baselines are read from
