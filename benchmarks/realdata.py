"""Builds the real-pages data set (publishers' saved pages + the fields their own parsers extract) outside the repo.

Usage (no network; the sources are public git repositories you clone once):

    git clone https://github.com/flairNLP/fundus /tmp/fundus
    git -C /tmp/fundus checkout 18da6e53592f99cf0ac5770dc63d6ba99ba63ae8   # the commit the figures were taken on
    python benchmarks/realdata.py /tmp/fundus --out /work/data/realpages

It writes, and never into this repository (the pages are the publishers' copyright):

    OUT/{dev,heldout}/html/<id>.html.gz     the page as saved by the source (UTF-8)
    OUT/{dev,heldout}/truth.json            {id: {url, publisher, country, language, source, headline, authors,
                                              published, body, paywalled, ...}}
    OUT/manifest.json                       sources (repository, commit, licence), counts, exclusions, split rule

Source: Fundus (MIT), `tests/resources/parser/test_data/<country>/<Publisher>_<date>.html.gz` with
`<Publisher>.json` (what Fundus' hand-written parser for that publisher extracts, one entry per parser version,
V1 oldest) and `meta.info` (the URL of each file). One page per publisher: the newest file, paired with the
newest parser version (the files, sorted by date, pair one-to-one with the versions, sorted by number; a
publisher where the counts differ is skipped). Field by field (see benchmarks/README.md for how faithful each is):

- headline = `title`; authors = `authors` (null when the parser has no author attribute: not scored);
- published = `publishing_date` as ISO 8601, with the offset when Fundus gives one (scored as that local day);
- body = the summary paragraphs (Fundus' `summary`: the standfirst/lead the page shows under the headline; we
  check that each one is visible in the page), then each section's subheadings and paragraphs, in page order,
  blank-line separated; standfirst = the summary alone (null when none), to tell a lost lead from lost text;
- paywalled = null (the test data does not say);
- language = the page's language: of the languages Fundus declares for the publisher, the one py3langid ranks
  highest on the true body (a publisher's default alone when py3langid knows none of them);
- notes = what the faithfulness checks found (a headline or author not shown on the page, a paragraph not in
  it, an author that is the publisher itself): the truth is kept, the note helps to read a failure.

A page whose truth is clearly broken (empty body, no headline, most of the body not on the page) is excluded
and listed in the manifest with its reason; a page that is merely hard is kept.

Split: ~60 % dev / ~40 % held-out, by publisher, stratified by language: within each language (those with
fewer than MIN_STRATUM publishers pooled as "other"), publishers are ordered by (country, sha256 of
"source:publisher") and each publisher at which the running held-out share passes a whole page is held out,
with all its pages. A publisher is never in both. The split is a function of the publisher set: build from the
pinned commit above so that everyone's held-out pages are the same ones.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import hashlib
import html as html_lib
import json
import math
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/realdata.py` from a checkout without an install
    sys.path.insert(0, str(ROOT))

from benchmarks.aeb_metric import ngrams  # noqa: E402

HELDOUT_SHARE = 0.4
MIN_STRATUM = 4
SPLITS = ("dev", "heldout")
FUNDUS_DATA = Path("tests/resources/parser/test_data")
FUNDUS_PUBLISHERS = Path("src/fundus/publishers")
GET_SOURCES = "git clone https://github.com/flairNLP/fundus /tmp/fundus  # then: realdata.py /tmp/fundus --out DIR"
FUNDUS_LICENCE = "MIT (flairNLP/fundus); the saved pages are the publishers' own and stay out of this repository"
#: Fundus' folder names that are not ISO 3166-1 alpha-2 codes.
COUNTRY_CODES = {"ind": "in", "isl": "is", "uk": "gb"}
#: A truth whose body is mostly not on the page comes from another version of the article.
MIN_BODY_ON_PAGE = 0.8
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_NON_WORD = re.compile(r"\W+")
_BLOCKS = ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "dd", "dt", "blockquote")
_BLOCKS += ("section", "article", "header", "footer", "figcaption", "figure", "aside", "ul", "ol", "table", "pre")


@dataclass
class Page:
    """One candidate page with its truth, before the split."""

    id: str
    source: str
    publisher_key: str
    html_gz: bytes
    truth: dict[str, Any]
    declared_languages: tuple[str, ...] = ()
    default_language: str | None = None
    notes: list[str] = field(default_factory=list)


# --- text helpers -----------------------------------------------------------------------------------------


def squash(text: str) -> str:
    """Letters and digits only, NFKC, case-folded: for "is this text on the page" checks."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", _INVISIBLE.sub("", html_lib.unescape(text))).casefold())


def visible_text(html: str) -> str:
    """The page's text a reader can see (no head, scripts, styles, templates), NFC."""
    tree = lxml_html.fromstring(html)
    for node in tree.xpath("//head|//script|//style|//noscript|//template|//svg"):
        node.drop_tree()
    for node in tree.iter(*_BLOCKS):  # a block ends a line: "<p>a</p><p>b</p>" reads "a b", not "ab"
        node.tail = "\n" + (node.tail or "")
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", tree.text_content()))


def shingle_coverage(text: str, shown: set[tuple[str, ...]]) -> float:
    """Share of the text's 4-gram shingles (the body metric's) that the page shows."""
    shingles = ngrams(unicodedata.normalize("NFC", text))
    return sum(1 for s in shingles if s in shown) / len(shingles) if shingles else 1.0


def join_body(summary: Sequence[str], sections: Sequence[dict[str, Any]]) -> str:
    parts = [*summary]
    for section in sections:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n\n".join(" ".join(part.split()) for part in parts if part and part.strip())


def iso_published(value: str | None) -> str | None:
    """Fundus' "2024-05-03 18:19:08+02:00" as ISO 8601, offset kept when given (naive stays naive)."""
    if not value:
        return None
    return datetime.fromisoformat(value).isoformat()


# --- Fundus -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublisherSpec:
    name: str
    default_language: str | None
    languages: tuple[str, ...]


def _literal(node: ast.AST | None) -> Any:
    try:
        return ast.literal_eval(node) if node is not None else None
    except ValueError:
        return None


def fundus_publishers(clone: Path) -> dict[tuple[str, str], PublisherSpec]:
    """Publisher name and declared languages, read (not imported) from each country's __init__.py."""
    specs: dict[tuple[str, str], PublisherSpec] = {}
    for init in sorted((clone / FUNDUS_PUBLISHERS).glob("*/__init__.py")):
        for group in (node for node in ast.parse(init.read_text("utf-8")).body if isinstance(node, ast.ClassDef)):
            default = None
            for statement in group.body:
                if not (isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)):
                    continue
                target, value = statement.targets[0].id, statement.value
                if target == "default_language":
                    default = _literal(value)
                elif isinstance(value, ast.Call) and getattr(value.func, "id", "") == "Publisher":
                    kwargs = {kw.arg: kw.value for kw in value.keywords}
                    languages = {default} if default else set()
                    for node in ast.walk(kwargs.get("sources") or ast.List(elts=[])):
                        if isinstance(node, ast.keyword) and node.arg == "languages":
                            languages |= set(_literal(node.value) or ())
                    specs[(init.parent.name, target)] = PublisherSpec(
                        name=_literal(kwargs.get("name")) or target,
                        default_language=default,
                        languages=tuple(sorted(languages)),
                    )
    return specs


def _version_number(name: str) -> int:
    return int(name.lstrip("Vv"))


def read_fundus(clone: Path) -> tuple[list[Page], list[dict[str, str]]]:
    data_root = clone / FUNDUS_DATA
    specs = fundus_publishers(clone)
    pages: list[Page] = []
    skipped: list[dict[str, str]] = []
    for truth_file in sorted(data_root.glob("*/*.json")):
        folder, key = truth_file.parent.name, truth_file.stem
        versions = json.loads(truth_file.read_text("utf-8"))
        files = sorted(truth_file.parent.glob(f"{key}_*.html.gz"))
        if not files or len(files) != len(versions):
            skipped.append(
                {"id": f"fundus-{folder}-{key}", "reason": f"{len(files)} pages for {len(versions)} versions"}
            )
            continue
        newest, version = files[-1], max(versions, key=_version_number)
        meta = json.loads((truth_file.parent / "meta.info").read_text("utf-8")).get(newest.name) or {}
        spec = specs.get((folder, key))
        fields = versions[version]
        body = fields.get("body") or {}
        truth = {
            "url": meta.get("url") or "",
            "publisher": spec.name if spec else key,
            "country": COUNTRY_CODES.get(folder, folder),
            "language": None,
            "source": "fundus",
            "headline": " ".join((fields.get("title") or "").split()),
            "authors": list(fields["authors"]) if isinstance(fields.get("authors"), list) else None,
            "published": iso_published(fields.get("publishing_date")),
            "body": join_body(body.get("summary") or [], body.get("sections") or []),
            "standfirst": join_body(body.get("summary") or [], []) or None,
            "paywalled": None,
            "saved": iso_published(meta.get("crawl_date")),
            "source_file": f"{folder}/{newest.name}",
            "source_version": version,
        }
        page_id = f"fundus-{truth['country']}-{newest.name.removesuffix('.html.gz')}"
        languages, default = (spec.languages, spec.default_language) if spec else ((), None)
        pages.append(Page(page_id, "fundus", key, newest.read_bytes(), truth, languages, default))
        if spec is None:
            pages[-1].notes.append("publisher not registered in Fundus (language from the text alone)")
        if len(files) > 1:
            pages[-1].notes.append(f"newest of {len(files)} saved pages")
    return pages, skipped


# --- checks, language, split ------------------------------------------------------------------------------


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def check_truth(page: Page, html: str) -> str | None:
    """Notes on how the truth relates to the page; the reason to exclude it when it is clearly broken."""
    truth = page.truth
    if not truth["headline"]:
        return "no headline in the truth"
    if len(truth["body"]) < 100:
        return "no article body in the truth"
    text = visible_text(html)
    shown, shown_shingles = squash(text), set(ngrams(text))
    coverage = shingle_coverage(truth["body"], shown_shingles)
    if coverage < MIN_BODY_ON_PAGE:
        return f"only {coverage:.0%} of the true body's shingles are on the page"
    paragraphs = truth["body"].split("\n\n")
    differing = [p for p in paragraphs if squash(p) not in shown and shingle_coverage(p, shown_shingles) < 0.9]
    if differing:
        page.notes.append(f"{len(differing)} of {len(paragraphs)} true paragraphs differ from the page's text")
    if truth["published"] and truth["saved"] and _day(truth["published"]) > _day(truth["saved"]) + timedelta(days=1):
        page.notes.append(f"published {truth['published']} is after the page was saved: not scored")
        truth["published"] = None
    if squash(truth["headline"]) not in shown:
        page.notes.append("headline not shown on the page (meta or JSON-LD title)")
    publisher_marks = {squash(truth["publisher"])}
    domain = (truth["url"].split("/")[2] if truth["url"].count("/") >= 2 else "").removeprefix("www.")
    if domain:
        publisher_marks.add(squash(domain.split(".")[0]))
    for author in truth["authors"] or []:
        if squash(author) not in shown:
            page.notes.append(f"author not shown on the page: {author}")
        if any(mark and mark in squash(author) for mark in publisher_marks):
            page.notes.append(f"author is the publisher: {author}")
    return None


class LanguageOfText:
    """py3langid's ranking, limited to the languages a publisher declares."""

    ALIASES: ClassVar[dict[str, str]] = {"nb": "no", "nn": "no"}

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._known = set(self._identifier.labels) | set(self.ALIASES.values())

    def __call__(self, text: str, declared: Iterable[str], default: str | None = None) -> str | None:
        ranking = [(self.ALIASES.get(code, code), score) for code, score in self._identifier.rank(text[:5000])]
        allowed = {code for code in declared if code in self._known}
        if allowed:
            return next(code for code, _ in ranking if code in allowed)
        return default or ranking[0][0]


def stable_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assign_splits(pages: Sequence[Page]) -> dict[str, str]:
    """id -> "dev" | "heldout", decided per publisher (all its pages go together), stratified by language."""
    publishers: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        publishers[f"{page.source}:{page.publisher_key}"].append(page)
    by_language: dict[str, list[str]] = defaultdict(list)
    for name, members in publishers.items():
        by_language[min(p.truth["language"] or "unknown" for p in members)].append(name)
    strata: dict[str, list[str]] = defaultdict(list)
    for language, names in by_language.items():
        strata[language if len(names) >= MIN_STRATUM else "other"].extend(names)
    splits: dict[str, str] = {}
    for names in strata.values():
        ordered = sorted(names, key=lambda name: (min(p.truth["country"] for p in publishers[name]), stable_hash(name)))
        for i, name in enumerate(ordered):  # every time the running held-out share crosses a whole page
            crosses = math.floor((i + 1) * HELDOUT_SHARE + 0.5) > math.floor(i * HELDOUT_SHARE + 0.5)
            splits.update(dict.fromkeys((p.id for p in publishers[name]), "heldout" if crosses else "dev"))
    return splits


# --- build ------------------------------------------------------------------------------------------------


def _commit(clone: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def _counts(truths: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {
        "pages": len(truths),
        "publishers": len({(t["source"], t["publisher"]) for t in truths.values()}),
        "countries": len({t["country"] for t in truths.values()}),
        "languages": len({t["language"] for t in truths.values()}),
    }


def build(clones: Sequence[Path], out: Path) -> dict[str, Any]:
    pages: list[Page] = []
    excluded: list[dict[str, str]] = []
    sources: list[dict[str, Any]] = []
    for clone in clones:
        if (clone / FUNDUS_DATA).is_dir():
            found, skipped = read_fundus(clone)
            pages.extend(found)
            excluded.extend(skipped)
            sources.append({"name": "fundus", "path": str(clone), "commit": _commit(clone), "licence": FUNDUS_LICENCE})
        else:
            raise SystemExit(f"{clone}: not a clone of a known source (expected {FUNDUS_DATA}/ of flairNLP/fundus)")
    language_of = LanguageOfText()
    kept: list[Page] = []
    for page in pages:
        html = gzip.decompress(page.html_gz).decode("utf-8", errors="replace")
        reason = check_truth(page, html)
        if reason:
            excluded.append({"id": page.id, "reason": reason})
            continue
        page.truth["language"] = language_of(page.truth["body"], page.declared_languages, page.default_language)
        page.truth["notes"] = page.notes
        kept.append(page)

    splits = assign_splits(kept)
    if out.exists():
        for split in SPLITS:
            shutil.rmtree(out / split, ignore_errors=True)
    truths: dict[str, dict[str, dict[str, Any]]] = {split: {} for split in SPLITS}
    for page in sorted(kept, key=lambda p: p.id):
        split = splits[page.id]
        html_dir = out / split / "html"
        html_dir.mkdir(parents=True, exist_ok=True)
        (html_dir / f"{page.id}.html.gz").write_bytes(page.html_gz)
        truths[split][page.id] = page.truth
    for split in SPLITS:
        (out / split).mkdir(parents=True, exist_ok=True)
        text = json.dumps(truths[split], ensure_ascii=False, indent=1, sort_keys=True)
        (out / split / "truth.json").write_text(text + "\n", encoding="utf-8")
    manifest = {
        "sources": sources,
        "split": f"by publisher, stratified by language, held-out share {HELDOUT_SHARE}",
        "counts": {split: _counts(truths[split]) for split in SPLITS},
        "counts_all": _counts({k: v for split in SPLITS for k, v in truths[split].items()}),
        "excluded": excluded,
        "languages": dict(Counter(p.truth["language"] for p in kept).most_common()),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="+", type=Path, metavar="SOURCE_CLONE", help="a clone of flairNLP/fundus")
    parser.add_argument("--out", type=Path, required=True, help="output directory (outside the repository)")
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(ROOT):
        print(f"{args.out} is inside the repository: the pages must stay out of it", file=sys.stderr)
        return 2
    for clone in args.sources:
        if not clone.is_dir():
            print(f"{clone}: no such directory; get the source with\n  {GET_SOURCES}", file=sys.stderr)
            return 2
    manifest = build(args.sources, args.out)
    for split in SPLITS:
        counts = manifest["counts"][split]
        print(f"{split:<8} " + ", ".join(f"{value} {name}" for name, value in counts.items()))
    for item in manifest["excluded"]:
        print(f"excluded {item['id']}: {item['reason']}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
