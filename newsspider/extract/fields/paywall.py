"""Is the article behind a paywall? schema.org isAccessibleForFree (JSON-LD, microdata), its hasPart paywall markers,
a content-tier meta tag, or a visible subscribe-to-continue box; None when the page does not say."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsspider.extract.paywallbox import says_paywall
from newsspider.extract.structured import node_types

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis

_FREE = {"true": False, "false": True, "yes": False, "no": True}
#: Content tiers (Piano, Parse.ly, OpenGraph news extensions): "free" is free, "locked" and "metered" are gated.
_TIERS = {"free": False, "locked": True, "metered": True, "premium": True, "paid": True, "subscriber": True}


def paywalled(page: PageAnalysis) -> bool | None:
    """True when the page says the article is gated, False when it says it is free, None when it does not say.

    Structured data decides first (the article's isAccessibleForFree, a gated part among its hasPart, a content
    tier meta tag); otherwise a visible paywall box saying so ("Subscribe to continue reading") means True."""
    stated = _stated(page)
    if stated is not None:
        return stated
    says_so = any(says_paywall(box) for box in page.paywall_boxes)
    return True if says_so else None  # an empty "paywall" placeholder is furniture, but says nothing


def _stated(page: PageAnalysis) -> bool | None:
    article = page.article
    if article is not None:
        parts = page.data.resolve(article.get("hasPart"))
        for part in parts if isinstance(parts, list) else [parts]:
            part = page.data.resolve(part)
            if isinstance(part, dict) and _free(part.get("isAccessibleForFree")) is False:
                return True  # a gated part (its cssSelector names it) makes the article paywalled
        if (free := _free(article.get("isAccessibleForFree"))) is not None:
            return not free
    for node in page.data.jsonld_nodes:  # no article node says it: the WebPage may
        if node is article or node_types(node) & {"webpageelement"}:
            continue
        if (free := _free(node.get("isAccessibleForFree"))) is not None:
            return not free
    microdata = [_free(value) for value in page.data.all_meta("isaccessibleforfree")]
    if False in microdata:
        return True
    if True in microdata:
        return False
    tier = (page.data.first_meta("article:content_tier", "content_tier") or "").strip().lower()
    return _TIERS.get(tier)


def _free(value: Any) -> bool | None:
    """isAccessibleForFree as a boolean: true, false, or the strings "True"/"False" pages write; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        gated = _FREE.get(value.strip().lower())
        return None if gated is None else not gated
    return None
