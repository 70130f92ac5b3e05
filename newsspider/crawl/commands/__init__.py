"""Project commands: `scrapy crawl` exits with the run's documented status; `shell`, `parse` and `check` look at
pages without writing run files, taking a site's lock or touching its state."""

from __future__ import annotations

from typing import Any, ClassVar


class Inspection:
    """For commands that look at pages: no feed, run summary, rejects file, lock or state (NEWSSPIDER_RUN_FILES)."""

    #: Components that write a run's files or hold its lock and state.
    RUN_COMPONENTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "EXTENSIONS": ("newsspider.crawl.extensions.RunLock", "newsspider.crawl.state.CrawlState",
                       "newsspider.crawl.extensions.RunSummary"),
        "ITEM_PIPELINES": ("newsspider.crawl.pipelines.ValidationPipeline", "newsspider.crawl.state.StatePipeline"),
    }  # fmt: skip

    settings: Any

    def process_options(self, args: list[str], opts: Any) -> None:
        super().process_options(args, opts)  # type: ignore[misc]
        for setting, components in self.RUN_COMPONENTS.items():
            enabled = dict(self.settings.getdict(setting))
            enabled.update(dict.fromkeys(components))
            self.settings.set(setting, enabled, priority="cmdline")
        for setting in ("NEWSSPIDER_RUN_FILES", "NEWSSPIDER_LOCK_ENABLED", "NEWSSPIDER_STATE_ENABLED"):
            self.settings.set(setting, False, priority="cmdline")
