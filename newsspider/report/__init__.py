"""`newsspider report`: one self-contained HTML page on a crawl's history, to see at a glance how the nights went."""

from __future__ import annotations

import os
from pathlib import Path

from newsspider.export.merge import site_dirs


def build_report(
    output_dir: str | os.PathLike[str] = "output",
    state_dir: str | os.PathLike[str] | None = "state",
    site: str | None = None,
) -> str:
    """The report's HTML for one site or every site under `output_dir` (ExportError for a missing folder or an
    unknown site, BadRecordError for an unreadable run line, as `newsspider export`)."""
    from newsspider.report.data import read_site
    from newsspider.report.page import render

    state = Path(state_dir) if state_dir is not None else None
    return render([read_site(folder, state) for folder in site_dirs(output_dir, site)])


def write_report(html: str, destination: Path) -> None:
    """Write the page beside its target and rename it over, so a reader never sees half a page."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f"{destination.name}.{os.getpid()}.part")
    try:
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
