"""Small generated news sites in several CMS shapes and languages, served on 127.0.0.1, for crawls of `news`.

Each site knows its articles (what a crawl must emit, field by field) and its pages that are not articles (what it
must not emit). Some shapes hide articles from all but one source (an unannounced sitemap, an Atom feed announced
only in the head, section listings); some carry traps that never end (calendars, pagination, facets, link farms).
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

# --- prose -------------------------------------------------------------------------------------------------

SENTENCES = {
    "en": (
        "The council approved the budget after a debate that lasted well into the evening.",
        "Residents had asked for the plan to be delayed until a full survey of the area was complete.",
        "Officials said the first contracts would be signed before the end of the summer.",
        "The opposition called the decision rushed and promised to raise it again at the next session.",
        "Local businesses welcomed the move, saying it would bring more visitors to the old town.",
        "Engineers expect the work to take two years, with the busiest roads closed only at night.",
        "A spokesperson for the regional government declined to comment on the final cost.",
        "Campaigners plan to hold a public meeting in the library on Thursday evening.",
        "Figures published this week show the number of passengers rising for a third year in a row.",
        "The mayor said the city could not afford to wait any longer for national funding.",
        "Several families living near the site have asked for compensation for the noise.",
        "The proposal will now go to a committee, which is due to report back in the autumn.",
    ),
    "de": (
        "Der Stadtrat hat den Haushalt nach einer langen Debatte am späten Abend beschlossen.",
        "Anwohner hatten gefordert, das Vorhaben bis zum Abschluss eines Gutachtens zu verschieben.",
        "Nach Angaben der Verwaltung sollen die ersten Aufträge noch vor dem Sommer vergeben werden.",
        "Die Opposition kritisierte die Entscheidung als überstürzt und kündigte weiteren Widerstand an.",
        "Örtliche Händler begrüßten den Beschluss, weil er mehr Besucher in die Altstadt bringe.",
        "Die Bauarbeiten sollen zwei Jahre dauern, die wichtigsten Straßen werden nur nachts gesperrt.",
        "Ein Sprecher der Landesregierung wollte sich zu den endgültigen Kosten nicht äußern.",
        "Eine Bürgerinitiative lädt für Donnerstagabend zu einer Versammlung in die Stadtbibliothek ein.",
        "Die in dieser Woche veröffentlichten Zahlen zeigen das dritte Jahr in Folge mehr Fahrgäste.",
        "Der Bürgermeister sagte, die Stadt könne nicht länger auf Fördermittel des Bundes warten.",
        "Mehrere Familien in der Nähe der Baustelle verlangen eine Entschädigung für den Lärm.",
        "Der Antrag geht nun in den Ausschuss, der im Herbst einen Bericht vorlegen soll.",
    ),
    "fr": (
        "Le conseil municipal a adopté le budget après un débat qui s'est prolongé tard dans la soirée.",
        "Les habitants avaient demandé le report du projet jusqu'à la fin d'une étude complète du quartier.",
        "Selon la mairie, les premiers marchés seront signés avant la fin de l'été.",
        "L'opposition a dénoncé une décision précipitée et promet de revenir à la charge lors de la prochaine séance.",
        "Les commerçants du centre saluent une mesure qui devrait attirer davantage de visiteurs.",
        "Les travaux doivent durer deux ans, les axes principaux ne seront fermés que la nuit.",
        "Un porte-parole de la région n'a pas souhaité commenter le coût final de l'opération.",
        "Un collectif d'habitants organise une réunion publique jeudi soir à la médiathèque.",
        "Les chiffres publiés cette semaine montrent une hausse de la fréquentation pour la troisième année.",
        "Le maire estime que la ville ne peut plus attendre les financements de l'État.",
        "Plusieurs familles installées près du chantier réclament une indemnisation pour le bruit.",
        "La proposition sera examinée en commission, qui doit rendre ses conclusions à l'automne.",
    ),
    "es": (
        "El pleno aprobó los presupuestos tras un debate que se prolongó hasta bien entrada la noche.",
        "Los vecinos habían pedido aplazar el proyecto hasta que terminara un estudio completo de la zona.",
        "Según el ayuntamiento, los primeros contratos se firmarán antes de que acabe el verano.",
        "La oposición calificó la decisión de precipitada y anunció que volverá a plantearla en el próximo pleno.",
        "Los comerciantes del centro celebraron la medida porque atraerá a más visitantes al casco antiguo.",
        "Las obras durarán dos años y las calles principales solo se cortarán por la noche.",
        "Un portavoz del gobierno regional declinó comentar el coste final del proyecto.",
        "Una plataforma vecinal ha convocado una asamblea el jueves por la tarde en la biblioteca.",
        "Las cifras publicadas esta semana muestran un aumento de viajeros por tercer año consecutivo.",
        "La alcaldesa afirmó que la ciudad no puede seguir esperando la financiación del Estado.",
        "Varias familias que viven junto a las obras reclaman una compensación por el ruido.",
        "La propuesta pasará ahora a una comisión, que presentará su informe en otoño.",
    ),
    "it": (
        "Il consiglio comunale ha approvato il bilancio dopo un dibattito proseguito fino a tarda sera.",
        "I residenti avevano chiesto di rinviare il progetto fino alla conclusione di uno studio completo.",
        "Secondo il comune, i primi contratti saranno firmati prima della fine dell'estate.",
        "L'opposizione ha definito la decisione affrettata e promette di riproporre la questione.",
        "I commercianti del centro hanno accolto con favore la misura, che porterà più visitatori.",
        "I lavori dureranno due anni e le strade principali saranno chiuse soltanto di notte.",
        "Un portavoce della regione non ha voluto commentare il costo finale dell'opera.",
        "Un comitato di cittadini ha convocato un'assemblea pubblica giovedì sera in biblioteca.",
        "I dati pubblicati questa settimana mostrano un aumento dei passeggeri per il terzo anno consecutivo.",
        "Il sindaco ha detto che la città non può più aspettare i finanziamenti dello Stato.",
        "Diverse famiglie che abitano vicino al cantiere chiedono un risarcimento per il rumore.",
        "La proposta passerà ora in commissione, che presenterà una relazione in autunno.",
    ),
}
TOPICS = {
    "en": ("tram line", "harbour bridge", "school building", "bus depot", "river path", "market hall"),
    "de": ("Straßenbahnlinie", "Hafenbrücke", "Schulneubau", "Busdepot", "Uferweg", "Markthalle"),
    "fr": ("ligne de tram", "pont du port", "nouveau collège", "dépôt de bus", "voie sur berge", "halle du marché"),
    "es": (
        "línea de tranvía",
        "puente del puerto",
        "nuevo colegio",
        "cochera de autobuses",
        "paseo fluvial",
        "mercado",
    ),
    "it": ("linea del tram", "ponte del porto", "nuova scuola", "deposito degli autobus", "pista ciclabile", "mercato"),
}
HEADLINE = {
    "en": "City {verb} the new {topic} plan",
    "de": "Stadt {verb} Pläne für {topic}",
    "fr": "La ville {verb} le projet de {topic}",
    "es": "La ciudad {verb} el plan del {topic}",
    "it": "La città {verb} il piano per la {topic}",
}
VERBS = {
    "en": ("backs", "delays", "revises", "approves", "reviews", "expands"),
    "de": ("billigt", "verschiebt", "überarbeitet", "beschließt", "prüft", "erweitert"),
    "fr": ("valide", "reporte", "révise", "adopte", "réexamine", "élargit"),
    "es": ("aprueba", "aplaza", "revisa", "respalda", "estudia", "amplía"),
    "it": ("approva", "rinvia", "rivede", "sostiene", "esamina", "amplia"),
}
NAMES = {
    "en": ("Sarah Collins", "David Okafor", "Emma Hughes", "Tom Barker"),
    "de": ("Julia Hoffmann", "Markus Weber", "Lena Schäfer", "Jonas Becker"),
    "fr": ("Claire Martin", "Julien Moreau", "Sophie Laurent", "Nicolas Garnier"),
    "es": ("Ana García", "Luis Pérez", "Marta Ruiz", "Jorge Navarro"),
    "it": ("Giulia Rossi", "Marco Bianchi", "Chiara Ricci", "Luca Greco"),
}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"),
}  # fmt: skip
#: The newest story of every site; story i is i days and a few hours older.
NEWEST = datetime(2024, 5, 13, 9, 30, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Story:
    """One article: what its page says, and so what the crawler must emit for it."""

    path: str
    headline: str
    authors: tuple[str, ...]
    published: datetime
    paragraphs: tuple[str, ...]
    section: str

    @property
    def day(self) -> str:
        return self.published.date().isoformat()


def make_stories(
    language: str, count: int, seed: int, path: Callable[[int, str, datetime], str], sections: tuple[str, ...]
) -> list[Story]:
    """`count` stories, newest first, with distinct headlines and bodies (deterministic for a seed)."""
    rng = random.Random(seed)
    stories = []
    for i in range(count):
        topic = TOPICS[language][(i + seed) % len(TOPICS[language])]
        verb = VERBS[language][(i * 5 + seed) % len(VERBS[language])]
        headline = HEADLINE[language].format(verb=verb, topic=topic) + f" ({2024 - i // 6})"
        sentences = list(SENTENCES[language])
        rng.shuffle(sentences)
        paragraphs = tuple(" ".join(sentences[k : k + 2]) for k in range(0, 10, 2))
        count_authors = 2 if i % 3 == 1 else 1
        authors = tuple(rng.sample(NAMES[language], count_authors))
        published = NEWEST - timedelta(days=i * 9, hours=i % 5)
        slug = headline.lower().replace("(", "").replace(")", "")
        slug = "-".join("".join(c if c.isalnum() else " " for c in slug).split())
        stories.append(Story(path(i, slug, published), headline, authors, published, paragraphs, sections[i % 2]))
    return stories


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def human_day(moment: datetime, language: str) -> str:
    month = MONTHS[language][moment.month - 1]
    if language == "en":
        return f"{month} {moment.day}, {moment.year}"
    if language == "de":
        return f"{moment.day}. {month} {moment.year}"
    return f"{moment.day} {month} {moment.year}"


# --- pages -------------------------------------------------------------------------------------------------


def page(language: str, title: str, body: str, head: str = "", nav: str = "") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title>{esc(title)}</title>{head}</head>'
        f'<body><header class="site-header"><a class="logo" href="/">Home</a><nav class="main-nav">{nav}</nav>'
        f'</header><main id="main">{body}</main><footer class="site-footer"><p>© 2024 · '
        f'<a href="/about/">About</a> · <a href="/contact/">Contact</a> · '
        f'<a href="/gallery/market-in-pictures/">In pictures</a> · <a href="/video/bridge-at-dawn/">Video</a></p>'
        f"</footer></body></html>"
    ).encode()


def teaser_list(stories: list[Story], language: str) -> str:
    items = "".join(
        f'<li class="teaser"><a href="{s.path}">{esc(s.headline)}</a> '
        f'<span class="date">{human_day(s.published, language)}</span></li>'
        for s in stories
    )
    return f'<ul class="teasers">{items}</ul>'


def byline_words(language: str) -> tuple[str, str]:
    return {"en": ("By", "and"), "de": ("Von", "und"), "fr": ("Par", "et"), "es": ("Por", "y"), "it": ("Di", "e")}[
        language
    ]


def byline(story: Story, language: str) -> str:
    by, conjunction = byline_words(language)
    return f"{by} " + f" {conjunction} ".join(story.authors)


def paragraphs_html(story: Story) -> str:
    return "".join(f"<p>{esc(p)}</p>" for p in story.paragraphs)


# --- the server ----------------------------------------------------------------------------------------------

Response = tuple[int, str, bytes]
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"


@dataclass
class Site:
    """A site: fixed routes, plus generated ones (traps) answered by `dynamic`."""

    name: str
    language: str
    stories: list[Story]
    routes: dict[str, Response] = field(default_factory=dict)
    non_articles: list[str] = field(default_factory=list)
    dynamic: Callable[[str, dict[str, list[str]]], Response | None] | None = None

    def answer(self, path: str, query: str) -> Response:
        target = path + (f"?{query}" if query else "")
        if target in self.routes:
            return self.routes[target]
        if self.dynamic is not None:
            generated = self.dynamic(path, parse_qs(query))
            if generated is not None:
                return generated
        return 404, HTML, page(self.language, "Not found", "<h1>Not found</h1>")


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        with self.server.lock:
            self.server.requests[path + (f"?{parts.query}" if parts.query else "")] += 1
        status, content_type, body = self.server.site.answer(path, parts.query)
        if self.server.delay and content_type == HTML:
            time.sleep(self.server.delay)  # a slow site, for tests that interrupt a crawl
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Site, port: int = 0, delay: float = 0.0) -> None:
        self.site = site
        self.delay = delay
        self.requests: Counter[str] = Counter()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SiteServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


# --- sitemaps and feeds ------------------------------------------------------------------------------------


def urlset(entries: list[tuple[str, str | None]], news: bool = False) -> bytes:
    namespaces = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if news:
        namespaces += ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    rows = []
    for loc, moment in entries:
        if news:
            rows.append(
                f"<url><loc>{esc(loc)}</loc><news:news><news:publication><news:name>X</news:name>"
                f"<news:language>es</news:language></news:publication><news:publication_date>{moment}"
                "</news:publication_date></news:news></url>"
            )
        else:
            rows.append(f"<url><loc>{esc(loc)}</loc>" + (f"<lastmod>{moment}</lastmod>" if moment else "") + "</url>")
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {namespaces}>{"".join(rows)}</urlset>'.encode()


def sitemap_index(locations: list[str]) -> bytes:
    rows = "".join(f"<sitemap><loc>{esc(loc)}</loc></sitemap>" for loc in locations)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{rows}</sitemapindex>"
    ).encode()


def atom(base: str, stories: list[Story]) -> bytes:
    entries = "".join(
        f'<entry><title>{esc(s.headline)}</title><link rel="alternate" href="{base}{s.path}"/>'
        f"<id>{base}{s.path}</id><updated>{s.published.isoformat()}</updated></entry>"
        for s in stories
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Flux</title>'
        f"<id>{base}/</id><updated>{NEWEST.isoformat()}</updated>{entries}</feed>"
    ).encode()


def stable_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def iso_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def json_ld(data: dict[str, Any]) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
