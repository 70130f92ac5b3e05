"""Site profiles as TOML: every field checked on load, the registry (sites folder, then built in), URL rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsspider.sites import get_profile, list_profiles, profile_for_url
from newsspider.sites.loader import ProfileError, load_profile
from newsspider.sites.probe import Probe, probe_site, profile_toml

FULL = """
url = "https://www.zeitung.example/"
site_name = "Die Zeitung"
site_names = ["ZTG"]
domains = ["en.zeitung.example", "*.zeitung.example"]
languages = ["de", "en"]
timezone = "Europe/Berlin"
since = "2024-01-01"

[discovery]
sitemaps = ["/sitemap_index.xml"]
feeds = ["/feed/"]
listings = ["/", "/politik/"]
follow_article_links = false

[urls]
allow = ["^/(politik|wirtschaft)/"]
deny = ["^/shop/"]
not_articles = ["^/politik/$"]

[selectors]
headline = "h1.title::text"
authors = "xpath://span[@class='author']"
published = "time::attr(datetime)"
body = "div.text"
remove = [".ad"]

[politeness]
download_delay = 1.5
concurrent_requests_per_domain = 2

[limits]
max_listing_pages = 20
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_documented_field_loads(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "zeitung", FULL))
    assert profile.name == "zeitung"
    assert profile.all_site_names() == ("Die Zeitung", "ZTG")
    assert profile.listings == ("/", "/politik/") and not profile.follow_article_links
    assert profile.selectors.authors == "xpath://span[@class='author']" and profile.selectors.remove == (".ad",)
    assert profile.settings == {
        "DOWNLOAD_DELAY": 1.5,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "NEWSSPIDER_MAX_LISTING_PAGES": 20,
    }
    assert profile.owns_host("de.zeitung.example") and not profile.owns_host("zeitung.example.org")


def test_url_rules_allow_deny_and_not_articles(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "zeitung", FULL))
    assert not profile.is_ignored_path("/politik/wahl-2024")
    assert profile.is_ignored_path("/sport/derby")  # outside allow
    assert profile.is_ignored_path("/wp-admin/")  # the common rules stay
    assert profile.is_declared_non_article("/politik/")
    assert profile.is_non_article_path("/politik/") and profile.is_non_article_path("/tag/x/")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('site_name = "x"\n', "url (the site's root"),
        ('url = "ftp://x.org/"\n', "url must be an http(s) URL"),
        ('url = "https://x.org/"\nbogus = 1\n', "unknown field(s) bogus"),
        ('url = "https://x.org/"\n[urls]\nallow = "^/a"\n', "urls.allow must be a list of strings"),
        ('url = "https://x.org/"\n[urls]\ndeny = ["(unclosed"]\n', "is not a valid regular expression"),
        ('url = "https://x.org/"\n[selectors]\nbody = "div[[["\n', "is not a valid selector"),
        ('url = "https://x.org/"\nsince = "last week"\n', "since must be a day"),
        ('url = "https://x.org/"\n[politeness]\ndownload_delay = -1\n', "a number >= 0"),
        ('url = "https://x.org/"\n[discovery]\nsitemap = []\n', "unknown field(s) in [discovery]: sitemap"),
        ("url = ", "not valid TOML"),
    ],
)
def test_a_bad_profile_is_one_message_naming_the_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=None) as error:
        load_profile(write(tmp_path, "bad", text))
    assert message in str(error.value) and "bad.toml" in str(error.value)


def test_the_sites_folder_comes_before_the_built_in_profiles(tmp_path: Path) -> None:
    assert get_profile("eureporter", tmp_path).base_url == "https://www.eureporter.co/"
    write(tmp_path, "eureporter", 'url = "https://mirror.example/"\n')
    write(tmp_path, "zeitung", FULL)
    write(tmp_path, "broken", "url = ")
    assert get_profile("eureporter", tmp_path).base_url == "https://mirror.example/"
    profiles = list_profiles(tmp_path)
    assert sorted(profiles) == ["broken", "eureporter", "zeitung"]
    assert isinstance(profiles["broken"], ProfileError)
    assert profile_for_url("https://en.zeitung.example/a/", tmp_path).name == "zeitung"  # type: ignore[union-attr]
    with pytest.raises(KeyError, match="unknown site 'nope'; known: broken, eureporter, zeitung"):
        get_profile("nope", tmp_path)


def test_a_probed_site_gives_a_profile_that_loads(tmp_path: Path) -> None:
    pages = {
        "https://news.example/robots.txt": b"User-agent: *\nDisallow: /private/\n",
        "https://news.example/sitemap.xml": b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://news.example/a/</loc></url></urlset>",
        "https://news.example/": b'<html lang="fr"><head>'
        b'<meta property="og:site_name" content=\'Le "Journal" &amp; Cie\'>'
        b'<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>',
        "https://news.example/rss.xml": b"<rss><channel><item><link>https://news.example/a/</link></item></channel></rss>",
    }
    probe = probe_site("https://news.example/", lambda url: (200, pages[url]) if url in pages else (404, b""))
    assert probe.probed_sitemaps == ["https://news.example/sitemap.xml"] and probe.sitemap_urls == 1
    assert probe.announced_feeds == ["https://news.example/rss.xml"] and probe.feed_urls == 1
    assert (probe.language, probe.site_name) == ("fr", 'Le "Journal" & Cie')
    profile = load_profile(write(tmp_path, "journal", profile_toml(probe)))
    assert profile.sitemaps == ("/sitemap.xml",) and profile.feeds == () and profile.languages == ("fr",)
    assert profile.site_name == 'Le "Journal" & Cie'


def test_probing_obeys_robots_txt() -> None:
    pages = {"https://x.example/robots.txt": b"User-agent: *\nDisallow: /\n"}
    asked: list[str] = []

    def fetch(url: str) -> tuple[int, bytes]:
        asked.append(url)
        return (200, pages[url]) if url in pages else (404, b"")

    probe: Probe = probe_site("https://x.example/", fetch)
    assert asked == ["https://x.example/robots.txt"]
    assert "https://x.example/" in probe.refused_by_robots


def test_the_readme_profile_loads_with_every_field(tmp_path: Path) -> None:
    """The README's "Adding a site" shows every field a profile has: it must load as printed."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a site", 1)[1].split("\n## ", 1)[0]
    text = section.split("```toml\n", 1)[1].split("```", 1)[0]
    profile = load_profile(write(tmp_path, "zeitung", text))
    from newsspider.sites.loader import TABLES, TOP

    for key in TOP:
        assert f"\n{key} = " in "\n" + text, f"{key} is not shown in the README"
    for table, fields in TABLES.items():
        assert f"[{table}]" in text
        for key in fields:
            assert f"\n{key} = " in text, f"{table}.{key} is not shown in the README"
    assert profile.selectors.remove == (".ad", ".read-also", "#comments")
