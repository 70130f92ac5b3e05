"""Page bytes to an lxml tree: decoding robust to lying charset labels and stray bad bytes, then parsing without a
silent cut on deeply nested pages."""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import is_dubious_html, repair_faulty_html
from w3lib.encoding import html_to_unicode, read_bom

#: How deep a page may nest: libxml2's limit with XML_PARSE_HUGE (without it, 256: real pages reach that).
MAX_DEPTH = 2048
#: The reason given for a page nested deeper than MAX_DEPTH (the parser stops there: the rest would be lost).
TOO_DEEP = f"unparseable: document nested deeper than {MAX_DEPTH} elements"
#: trafilatura's own parser options, and no depth limit short of libxml2's hard one.
_PARSER = lxml_html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)
#: Every element an HtmlElement, chosen in C: lxml.html's own lookup (FormElement, InputElement...) is a Python call
#: for each element touched, about a fifth of the extraction's time, and no rule here uses those classes.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)


class DocumentTooDeep(ValueError):
    """The page nests deeper than MAX_DEPTH: parsing stopped there, and what follows would be silently lost."""


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """Bytes to text, robust to lying labels: a BOM wins; bytes that are UTF-8 are UTF-8 whatever the header or
    <meta> claim, and a few invalid bytes among them are replaced where they stand (U+FFFD); otherwise the declared
    charset, and cp1252 (the web's latin-1) when the declaration says UTF-8 but the bytes are not."""
    if isinstance(html, str):
        return html
    encoding, bom = read_bom(html)
    if encoding and bom:
        return html[len(bom) :].decode(encoding, errors="replace")
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (mostly_utf8 := _mostly_utf8(html)) is not None:
        return mostly_utf8
    encoding, text = html_to_unicode(content_type, html, auto_detect_fun=lambda _: "cp1252")
    if encoding.replace("-", "").lower() in {"utf8", "utf8sig"}:
        return html.decode("cp1252", errors="replace")
    return text


def _mostly_utf8(html: bytes) -> str | None:
    """The bytes as UTF-8 with their invalid sequences replaced, when valid multi-byte sequences are at least as
    many as invalid ones: a UTF-8 page with a stray byte, not a cp1252 page (whose accents are invalid UTF-8 one by
    one, and almost never form valid sequences)."""
    text = html.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - html.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    valid = non_ascii - text.count("\ufffd")
    return text if 0 < invalid <= valid else None


def parse_html(html: str | bytes, content_type: str | None = None) -> lxml_html.HtmlElement | None:
    """The page's tree, as trafilatura would load it but with deep nesting allowed; None for an empty page or one
    that is not HTML. Raises DocumentTooDeep past MAX_DEPTH levels."""
    text = decode_html(html, content_type)
    if not text or not text.strip():
        return None
    beginning = text[:50].lower()
    text = repair_faulty_html(text, beginning)
    tree, from_bytes = None, False
    try:
        tree = lxml_html.fromstring(text, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, from_bytes = _parse_bytes(text), True
    except Exception:  # lxml's parser errors on hopeless input: no tree, as trafilatura does
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _parse_bytes(text)
    last_error = _PARSER.error_log.last_error  # a fatal error stops the parser: it is the last one
    if last_error is not None and "Excessive depth" in last_error.message:
        raise DocumentTooDeep(TOO_DEEP)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None  # trafilatura's test: a fragment without <html> and with one block is not a page
    return tree


def _parse_bytes(text: str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.fromstring(text.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:  # lxml's parser errors on hopeless input: no tree, as trafilatura does
        return None
