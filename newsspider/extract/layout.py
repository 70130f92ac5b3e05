"""Find the article's own region in a page, so that bylines and dates are never read from sidebars or widgets."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import html as lxml_html


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
#: Where a site's category archives live: WordPress's /category/<slug>/ (or its translations) and ?cat=N.
CATEGORY_HREF = re.compile(
    r"/(?:category|categories|categoria|categorias|categorie|kategorie|kategoria|kategorien)/|[?&]cat=\d", re.I
)
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "form", "header"})
_ARTICLE_CLASSES = re.compile(r"(?:^|\s)(?:hentry|type-post|single-post|post-content|article|story)(?:\s|$)", re.I)


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
        if prose is not None and footer not in prose.iterancestors() and _precedes(footer, prose):
            found.append(footer)
    return frozenset(found)


def _precedes(first: lxml_html.HtmlElement, second: lxml_html.HtmlElement) -> bool:
    for element in first.getroottree().iter():
        if element is first:
            return True
        if element is second:
            return False
    return False


def main_heading(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The article's <h1>: inside an <article> or titled like an entry title, never one in the furniture.

    A page without one: the element showing its <title> (or the headline part of it); a page without a <title>
    either: the heading nearest above its prose."""
    candidates = [h for h in tree.iter("h1") if not in_furniture(h)]
    if not candidates:
        # Some templates (Blogger's "widget Blog") wrap the whole post in a furniture-like name.
        candidates = [h for h in tree.iter("h1") if not h.xpath("ancestor::nav or ancestor::footer")]
    if not candidates:
        candidates = [
            h
            for h in tree.xpath('//*[self::h2 or self::h3 or self::div or self::span][contains(@class, "title")]')
            if re.search(r"entry-title|post-title|article-title|headline", h.get("class", "")) and not in_furniture(h)
        ]
    for heading in candidates:
        if heading.xpath("ancestor::article") or re.search(
            r"entry-title|post-title|headline", heading.get("class", "")
        ):
            return heading
    if candidates:
        return candidates[0]
    return shown_title(tree) if (tree.findtext(".//title") or "").strip() else heading_above_prose(tree)


#: How titles join the headline and the site's name: "Headline - Site", "Site :: Headline", "Site | Headline".
_TITLE_PARTS = re.compile(r"\s+(?:[-|–—:·•»]|::)\s+|\s*[|–—·•»]\s*")
_HEADLINE_NAMES = re.compile(r"headline|title|heading", re.IGNORECASE)
_HEADLINE_CHARS = (10, 300)


def squash(text: str) -> str:
    """Whitespace collapsed, nothing else: enough for lengths and label matching, and much cheaper than clean_text."""
    return " ".join(text.split())


def shown_title(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element showing the <title> or a part of it of three words or more: titles join the headline and the
    site's name, and the page shows the headline."""
    title = squash(tree.findtext(".//title") or "")
    parts = {title.casefold()} | {p.casefold() for p in _TITLE_PARTS.split(title) if len(p.split()) >= 3}
    body = tree.find("body")
    for element in body.iter() if body is not None else ():
        own = (element.text or "").strip() if isinstance(element.tag, str) else ""
        if not own or len(own) > _HEADLINE_CHARS[1] or element.tag in {"a", "script", "style", "option", "title"}:
            continue
        text = squash(element.text_content())
        if (
            _HEADLINE_CHARS[0] <= len(text) <= _HEADLINE_CHARS[1]
            and text.casefold() in parts
            and not element.xpath("ancestor::a")
            and not in_furniture(element)
        ):
            return element
    return None


def heading_above_prose(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """For a page without a <title>: the heading (h2-h4, or a box named like a headline) nearest above its prose."""
    container = main_prose_container(tree)
    if container is None:
        return None
    first = next((child for child in container if len(squash(child.text_content())) >= 80), container)
    stop = set(first.iterancestors()) | {first}
    heading = None
    for element in tree.iter():
        if element is first:
            break
        if element in stop or not isinstance(element.tag, str):
            continue
        if element.tag in {"h2", "h3", "h4"} or _HEADLINE_NAMES.search(class_and_id(element)):
            text = squash(element.text_content())
            if _HEADLINE_CHARS[0] <= len(text) <= _HEADLINE_CHARS[1] and not in_furniture(element):
                heading = element
    return heading


def article_root(tree: lxml_html.HtmlElement, heading: lxml_html.HtmlElement | None) -> lxml_html.HtmlElement:
    """The smallest container around the heading that also holds the article's paragraphs."""
    if heading is not None:
        article = heading.xpath("ancestor::article[1]")
        if article:
            return article[0]
        node = heading.getparent()
        while node is not None and node.tag not in {"body", "html"}:
            if _ARTICLE_CLASSES.search(node.get("class", "")) or len(node.xpath(".//p")) >= 2:
                return node
            node = node.getparent()
    articles = [a for a in tree.iter("article") if not in_furniture(a)]
    if len(articles) == 1:
        return articles[0]
    body = tree.find("body")
    return body if body is not None else tree


def main_text_holders(tree: lxml_html.HtmlElement, count: int = 3) -> list[lxml_html.HtmlElement]:
    """The elements holding the most text of their own (text and children's tails): where an article's prose is."""
    scored = []
    for element in tree.iter("p", "div", "td", "section", "article", "font", "span"):
        own = len((element.text or "").strip()) + sum(len((child.tail or "").strip()) for child in element)
        if own:
            scored.append((own, element))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return [element for _, element in scored[:count]]


_PROSE_TAGS = frozenset({"p", "div", "td", "section", "article", "font", "span", "li", "blockquote"})


def main_prose_container(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element whose children hold the most text: the article's paragraphs sit side by side in it, while a
    footer line or a sidebar blurb, however long, stands alone."""
    totals: dict[lxml_html.HtmlElement, int] = {}
    for text in tree.xpath("//text()"):
        length = len(text.strip())
        if not length:
            continue
        owner = text.getparent()  # the element this text belongs to (for a tail: the element's parent)
        if text.is_tail and owner is not None:
            owner = owner.getparent()
        if owner is None or owner.tag not in _PROSE_TAGS:
            continue
        parent = owner.getparent()
        if parent is not None:
            totals[parent] = totals.get(parent, 0) + length
    return max(totals, key=totals.__getitem__) if totals else None
