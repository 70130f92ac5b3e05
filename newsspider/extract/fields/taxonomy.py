"""Section and tags: JSON-LD, meta tags, then the article's category and tag links."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import html as lxml_html

from newsspider.extract.fields.common import value_text
from newsspider.normalize import clean_text

if TYPE_CHECKING:
    from newsspider.extract.analysis import PageAnalysis


#: Where a site's category archives live: WordPress's /category/<slug>/ (or its translations) and ?cat=N.
CATEGORY_HREF = re.compile(
    r"/(?:category|categories|categoria|categorias|categorie|kategorie|kategoria|kategorien)/|[?&]cat=\d", re.I
)


def section(page: PageAnalysis) -> str | None:
    if page.article and (value := value_text(page.article.get("articleSection"))):
        return value
    if value := value_text(page.data.first_meta("article:section", "parsely-section", "section")):
        return value
    for link in page.root.xpath(".//a[@rel]"):
        if _is_category_link(link) and (value := clean_text(link.text_content())):
            return value
    return None


#: Blocks listing a post's categories: core's post-terms block for the category taxonomy, classic "cat-links".
_CATEGORY_BLOCK = re.compile(r"(?:^|\s)(?:taxonomy-category|cat-links|post-categories|entry-categories)(?:\s|$)", re.I)


def _is_category_link(link: lxml_html.HtmlElement) -> bool:
    """A link to the post's category: rel="category", or a rel="tag" term link (WordPress core's post-terms block
    marks every term so) that points to a category archive or sits in a block of categories."""
    rel = f" {link.get('rel', '').lower()} "
    if " category " in rel:
        return True
    if " tag " not in rel:
        return False
    try:
        href = urlsplit(link.get("href", ""))
    except ValueError:  # a malformed address ("http://[x"): not a category archive's
        href = None
    if href is not None and CATEGORY_HREF.search(f"{href.path}?{href.query}"):
        return True
    return any(_CATEGORY_BLOCK.search(node.get("class", "")) for node in link.iterancestors())


def tags(page: PageAnalysis) -> list[str]:
    values: list[str] = []
    keywords = page.article.get("keywords") if page.article else None
    if isinstance(keywords, str):
        values = keywords.split(",")
    elif isinstance(keywords, list):
        values = [str(k) for k in keywords]
    if not values:
        values = page.data.all_meta("article:tag")
    if not values:
        values = [
            link.text_content()
            for link in page.root.xpath('.//a[contains(concat(" ", @rel, " "), " tag ")]')
            if not _is_category_link(link)
        ]
    return list(dict.fromkeys(t for t in (clean_text(v) for v in values) if t))
