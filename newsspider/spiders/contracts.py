"""`scrapy check` contracts on pages shipped with the package, so the check needs no network and checks real work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.contracts import Contract

#: The offline EU Reporter mirror in the package (the demo's).
DEMO_MIRROR = Path(__file__).resolve().parents[1] / "demo" / "eureporter"


class DemoPageContract(Contract):
    """`@demo_page PATH`: the sample response is the demo mirror's page at PATH (a `/path/` is its index.html)."""

    name = "demo_page"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        page = DEMO_MIRROR / self.args[0].strip("/")
        args["url"] = (page / "index.html" if page.is_dir() else page).as_uri()
        return args
