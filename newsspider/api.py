"""The Python API for notebooks: extract one page, load the runs as a typed table, query them with DuckDB."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from newsspider.extract import ExtractionResult

UNKNOWN_URL = "file:///unknown"


def extract_result(html: str | bytes, url: str | None = None, site: str | None = None) -> ExtractionResult:
    """The extraction of one page, as the crawl does it: `.record` (a dict) when the page is an article, else
    None and `.reason` (`not-article: ...`, `unparseable: ...`). `site` names a profile (an unknown name is a
    KeyError); without it the profile is chosen by the URL's domain. Without `url`, the page's own canonical
    address (`rel=canonical`, `og:url`) stands in for it, else `file:///unknown`."""
    from newsspider.extract import extract_article
    from newsspider.sites import get_profile, profile_for_url

    profile = get_profile(site) if site else None
    if url is not None:
        return extract_article(html, url, profile or profile_for_url(url))
    # Without an address, the page's own canonical one (rel=canonical, og:url) stands in for it, as the crawl
    # would have fetched it there: a second pass with it (its site profile, its URL rules).
    result = extract_article(html, UNKNOWN_URL, profile)
    if result.record is None or result.record["canonical_url"] == UNKNOWN_URL:
        return result
    canonical = result.record["canonical_url"]
    return extract_article(html, canonical, profile or profile_for_url(canonical))


def extract(html: str | bytes, url: str | None = None, site: str | None = None) -> dict[str, Any] | None:
    """The record of one article page (schema fields, as `newsspider extract` prints it), or None when the page
    is not an article; `extract_result()` gives the reason."""
    return extract_result(html, url, site).record


def load(output_dir: str | os.PathLike[str] = "output", site: str | None = None, latest: bool = True) -> pa.Table:
    """Every run under `output_dir` (one site's, or every site's) as a pyarrow Table with the Parquet export's
    schema: one row per article, its latest version (by `canonical_url`), or every version with `latest=False`.
    Raises `newsspider.export.merge.ExportError` for a missing folder or an unknown site, and its subclass
    `BadRecordError` (a ValueError) naming the file and line of a record that cannot be read."""
    from newsspider.export.merge import load_table

    return load_table(output_dir, site, latest)


def arrow_schema() -> pa.Schema:
    """The one Arrow schema of `load()` and of every export."""
    from newsspider.export.schema import arrow_schema as schema

    return schema()


def duckdb_view_sql(
    output_dir: str | os.PathLike[str] = "output", site: str | None = None, name: str = "article_versions"
) -> str:
    """SQL creating a DuckDB view `name` over the runs' JSONL files that exist now: every version of every
    article, with the export's column types (run it again to see later runs)."""
    from newsspider.export.merge import run_files, site_dirs
    from newsspider.export.sql import view_sql

    return view_sql(run_files(site_dirs(output_dir, site)), name)
