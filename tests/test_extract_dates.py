"""Published and modified dates from the article's header: <time datetime> values, date lines in eight languages,
a wire dateline as the last resort; exactly as precise as the page states them (a time only with its offset)."""

from __future__ import annotations

import pytest
from articlepage import Gazette, Herald, Ledger, Post

from newsspider.normalize import to_iso_date
from newsspider.sites.profile import SiteProfile

# --- precision: a time only with its offset -------------------------------------------------------------------


def test_visible_time_without_zone_is_the_day_only() -> None:
    when = "March 7, 2024 at 2:30 pm | Last updated March 8, 2024 at 9:05 am"
    record = Gazette.record(Gazette.header_in_article_page(when=when))
    assert (record["published"], record["modified"]) == ("2024-03-07", "2024-03-08")


def test_visible_time_without_zone_is_localized_by_the_profile_timezone() -> None:
    profile = SiteProfile(
        name="gazette",
        site_name="Harbour Gazette",
        base_url="https://www.harbourgazette.example/",
        timezone="Europe/Oslo",
    )
    record = Gazette.record(Gazette.header_in_article_page(when="March 7, 2024 at 2:30 pm"), profile)
    assert record["published"] == "2024-03-07T14:30:00+01:00"


def test_stated_offsets_are_kept() -> None:
    meta = (
        '<meta property="article:published_time" content="2024-03-07T14:30:00+01:00">'
        '<meta property="article:modified_time" content="2024-03-08T08:05:00Z">'
    )
    record = Gazette.record(Gazette.unknown_container_page(meta=meta))
    assert (record["published"], record["modified"]) == ("2024-03-07T14:30:00+01:00", "2024-03-08T08:05:00+00:00")
    visible = Gazette.record(Gazette.header_in_article_page(when="March 7, 2024 14:30 CET"))
    assert visible["published"] == "2024-03-07T14:30:00+01:00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-07T14:30:00", "2024-03-07"),
        ("2024-03-07 14:30", "2024-03-07"),
        ("March 7, 2024 at 2:30 pm", "2024-03-07"),
        ("Thu, 07 Mar 2024 14:30:00 -0000", "2024-03-07"),  # RFC 2822: "-0000" means the zone is unknown
        ("2024-03-07T14:30:00+01:00", "2024-03-07T14:30:00+01:00"),
        ("March 7, 2024 at 2:30 pm CEST", "2024-03-07T14:30:00+02:00"),
        ("7 March 2024 14:30 UTC", "2024-03-07T14:30:00+00:00"),
    ],
)
def test_to_iso_date_keeps_a_time_only_with_its_offset(value: str, expected: str) -> None:
    assert to_iso_date(value) == expected


def test_french_clock_time_is_a_time() -> None:
    assert to_iso_date("6 septembre 2022 08h15 CEST", languages=["fr"]) == "2022-09-06T08:15:00+02:00"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ROSTOCK, 7 May 2024 (14:05 UTC)", "2024-05-07T14:05:00+00:00"),
        ("7 mai 2024 (08h15 CEST)", "2024-05-07T08:15:00+02:00"),
    ],
)
def test_time_and_zone_in_parentheses_make_a_date_time(line: str, expected: str) -> None:
    header = f'{Post.BYLINE}<div class="hp-dateline">{line}</div>'
    assert Post.record(Post.page(header=header))["published"] == expected


# --- <time datetime> inside a date line ------------------------------------------------------------------------


def test_an_updated_line_gives_the_datetime_of_its_time_element() -> None:
    header = Ledger.HEADER + (
        '<div class="vl-date vl-date--changed">Updated <time datetime="2024-05-07T18:25:00+02:00">May 7, 2024</time>'
        "</div>"
    )
    record = Ledger.record(Ledger.page(Ledger.LEAD_HTML + Ledger.REST_HTML, header=header))
    assert (record["published"], record["modified"]) == ("2024-05-06T06:10:00+02:00", "2024-05-07T18:25:00+02:00")


def test_each_date_of_a_line_comes_from_its_own_time_element() -> None:
    header = (
        '<p class="vl-meta">By <a href="/author/lena-huber/" rel="author">Lena Huber</a> | Published '
        '<time datetime="2024-05-01T09:00:00+02:00">1 May 2024</time> | Updated '
        '<time datetime="2024-05-11T14:40:00+02:00">11 May 2024</time></p>'
    )
    record = Ledger.record(Ledger.page(Ledger.LEAD_HTML + Ledger.REST_HTML, header=header))
    assert (record["published"], record["modified"]) == ("2024-05-01T09:00:00+02:00", "2024-05-11T14:40:00+02:00")


def test_an_updated_line_without_a_time_element_still_gives_its_day() -> None:
    header = Ledger.HEADER + '<div class="vl-date">Updated May 7, 2024</div>'
    assert Ledger.record(Ledger.page(Ledger.LEAD_HTML + Ledger.REST_HTML, header=header))["modified"] == "2024-05-07"


# --- date lines in several languages --------------------------------------------------------------------------


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
    header = f'{Post.BYLINE}<p class="hp-when">07.05.2024</p><p class="hp-mod">{label}</p>'
    result = Post.record(Post.page(header=header, lang=lang))
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
    result = Post.record(Post.page(header=f'{Post.BYLINE}<p class="hp-when">{label}</p>'))
    assert result["published"] == "2024-05-07"
    assert result["modified"] is None
    assert label not in result["body"]


@pytest.mark.parametrize(
    ("dates", "published", "modified"),
    [
        (
            '<p class="pub">Published: 14 March 2023 08:05 GMT</p><p class="upd">Updated: 15 March 2023</p>',
            "2023-03-14T08:05:00+00:00",
            "2023-03-15",
        ),
        # no colon after the label, and "on" between label and date
        (
            '<p class="pub">Published 14 March 2023</p><p class="upd">Last modified on Wed 15 Mar 2023 09.30 GMT</p>',
            "2023-03-14",
            "2023-03-15T09:30:00+00:00",
        ),
        # both dates in one line, cut by a bar
        (
            '<p class="dates">Published 14 March 2023 | Last modified on Wed 15 Mar 2023 09.30 GMT</p>',
            "2023-03-14",
            "2023-03-15T09:30:00+00:00",
        ),
        # both dates in one element, on two lines
        (
            '<p class="dates">Posted on 14 March 2023<br>Updated at 15 March 2023 09:30 CET</p>',
            "2023-03-14",
            "2023-03-15T09:30:00+01:00",
        ),
    ],
)
def test_header_dates_after_a_long_standfirst(dates: str, published: str, modified: str) -> None:
    record = Herald.record(
        Herald.page(
            article_open='<article class="story"><header class="story-top">',
            header='<p class="standfirst">The footpath along the river is open again after the council finished '
            "rebuilding the embankment that the winter floods washed away, eight months and 1.2 million euros "
            f'later.</p><div class="meta"><p class="who">By Owen Price</p>{dates}</div></header>',
            text_open='<div class="story-body">',
        )
    )
    assert record["authors"] == ["Owen Price"]
    assert record["published"] == published
    assert record["modified"] == modified


# --- the wire dateline: the last resort -----------------------------------------------------------------------


def test_dateline_opening_the_first_paragraph_gives_published_and_stays_in_the_body() -> None:
    first = f"HAMBURG, 7 May 2024 (09:30 CEST) &ndash; {Post.BODY[0]}"
    result = Post.record(Post.page(header=Post.BYLINE, text=Post.TEXT.replace(Post.BODY[0], first, 1)))
    assert result["published"] == "2024-05-07T09:30:00+02:00"
    assert result["body"].startswith("HAMBURG, 7 May 2024 (09:30 CEST) – The port authority")


def test_a_header_date_beats_the_dateline() -> None:
    first = f"HAMBURG, 7 May 2024 (09:30 CEST) &ndash; {Post.BODY[0]}"
    header = Post.BYLINE + '<p class="hp-when">May 8, 2024</p>'
    html = Post.page(header=header, text=Post.TEXT.replace(Post.BODY[0], first, 1))
    assert Post.record(html)["published"] == "2024-05-08"


def test_first_paragraph_without_a_dated_dateline_gives_no_date() -> None:
    first = f"HAMBURG (Nordic Wire) &ndash; {Post.BODY[0]}"
    html = Post.page(header=Post.BYLINE, text=Post.TEXT.replace(Post.BODY[0], first, 1))
    assert Post.record(html)["published"] is None
