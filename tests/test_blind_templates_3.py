"""Defect classes the third blind mirror found, on small invented pages of our own (not the mirror's markup).

- An author bio box after the text ("About <author>" or "About the author" and a short bio) is not body, whatever
  its class; an "About ..." subheading inside the text is.
- An agency provenance note closing the article ("This story was provided by ... not edited by ... staff") is not body.
- A plain section label above the headline, equal to a category link's label, is not body.
- A wire dateline opening the first paragraph gives the publication date-time when nothing else does, and stays in
  the body; a time and zone in parentheses ("(14:05 UTC)", "(08h15 CEST)") make a full date-time.
- Date-line labels are multilingual ("Dernière modification :", "Aktualisiert am", "Publicado el"), and DD.MM.YYYY is
  day-first.
"""

from __future__ import annotations

import pytest

from newsspider.extract import extract_article
from newsspider.normalize import to_iso_date

URL = "https://www.harbourpost.example/city/ferry-terminal-gets-shore-power-for-cruise-ships/"
HEADLINE = "Ferry terminal gets shore power for cruise ships"
BODY = [
    "The port authority switched on a shore power connection at the western ferry terminal on Tuesday, allowing "
    "cruise ships to turn off their diesel generators while they are moored in the city centre.",
    "The installation cost 14 million euros, half of it paid by a regional climate fund, and can supply two ships "
    "at the same time. Port officials expect about sixty calls a year to use it from next season.",
    "Residents of the old town have complained for years about exhaust fumes and the constant hum of engines from "
    "ships berthed a few hundred metres from their windows.",
    "Cleaner air by summer",
    "The city's environment office will install two air quality sensors near the quay to measure the effect, and "
    "publish the results every month on its website.",
]
TEXT_HTML = f"<p>{BODY[0]}</p><p>{BODY[1]}</p><p>{BODY[2]}</p><h3>{BODY[3]}</h3><p>{BODY[4]}</p>"
SIDEBAR = """<div class="hp-side"><h3>Latest</h3><ul><li><a href="/city/new-tram-line/">New tram line opens</a>
<span>03.05.2024</span></li></ul></div>"""
FILED = (
    '<div class="hp-filed">Filed under <a href="/category/city/" rel="tag">City</a>, tagged '
    '<a href="/tag/ports/" rel="tag">ports</a></div>'
)


def page(
    *,
    header: str = "",
    text: str = TEXT_HTML,
    after: str = "",
    kicker: str = "",
    lang: str = "en",
) -> str:
    """A small article page without structured data: header lines, the text block, what follows it, a sidebar."""
    header = header or (
        '<p class="hp-by">By <a href="/writers/mira-lund/">Mira Lund</a> and <a href="/writers/tomas-berg/">'
        'Tomas Berg</a></p><p class="hp-when">May 7, 2024</p>'
    )
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{HEADLINE} - Harbour Post</title></head>
<body class="single">
<div class="hp-top"><a href="/">Harbour Post</a> <a href="/category/city/">City</a>
<a href="/category/business/">Business</a></div>
<div class="hp-wrap"><div class="hp-story"><div class="hp-head">{kicker}<h1>{HEADLINE}</h1>{header}</div>
<div class="hp-copy">{text}</div>{FILED}{after}</div>{SIDEBAR}</div></body></html>"""


def record(html: str) -> dict:
    result = extract_article(html, URL)
    assert result.record is not None, result.reason
    return result.record


def paragraphs(html: str) -> list[str]:
    return record(html)["body"].split("\n\n")


# --- author bio boxes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "after",
    [
        # one box per author, plain class names, a heading "About <name>"
        '<div class="box"><img src="/a.jpg" alt=""><h4>About Mira Lund</h4><p>Mira Lund covers the port, shipping '
        'and the city council.</p></div><div class="box"><h4>About Tomas Berg</h4><p>Tomas Berg writes about '
        "energy and climate policy.</p></div>",
        # a single generic box
        '<section class="x-end"><h3>About the authors</h3><p>Mira Lund and Tomas Berg are reporters at the '
        "Harbour Post.</p></section>",
    ],
)
def test_bio_boxes_after_the_text_are_not_body(after: str) -> None:
    assert paragraphs(page(after=after)) == BODY


def test_an_about_subheading_inside_the_text_is_body() -> None:
    text = (
        TEXT_HTML + "<h3>About the terminal</h3><p>The western terminal opened in 1987 and handles ferries to "
        "the islands as well as cruise ships from April to October.</p>"
    )
    body = paragraphs(page(text=text))
    assert body[-2] == "About the terminal"
    assert body[-1].startswith("The western terminal opened in 1987")


def test_about_someone_who_is_not_an_author_is_body() -> None:
    text = TEXT_HTML + "<h3>About Anna Varga</h3><p>Anna Varga has run the harbour pilots' cooperative since 2011.</p>"
    assert paragraphs(page(text=text))[-2:] == [
        "About Anna Varga",
        "Anna Varga has run the harbour pilots' cooperative since 2011.",
    ]


# --- agency provenance notes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "This story was provided by Nordic Wire, a news agency, and was not edited by Harbour Post staff.",
        "This article was supplied by Baltic Press Service.",
        "This story has not been edited by Harbour Post staff and is published from a syndicated feed.",
    ],
)
def test_provenance_note_closing_the_article_is_not_body(note: str) -> None:
    assert paragraphs(page(text=f"{TEXT_HTML}<p>{note}</p>")) == BODY


def test_provenance_words_early_in_the_text_are_body() -> None:
    early = "The study was produced by the port's own engineers and reviewed by an independent institute in Kiel."
    text = f"<p>{BODY[0]}</p><p>{early}</p>" + TEXT_HTML.split("</p>", 1)[1]
    assert early in paragraphs(page(text=text))


# --- section label above the headline --------------------------------------------------------------------


def test_plain_section_label_above_the_headline_is_not_body() -> None:
    body = paragraphs(page(kicker='<p class="hp-kicker">City</p>'))
    assert body == BODY


def test_a_subheading_named_like_a_section_inside_the_text_is_body() -> None:
    text = (
        TEXT_HTML + "<h3>Business</h3><p>Shipping lines said the connection fee is in line with other ports in "
        "the region and that most of their newer vessels can already use it.</p>"
    )
    assert "Business" in paragraphs(page(kicker='<span class="hp-kicker">City</span>', text=text))


# --- dates -----------------------------------------------------------------------------------------------

DATELINE_HEADER = '<p class="hp-by">By <a href="/writers/mira-lund/">Mira Lund</a></p>'


def test_dateline_opening_the_first_paragraph_gives_published_and_stays_in_the_body() -> None:
    first = f"HAMBURG, 7 May 2024 (09:30 CEST) &ndash; {BODY[0]}"
    text = TEXT_HTML.replace(BODY[0], first, 1)
    result = record(page(header=DATELINE_HEADER, text=text))
    assert result["published"] == "2024-05-07T09:30:00+02:00"
    assert result["body"].startswith("HAMBURG, 7 May 2024 (09:30 CEST) – The port authority")


def test_a_header_date_beats_the_dateline() -> None:
    first = f"HAMBURG, 7 May 2024 (09:30 CEST) &ndash; {BODY[0]}"
    header = DATELINE_HEADER + '<p class="hp-when">May 8, 2024</p>'
    assert record(page(header=header, text=TEXT_HTML.replace(BODY[0], first, 1)))["published"] == "2024-05-08"


def test_first_paragraph_without_a_dated_dateline_gives_no_date() -> None:
    first = f"HAMBURG (Nordic Wire) &ndash; {BODY[0]}"
    assert record(page(header=DATELINE_HEADER, text=TEXT_HTML.replace(BODY[0], first, 1)))["published"] is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ROSTOCK, 7 May 2024 (14:05 UTC)", "2024-05-07T14:05:00+00:00"),
        ("7 mai 2024 (08h15 CEST)", "2024-05-07T08:15:00+02:00"),
    ],
)
def test_time_and_zone_in_parentheses_make_a_date_time(line: str, expected: str) -> None:
    header = f'{DATELINE_HEADER}<div class="hp-dateline">{line}</div>'
    assert record(page(header=header))["published"] == expected


def test_french_clock_time_is_a_time() -> None:
    assert to_iso_date("6 septembre 2022 08h15 CEST", languages=["fr"]) == "2022-09-06T08:15:00+02:00"


@pytest.mark.parametrize(
    ("label", "lang"),
    [
        ("Dernière modification : 08.05.2024", "fr"),
        ("Mis à jour le 08.05.2024", "fr"),
        ("Aktualisiert am 08.05.2024", "de"),
        ("Actualizado: 08.05.2024", "es"),
        ("Aggiornato il 08.05.2024", "it"),
        ("Atualizado em 08.05.2024", "pt"),
        ("Bijgewerkt op 08.05.2024", "nl"),
        ("Zaktualizowano: 08.05.2024", "pl"),
    ],
)
def test_multilingual_modified_line(label: str, lang: str) -> None:
    header = f'{DATELINE_HEADER}<p class="hp-when">07.05.2024</p><p class="hp-mod">{label}</p>'
    result = record(page(header=header, lang=lang))
    assert (result["published"], result["modified"]) == ("2024-05-07", "2024-05-08")
    assert label not in result["body"]


@pytest.mark.parametrize(
    "label",
    [
        "Publié le 07.05.2024",
        "Veröffentlicht am 07.05.2024",
        "Publicado el 07.05.2024",
        "Pubblicato il 07.05.2024",
        "Gepubliceerd op 07.05.2024",
        "Opublikowano: 07.05.2024",
    ],
)
def test_multilingual_published_line(label: str) -> None:
    result = record(page(header=f'{DATELINE_HEADER}<p class="hp-when">{label}</p>'))
    assert result["published"] == "2024-05-07"
    assert result["modified"] is None
    assert label not in result["body"]
