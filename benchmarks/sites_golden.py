"""The news-site corpus as an extraction benchmark: every article page against its expected fields, every other
page expected to give no record — per field and per site, so a class of failures shows before a crawl does."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/sites_golden.py` from a checkout without an install
    sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT / "tests" / "fixtures" / "sites"
FIELDS = ("headline", "authors", "published", "standfirst", "first_paragraph", "last_paragraph", "language")


def squash(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def same_published(expected: str | None, got: str | None) -> bool:
    """Datetimes compare as instants; a day compares as the day."""
    if not expected or not got:
        return expected == got
    if "T" not in expected or "T" not in got:
        return expected == got
    try:
        return datetime.fromisoformat(expected) == datetime.fromisoformat(got)
    except ValueError:
        return expected == got


def page_file(site: Path, path: str) -> Path:
    parts = urlsplit(path)
    relative = parts.path.strip("/")
    directory = site / relative if relative else site
    if parts.query:
        directory = site / (relative + "?" + parts.query)
    return directory / "index.html" if directory.is_dir() else directory


def got_fields(record: dict[str, Any], standfirst: str | None = None) -> dict[str, Any]:
    """The record's fields as the corpus states them; a standfirst the page prints under its headline opens the
    body (it is article text), so the first paragraph is then the one after it."""
    paragraphs = [p for p in record["body"].split("\n\n") if p.strip()]
    got_standfirst = None
    if standfirst is not None and paragraphs:
        got_standfirst, paragraphs = paragraphs[0], paragraphs[1:]
    return {
        "standfirst": got_standfirst,
        "headline": record["headline"],
        "authors": record["authors"],
        "published": record["published"],
        "first_paragraph": paragraphs[0] if paragraphs else "",
        "last_paragraph": paragraphs[-1] if paragraphs else "",
        "language": record["language"],
    }


def field_matches(name: str, expected: Any, got: Any) -> bool:
    if name == "published":
        return same_published(expected, got)
    if name in {"standfirst", "first_paragraph", "last_paragraph", "headline"}:
        return squash(expected) == squash(got)
    return expected == got


@dataclass
class SiteScore:
    name: str
    articles: int = 0
    missed: list[str] = field(default_factory=list)  # article pages given no record
    wrong: Counter[str] = field(default_factory=Counter)
    mismatches: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    non_articles: int = 0
    emitted_non_articles: list[str] = field(default_factory=list)


def score_site(site_dir: Path, domain: str) -> SiteScore:
    from newsspider.extract import extract_article

    score = SiteScore(site_dir.name)
    expected_dir = site_dir / "expected"
    for path in sorted(expected_dir.glob("*.json")):
        if path.name in {"non_articles.json", "duplicates.json"}:
            continue
        expected = json.loads(path.read_text(encoding="utf-8"))
        score.articles += 1
        html = page_file(site_dir / "site", expected["url"]).read_bytes()
        result = extract_article(html, domain + expected["url"])
        if result.record is None:
            score.missed.append(f"{expected['url']} ({result.reason})")
            continue
        got = got_fields(result.record, expected.get("standfirst"))
        for name in FIELDS:
            if not field_matches(name, expected.get(name), got[name]):
                score.wrong[name] += 1
                score.mismatches.append((expected["url"], name, expected.get(name), got[name]))
    non_articles = expected_dir / "non_articles.json"
    for path in json.loads(non_articles.read_text(encoding="utf-8")) if non_articles.exists() else []:
        file = page_file(site_dir / "site", path)
        if not file.is_file():
            continue
        score.non_articles += 1
        result = extract_article(file.read_bytes(), domain + path)
        if result.record is not None:
            score.emitted_non_articles.append(path)
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="a sites corpus (index.json + sites)")
    parser.add_argument("--site", action="append", help="only these sites")
    parser.add_argument("--show", action="store_true", help="print every mismatch")
    args = parser.parse_args(argv)
    index_path = args.corpus / "index.json"
    if not index_path.is_file():
        print(f"no sites corpus at {args.corpus} (expected index.json)", file=sys.stderr)
        return 2
    sites = json.loads(index_path.read_text(encoding="utf-8"))["sites"]
    totals: Counter[str] = Counter()
    print(f"{'site':28} {'art':>4} {'miss':>4} " + " ".join(f"{f[:9]:>9}" for f in FIELDS) + "  non-art emitted")
    for site in sites:
        if args.site and site["name"] not in args.site:
            continue
        score = score_site(args.corpus / site["name"], site["domain"].rstrip("/"))
        totals["articles"] += score.articles
        totals["missed"] += len(score.missed)
        totals["non_articles"] += score.non_articles
        totals["emitted"] += len(score.emitted_non_articles)
        for name in FIELDS:
            totals[name] += score.wrong[name]
        wrong = " ".join(f"{score.wrong[f]:>9}" for f in FIELDS)
        emitted = f"{len(score.emitted_non_articles)}/{score.non_articles}"
        print(f"{score.name:28} {score.articles:>4} {len(score.missed):>4} {wrong}  {emitted}")
        if args.show:
            for item in score.missed:
                print(f"    MISSED {item}")
            for url, name, expected, got in score.mismatches:
                print(f"    {url} {name}:\n      expected {expected!r}\n      got      {got!r}")
            for path in score.emitted_non_articles:
                print(f"    EMITTED non-article {path}")
    articles = totals["articles"] or 1
    print(
        f"\n{totals['articles']} articles, {totals['missed']} judged not articles; field accuracy: "
        + ", ".join(f"{name} {1 - totals[name] / articles:.1%}" for name in FIELDS)
        + f"; non-articles emitted: {totals['emitted']} of {totals['non_articles']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
