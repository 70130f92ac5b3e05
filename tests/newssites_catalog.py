"""The generated news sites, one CMS shape each (see newssites.py for the kit). SITES are the tuning set; HELD_OUT
shapes were written with them but crawled only once the generic spider was done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from newssites import (
    HTML,
    XML,
    Response,
    Site,
    Story,
    atom,
    byline,
    esc,
    human_day,
    iso_day,
    json_ld,
    make_stories,
    page,
    paragraphs_html,
    sitemap_index,
    stable_hash,
    teaser_list,
    urlset,
)


def _common_pages(site: Site, language: str, nav: str, about_path: str = "/about/") -> None:
    """An about page and a contact page (not articles), a photo gallery and a one-sentence video post."""
    about = "<h1>About us</h1><p>We are a small independent newsroom.</p><p>Write to us at the address below.</p>"
    site.routes[about_path] = (200, HTML, page(language, "About us", about, nav=nav))
    contact = (
        '<h1>Contact</h1><form><input name="email"><textarea name="message"></textarea><button>Send</button></form>'
    )
    site.routes["/contact/"] = (200, HTML, page(language, "Contact", contact, nav=nav))
    figures = "".join(
        f'<figure><img src="/img/{n}.jpg" alt=""><figcaption>Photo {n} of the market.</figcaption></figure>'
        for n in range(8)
    )
    site.routes["/gallery/market-in-pictures/"] = (
        200,
        HTML,
        page(language, "The market in pictures", f"<h1>The market in pictures</h1>{figures}", nav=nav),
    )
    video = '<h1>Watch: the new bridge at dawn</h1><iframe src="/embed/v1"></iframe><p>Filmed on Monday.</p>'
    site.routes["/video/bridge-at-dawn/"] = (200, HTML, page(language, "Watch: the bridge at dawn", video, nav=nav))
    site.non_articles += [about_path, "/contact/", "/gallery/market-in-pictures/", "/video/bridge-at-dawn/"]


# --- Drupal: node URLs, a sitemap no robots.txt names, section listings with ?page=N, German ------------------


def drupal_de() -> Site:
    stories = make_stories("de", 8, 3, lambda i, slug, when: f"/node/{20 + i}", ("politik", "wirtschaft"))
    site = Site("drupal-de", "de", stories)
    nav = '<a href="/politik">Politik</a> <a href="/wirtschaft">Wirtschaft</a> <a href="/node/3">Impressum</a>'
    for story in stories:
        when = story.published.strftime("%a, %d.%m.%Y - %H:%M")
        head = (
            f'<meta property="og:type" content="article"><meta property="og:title" content="{esc(story.headline)}">'
            f'<meta property="article:published_time" content="{story.published.isoformat()}">'
            f'<link rel="canonical" href="{story.path}">'
        )
        body = (
            f'<article class="node node--type-article"><h1 class="page-title"><span>{esc(story.headline)}</span></h1>'
            f'<footer class="node__meta"><div class="node__submitted">Submitted by <span class="username">'
            f"{esc(' und '.join(story.authors))}</span> on <span>{when}</span></div></footer>"
            f'<div class="field field--name-body">{paragraphs_html(story)}</div></article>'
        )
        site.routes[story.path] = (200, HTML, page("de", story.headline, body, head, nav))
    site.routes["/"] = (
        200,
        HTML,
        page("de", "Startseite", "<h1>Aktuell</h1>" + teaser_list(stories[:3], "de"), nav=nav),
    )
    for section in ("politik", "wirtschaft"):
        items = [s for s in stories if s.section == section]
        for number in range(2):
            chunk = items[number * 2 : number * 2 + 2] if number == 0 else items[2:]
            pager = '<a rel="next" href="?page=1">Nächste Seite</a>' if number == 0 else '<a href="?page=0">Zurück</a>'
            path = f"/{section}" + (f"?page={number}" if number else "")
            site.routes[path] = (
                200,
                HTML,
                page(
                    "de",
                    section,
                    f"<h1>{section}</h1>{teaser_list(chunk, 'de')}<nav class='pager'>{pager}</nav>",
                    nav=nav,
                ),
            )
            site.non_articles.append(path)
    impressum = "<h1>Impressum</h1><p>Verantwortlich: Redaktion.</p><p>Anschrift: Hauptstraße 1.</p>"
    site.routes["/node/3"] = (200, HTML, page("de", "Impressum", impressum, nav=nav))
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /admin/\n")
    entries = [(s.path, s.published.isoformat()) for s in stories] + [("/node/3", None)]
    site.routes["/sitemap.xml"] = (200, XML, b"")  # filled in `bind` (absolute URLs need the server's address)
    site.dynamic = None
    site.non_articles += ["/", "/node/3"]
    _common_pages(site, "de", nav)
    site.sitemap_entries = entries  # type: ignore[attr-defined]
    return site


# --- Ghost: a sitemap index (posts, pages, tags, authors), tag and author pages, an RSS feed, English ------------


def ghost_en() -> Site:
    stories = make_stories("en", 9, 5, lambda i, slug, when: f"/{slug}/", ("city", "transport"))
    site = Site("ghost-en", "en", stories)
    nav = '<a href="/tag/city/">City</a> <a href="/tag/transport/">Transport</a> <a href="/about/">About</a>'
    for story in stories:
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": story.headline,
            "author": [
                {"@type": "Person", "name": a, "url": f"/author/{a.split()[0].lower()}/"} for a in story.authors
            ],
            "datePublished": story.published.isoformat(),
            "publisher": {"@type": "Organization", "name": "Harbour Post"},
        }
        authors = ", ".join(f'<a href="/author/{a.split()[0].lower()}/">{esc(a)}</a>' for a in story.authors)
        body = (
            f'<article class="post-full post tag-{story.section}"><header class="post-full-header">'
            f'<a class="post-tag" href="/tag/{story.section}/">{story.section}</a>'
            f'<h1 class="post-full-title">{esc(story.headline)}</h1></header>'
            f'<div class="post-full-byline">{authors} · <time datetime="{story.day}">'
            f"{human_day(story.published, 'en')}</time></div>"
            f'<section class="gh-content post-full-content">{paragraphs_html(story)}</section></article>'
        )
        head = (
            json_ld(data)
            + '<meta property="og:type" content="article"><meta property="og:site_name" content="Harbour Post">'
        )
        site.routes[story.path] = (200, HTML, page("en", f"{story.headline}", body, head, nav))
    home_head = '<link rel="alternate" type="application/rss+xml" title="Harbour Post" href="/rss/">'
    site.routes["/"] = (
        200,
        HTML,
        page("en", "Harbour Post", teaser_list(stories[:4], "en") + '<a href="/page/2/">Older</a>', home_head, nav),
    )
    site.routes["/page/2/"] = (200, HTML, page("en", "Harbour Post", teaser_list(stories[4:7], "en"), nav=nav))
    for tag in ("city", "transport"):
        items = [s for s in stories if s.section == tag]
        site.routes[f"/tag/{tag}/"] = (
            200,
            HTML,
            page("en", tag, f"<h1>{tag}</h1>" + teaser_list(items, "en"), nav=nav),
        )
    authors = sorted({a for s in stories for a in s.authors})
    for author in authors:
        items = [s for s in stories if author in s.authors]
        site.routes[f"/author/{author.split()[0].lower()}/"] = (
            200,
            HTML,
            page("en", author, f"<h1>{esc(author)}</h1><p>Reporter.</p>" + teaser_list(items, "en"), nav=nav),
        )
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /ghost/\nSitemap: /sitemap.xml\n")
    site.non_articles += ["/", "/page/2/", "/tag/city/", "/tag/transport/"]
    site.non_articles += [f"/author/{a.split()[0].lower()}/" for a in authors]
    _common_pages(site, "en", nav)
    site.rss_stories = stories[:5]  # type: ignore[attr-defined]
    site.sitemap_entries = [(s.path, s.published.isoformat()) for s in stories]  # type: ignore[attr-defined]
    return site


# --- A JavaScript app: metadata only in JSON-LD, articles only in an Atom feed announced in the head, French ------


def atom_fr() -> Site:
    stories = make_stories("fr", 7, 7, lambda i, slug, when: f"/articles/{stable_hash(slug)}", ("ville", "ville"))
    site = Site("atom-fr", "fr", stories)
    for story in stories:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.headline,
            "author": [{"@type": "Person", "name": a} for a in story.authors],
            "datePublished": story.published.isoformat(),
            "inLanguage": "fr",
        }
        body = (
            f'<div id="app" data-server-rendered="true"><div class="view"><h1>{esc(story.headline)}</h1>'
            f'<div class="content">{paragraphs_html(story)}</div></div></div><script src="/app.js"></script>'
        )
        site.routes[story.path] = (200, HTML, page("fr", story.headline, body, json_ld(data)))
    head = '<link rel="alternate" type="application/atom+xml" title="Tous les articles" href="/flux/tout.atom">'
    shell = '<div id="app"></div><noscript>Activez JavaScript.</noscript><script src="/app.js"></script>'
    site.routes["/"] = (200, HTML, page("fr", "Le Quotidien", shell, head))
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nAllow: /\n")
    site.non_articles += ["/"]
    site.atom_stories = stories  # type: ignore[attr-defined]
    return site


# --- A newspaper: a Google News sitemap, monthly archives that go on for ever, two-author bylines, Spanish --------


def gazette_es() -> Site:
    stories = make_stories("es", 8, 11, lambda i, slug, when: f"/{when:%Y/%m/%d}/{slug}.html", ("local", "economia"))
    site = Site("gazette-es", "es", stories)
    nav = '<a href="/seccion/local/">Local</a> <a href="/seccion/economia/">Economía</a> <a href="/archivo/2024/05/">Archivo</a>'
    for story in stories:
        head = (
            f'<meta property="og:type" content="article"><meta property="og:title" content="{esc(story.headline)}">'
            f'<meta property="article:published_time" content="{story.published.isoformat()}">'
        )
        body = (
            f'<div class="story"><span class="kicker">{story.section}</span><h1>{esc(story.headline)}</h1>'
            f'<p class="byline">{esc(byline(story, "es"))}</p><p class="dateline">{human_day(story.published, "es")}</p>'
            f'<div class="story-body">{paragraphs_html(story)}</div>'
            f'<aside class="more"><h3>Más noticias</h3><a href="/archivo/{story.published:%Y/%m}/">Archivo del mes</a></aside></div>'
        )
        site.routes[story.path] = (200, HTML, page("es", story.headline, body, head, nav))
    site.routes["/"] = (200, HTML, page("es", "La Gaceta", teaser_list(stories[:3], "es"), nav=nav))
    for section in ("local", "economia"):
        items = [s for s in stories if s.section == section]
        site.routes[f"/seccion/{section}/"] = (200, HTML, page("es", section, teaser_list(items[:2], "es"), nav=nav))
        site.non_articles.append(f"/seccion/{section}/")
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nSitemap: /sitemap-news.xml\n")

    def archive(path: str, query: dict[str, list[str]]) -> Response | None:
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "archivo" or not (parts[1].isdigit() and parts[2].isdigit()):
            return None
        year, month = int(parts[1]), int(parts[2])
        if not 1 <= month <= 12:
            return None
        items = [s for s in stories if (s.published.year, s.published.month) == (year, month)]
        before = date(year, month, 1) - timedelta(days=1)
        after = date(year, month, 28) + timedelta(days=5)
        pager = (
            f'<a href="/archivo/{before:%Y/%m}/">Mes anterior</a> <a href="/archivo/{after:%Y/%m}/">Mes siguiente</a>'
        )
        return 200, HTML, page("es", f"Archivo {year}/{month:02d}", teaser_list(items, "es") + pager, nav=nav)

    site.dynamic = archive
    site.non_articles += ["/", "/archivo/2024/05/"]
    site.news_entries = [(s.path, s.published.isoformat()) for s in stories]  # type: ignore[attr-defined]
    return site


# --- Sections only: no sitemap, no feed; ?pagina=N that never ends, an endless calendar, Italian ----------------


def sections_it() -> Site:
    stories = make_stories("it", 8, 13, lambda i, slug, when: f"/notizie/{slug}-{400 + i}", ("politica", "economia"))
    site = Site("sections-it", "it", stories)
    nav = '<a href="/politica/">Politica</a> <a href="/economia/">Economia</a> <a href="/calendario?data=2024-05-13">Calendario</a>'
    for story in stories:
        head = (
            f'<meta property="og:type" content="article"><meta name="author" content="{esc(", ".join(story.authors))}">'
        )
        body = (
            f'<article><h1 class="titolo">{esc(story.headline)}</h1><div class="autore">{esc(byline(story, "it"))}</div>'
            f'<time datetime="{story.published.isoformat()}">{human_day(story.published, "it")}</time>'
            f'<div class="testo">{paragraphs_html(story)}</div></article>'
        )
        site.routes[story.path] = (200, HTML, page("it", story.headline, body, head, nav))
    site.routes["/"] = (200, HTML, page("it", "Il Corriere di Quartiere", "<p>Benvenuti.</p>", nav=nav))
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\n")

    def generated(path: str, query: dict[str, list[str]]) -> Response | None:
        if path in {"/politica/", "/economia/"}:
            section = path.strip("/")
            number = int(query.get("pagina", ["1"])[0]) if query.get("pagina", ["1"])[0].isdigit() else 1
            items = [s for s in stories if s.section == section][(number - 1) * 2 : number * 2]
            listing = teaser_list(items, "it") if items else "<p>Nessun articolo.</p>"
            pager = f'<a class="next" href="{path}?pagina={number + 1}">Pagina successiva</a>'  # never stops
            return 200, HTML, page("it", section, f"<h1>{section}</h1>{listing}{pager}", nav=nav)
        if path == "/calendario":
            day = iso_day(query.get("data", [""])[0]) or date(2024, 5, 13)
            items = [s for s in stories if s.published.date() == day]
            links = (
                f'<a href="/calendario?data={day - timedelta(days=1)}">Giorno precedente</a> '
                f'<a href="/calendario?data={day + timedelta(days=1)}">Giorno successivo</a>'
            )
            return 200, HTML, page("it", f"Calendario {day}", teaser_list(items, "it") + links, nav=nav)
        return None

    site.dynamic = generated
    site.non_articles += ["/", "/politica/", "/economia/", "/calendario?data=2024-05-13"]
    return site


# --- held out: a multilingual WordPress with language prefixes; a magazine with a gzipped sitemap index ----------


def multi_wp() -> Site:
    english = make_stories("en", 4, 17, lambda i, slug, when: f"/en/{when:%Y/%m}/{slug}/", ("news", "news"))
    german = make_stories("de", 4, 19, lambda i, slug, when: f"/de/{when:%Y/%m}/{slug}/", ("news", "news"))
    site = Site("multi-wp", "en", english + german)
    for language, stories in (("en", english), ("de", german)):
        nav = '<a href="/en/">English</a> <a href="/de/">Deutsch</a>'
        for story in stories:
            head = (
                f'<meta property="og:type" content="article"><meta property="og:locale" content="{language}">'
                f'<meta property="article:published_time" content="{story.published.isoformat()}">'
                f'<meta name="author" content="{esc(", ".join(story.authors))}">'
            )
            body = (
                f'<article class="post type-post"><header class="entry-header"><h1 class="entry-title">'
                f'{esc(story.headline)}</h1><div class="entry-meta"><span class="byline">{esc(byline(story, language))}'
                f'</span> <time class="entry-date published" datetime="{story.published.isoformat()}">'
                f"{human_day(story.published, language)}</time></div></header>"
                f'<div class="entry-content">{paragraphs_html(story)}</div></article>'
            )
            site.routes[story.path] = (200, HTML, page(language, story.headline, body, head, nav))
        site.routes[f"/{language}/"] = (200, HTML, page(language, "Home", teaser_list(stories[:2], language), nav=nav))
        site.non_articles.append(f"/{language}/")
    chooser = '<h1>Choose your language</h1><a href="/en/">English</a> <a href="/de/">Deutsch</a>'
    site.routes["/"] = (200, HTML, page("en", "Welcome", chooser))
    site.non_articles.append("/")
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nSitemap: /wp-sitemap.xml\n")
    site.sitemap_entries = [(s.path, s.published.isoformat()) for s in english + german]  # type: ignore[attr-defined]
    return site


def magazine_fr() -> Site:
    stories = make_stories("fr", 6, 23, lambda i, slug, when: f"/{when:%Y/%m/%d}/{slug}.html", ("culture", "societe"))
    site = Site("magazine-fr", "fr", stories)
    nav = '<a href="/culture/">Culture</a> <a href="/societe/">Société</a>'
    for story in stories:
        data = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": story.path},
                {
                    "@type": "NewsArticle",
                    "headline": story.headline,
                    "datePublished": story.published.isoformat(),
                    "author": [{"@type": "Person", "name": a} for a in story.authors],
                },
            ],
        }
        body = (
            f'<div class="article"><h1>{esc(story.headline)}</h1><div class="signature">{esc(byline(story, "fr"))}</div>'
            f'<div class="chapo"><p>{esc(story.paragraphs[0])}</p></div>'
            f'<div class="texte">{"".join(f"<p>{esc(p)}</p>" for p in story.paragraphs[1:])}</div></div>'
        )
        site.routes[story.path] = (200, HTML, page("fr", story.headline, body, json_ld(data), nav))
    site.routes["/"] = (200, HTML, page("fr", "Le Magazine", teaser_list(stories[:2], "fr"), nav=nav))
    for section in ("culture", "societe"):
        items = [s for s in stories if s.section == section]
        site.routes[f"/{section}/"] = (200, HTML, page("fr", section, teaser_list(items, "fr"), nav=nav))
        site.non_articles.append(f"/{section}/")
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nSitemap: /sitemap.xml.gz\n")
    site.non_articles.append("/")
    site.sitemap_entries = [(s.path, s.published.isoformat()) for s in stories]  # type: ignore[attr-defined]
    return site


def bind(site: Site, base: str) -> Site:
    """Fill in what needs the server's address: sitemaps and feeds list absolute URLs."""
    import gzip

    entries = [(base + path, moment) for path, moment in getattr(site, "sitemap_entries", [])]
    if site.name == "drupal-de":
        site.routes["/sitemap.xml"] = (200, XML, urlset(entries))
    elif site.name == "ghost-en":
        site.routes["/sitemap.xml"] = (
            200,
            XML,
            sitemap_index([base + "/sitemap-posts.xml", base + "/sitemap-pages.xml", base + "/sitemap-tags.xml"]),
        )
        site.routes["/sitemap-posts.xml"] = (200, XML, urlset(entries))
        site.routes["/sitemap-pages.xml"] = (200, XML, urlset([(base + "/about/", None), (base + "/contact/", None)]))
        site.routes["/sitemap-tags.xml"] = (
            200,
            XML,
            urlset([(base + "/tag/city/", None), (base + "/tag/transport/", None)]),
        )
        rss_items = "".join(
            f"<item><title>{esc(s.headline)}</title><link>{base}{s.path}</link>"
            f"<pubDate>{s.published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
            for s in site.rss_stories  # type: ignore[attr-defined]
        )
        site.routes["/rss/"] = (
            200,
            "application/rss+xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Post</title>{rss_items}</channel></rss>'.encode(),
        )
    elif site.name == "atom-fr":
        site.routes["/flux/tout.atom"] = (200, "application/atom+xml", atom(base, site.atom_stories))  # type: ignore[attr-defined]
    elif site.name == "gazette-es":
        news = [(base + path, moment) for path, moment in site.news_entries]  # type: ignore[attr-defined]
        site.routes["/sitemap-news.xml"] = (200, XML, urlset(news, news=True))
    elif site.name == "multi-wp":
        site.routes["/wp-sitemap.xml"] = (200, XML, sitemap_index([base + "/wp-sitemap-posts-post-1.xml"]))
        site.routes["/wp-sitemap-posts-post-1.xml"] = (200, XML, urlset(entries))
    elif site.name == "magazine-fr":
        index = sitemap_index([base + "/sitemap-articles.xml.gz"])
        site.routes["/sitemap.xml.gz"] = (200, "application/x-gzip", gzip.compress(index))
        site.routes["/sitemap-articles.xml.gz"] = (200, "application/x-gzip", gzip.compress(urlset(entries)))
    return site


SITES: dict[str, Callable[[], Site]] = {
    "drupal-de": drupal_de,
    "ghost-en": ghost_en,
    "atom-fr": atom_fr,
    "gazette-es": gazette_es,
    "sections-it": sections_it,
}
HELD_OUT: dict[str, Callable[[], Site]] = {"multi-wp": multi_wp, "magazine-fr": magazine_fr}


def article_paths(site: Site) -> set[str]:
    return {story.path for story in site.stories}


def story_by_path(site: Site) -> dict[str, Story]:
    return {story.path: story for story in site.stories}


# --- hostile: traps of every kind beside four good articles (issue 10) ----------------------------------------

HUGE_PAGE_LINKS = 100_000


def hostile_en() -> Site:
    """Good articles, and: a link farm of generated article-like pages, one page with 100,000 links, ?offset=N
    for ever, faceted URLs without end, a calendar that runs into the future, paths that go round in circles."""
    stories = make_stories("en", 4, 29, lambda i, slug, when: f"/{when:%Y/%m}/{slug}/", ("news", "news"))
    site = Site("hostile-en", "en", stories)
    nav = '<a href="/news?offset=0">All news</a> <a href="/shop?color=red">Shop</a> <a href="/events/2024/05/">Events</a> <a href="/directory/">Directory</a> <a href="/a/b/">Loop</a>'

    def article(story: Story, related: str = "") -> bytes:
        head = f'<meta property="og:type" content="article"><meta property="article:published_time" content="{story.published.isoformat()}">'
        body = (
            f'<article class="post"><h1 class="entry-title">{esc(story.headline)}</h1><p class="byline">{esc(byline(story, "en"))}</p>'
            f'<div class="entry-content">{paragraphs_html(story)}</div></article>{related}'
        )
        return page("en", story.headline, body, head, nav)

    def farm_links(seed: str) -> str:
        return (
            '<aside class="related"><h3>Related</h3>'
            + "".join(f'<a href="/related/{stable_hash(seed + str(n))}/">More on this</a> ' for n in range(3))
            + "</aside>"
        )

    for index, story in enumerate(stories):
        site.routes[story.path] = (200, HTML, article(story, farm_links(story.path) if index == 0 else ""))
    site.routes["/"] = (200, HTML, page("en", "The Hostile Times", teaser_list(stories, "en"), nav=nav))
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\n")
    filler = make_stories("en", 6, 31, lambda i, slug, when: f"/x/{slug}/", ("news", "news"))

    def generated(path: str, query: dict[str, list[str]]) -> Response | None:
        if path.startswith("/related/"):  # a link farm: every page an article, three new ones linked from each
            key = path.split("/")[2]
            junk = filler[int(key, 16) % len(filler)]
            junk = Story(path, f"{junk.headline} [{key}]", junk.authors, junk.published, junk.paragraphs, "news")
            return 200, HTML, article(junk, farm_links(key))
        if path == "/news":
            offset = int(query.get("offset", ["0"])[0]) if query.get("offset", ["0"])[0].isdigit() else 0
            items = stories if offset == 0 else []
            body = teaser_list(items, "en") + f'<a href="/news?offset={offset + 10}">Next</a>'
            return 200, HTML, page("en", "All news", body, nav=nav)
        if path == "/shop":
            here = "&".join(f"{k}={v[0]}" for k, v in sorted(query.items()))
            links = "".join(
                f'<a href="/shop?{here}&{facet}={value}">{facet} {value}</a> '
                for facet in ("color", "size", "brand", "ref")
                for value in ("a", "b", stable_hash(here)[:4])
            )
            return 200, HTML, page("en", "Shop", f"<h1>Shop</h1>{links}", nav=nav)
        if path.startswith("/events/"):
            parts = path.strip("/").split("/")
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                year, month = int(parts[1]), int(parts[2])
                nxt = f"/events/{year + month // 12}/{month % 12 + 1:02d}/"
                return (
                    200,
                    HTML,
                    page("en", "Events", f'<h1>Events {year}/{month}</h1><a href="{nxt}">Next month</a>', nav=nav),
                )
        if path == "/directory/":
            links = "".join(f'<a href="/entry/{n}">Entry {n}</a>' for n in range(HUGE_PAGE_LINKS))
            return 200, HTML, page("en", "Directory", f"<h1>Directory</h1><p>Everything.</p>{links}", nav=nav)
        if path.startswith("/entry/"):
            return 200, HTML, page("en", "Entry", "<h1>Entry</h1><p>An entry.</p>", nav=nav)
        if path.startswith("/a/") or path.startswith("/b/"):  # relative links that go round in circles
            return 200, HTML, page("en", "Loop", '<a href="a/">a</a> <a href="b/">b</a>', nav=nav)
        return None

    site.dynamic = generated
    site.non_articles += ["/", "/news?offset=0", "/shop?color=red"]
    return site


def big_sitemap_en(children: int = 3, per_child: int = 2000) -> Site:
    """A sitemap index of `children` sitemaps of `per_child` article URLs each (issue 10 item 9, made small)."""
    stories = make_stories("en", 6, 37, lambda i, slug, when: f"/story/{slug}/", ("news", "news"))
    site = Site("big-sitemap-en", "en", stories)

    def article(story: Story) -> bytes:
        head = f'<meta property="og:type" content="article"><meta property="article:published_time" content="{story.published.isoformat()}">'
        body = f'<article><h1>{esc(story.headline)}</h1><p class="byline">{esc(byline(story, "en"))}</p>{paragraphs_html(story)}</article>'
        return page("en", story.headline, body, head)

    site.routes["/"] = (200, HTML, page("en", "Big Archive", "<p>Welcome.</p>"))
    site.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nSitemap: /sitemap_index.xml\n")

    def generated(path: str, query: dict[str, list[str]]) -> Response | None:
        if path == "/sitemap_index.xml":
            return 200, XML, sitemap_index([f"/archive-{i}.xml" for i in range(children)])
        if path.startswith("/archive-") and path.endswith(".xml"):
            number = int(path[len("/archive-") : -len(".xml")])
            locs = [(f"/story/archive-{number}-{n}/", None) for n in range(per_child)]
            return 200, XML, urlset(locs)
        if path.startswith("/story/"):
            slug = path.split("/")[2]
            template = stories[int(stable_hash(slug), 16) % len(stories)]
            return (
                200,
                HTML,
                article(
                    Story(
                        path,
                        f"{template.headline} [{slug}]",
                        template.authors,
                        template.published,
                        template.paragraphs,
                        "news",
                    )
                ),
            )
        return None

    site.dynamic = generated
    return site
