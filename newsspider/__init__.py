"""newsspider: crawl news sites with Scrapy and turn article pages into clean, versioned JSONL records."""

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
SCHEMA_VERSION = 1

if TYPE_CHECKING:
    from newsspider.api import arrow_schema, duckdb_view_sql, extract, extract_result, load

# The Python API (newsspider/api.py) is imported on first use, so `import newsspider` stays cheap: no Scrapy,
# trafilatura or pyarrow until a function needs them.
__all__ = ["SCHEMA_VERSION", "__version__", "arrow_schema", "duckdb_view_sql", "extract", "extract_result", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from newsspider import api

        return getattr(api, name)
    raise AttributeError(f"module 'newsspider' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
