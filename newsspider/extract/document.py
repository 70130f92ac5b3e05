"""Page bytes to an lxml tree: decoding robust to lying charset labels, then parsing."""

from __future__ import annotations

import trafilatura
from lxml import html as lxml_html
from w3lib.encoding import html_to_unicode, read_bom


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """Bytes to text, robust to lying labels: a BOM wins; bytes that are valid UTF-8 are UTF-8 whatever the
    header or <meta> claim; otherwise the declared charset, and cp1252 (the web's latin-1) when the
    declaration says UTF-8 but the bytes are not."""
    if isinstance(html, str):
        return html
    encoding, bom = read_bom(html)
    if encoding and bom:
        return html[len(bom) :].decode(encoding, errors="replace")
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding, text = html_to_unicode(content_type, html, auto_detect_fun=lambda _: "cp1252")
    if encoding.replace("-", "").lower() in {"utf8", "utf8sig"}:
        return html.decode("cp1252", errors="replace")
    return text


def parse_html(html: str | bytes, content_type: str | None = None) -> lxml_html.HtmlElement | None:
    text = decode_html(html, content_type)
    if not text or not text.strip():
        return None
    return trafilatura.load_html(text)
