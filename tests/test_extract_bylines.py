"""Authors: the visible byline in the article's header or its leading meta <footer>, split into names without roles,
places or agencies; never the links of bio boxes, "All articles by" labels, or a footer after the text."""

from __future__ import annotations

import pytest
from articlepage import Gazette, Herald, Post

from newsspider.normalize import split_authors


def test_author_page_link_labels_are_never_names_even_without_a_byline() -> None:
    authors = Gazette.record(Gazette.header_in_article_page(when="March 7, 2024", credit=""))["authors"]
    assert not any(label in name for name in authors for label in ("All articles", "View all posts", "More from"))


def test_title_block_outside_article_and_submitted_by_footer() -> None:
    record = Herald.record(
        Herald.page(
            top=f'<main><div class="block-title"><h1 class="page-title">{Herald.HEADLINE}</h1></div>'
            '<div class="block-content">',
            article_open='<article class="node node--article node--promoted node--sticky">',
            heading="",
            header='<footer class="node__meta"><div class="node__submitted">Submitted by <a class="username" '
            'href="/user/7">Rhiannon Pugh</a> and <a class="username" href="/user/9">Kristīne Ozola</a> on '
            "<span>Mon, 03/13/2023 - 14:20</span></div></footer>",
            text_open='<div class="node__content"><div class="field--body">',
            text_close="</div></div>",
            after='<footer class="node__links"><p>Posted in <a href="/tags/floods">floods</a></p></footer>',
            article_close="</article></div></main>",
        )
    )
    assert record["headline"] == Herald.HEADLINE
    assert record["authors"] == ["Rhiannon Pugh", "Kristīne Ozola"]
    assert record["published"] == "2023-03-13"


def test_footer_after_the_prose_stays_furniture() -> None:
    record = Herald.record(
        Herald.page(
            article_open="<article>",
            text_open='<div class="content">',
            after='<footer class="article-end"><p>Written by Someone Else on 3 March 2021</p></footer>',
        )
    )
    assert record["authors"] == []
    assert record["published"] is None


def test_a_role_title_between_two_names_keeps_both_names() -> None:
    header = (
        '<p class="hp-by">By Mira Lund, Political Correspondent and Tomas Berg</p><p class="hp-when">May 7, 2024</p>'
    )
    record = Post.record(Post.page(header=header))
    assert record["authors"] == ["Mira Lund", "Tomas Berg"]
    assert record["body"].split("\n\n") == Post.BODY


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Eleri Jones, Political Correspondent, and Tom Hart", ["Eleri Jones", "Tom Hart"]),
        ("By Eleri Jones, Central Europe correspondent, and Tom Hart, Bureau Chief", ["Eleri Jones", "Tom Hart"]),
        ("By Jane Doe, Political Correspondent and John Roe", ["Jane Doe", "John Roe"]),
        ("Von Max Muster, Korrespondent in Brüssel und Erika Mustermann", ["Max Muster", "Erika Mustermann"]),
        ("Par Marie Dupont, correspondante à Bruxelles, et Jean Martin", ["Marie Dupont", "Jean Martin"]),
        ("By Jane Doe, senior reporter for EU affairs", ["Jane Doe"]),
        ("By Jane Doe, Editor for Science and Technology", ["Jane Doe"]),
        ("By Ana Ruiz in Madrid and Piotr Zieliński in Kraków", ["Ana Ruiz", "Piotr Zieliński"]),
        ("By Ana Ruiz (Madrid correspondent) and Tom Hart", ["Ana Ruiz", "Tom Hart"]),
        ("Submitted by Tom Hart", ["Tom Hart"]),
        ("Report by Tom Hart", ["Tom Hart"]),
        # real names that end in (or contain) a role-like word stay
        ("By Anna Editorova and Mark O'Donnell", ["Anna Editorova", "Mark O'Donnell"]),
        ("By Ian Writer and Ann Chief", ["Ian Writer", "Ann Chief"]),
        ("By Kristīne Ozola, staff writer", ["Kristīne Ozola"]),
        # a byline of nothing but a desk name is the name the page gives
        ("Valley Reporter", ["Valley Reporter"]),
    ],
)
def test_split_authors_drops_roles_and_places(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names
