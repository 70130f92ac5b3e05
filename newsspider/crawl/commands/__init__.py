"""Project commands: `scrapy crawl` here exits with the run's documented status."""
