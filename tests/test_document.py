"""Unit tests of page decoding and parsing: stray bad bytes, lying charset labels, deep nesting."""

from __future__ import annotations

from newsspider.extract import decode_html, extract_article, parse_html
from newsspider.extract.document import MAX_DEPTH, TOO_DEEP

URL = "https://news.example/politics/budget-talks/"
PARAGRAPHS = [
    "The minister’s plan for the budget was presented to parliament on Tuesday after weeks of talks.",
    "Critics said the café owners and farmers of the région would pay most of the new levies next year.",
    "Negotiators expect a vote before the summer recess, although several groups have asked for more time.",
]


def _page(wrap: int = 0, charset: str = "utf-8") -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    article = f"<article><h1>Budget talks reach parliament</h1>{paragraphs}</article>"
    return (
        f'<html lang="en"><head><meta charset="{charset}"><title>Budget talks reach parliament</title></head>'
        f"<body>{'<div>' * wrap}{article}{'</div>' * wrap}</body></html>"
    )


def test_one_invalid_byte_in_a_utf8_page_is_replaced_where_it_stands() -> None:
    raw = _page().encode("utf-8").replace(b"Tuesday", b"Tues\xffday")
    text = decode_html(raw, "text/html; charset=utf-8")
    assert "minister’s" in text and "café" in text and "région" in text
    assert "Tues\ufffdday" in text


def test_a_few_invalid_bytes_do_not_turn_the_page_into_cp1252() -> None:
    raw = _page().encode("utf-8").replace(b"weeks", b"we\x92eks").replace(b"vote", b"v\xe9ote")
    record = extract_article(raw, URL, content_type="text/html; charset=utf-8").record
    assert record is not None
    assert "minister’s" in record["body"] and "â€" not in record["body"]


def test_cp1252_bytes_declared_utf8_are_still_read_as_cp1252() -> None:
    raw = _page().encode("cp1252")
    text = decode_html(raw, "text/html; charset=utf-8")
    assert "minister’s" in text and "café" in text and "\ufffd" not in text


def test_utf8_bytes_declared_latin1_are_read_as_utf8() -> None:
    raw = _page(charset="iso-8859-1").encode("utf-8")
    assert "minister’s" in decode_html(raw, "text/html; charset=iso-8859-1")


def test_an_article_nested_deeper_than_255_elements_keeps_its_whole_body() -> None:
    result = extract_article(_page(wrap=400), URL)
    assert result.record is not None, result.reason
    assert result.record["body"].split("\n\n") == PARAGRAPHS


def test_a_page_nested_past_the_depth_bound_is_reported_not_cut() -> None:
    result = extract_article(_page(wrap=MAX_DEPTH + 50), URL)
    assert result.record is None
    assert result.reason == TOO_DEEP


def test_a_tree_up_to_the_depth_bound_is_parsed_whole() -> None:
    tree = parse_html(_page(wrap=MAX_DEPTH - 100))
    assert tree is not None
    assert len(tree.xpath("//p")) == len(PARAGRAPHS)
