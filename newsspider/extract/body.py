"""The article body: prepare the DOM (reveal collapsed text, drop widgets), let trafilatura pick, flatten."""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from newsspider.extract.layout import CATEGORY_HREF, FURNITURE, class_and_id, main_prose_container, squash
from newsspider.normalize import clean_text

try:  # the content containers trafilatura looks for before it falls back to collecting stray text
    from trafilatura.xpaths import BODY_XPATH as _TRAFILATURA_CONTAINERS
except ImportError:  # pragma: no cover - another trafilatura layout: then assume it finds its own container
    _TRAFILATURA_CONTAINERS = None
try:  # the blocks trafilatura drops by their names ("expand", "slide", "meta", "hidden"...) inside the container
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH as _TRAFILATURA_DISCARDS
except ImportError:  # pragma: no cover - another trafilatura layout: then nothing is renamed
    _TRAFILATURA_DISCARDS = None

#: Labels of buttons and links that expand, continue or advertise more reading; never article text.
CALL_TO_ACTION = re.compile(
    r"^\W*(?:keep reading|read more|continue reading|read the (?:full|rest of the) (?:story|article)|"
    r"show more|see more|load more|read full (?:story|article)|click here to read more|expand|"
    r"weiterlesen|mehr lesen|lire la suite|leer más|seguir leyendo|continua a leggere|czytaj dalej|"
    r"leia mais|share this|share this article|share on \w+|related posts?|recent posts?|"
    r"you may also like|also read|read also|more from \w+|advertisement|sponsored|don'?t miss|"
    r"order reprints?|print(?: this)? article|tell us what you think)\W*$",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0", re.IGNORECASE)
_HIDDEN_CLASSES = re.compile(
    r"(?:^|\s)(?:collapse|collapsed|hidden|is-hidden|hide|d-none|truncated|more-content|read-more-content|"
    r"expandable|js-hidden)(?=\s|$)",
    re.IGNORECASE,
)
_OVERLAY = re.compile(r"popup|modal|newsletter|cookie|consent|gdpr|overlay|dialog|lightbox|subscribe|paywall", re.I)
_MIN_PARAGRAPH_CHARS = 40
#: Collapsed blocks that hold paragraphs but never the article's: comment threads, menus, sidebars.
_NOT_PROSE_NAMES = re.compile(r"comment|respond|repl(?:y|ies)|discussion|menu|(?:^|[-_\s])nav|sidebar|widget", re.I)
_MAX_BOX_SHARE = 0.2  # a related-links box is a small part of a page
#: Stand-alone lines that are never article text: picture credits and dateline stamps.
_CREDIT_LINE = re.compile(
    r"^(?:photo|image|picture|foto|bild|credit|illustration)s?\s*(?:by|:|©)|"
    r"[.)\s/|](?:getty images|reuters|afp|ap photo|epa|shutterstock|istock(?:photo)?|alamy)\s*$|©",
    re.IGNORECASE,
)
_STAMP_LINE = re.compile(r"^(?:last\s+)?(?:updated|published|posted|modified)(?:\s+(?:at|on))?\s*:?\s*\S.*\d", re.I)
_MAX_FURNITURE_LINE = 200
_DATE_WORDS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?|at|am|pm|utc|gmt|cet|cest|ist|et|est|edt|pst|pdt|"
    # month names and date connectors of fr, de, es, it, pt, nl ("7 septembre 2022", "7 de septiembre de 2022")
    r"janvier|januar|januari|enero|gennaio|janeiro|février|februar|februari|febrero|febbraio|fevereiro|mars|"
    r"märz|maart|marzo|março|avril|abril|aprile|mai|mei|mayo|maggio|maio|juin|juni|junio|giugno|junho|juillet|"
    r"juli|julio|luglio|julho|août|augustus|agosto|septembre|septiembre|settembre|setembro|octobre|oktober|"
    r"octubre|ottobre|outubro|novembre|noviembre|novembro|décembre|dezember|diciembre|dicembre|dezembro|"
    r"le|de|del|um|à|às|alle|om|h"
)
#: A line that is nothing but a date (and maybe a time): a dateline stamp, never article prose.
_DATE_ONLY_LINE = re.compile(rf"^(?:(?:{_DATE_WORDS})\b|\d{{1,4}}|[\s,./:|–-])+$", re.IGNORECASE)
_LEAD_PARAGRAPHS = 3
#: Pieces of an article header line: "A & B / 17 May 2023 / No Comments", "Date | Last updated date", "(Updated …)".
_HEADER_SEPARATORS = re.compile(r"\s+[-–—]\s+|\s*[|•·/()\[\]]\s*")
_COMMENT_COUNT = re.compile(
    r"^(?:no|one|\d+)\s+comments?$|^comments?\s*:?\s*\d*$|^leave an?\s+(?:comment|reply)$", re.IGNORECASE
)
#: Labels of a date line that give the date of the last change, in en, fr, de, es, it, pt, nl and pl.
MODIFIED_LABEL = (
    r"(?:last\s+)?(?:updated|modified|edited)|zuletzt\s+(?:aktualisiert|geändert)|aktualisiert|geändert|"
    r"dernière\s+(?:modification|mise\s+à\s+jour)|mis\s+à\s+jour|modifié|"
    r"última\s+(?:actualización|modificación|atualização|modificação)|actualizado|modificado|atualizado|"
    r"ultimo\s+aggiornamento|ultima\s+modifica|aggiornato|modificato|laatst\s+(?:bijgewerkt|gewijzigd)|"
    r"bijgewerkt|gewijzigd|ostatnia\s+(?:aktualizacja|modyfikacja)|zaktualizowano|zmodyfikowano"
)
#: Labels of a date line that give the publication date, in the same languages.
PUBLISHED_LABEL = (
    r"published|posted|first\s+published|date|publié|mis\s+en\s+ligne|veröffentlicht|publiziert|erschienen|"
    r"publicado|pubblicato|gepubliceerd|geplaatst|opublikowano|data\s+publikacji"
)
#: Words between a date label and its date ("Updated on", "Publié le", "Aktualisiert am", "Publicado el").
DATE_LABEL_JOINER = r"(?:\s+(?:at|on|am|um|le|el|em|il|op|dnia))?\s*:?\s*"
_STAMP_PREFIX = re.compile(rf"^(?:{MODIFIED_LABEL}|{PUBLISHED_LABEL}){DATE_LABEL_JOINER}", re.IGNORECASE)
_BYLINE_WORDS = frozenset({"by", "and", "&", ",", "with", "posted", "written", "reported", "words", "text", "story"})
_YEAR_OR_CLOCK = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}:\d{2}\b")
# XPath pre-filters, evaluated in C: Python then looks only at the few elements they return.
_MAYBE_HIDDEN = etree.XPath(
    "//@style[contains(., 'none') or contains(., 'hidden') or contains(., 'max-height')]/.. | "
    "//@class[contains(., 'collapse') or contains(., 'hid') or contains(., 'd-none') or contains(., 'truncat') or "
    "contains(., 'more') or contains(., 'expand')]/.. | //*[@hidden] | //*[@aria-hidden='true']"
)
_TEXT_NODES = etree.XPath("//text()")
_LABEL_TAGS = frozenset({"a", "button", "span", "div", "p", "h2", "h3", "h4", "h5", "h6", "strong", "label", "summary"})
_NAMED_BOXES = etree.XPath("//*[self::div or self::section or self::aside or self::ul or self::span][@class or @id]")
_NAMED_BOXES_INSIDE = etree.XPath(
    ".//*[self::div or self::section or self::aside or self::ul or self::span][@class or @id]"
)
#: Labels of links to an author's page ("All articles by Jane Doe", "More from Jane Doe", "View all posts by
#: Jane Doe", "More articles"): never a name, and the box holding one is an author bio box.
AUTHOR_PAGE_LABEL = re.compile(
    r"^\W*(?:(?:view|see|read|browse|show)\s+)?(?:all|more|other|latest|recent)\s+"
    r"(?:(?:articles|posts|stories|news|columns|reports|pieces|work|content)\s+)?(?:by|from)\s+\S.*$|"
    r"^\W*(?:(?:view|see|read|browse|show)\s+)?(?:all|more|other|latest|recent)\s+"
    r"(?:articles|posts|stories|columns|reports|pieces)\W*$|"
    r"^\W*(?:view|see|read)\s+(?:the\s+)?(?:full\s+)?(?:author(?:'s)?\s+)?(?:profile|bio(?:graphy)?)\W*$|"
    r"^\W*(?:articles|posts|stories)\s+by\s+\S.*$",
    re.IGNORECASE,
)
#: Where author pages live: "More from X" or "More articles" closes a bio box only when it links to one.
_AUTHOR_HREF = re.compile(
    r"/(?:author|authors|autor|auteur|profile|profiles|people|staff|writers?|journalists?|columnists?|"
    r"contributors?|reporters?)/|[?&]author=",
    re.IGNORECASE,
)
_MAX_AUTHOR_BOX_CHARS = 1200
_BOX_TAGS = frozenset({"div", "section", "aside", "footer", "li", "article", "figure", "table", "td"})
#: Body-level blocks: what an article body container holds side by side.
_PROSE_BLOCKS = frozenset({"p", "blockquote", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "pre", "table", "figure"})
_CONTAINER_TAGS = frozenset({"div", "section", "article", "main"})
_MIN_CONTAINER_CHARS = 400
_BODY_PARAGRAPH_CHARS = 80


def _is_hidden(element: lxml_html.HtmlElement) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style", "")))
        or bool(_HIDDEN_CLASSES.search(element.get("class", "")))
    )


def _link_density(element: lxml_html.HtmlElement) -> float:
    text = len(squash(element.text_content()))
    if not text:
        return 1.0
    linked = sum(len(squash(a.text_content())) for a in element.iter("a"))
    return linked / text


def _prose_paragraphs(element: lxml_html.HtmlElement, min_chars: int = _MIN_PARAGRAPH_CHARS) -> list[int]:
    """Lengths of the paragraphs of prose in an element: <p>s of some length that are not mostly links."""
    lengths = []
    for paragraph in element.iter("p"):
        length = len(squash(paragraph.text_content()))
        if length >= min_chars and _link_density(paragraph) < 0.5:
            lengths.append(length)
    return lengths


def continues_prose(element: lxml_html.HtmlElement) -> bool:
    """A collapsed block that continues the article's text: paragraphs of prose, few links, placed after
    paragraphs of prose in its own block (or the block around it), and not inside a sidebar, footer or form.

    "Keep Reading" remainders are often named after the widget ("keep-reading__rest"), which reads like furniture;
    the place and the paragraphs tell them apart from a collapsed comment list or an off-canvas menu."""
    if len(_prose_paragraphs(element, _BODY_PARAGRAPH_CHARS)) < 2 or _link_density(element) > 0.3:
        return False
    if any(_NOT_PROSE_NAMES.search(class_and_id(node)) for node in element.iter() if isinstance(node.tag, str)):
        return False  # a collapsed comment thread or menu: paragraphs too, and after the text too
    if element.xpath(".//form | .//nav | .//aside | .//footer | .//textarea"):
        return False
    parent = element.getparent()
    body = element.getroottree().getroot().find("body")
    page = len(squash((body if body is not None else element.getroottree().getroot()).text_content()))
    if parent is None or _in_furniture_box(parent, page):
        return False
    branch = element
    for _ in range(2):  # the expander's own block, or the block holding the expander
        for sibling in branch.itersiblings(preceding=True):
            if sibling.tag == "p" and len(_prose_paragraphs(sibling, _BODY_PARAGRAPH_CHARS)) == 1:
                return True
        branch = branch.getparent()
        if branch is None or branch.tag in {"body", "html"}:
            break
    return False


def reveal_collapsed_text(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Unhide "read more" containers that hold real paragraphs, so the whole article is extracted; the revealed
    containers are returned. One named like furniture is revealed only when it continues the article's text."""
    revealed = []
    for element in _MAYBE_HIDDEN(tree):
        if not isinstance(element.tag, str) or element.tag in {"script", "style", "template", "noscript"}:
            continue
        if not _is_hidden(element) or _OVERLAY.search(class_and_id(element)):
            continue
        paragraphs = [p for p in element.iter("p") if len(squash(p.text_content())) >= _MIN_PARAGRAPH_CHARS]
        if not paragraphs or _link_density(element) > 0.3:
            continue
        if FURNITURE.search(class_and_id(element)) and not continues_prose(element):
            continue
        for node in (element, *element.iterdescendants()):
            if not isinstance(node.tag, str):
                continue
            for attribute in ("hidden", "aria-hidden", "style"):
                node.attrib.pop(attribute, None)
            if node.get("class"):
                node.set("class", _HIDDEN_CLASSES.sub(" ", node.get("class", "")).strip())
        revealed.append(element)
    return revealed


def _call_to_action_labels(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Elements whose whole text is a CTA label, found from the text nodes (far fewer than elements)."""
    labels = []
    for text in _TEXT_NODES(tree):
        if len(text) > 80 or not CALL_TO_ACTION.match(" ".join(text.split()) or "-"):
            continue
        owner = text.getparent()
        if text.is_tail and owner is not None:
            owner = owner.getparent()
        while owner is not None and owner.tag not in _LABEL_TAGS and owner.getparent() is not None:
            owner = owner.getparent()  # an <i>/<em>/<font> inside a label: the label is further up
        is_label = owner is not None and owner.tag in _LABEL_TAGS
        if is_label and CALL_TO_ACTION.match(squash(owner.text_content()) or "-"):
            labels.append(owner)
    return labels


def remove_calls_to_action(tree: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement] | None = None) -> int:
    """Drop "Keep Reading"-style buttons, and the link boxes they head when they head one.

    Climbing from a label to the box it heads stops at the containers of the headline and of the main text, and
    at anything holding a large share of the page: a link-heavy article must never be taken for a link box.
    """
    protected = protected or set()
    limit = _MAX_BOX_SHARE * len(tree.text_content())
    removed = 0
    for element in _call_to_action_labels(tree):
        if element.getparent() is None:
            continue
        target = element
        parent = element.getparent()
        while parent is not None and parent.tag not in {"body", "article", "main"} and parent not in protected:
            parent_text = len(squash(parent.text_content()))
            if parent_text > limit:
                break
            siblings_text = parent_text - len(squash(target.text_content()))
            if parent.xpath(".//p") and _link_density(parent) < 0.5 and siblings_text > 200:
                break
            if siblings_text <= 0 or _link_density(parent) >= 0.5:
                target = parent
                parent = parent.getparent()
                continue
            break
        if target.getparent() is not None and target not in protected:
            _drop(target)
            removed += 1
    return removed


_LINK_ONLY_MAX_CHARS = 150


def remove_link_only_blocks(tree: lxml_html.HtmlElement) -> None:
    """Drop paragraphs and lists made only of links (related-story links inside the text): never prose."""
    for paragraph in list(tree.iter("p")):
        text = squash(paragraph.text_content())
        short = bool(text) and len(text) <= _LINK_ONLY_MAX_CHARS
        has_link = paragraph.find(".//a") is not None
        if short and has_link and paragraph.getparent() is not None and _link_density(paragraph) >= 0.9:
            _drop(paragraph)
    for heading in list(tree.iter("h2", "h3", "h4", "h5", "h6")):
        # A heading that is wholly a link titles a teaser (related posts), never a section of the article.
        if heading.getparent() is not None and heading.find(".//a") is not None and _link_density(heading) >= 0.9:
            _drop(heading)
    for listing in list(tree.iter("ul", "ol")):
        items = listing.findall("li")
        if listing.getparent() is None or len(items) < 2:
            continue
        if all(
            item.find(".//a") is not None
            and _link_density(item) >= 0.9
            and len(squash(item.text_content())) <= _LINK_ONLY_MAX_CHARS
            for item in items
        ):
            _drop(listing)


def _drop(element: lxml_html.HtmlElement) -> None:
    """Remove an element but keep the text that follows it (its tail) in the document."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def remove_furniture_inside_article(
    tree: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement] | None = None
) -> None:
    """Remove captions, credits and share/bio/related boxes, which trafilatura sometimes keeps.

    A box is furniture by its class or id, but never when it holds the headline or a large share of the page's
    text: page-wide wrappers are often named after ads, widgets or off-canvas menus.
    """
    for element in list(tree.iter("figcaption")):
        if element.getparent() is not None:
            _drop(element)
    for element in list(tree.iter("figure")):
        if (
            element.getparent() is not None
            and not element.xpath(".//table")
            and len(squash(element.text_content())) < 40
        ):
            _drop(element)
    body = tree.find("body")
    total = len((body if body is not None else tree).text_content()) or 1
    protected = protected or set()
    for element in _NAMED_BOXES(tree):
        raw = f"{element.get('class', '')} {element.get('id', '')}"
        if not FURNITURE.search(raw) or element.getparent() is None or element in protected:
            continue
        if not FURNITURE.search(class_and_id(element)):
            continue
        if len(element.text_content()) < 0.3 * total and len(element.xpath(".//p")) < 6:
            _drop(element)


def author_box(
    link: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement] | frozenset = frozenset()
) -> lxml_html.HtmlElement | None:
    """The author bio box an author-page link ("All articles by X") closes: the nearest block around it that
    holds more than the link (a name, a short bio), is small, and is neither the article nor its text."""
    label = len(squash(link.text_content()))
    node = link.getparent()
    while node is not None and node.tag not in {"body", "html"} and node not in protected:
        text = len(squash(node.text_content()))
        if text > _MAX_AUTHOR_BOX_CHARS:
            return None
        if node.tag in _BOX_TAGS and text - label >= 20:
            return node
        node = node.getparent()
    return None


def author_page_links(root: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Links to an author's page labelled like "All articles by X" or "View all posts by X"; "More from X" and
    "More articles" only when they point to an author page (else they may lead to a section or a report)."""
    links = []
    for link in root.iter("a"):
        label = squash(link.text_content())
        if len(label) > 80 or not AUTHOR_PAGE_LABEL.match(label):
            continue
        to_author = _AUTHOR_HREF.search(link.get("href", "")) or " author " in f" {link.get('rel', '')} "
        if to_author or re.search(r"\bby\s+\S", label, re.IGNORECASE):
            links.append(link)
    return links


def remove_author_boxes(tree: lxml_html.HtmlElement, protected: set[lxml_html.HtmlElement] | None = None) -> int:
    """Drop author bio boxes (a name, a bio, "All articles by X"): furniture, whatever the theme calls them.

    A block left with only a short label ("About the authors") once its boxes are gone goes too.
    """
    protected = protected or set()
    root = tree.getroottree().getroot()
    removed = 0
    for link in author_page_links(tree):
        if link.getroottree().getroot() is not root:
            continue  # inside a box removed already
        box = author_box(link, protected)
        if box is None:
            continue
        parent = box.getparent()
        _drop(box)
        removed += 1
        while (
            parent is not None
            and parent.tag in _BOX_TAGS
            and parent not in protected
            and parent.getparent() is not None
            and len(squash(parent.text_content())) <= 40
            and not parent.xpath(".//p[string-length(normalize-space()) > 40]")
        ):
            grandparent = parent.getparent()
            _drop(parent)
            parent = grandparent
    return removed


def body_container(
    tree: lxml_html.HtmlElement, prose: lxml_html.HtmlElement | None = None
) -> lxml_html.HtmlElement | None:
    """The block holding the article's text blocks side by side: the container of the longest prose (`prose`, when
    already known), widened to its parent while that parent holds paragraphs of the same text beside it (the
    visible part of an article whose rest is a collapsed "read more" block)."""
    container = prose if prose is not None else main_prose_container(tree)
    body = tree.find("body")
    page = len(squash((body if body is not None else tree).text_content()))
    if container is None or container.tag not in _CONTAINER_TAGS or _in_furniture_box(container, page):
        return None
    own = len(squash(container.text_content()))
    while (parent := container.getparent()) is not None and parent.tag in _CONTAINER_TAGS:
        beside = [c for c in parent if c is not container and c.tag in _PROSE_BLOCKS]
        lengths = [len(squash(c.text_content())) for c in beside]
        paragraphs = [n for c, n in zip(beside, lengths, strict=True) if c.tag == "p" and n >= _BODY_PARAGRAPH_CHARS]
        if not paragraphs or sum(lengths) < 0.25 * own or _in_furniture_box(parent, page):
            break
        container = parent
        own = len(squash(container.text_content()))
    return container if own >= _MIN_CONTAINER_CHARS else None


def _in_furniture_box(element: lxml_html.HtmlElement, page_chars: int) -> bool:
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


def point_trafilatura_at_body(
    tree: lxml_html.HtmlElement, prose: lxml_html.HtmlElement | None = None
) -> lxml_html.HtmlElement | None:
    """Name the article body container for trafilatura when none of the containers it knows is on the page.

    Without one, trafilatura collects stray blocks from the whole page instead: site strips, logo text, bylines
    and bio boxes come in, and subheadings are left out (its fallback does not look at headings).
    """
    if _TRAFILATURA_CONTAINERS is None or any(expression(tree) for expression in _TRAFILATURA_CONTAINERS):
        return None
    container = body_container(tree, prose)
    if container is not None:
        container.set("itemprop", "articleBody")
    return container


def protected_containers(
    tree: lxml_html.HtmlElement,
    heading: lxml_html.HtmlElement | None,
    container: lxml_html.HtmlElement | None = None,
) -> set[lxml_html.HtmlElement]:
    """The containers of the headline and of the longest prose (`container`, when already known): no cleaning
    step may remove them."""
    protected = set(heading.iterancestors()) if heading is not None else set()
    container = container if container is not None else main_prose_container(tree)
    if container is not None:
        protected.add(container)
        protected.update(container.iterancestors())
    return protected


class ArticleProse:
    """The article's paragraphs of prose, in the block holding its text: a block inside it that holds most of them
    (an expander holding the rest of the article) is the article, whatever its name."""

    def __init__(self, tree: lxml_html.HtmlElement, prose: lxml_html.HtmlElement | None) -> None:
        self.container = body_container(tree, prose) if prose is not None else None
        if self.container is None:
            self.container = prose
        self.chars = sum(_prose_paragraphs(self.container)) if self.container is not None else 0
        self.around = {self.container, *self.container.iterancestors()} if self.container is not None else set()

    def inside(self, element: lxml_html.HtmlElement) -> bool:
        return any(node is self.container for node in element.iterancestors())

    def held_by(self, element: lxml_html.HtmlElement) -> bool:
        """The element is the article's text block, holds it, or holds most of its paragraphs."""
        if not self.chars:
            return False
        if element in self.around:
            return True
        return (
            self.inside(element)
            and sum(_prose_paragraphs(element)) >= _MOST_OF_THE_PROSE * self.chars
            and _link_density(element) < 0.3
        )

    def holders(self, candidates: list[lxml_html.HtmlElement]) -> set[lxml_html.HtmlElement]:
        return {element for element in candidates if self.held_by(element)}


_MOST_OF_THE_PROSE = 0.5
#: Attributes that make trafilatura drop a block by name, in the order they are given up.
_DISCARD_ATTRIBUTES = ("class", "id", "style", "aria-hidden", "role")
#: All that trafilatura's rules for dropping blocks read of an element, besides its tag.
_DISCARD_READS = frozenset({*_DISCARD_ATTRIBUTES, "data-component", "data-lp-replacement-content"})


def _discarded_by_name(tag: str, attributes: dict[str, str]) -> bool:
    """Whether trafilatura drops an element of this tag and these attributes (its rules look at nothing else)."""
    probe = etree.Element("div")
    try:
        child = etree.SubElement(probe, tag, attributes)
    except ValueError:  # broken markup: a tag or attribute name lxml refuses ("tipobj.offsetwidth)")
        return False
    return any(child in expression(probe) for expression in _TRAFILATURA_DISCARDS or ())


def _discarded(element: lxml_html.HtmlElement) -> bool:
    if not isinstance(element.tag, str) or element.tag in {"html", "body", "head"}:
        return False
    return _discarded_by_name(element.tag, {k: v for k, v in element.attrib.items() if k in _DISCARD_READS})


def _discarding_token(tag: str, token: str) -> bool:
    """A class token trafilatura drops a block for, alone or among others ("^hide-", " ad ")."""
    return any(_discarded_by_name(tag, {"class": value}) for value in (token, f"x {token} x"))


def keep_prose_from_discards(article: ArticleProse, revealed: list[lxml_html.HtmlElement] | tuple = ()) -> int:
    """Rename the blocks of article text that trafilatura would drop by their names ("expand", "slide", "overlay"):
    a CSS-only "Keep Reading" expander holding the rest of the article is named like a widget.

    Article text is the block holding the article's paragraphs, a block holding most of them, and a revealed
    remainder inside that block with the blocks around it up to there. The offending class tokens go first, then
    whole attributes."""
    if _TRAFILATURA_DISCARDS is None or article.container is None:
        return 0
    # The rules look at an element's own name only: the blocks around the text are tested one by one, and only
    # the text block's inside is searched.
    matched = [node for node in article.around if _discarded(node)]
    matched += dict.fromkeys(e for expression in _TRAFILATURA_DISCARDS for e in expression(article.container))
    kept = set()
    for element in revealed:
        if article.inside(element):
            kept.add(element)
            kept.update(node for node in element.iterancestors() if node not in article.around)
    renamed = 0
    for element in matched:
        if element.getparent() is None or not (element in kept or article.held_by(element)):
            continue
        tokens = element.get("class", "").split()
        if tokens:
            element.set("class", " ".join(t for t in tokens if not _discarding_token(element.tag, t)))
        for attribute in _DISCARD_ATTRIBUTES:
            if not _discarded(element):
                break
            element.attrib.pop(attribute, None)
        renamed += 1
    return renamed


_CATEGORY_LINKS = etree.XPath(
    "//a[contains(@href, 'categor') or contains(@href, 'kategor') or contains(@href, 'cat=') or "
    "contains(concat(' ', @rel, ' '), ' category ')]"
)
_TEXTS_NAMED = etree.XPath("//text()[contains($names, concat('|', normalize-space(.), '|'))]")
_SECTION_LABEL_TAGS = frozenset({"p", "span", "div", "strong", "b", "em", "h2", "h3", "h4", "h5", "h6", "li"})
_MAX_SECTION_LABEL_CHARS = 40


def remove_section_labels(
    tree: lxml_html.HtmlElement,
    prose: lxml_html.HtmlElement | None,
    protected: set[lxml_html.HtmlElement] | frozenset = frozenset(),
) -> int:
    """Drop a plain header line that only names the article's section ("Economy" above the headline): a short
    element whose whole text is the label of a category link of the page, placed before the first paragraph
    of the text. Links are left alone (trafilatura weighs those itself), and so is anything after the text
    starts: a subheading may well be called "Economy"."""
    names = set()
    for link in _CATEGORY_LINKS(tree):
        rel = f" {link.get('rel', '').lower()} "
        if " category " in rel or CATEGORY_HREF.search(link.get("href", "")):
            label = squash(link.text_content())
            if 0 < len(label) <= _MAX_SECTION_LABEL_CHARS and "|" not in label:
                names.add(label)
    if not names or prose is None:
        return 0
    candidates = []
    for text in _TEXTS_NAMED(tree, names="|" + "|".join(names) + "|"):
        owner = text.getparent()
        if text.is_tail or owner is None or owner.tag not in _SECTION_LABEL_TAGS or owner in protected:
            continue
        if owner.xpath("ancestor-or-self::a") or squash(owner.text_content()) not in names:
            continue
        candidates.append(owner)
    if not candidates:
        return 0
    first = next((p for p in prose.iter("p") if len(squash(p.text_content())) >= _BODY_PARAGRAPH_CHARS), None)
    if first is None:
        return 0
    pending = set(candidates)
    before = []
    for element in tree.iter():
        if element is first:
            break
        if element in pending:
            before.append(element)
    for element in before:
        _drop(element)
    return len(before)


def prepare(tree: lxml_html.HtmlElement, heading: lxml_html.HtmlElement | None = None) -> None:
    """All DOM preparation before trafilatura, in order."""
    revealed = reveal_collapsed_text(tree)
    prose = main_prose_container(tree)
    article = ArticleProse(tree, prose)
    holders = article.holders(_NAMED_BOXES_INSIDE(article.container)) if article.container is not None else set()
    protected = protected_containers(tree, heading, prose) | set(revealed) | holders
    remove_calls_to_action(tree, protected)
    remove_section_labels(tree, prose, protected)
    remove_furniture_inside_article(tree, protected)
    remove_author_boxes(tree, protected)
    remove_link_only_blocks(tree)
    point_trafilatura_at_body(tree, prose)
    keep_prose_from_discards(article, revealed)


def paragraphs_from_trafilatura(tree: lxml_html.HtmlElement, url: str, *, favor: str = "recall") -> list[str]:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=favor == "precision",
        favor_recall=favor == "recall",
        fast=True,  # no readability/jusText comparison: measured better on AEB (F1 0.964 -> 0.968) in our pipeline
        deduplicate=False,
    )
    if document is None or getattr(document, "body", None) is None:
        return []
    return list(flatten_body(document.body))


def flatten_body(body: etree._Element) -> list[str]:
    """trafilatura's XML body (p, head, list/item, quote, table) as one string a paragraph."""
    paragraphs: list[str] = [body.text or ""]
    for element in body:
        tag = element.tag
        if tag == "list":
            paragraphs.extend(_split_breaks(item) for item in element.iter("item"))
        elif tag == "quote" and len(element):
            paragraphs.extend(flatten_body(element) or [_split_breaks(element)])
        elif tag == "table":
            for row in element.iter("row"):
                # A cell's blocks are separate texts: joined with spaces, or words fuse across them.
                paragraphs.append(" ".join(clean_text(" ".join(cell.itertext())) for cell in row))
        else:
            paragraphs.extend(_split_breaks(element).split("\n"))
        if element.tail and element.tail.strip():
            paragraphs.append(element.tail)  # loose text between blocks is still the article's
    return [p for p in (clean_text(p) for p in paragraphs) if p]


def _split_breaks(element: etree._Element) -> str:
    """Text of an element, with <lb/> line breaks kept as newlines."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else "".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _echoes_headline(line: str, headline: str | None) -> bool:
    """A short line that contains the headline, or is contained in it: a title echo, not prose."""
    head = (headline or "").casefold()
    if len(head) < 20 or len(line) > 2 * len(head):
        return False
    return head in line or (len(line) >= 20 and line in head)


def _is_date_segment(segment: str) -> bool:
    """ "17 May 2023", "Updated 22 Jan 2024", "Last updated April 24, 2024 at 6:05 pm": a date and nothing else."""
    rest = _STAMP_PREFIX.sub("", segment).strip(" ,;:")
    return bool(rest) and bool(_YEAR_OR_CLOCK.search(rest)) and bool(_DATE_ONLY_LINE.match(rest))


def _is_byline_segment(segment: str, authors: list[str] | tuple[str, ...]) -> bool:
    """ "By A and B", "A & B", "Posted by A": the known author names, joined by byline words, nothing else."""
    rest = segment.casefold()
    found = False
    for name in sorted(authors, key=len, reverse=True):
        if name and name.casefold() in rest:
            rest = rest.replace(name.casefold(), " , ")
            found = True
    return found and all(word in _BYLINE_WORDS for word in re.findall(r"[^\W_]+|&|,", rest))


def is_header_line(paragraph: str, authors: list[str] | tuple[str, ...] = ()) -> bool:
    """A line of the article header, never its text: a separator ("/", "|"), a byline of the known authors, a
    date line ("April 23, 2024 at 9:12 am | Last updated April 24, 2024"), a comment count, or these joined."""
    if len(paragraph) > _MAX_FURNITURE_LINE:
        return False
    segments = [s.strip(" ,;:") for s in _HEADER_SEPARATORS.split(paragraph)]
    segments = [s for s in segments if s]
    return all(_COMMENT_COUNT.match(s) or _is_date_segment(s) or _is_byline_segment(s, authors) for s in segments)


def clean_paragraphs(
    paragraphs: list[str],
    headline: str | None,
    site_names: tuple[str, ...] | list[str] = (),
    authors: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """Drop what trafilatura lets through that is never body: the headline, site name or byline at either end
    of the text, bare CTA labels, credits, date stamps, echoes.

    Only a paragraph repeating the one right before it is an echo: menus and recipes legitimately repeat lines.
    """
    result: list[str] = []
    names = {n.casefold() for n in authors} | {f"by {n.casefold()}" for n in authors}
    framing = {(headline or "").casefold(), *(n.casefold() for n in site_names), *names} - {""}
    last = len(paragraphs) - 1
    in_header = True  # until the first paragraph of the text: bylines, date lines and separators are furniture
    for index, paragraph in enumerate(paragraphs):
        key = paragraph.casefold()
        at_edge = index < _LEAD_PARAGRAPHS or index > last - _LEAD_PARAGRAPHS
        if at_edge and (key in framing or _echoes_headline(key, headline)):
            continue
        if in_header and is_header_line(paragraph, authors):
            continue
        in_header = False
        if CALL_TO_ACTION.match(paragraph) or (result and key == result[-1].casefold()):
            continue
        if len(paragraph) <= _MAX_FURNITURE_LINE and (_CREDIT_LINE.search(paragraph) or _STAMP_LINE.match(paragraph)):
            continue
        if len(paragraph) <= 40 and re.search(r"\b(?:19|20)\d{2}\b", paragraph) and _DATE_ONLY_LINE.match(paragraph):
            continue
        if len(paragraph) <= 80 and _STAMP_PREFIX.match(paragraph) and _is_date_segment(paragraph):
            continue  # "Dernière modification : 07.09.2022", "Aktualisiert am 7. September 2022": a date line
        result.append(paragraph)
    return _without_closing_furniture(result, authors)


#: An agency or syndication note closing an article: "This story was provided by Reuters … and was not edited by
#: EU Reporter staff", "This article has not been edited by X staff and is published from a syndicated feed."
_PROVENANCE_LINE = re.compile(
    r"^\W*(?:this|the above)\s+(?:story|article|report|content|piece|item|post)\s+(?:was|has been|is|had been)\s+"
    r"(?:(?:originally|first)\s+)?(?:provided|supplied|produced|syndicated|distributed|sourced)\s+(?:by|from|via)\s+\S|"
    r"\b(?:was|has)\s+not\s+(?:been\s+)?edited\s+by\s+(?:\S+\s+){0,4}?(?:staff|editors?|newsroom|team)\b",
    re.IGNORECASE,
)
_MAX_PROVENANCE_CHARS = 300
#: The heading of an author bio box: "About Jane Doe", "About the author(s)", "À propos de l'auteur".
_ABOUT_HEADING = re.compile(
    r"^(?:about|more about|à propos de|über|sobre)\s+(.{2,60}?)\s*:?$",
    re.IGNORECASE,
)
_ABOUT_GENERIC = frozenset(
    {
        "the author",
        "the authors",
        "the writer",
        "the writers",
        "the contributor",
        "the contributors",
        "the reporter",
        "l'auteur",
        "l’auteur",
        "les auteurs",
        "den autor",
        "die autoren",
        "el autor",
        "los autores",
        "o autor",
    }
)
_MAX_BIO_CHARS = 500


def _is_bio_heading(paragraph: str, names: set[str]) -> bool:
    match = _ABOUT_HEADING.match(paragraph) if len(paragraph) <= 80 else None
    return bool(match) and (match.group(1).casefold() in _ABOUT_GENERIC or match.group(1).casefold() in names)


def _without_closing_furniture(paragraphs: list[str], authors: list[str] | tuple[str, ...]) -> list[str]:
    """Drop what closes an article but is not its text: an agency provenance note in the last lines, and author
    bio boxes after the text (a heading "About <one of the authors>" or "About the author(s)" followed by a short
    bio, up to the end)."""
    result = list(paragraphs)
    for index in range(len(result) - 1, max(len(result) - 1 - _LEAD_PARAGRAPHS, 0), -1):
        line = result[index]
        if len(line) <= _MAX_PROVENANCE_CHARS and _PROVENANCE_LINE.search(line):
            del result[index]
    names = {name.casefold() for name in authors if name}
    boxes = max(len(names), 1)
    for index in range(max(len(result) - 3 * boxes, 1), len(result)):
        if not _is_bio_heading(result[index], names):
            continue
        rest = result[index + 1 :]
        if rest and all(len(line) <= _MAX_BIO_CHARS for line in rest):
            return result[:index]
        break
    return result
