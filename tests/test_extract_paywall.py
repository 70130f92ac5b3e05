"""The paywalled field: what the page states (schema.org, content tier) or shows (a paywall box), and the paywall box
is never body while the article is still emitted with the text the page shows."""

from __future__ import annotations

import json

import pytest
from articlepage import Gazette, extract, paragraphs_html
from articlepage import article_page as framed_page

from newsspider.extract import extract_article

URL = Gazette.URL
HEADLINE = Gazette.HEADLINE
PROSE = [*Gazette.LEAD, Gazette.REST[0]]


def article_page(text: str | None = None, **slots: str) -> str:
    """A plain article page of three paragraphs (or `text`), with the given slots."""
    return framed_page(paragraphs_html(PROSE) if text is None else text, headline=HEADLINE, **slots)


def extract_page(html: str) -> dict:
    return extract(html, URL)


def body_paragraphs(html: str) -> list[str]:
    return extract(html, URL)["body"].split("\n\n")


def jsonld(**fields: object) -> str:
    node = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE, **fields}
    return f'<script type="application/ld+json">{json.dumps(node)}</script>'


@pytest.mark.parametrize("value", [False, "False", "false"])
def test_is_accessible_for_free_false_means_paywalled(value: object) -> None:
    assert extract_page(article_page(head=jsonld(isAccessibleForFree=value)))["paywalled"] is True


@pytest.mark.parametrize("value", [True, "True"])
def test_is_accessible_for_free_true_means_free(value: object) -> None:
    assert extract_page(article_page(head=jsonld(isAccessibleForFree=value)))["paywalled"] is False


def test_a_page_that_says_nothing_is_null() -> None:
    assert extract_page(article_page())["paywalled"] is None


def test_a_gated_has_part_means_paywalled_and_its_text_stays_body() -> None:
    part = {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".paywall"}
    text = paragraphs_html(PROSE[:2]) + f'<div class="paywall"><p>{PROSE[2]}</p></div>'
    record = extract_page(article_page(text, head=jsonld(hasPart=part)))
    assert record["paywalled"] is True
    assert record["body"].split("\n\n") == PROSE


def test_microdata_is_accessible_for_free() -> None:
    head = '<meta itemprop="isAccessibleForFree" content="false">'
    assert extract_page(article_page(head=head))["paywalled"] is True


@pytest.mark.parametrize(("tier", "expected"), [("locked", True), ("metered", True), ("free", False)])
def test_content_tier_meta(tier: str, expected: bool) -> None:
    head = f'<meta property="article:content_tier" content="{tier}">'
    assert extract_page(article_page(head=head))["paywalled"] is expected


@pytest.mark.parametrize(
    ("lang", "box"),
    [
        ("en", "<h3>Subscribe to continue reading</h3><p>Already a subscriber? <a href='/login'>Log in</a></p>"),
        ("fr", "<p>Cet article est réservé aux abonnés.</p><a href='/abonnement'>Je m'abonne</a>"),
        ("de", "<p>Jetzt weiterlesen mit SZ Plus</p><button>Abo abschließen</button>"),
        ("es", "<p>Para seguir leyendo, suscríbete a nuestro diario.</p>"),
        ("it", "<p>Questo articolo è riservato agli abbonati.</p>"),
        ("pt", "<p>Conteúdo exclusivo para assinantes.</p>"),
        ("nl", "<p>Dit artikel is alleen beschikbaar voor abonnees.</p>"),
        ("pl", "<p>Artykuł dostępny tylko dla prenumeratorów.</p>"),
    ],
)
def test_a_visible_paywall_box_means_paywalled_and_is_not_body(lang: str, box: str) -> None:
    html = article_page(lang=lang, after=f'<div class="offer-box">{box}</div>')
    record = extract(html, URL)
    assert record["paywalled"] is True
    assert record["body"].split("\n\n") == PROSE


def test_a_paywall_box_inside_the_text_block_is_not_body() -> None:
    box = '<div class="paywall-prompt"><p>This article is for subscribers only.</p><a href="/s">Subscribe</a></div>'
    assert body_paragraphs(article_page(paragraphs_html(PROSE) + box)) == PROSE


def test_a_paywalled_teaser_is_still_an_article_with_the_text_it_shows() -> None:
    teaser = PROSE[0]
    html = article_page(
        f"<p>{teaser}</p>", head=jsonld(isAccessibleForFree=False), after="<p>Subscribe to continue reading</p>"
    )
    record = extract(html, URL)
    assert record["paywalled"] is True
    assert record["body"] == teaser


def test_a_short_page_without_paywall_is_still_too_short() -> None:
    result = extract_article(article_page(f"<p>{PROSE[0]}</p>"), URL)
    assert result.record is None
    assert "too little article text" in (result.reason or "")


def test_an_article_about_subscriptions_is_not_paywalled() -> None:
    text = paragraphs_html(
        [
            *PROSE,
            "Newspapers keep asking readers to subscribe, and the council's own bulletin now has 4,000 "
            "subscribers who pay nothing for it, the report said.",
        ]
    )
    record = extract_page(article_page(text))
    assert record["paywalled"] is None
    assert len(record["body"].split("\n\n")) == 4


NOTES = [
    "Subscribe to continue reading",
    "To keep reading this story, please log in",
    "This article is only available to our paying subscribers",
    "The rest of this story is exclusive for members",
    "Register now to read the full article",
    "Sign up to unlock the whole story",
    "Already a subscriber?",
    "Subscribers only",
    "You have reached your limit of 5 free articles",
    "Jetzt weiterlesen mit SZ Plus",
    "Dieser Artikel ist nur für Abonnenten",
    "Cet article est réservé aux abonnés",
    "Pour lire la suite, abonnez-vous",
    "Para seguir leyendo, suscríbete",
    "Contenido exclusivo para socios",
    "Per continuare a leggere, abbonati",
    "Para continuar lendo, assine",
    "Conteúdo exclusivo para assinantes",
    "Lees verder met een abonnement",
    "Artykuł dostępny tylko dla prenumeratorów",
    "Wykup dostęp, aby czytać dalej",
]


@pytest.mark.parametrize("note", NOTES)
def test_every_paywall_note_is_recognised_and_passes_the_cheap_word_test(note: str) -> None:
    from newsspider.extract.paywallbox import PAYWALL_TEXT
    from newsspider.normalize.vocabulary import PAYWALL_PHRASE_WORDS

    assert PAYWALL_TEXT.search(note)
    assert any(word in note.lower() for word in PAYWALL_PHRASE_WORDS)
