"""Project commands: `scrapy crawl` exits with the run's documented status (and alone sets NEWSSPIDER_RUN: run
files, lock, state); `scrapy parse` without Scrapy 2.19's own "returned a Deferred" warning."""
