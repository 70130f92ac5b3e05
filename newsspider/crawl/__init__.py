"""The Scrapy side: spider machinery, middlewares, pipelines and extensions that run the stages in a crawl."""
