"""newsspider: crawl news sites with Scrapy and turn article pages into clean, versioned JSONL records."""

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
SCHEMA_VERSION = 2

if TYPE_CHECKING:
    from newsspider.api import arrow_schema, duckdb_view_sql, extract, extract_result, load

# The Python API (newsspider/api.py) is imported on first use, so `import newsspider` stays cheap: no Scrapy,
# trafilatura or pyarrow until a function needs them.
__all__ = ["SCHEMA_VERSION", "__version__", "arrow_schema", "duckdb_view_sql", "extract", "extract_result", "load"]
_API = frozenset(__all__[2:])


def __getattr__(name: str) -> Any:
    if name in _API:
        from newsspider import api

        function = getattr(api, name)
        globals()[name] = function
        return function
    raise AttributeError(f"module 'newsspider' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """`newsspider.extract` is the API function although a subpackage has the same name: importing a submodule
    sets it as an attribute of its package, which would shadow the function, so that one assignment is refused.
    The subpackage stays importable (`from newsspider.extract import extract_article`, `importlib.import_module`);
    only `import newsspider.extract as name` gives the function."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
