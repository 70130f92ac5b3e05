"""Page furniture (sidebars, widgets, footers, bio boxes) by tag and by name in several languages: never the article."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import html as lxml_html

from newsspider.extract.dom import precedes, squash


class MemoizedPattern:
    """A compiled regex whose `search` remembers its answers: templates repeat the same class names on every page,
    and scanning them with a long alternation is otherwise a large share of the extraction time."""

    def __init__(self, pattern: re.Pattern[str], cache_size: int = 1 << 15) -> None:
        self.pattern = pattern
        self.search = lru_cache(maxsize=cache_size)(pattern.search)


#: Containers of page furniture: whatever sits inside them is never the article's byline, date or text. ("promo"
#: boxes are furniture; a "node--promoted" article is only a state: promoted to the front page.)
FURNITURE_PATTERN = re.compile(
    r"sidebar|widget|recent|related|popular|trending|footer|comment|respond|(?:^|[-_\s])bio(?:$|[-_\s])|"
    r"about-author|author-?(?:box|info|bio|card|description|profile)|saboxplugin|newsletter|subscribe|"
    r"share|social|sharing|(?:^|[-_\s])nav|menu|breadcrumb|cookie|consent|gdpr|popup|modal|advert|"
    r"(?:^|[-_\s])ads?(?:$|[-_\s])|promo(?!ted(?:\s|$))|more-stories|read-next|keep-reading|yarpp|jp-relatedposts|"
    r"masthead|site-header|site-title|site-branding|logo|"
    # the same furniture named in other languages (pt, es, de, fr, it, pl, nl)
    r"rodape|pie-?de-?pagina|piepagina|fusszeile|pied-?de-?page|piede|stopka|voettekst|barra-?lateral|"
    r"seitenleiste|cabecalho|cabecera|kopfzeile|navegacao|navegacion|relacionad|correlat|verwandt|compartilh|"
    r"compartir|teilen|partager|condividi|publicidad|publicidade|werbung|anuncio",
    re.IGNORECASE,
)


FURNITURE = MemoizedPattern(FURNITURE_PATTERN)


_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "form", "header"})


_STATE_TOKEN = re.compile(r"^(?:has|with|no|is|show|hide|enable|disable)[-_]", re.IGNORECASE)


def class_and_id(element: lxml_html.HtmlElement) -> str:
    """The element's class tokens and id, without state tokens like "has-sidebar" that describe the page."""
    return _without_state_tokens(element.get("class", ""), element.get("id", ""))


@lru_cache(maxsize=1 << 15)
def _without_state_tokens(class_attribute: str, id_attribute: str) -> str:
    return " ".join(t for t in f"{class_attribute} {id_attribute}".split() if not _STATE_TOKEN.match(t))


def in_furniture(
    element: lxml_html.HtmlElement,
    stop: lxml_html.HtmlElement | None = None,
    lead_footers: frozenset[lxml_html.HtmlElement] = frozenset(),
) -> bool:
    """True when the element sits inside a sidebar, widget, comment area, bio box or similar.

    `lead_footers` are <footer> elements that open an article (see `article_lead_footers`): its meta line, not
    furniture."""
    node = element
    while node is not None and node is not stop:
        if not isinstance(node.tag, str):
            node = node.getparent()
            continue
        tag = node.tag.lower()
        if tag in {"body", "html"}:
            return False
        if tag in _FURNITURE_TAGS and tag != "header" and node not in lead_footers:
            return True
        if FURNITURE.search(class_and_id(node)):
            return True
        node = node.getparent()
    return False


def in_furniture_box(element: lxml_html.HtmlElement, page_chars: int) -> bool:
    """Inside a sidebar, footer, comment area or the like; a wrapper holding most of the page is no such box,
    whatever its name (whole pages sit in "ad_body" or "widget" wrappers)."""
    for node in (element, *element.iterancestors()):
        if node.tag in {"body", "html"}:
            return False
        if node.tag in {"nav", "footer", "aside", "form"}:
            return True
        if FURNITURE.search(class_and_id(node)) and len(squash(node.text_content())) < 0.6 * page_chars:
            return True
    return False


def article_lead_footers(tree: lxml_html.HtmlElement) -> frozenset[lxml_html.HtmlElement]:
    """<footer> elements of an <article> that come before its first paragraph of prose: the article's meta line
    ("Submitted by A on <date>", as Drupal themes write it), which HTML allows in a footer, not page furniture.
    A footer after the prose (topics, bios, newsletter) stays furniture."""
    found = []
    for footer in tree.iter("footer"):
        article = next(footer.iterancestors("article"), None)
        if article is None or FURNITURE.search(class_and_id(footer)) or len(footer.text_content()) > 300:
            continue
        prose = next((p for p in article.iter("p") if len(squash(p.text_content())) > 80), None)
        # document order: the footer ends before the first paragraph of prose begins
        if prose is not None and footer not in prose.iterancestors() and precedes(footer, prose):
            found.append(footer)
    return frozenset(found)
