"""Spiders: one small class per site, all of them the generic NewsSpider with a site profile."""
