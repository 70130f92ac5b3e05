"""What a run did, in one summary (log line and <run>.summary.json), and the exit status that follows from it."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from newsspider.crawl.extensions import STOP_CODE, STOP_REASONS, ExitCode

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: How a run that did not stop by itself ended: a signal (Scrapy's "shutdown"), a second signal ("killed"), or a
#: CLOSESPIDER_* limit. A run stopped by one of our own limits (newsspider/limits/*) has completed its night.
INTERRUPTED_REASONS = frozenset({"shutdown", "killed", "cancelled"})


def interrupted(reason: str) -> bool:
    return reason in INTERRUPTED_REASONS or reason.startswith("closespider_")


def error_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Failed pages by kind: ours (newsspider/errors/*) and Scrapy's callbacks that raised (spider_exceptions/*)."""
    errors = {k.removeprefix("newsspider/errors/"): v for k, v in stats.items() if k.startswith("newsspider/errors/")}
    for key, count in stats.items():
        if key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            errors["spider_exception_" + key.removeprefix("spider_exceptions/")] = count
    return dict(sorted(errors.items()))


def _under(stats: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k.removeprefix(prefix): v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def build_summary(crawler: Crawler, reason: str) -> dict[str, Any]:
    stats = crawler.stats.get_stats()
    spider = crawler.spider
    started = stats.get("start_time")
    finished = datetime.now(timezone.utc)
    # robots.txt is fetched once; the spider's own request for it is answered from that response (not a page).
    pages = stats.get("response_received_count", 0) - stats.get("newsspider/robots/served_from_cache", 0)
    errors = error_counts(stats)
    deferred = stats.get("newsspider/deferred/count", 0)
    attempted = pages + stats.get("newsspider/requests/failed_no_response", 0)
    return {
        "spider": spider.name,
        "run_id": getattr(spider, "run_id", None),
        "base_url": getattr(spider, "base_url", None),
        "finish_reason": reason,
        "started": started.isoformat() if started else None,
        "finished": finished.isoformat(timespec="seconds"),
        "duration_seconds": round((finished - started).total_seconds(), 3) if started else None,
        "pages_fetched": pages,
        "bytes": stats.get("downloader/response_bytes", 0),
        "articles": {
            "new": stats.get("newsspider/articles/new", 0),
            "updated": stats.get("newsspider/articles/updated", 0),
            "unchanged": stats.get("newsspider/articles/unchanged", 0),
            "written": stats.get("newsspider/articles/written", 0),
            "skipped_known": stats.get("newsspider/incremental/skipped", 0),
            "held_back": stats.get("newsspider/guard/held_back", 0),
        },
        "duplicates_skipped": stats.get("newsspider/duplicates_skipped", 0),
        "broken_links": stats.get("newsspider/broken_links", 0),
        "rejects": stats.get("newsspider/rejects", 0),
        "not_articles": stats.get("newsspider/pages/not_article", 0),
        "not_html": stats.get("newsspider/pages/not_html", 0),
        "errors": errors,
        "error_ratio": round(sum(errors.values()) / attempted, 4) if attempted else 0.0,
        "deferred": {
            "count": deferred,
            "by_reason": _under(stats, "newsspider/deferred/reason/"),
            "urls": stats.get("newsspider/deferred/urls", []),
        },
        "robots": {
            "refused": stats.get("newsspider/robots/refused", 0),
            "allowed": stats.get("newsspider/robots/allowed", 0),
            "refused_everything": refused_everything(stats),
            "hosts": _under(stats, "newsspider/robots/rules/"),
        },
        "limits": _under(stats, "newsspider/limits/"),
        "guard": {
            "held_back": stats.get("newsspider/guard/held_back", 0),
            "file": stats.get("newsspider/guard/file"),
            "drops": stats.get("newsspider/guard/drops", []),
        },
        "state": {
            "recovered_records": stats.get("newsspider/recovered_records", 0),
            "rebuilt": stats.get("newsspider/state/rebuilt"),
            "ingested_runs": stats.get("newsspider/state/ingested_runs", 0),
        },
        "output": {
            "write_error": stats.get("newsspider/output/write_error"),
        },
    }


def refused_everything(stats: dict[str, Any]) -> bool:
    """robots.txt refused URLs, and let none through."""
    return stats.get("newsspider/robots/refused", 0) > 0 and stats.get("newsspider/robots/allowed", 0) == 0


def decide_exit_code(crawler: Crawler, reason: str, summary: dict[str, Any], max_error_ratio: float) -> ExitCode:
    stats = crawler.stats.get_stats()
    stopped = stats.get(STOP_CODE)
    if stopped:  # our own early stop (lock, unwritable output, a failed write, corrupt state) wins
        return ExitCode(stopped)
    if reason in STOP_REASONS:
        return STOP_REASONS[reason]
    if interrupted(reason):
        return ExitCode.INTERRUPTED
    outcome = _outcome(crawler, summary, max_error_ratio)
    if outcome != ExitCode.OK:
        return outcome
    if summary["guard"]["drops"]:
        return ExitCode.QUALITY_DROP
    if summary["state"]["rebuilt"]:
        return ExitCode.STATE_CORRUPT
    return ExitCode.OK


def _outcome(crawler: Crawler, summary: dict[str, Any], max_error_ratio: float) -> ExitCode:
    stats = crawler.stats.get_stats()
    if summary["pages_fetched"] == 0:
        failed = stats.get("newsspider/requests/failed_no_response", 0)
        if crawler.settings.get("REDIS_URL") and not failed and not summary["robots"]["refused"]:
            return ExitCode.OK  # a worker of a shared crawl that found no work left: a quiet night, not a failure
        return ExitCode.UNREACHABLE
    if summary["robots"]["refused_everything"]:
        return ExitCode.ROBOTS_DENIED
    found = stats.get("newsspider/pages/article", 0) + stats.get("newsspider/incremental/skipped", 0)
    if found == 0:
        # Every page that could have been an article was deferred by Retry-After: the night is lost, say so.
        return ExitCode.TOO_MANY_ERRORS if summary["deferred"]["count"] else ExitCode.NOTHING_DISCOVERED
    if summary["error_ratio"] > max_error_ratio:
        return ExitCode.TOO_MANY_ERRORS
    return ExitCode.OK


def log_summary(summary: dict[str, Any]) -> None:
    articles = summary["articles"]
    notes = []
    if summary["deferred"]["count"]:
        notes.append(f"{summary['deferred']['count']} deferred to the next run")
    if summary["robots"]["refused"]:
        everything = " (everything)" if summary["robots"]["refused_everything"] else ""
        notes.append(f"{summary['robots']['refused']} refused by robots.txt{everything}")
    if summary["limits"]:
        notes.append(f"limits reached {summary['limits']}")
    if summary["guard"]["drops"]:
        notes.append(f"{articles['held_back']} held back by the quality guard: {'; '.join(summary['guard']['drops'])}")
    if summary["state"]["rebuilt"]:
        notes.append(f"state rebuilt: {summary['state']['rebuilt']}")
    if summary["output"]["write_error"]:
        notes.append(f"write failed: {summary['output']['write_error']}")
    logger.info(
        "newsspider summary: %s %s in %ss: %d pages, %d written (%d new, %d updated, %d unchanged, "
        "%d known skipped), %d duplicates, %d rejects, errors %s%s, %d bytes, exit %d (%s: %s)",
        summary["spider"],
        summary["finish_reason"],
        summary["duration_seconds"],
        summary["pages_fetched"],
        articles["written"],
        articles["new"],
        articles["updated"],
        articles["unchanged"],
        articles["skipped_known"],
        summary["duplicates_skipped"],
        summary["rejects"],
        summary["errors"] or "none",
        "".join(f", {note}" for note in notes),
        summary["bytes"],
        summary["exit_code"],
        summary["exit_status"],
        summary["exit_meaning"],
    )
