"""newsspider: crawl news sites with Scrapy and turn article pages into clean, versioned JSONL records."""

__version__ = "0.1.0"
SCHEMA_VERSION = 2
