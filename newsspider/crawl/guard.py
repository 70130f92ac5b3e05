"""The quality guard: a run's records are compared with the site's history in the state, and when they collapse
(a redesign that turns every article into a teaser, a byline that vanishes everywhere) the doubtful ones are held
back in <run>.suspect.jsonl instead of being published as new versions of good articles."""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import Request, Response

from newsspider.crawl.extensions import run_enabled, stop_for_write_failure
from newsspider.crawl.state import CrawlState, release_claim, store_of, url_key
from newsspider.export.feed import JsonlAppender, iter_records, run_path, write_failure
from newsspider.items import ArticleItem
from newsspider.normalize import dedupe_key
from newsspider.state import StateCorrupt
from newsspider.state.facts import Baseline, RunFacts, present_fields, retained, shingle_hashes

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

#: A new article lacking a field found on at least this share of the site's recent articles is looked at twice.
COMMON_FIELD = 0.8


@dataclass(frozen=True)
class GuardLimits:
    """The thresholds: NEWSSPIDER_GUARD_* settings, whose defaults live in newsspider/settings.py (README)."""

    min_records: int
    suspect_share: float
    length_ratio: float
    new_length_ratio: float
    retained_share: float
    coverage_ratio: float
    not_article_share: float
    history_runs: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> GuardLimits:
        return cls(
            settings.getint("NEWSSPIDER_GUARD_MIN_RECORDS"),
            settings.getfloat("NEWSSPIDER_GUARD_SUSPECT_SHARE"),
            settings.getfloat("NEWSSPIDER_GUARD_LENGTH_RATIO"),
            settings.getfloat("NEWSSPIDER_GUARD_NEW_LENGTH_RATIO"),
            settings.getfloat("NEWSSPIDER_GUARD_RETAINED_SHARE"),
            settings.getfloat("NEWSSPIDER_GUARD_COVERAGE_RATIO"),
            settings.getfloat("NEWSSPIDER_GUARD_NOT_ARTICLE_SHARE"),
            settings.getint("NEWSSPIDER_GUARD_HISTORY_RUNS"),
        )


@dataclass
class RunEvidence:
    """What this run extracted, as the guard sees it (held-back records included)."""

    records: RunFacts = field(default_factory=lambda: RunFacts("this run"))
    changed: int = 0
    changed_doubtful: int = 0
    changed_ratios: list[float] = field(default_factory=list)
    new: int = 0
    new_short: int = 0
    new_lengths: list[int] = field(default_factory=list)
    known_fetched: set[str] = field(default_factory=set)
    with_item: set[str] = field(default_factory=set)


def doubts(record: dict[str, Any], previous: Any, baseline: Baseline, limits: GuardLimits) -> list[str]:
    """Why one record looks broken against its previous version (or, new, against the site's usual articles)."""
    body = record.get("body") or ""
    reasons = []
    facts = getattr(previous, "facts", None)
    if facts is not None:
        if facts.body_chars and len(body) < limits.length_ratio * facts.body_chars:
            share = len(body) / facts.body_chars
            reasons.append(f"body {len(body)} chars, {share:.0%} of version {previous.version}'s {facts.body_chars}")
        kept = retained(facts.sketch, shingle_hashes(body))
        if kept is not None and kept < limits.retained_share:
            reasons.append(f"keeps {kept:.0%} of version {previous.version}'s wording")
        lost = facts.fields - present_fields(record)
        if lost:
            reasons.append(f"lost {', '.join(sorted(lost))} (version {previous.version} had them)")
        return reasons
    usual = baseline.body_chars_median
    if usual and len(body) < limits.new_length_ratio * usual:
        reasons.append(f"body {len(body)} chars, {len(body) / usual:.0%} of the site's usual {usual}")
    present = present_fields(record)
    lacking = [name for name, share in baseline.coverage.items() if share >= COMMON_FIELD and name not in present]
    if lacking and baseline.records >= limits.min_records:
        reasons.append(f"lacks {', '.join(sorted(lacking))} (found on most of the site's articles)")
    return reasons


def collapse(evidence: RunEvidence, baseline: Baseline, limits: GuardLimits) -> list[str]:
    """The drops that make this run a collapse, in words; empty when the run looks like an ordinary night."""
    drops = []

    def broad(count: int, total: int, share: float) -> bool:
        return count >= limits.min_records and total > 0 and count / total >= share

    if broad(evidence.changed_doubtful, evidence.changed, limits.suspect_share):
        median = statistics.median(evidence.changed_ratios) if evidence.changed_ratios else 1.0
        drops.append(
            f"{evidence.changed_doubtful} of {evidence.changed} changed articles shrank, lost their wording or "
            f"fields (median length {median:.0%} of the previous version)"
        )
    if broad(evidence.new_short, evidence.new, limits.suspect_share):
        drops.append(
            f"{evidence.new_short} of {evidence.new} new articles are far shorter than usual (median "
            f"{int(statistics.median(evidence.new_lengths))} chars, the site's usual {baseline.body_chars_median})"
        )
    records = evidence.records.records
    if records >= limits.min_records and baseline.records >= limits.min_records:
        for name, usual in sorted(baseline.coverage.items()):
            now = evidence.records.fields.get(name, 0) / records
            if usual >= 0.5 and now < limits.coverage_ratio * usual:
                drops.append(f"{name} found on {now:.0%} of this run's {records} articles, {usual:.0%} in recent runs")
    gone = len(evidence.known_fetched - evidence.with_item)
    if broad(gone, len(evidence.known_fetched), limits.not_article_share):
        drops.append(f"{gone} of {len(evidence.known_fetched)} known article pages are no longer judged articles")
    return drops


def _first_url(request: Request) -> str:
    return (request.meta.get("redirect_urls") or [request.url])[0]


class GuardPipeline:
    """After the state stage: doubtful records wait in the staging file (`<run>.suspect.jsonl.part`) until the end
    of the run; then, on a collapse, they are held back for review (exit 11), otherwise published as usual."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limits = GuardLimits.from_settings(crawler.settings)
        self.accept = crawler.settings.getbool("NEWSSPIDER_GUARD_ACCEPT", False)
        self.baseline = Baseline(0, {}, None)
        self.evidence = RunEvidence()
        self.staging: JsonlAppender | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GuardPipeline:
        settings = crawler.settings
        if not (
            run_enabled(settings)
            and settings.getbool("NEWSSPIDER_STATE_ENABLED", True)
            and settings.getbool("NEWSSPIDER_GUARD_ENABLED", True)
        ):
            raise NotConfigured
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        crawler.signals.connect(pipeline.item_seen, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.item_seen, signal=signals.item_dropped)
        return pipeline

    def spider_opened(self, spider: Any) -> None:
        store = store_of(self.crawler)
        if store is not None:
            self.baseline = Baseline.of(store.recent_runs(self.limits.history_runs))
        state = self.crawler.get_extension(CrawlState)
        if self.accept and state is not None and state.run_facts is not None:
            state.run_facts.baseline_reset = True  # this run's records are the site's new normal
            logger.warning("NEWSSPIDER_GUARD_ACCEPT: this run publishes what it extracts; baselines restart here")

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        store = store_of(self.crawler)
        if store is None or response.status != 200 or "cached" in response.flags:
            return
        url = _first_url(request)
        try:
            if store.url(url_key(request)) is not None:
                self.evidence.known_fetched.add(url)
        except StateCorrupt:
            return

    def item_seen(self, item: Any, response: Response | None = None, spider: Any = None, **_: Any) -> None:
        if response is not None and response.request is not None:
            self.evidence.with_item.add(_first_url(response.request))

    async def process_item(self, item: Any) -> Any:
        store = store_of(self.crawler)
        if store is None or self.accept:
            return item
        record = dict(ItemAdapter(item).items())
        previous = store.article(dedupe_key(record["canonical_url"])) if record.get("version", 1) > 1 else None
        reasons = doubts(record, previous, self.baseline, self.limits)
        self.observe(record, previous, reasons)
        if not reasons:
            return item
        spider = self.crawler.spider
        if self.staging is None:
            path = run_path(
                self.crawler.settings.get("OUTPUT_DIR", "output"), spider.name, spider.run_id, ".suspect.jsonl"
            )
            self.staging = JsonlAppender(path, self.crawler)
        try:
            self.staging.write({"url": record["url"], "reasons": reasons, "record": record})
        except OSError as error:
            stop_for_write_failure(self.crawler, self.staging.part_path, error)
        self.crawler.stats.inc_value("newsspider/guard/staged")
        raise DropItem(f"held until the end of the run ({'; '.join(reasons)}): {record['url']}", log_level="DEBUG")

    def observe(self, record: dict[str, Any], previous: Any, reasons: list[str]) -> None:
        evidence = self.evidence
        evidence.records.add(record)
        length = len(record.get("body") or "")
        facts = getattr(previous, "facts", None)
        if previous is not None:
            evidence.changed += 1
            evidence.changed_doubtful += bool(reasons)
            if facts is not None and facts.body_chars:
                evidence.changed_ratios.append(length / facts.body_chars)
        else:
            evidence.new += 1
            evidence.new_lengths.append(length)
            usual = self.baseline.body_chars_median
            evidence.new_short += bool(usual and length < self.limits.new_length_ratio * usual)

    async def close_spider(self) -> None:
        stats = self.crawler.stats
        drops = [] if self.accept else collapse(self.evidence, self.baseline, self.limits)
        if drops:
            stats.set_value("newsspider/guard/drops", drops)
            logger.warning("Quality guard: this run looks like a collapse: %s", "; ".join(drops))
        if self.staging is None:
            return
        if drops or write_failure(self.crawler) is not None:
            self.hold_back()
        else:
            self.release()

    def hold_back(self) -> None:
        assert self.staging is not None
        store = store_of(self.crawler)
        held = self.staging.count
        if store is not None and hasattr(store, "release_claim"):  # shared state: another run may emit them
            for line in self._staged():
                release_claim(store, dedupe_key(line["record"]["canonical_url"]), line["record"]["content_hash"])
        self.staging.close()
        stats = self.crawler.stats
        stats.set_value("newsspider/guard/held_back", held)
        stats.set_value("newsspider/guard/file", str(self.staging.path))
        logger.warning(
            "Quality guard: %d records held back in %s (publish them after review with `newsspider publish-suspect`)",
            held,
            self.staging.path,
        )

    def release(self) -> None:
        """An ordinary night after all: the staged records go out like the others (feed, summary, state)."""
        assert self.staging is not None
        spider = self.crawler.spider
        released = 0
        for line in self._staged():
            if write_failure(self.crawler) is not None:
                break
            item = ArticleItem(**line["record"])
            self.crawler.signals.send_catch_log(signals.item_scraped, item=item, response=None, spider=spider)
            released += 1
        self.crawler.stats.set_value("newsspider/guard/released", released)
        self.staging.discard()

    def _staged(self) -> Iterator[dict[str, Any]]:
        """The staged lines, one at a time (a redesign night may stage the whole archive)."""
        assert self.staging is not None
        yield from staged_records(self.staging.part_path)


def staged_records(path: Path) -> Iterator[dict[str, Any]]:
    """The whole lines of a suspect file (staging or held back): {"url", "reasons", "record"} each."""
    if path.exists():
        yield from (entry for entry in iter_records(path) if isinstance(entry.get("record"), dict))
