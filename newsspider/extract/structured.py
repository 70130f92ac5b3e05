"""Read the structured data pages publish (JSON-LD, OpenGraph and meta tags, microdata) from one parsed tree."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "asknewsarticle",
        "satiricalarticle",
        "blogposting",
        "liveblogposting",
        "report",
        "techarticle",
        "scholarlyarticle",
    }
)
LISTING_TYPES = frozenset(
    {"collectionpage", "profilepage", "searchresultspage", "itemlist", "aboutpage", "contactpage", "faqpage"}
)


@dataclass
class StructuredData:
    """What a page says about itself in machine-readable form."""

    jsonld_nodes: list[dict[str, Any]] = field(default_factory=list)
    jsonld_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)
    microdata: dict[str, list[str]] = field(default_factory=dict)
    microdata_authors: list[str] = field(default_factory=list)

    def types(self) -> set[str]:
        return {t for node in self.jsonld_nodes for t in node_types(node)}

    def article_node(self, url: str | None = None) -> dict[str, Any] | None:
        """The JSON-LD node describing the article on this page (the one whose url matches, else the first)."""
        candidates = [n for n in self.jsonld_nodes if node_types(n) & ARTICLE_TYPES]
        if not candidates:
            return None
        if url and len(candidates) > 1:
            key = url.rstrip("/")
            for node in candidates:
                for ref in (node.get("url"), node.get("mainEntityOfPage"), node.get("@id")):
                    ref = ref.get("@id") if isinstance(ref, dict) else ref
                    if isinstance(ref, str) and ref.split("#")[0].rstrip("/") == key:
                        return node
        return max(candidates, key=lambda n: (bool(n.get("headline")), bool(n.get("datePublished"))))

    def resolve(self, value: Any) -> Any:
        """Follow an {"@id": ...} reference to the node it names, as Yoast's @graph uses them."""
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.jsonld_by_id.get(str(value["@id"]), value)
        return value

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value and value.strip():
                    return value.strip()
        return None

    def all_meta(self, key: str) -> list[str]:
        return [v.strip() for v in self.meta.get(key, ()) if v and v.strip()]


def node_types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type", ())
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return {str(v).rsplit("/", 1)[-1].lower() for v in values}


_JSON_COMMENTS = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_TRAILING_COMMAS = re.compile(r",\s*([}\]])")


def _load_json(text: str) -> Any:
    text = _JSON_COMMENTS.sub("", text.strip())
    try:
        return json.loads(text, strict=False)
    except ValueError:
        try:
            return json.loads(_TRAILING_COMMAS.sub(r"\1", text), strict=False)
        except ValueError:
            return None


def _flatten(value: Any, into: list[dict[str, Any]]) -> None:
    if isinstance(value, list):
        for item in value:
            _flatten(item, into)
    elif isinstance(value, dict):
        graph = value.get("@graph")
        if graph is not None:
            _flatten(graph, into)
        if "@type" in value:
            into.append(value)
        for key in ("mainEntity", "itemListElement"):
            if isinstance(value.get(key), dict) and "@type" in value[key]:
                _flatten(value[key], into)


def read_structured_data(tree: lxml_html.HtmlElement) -> StructuredData:
    data = StructuredData()
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        loaded = _load_json(script.text_content() or "")
        if loaded is not None:
            _flatten(loaded, data.jsonld_nodes)
    for node in data.jsonld_nodes:
        if isinstance(node.get("@id"), str):
            data.jsonld_by_id.setdefault(node["@id"], node)
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content is not None:
            data.meta.setdefault(key.strip().lower(), []).append(content)
    for element in tree.xpath("//*[@itemprop][not(self::meta)]"):
        prop = element.get("itemprop", "").strip().lower()
        if prop == "author":
            names = element.xpath('.//*[@itemprop="name"]')
            name = (names[0].get("content") or names[0].text_content()) if names else element.text_content()
            data.microdata_authors.append(name)
        elif prop in {"headline", "datepublished", "datemodified"}:
            value = element.get("content") or element.get("datetime") or element.text_content()
            data.microdata.setdefault(prop, []).append(value)
    return data
