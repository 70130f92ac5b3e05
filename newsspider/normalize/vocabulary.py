"""The words pages use, in one place: date labels, months, byline words, role nouns and title separators in every
language the rules know, shared by extraction and normalization (add a language here, not in a rule).

Each entry is a regex alternation (no anchors, no groups that capture) or a set of words, to be composed into
the rules' own patterns.
"""

from __future__ import annotations

# --- dates ------------------------------------------------------------------------------------------------

#: English month names and their abbreviations.
MONTHS_EN = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
#: English weekday names and their abbreviations.
WEEKDAYS_EN = r"mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
#: Month names of fr, de, es, it, pt and nl ("7 septembre 2022", "7 de septiembre de 2022").
MONTHS_OTHER = (
    r"janvier|januar|januari|enero|gennaio|janeiro|février|februar|februari|febrero|febbraio|fevereiro|mars|"
    r"märz|maart|marzo|março|avril|abril|aprile|mai|mei|mayo|maggio|maio|juin|juni|junio|giugno|junho|juillet|"
    r"juli|julio|luglio|julho|août|augustus|agosto|septembre|septiembre|settembre|setembro|octobre|oktober|"
    r"octubre|ottobre|outubro|novembre|noviembre|novembro|décembre|dezember|diciembre|dicembre|dezembro"
)
#: Words of a written date besides months and days: clock words, zones, and date connectors ("le", "de", "um").
DATE_FILLERS_EN = r"at|am|pm|a\.m|p\.m|utc|gmt|cet|cest|ist|et|est|edt|pst|pdt"
DATE_CONNECTORS = r"le|de|del|um|à|às|alle|om|h|uhr"
#: Every word a line made only of a date (and a time) may hold.
DATE_WORDS = rf"{MONTHS_EN}|{WEEKDAYS_EN}|{DATE_FILLERS_EN}|{MONTHS_OTHER}|{DATE_CONNECTORS}"

#: Labels of a date line that give the date of the last change, in en, fr, de, es, it, pt, nl and pl.
MODIFIED_LABEL = (
    r"(?:last\s+)?(?:updated|modified|edited)|zuletzt\s+(?:aktualisiert|geändert)|aktualisiert|geändert|"
    r"dernière\s+(?:modification|mise\s+à\s+jour)|mis\s+à\s+jour|modifié|"
    r"última\s+(?:actualización|modificación|atualização|modificação)|actualizado|modificado|atualizado|"
    r"ultimo\s+aggiornamento|ultima\s+modifica|aggiornato|modificato|laatst\s+(?:bijgewerkt|gewijzigd)|"
    r"bijgewerkt|gewijzigd|ostatnia\s+(?:aktualizacja|modyfikacja)|zaktualizowano|zmodyfikowano"
)
#: Labels of a date line that give the publication date, in the same languages.
PUBLISHED_LABEL = (
    r"published|posted|first\s+published|date|publié|mis\s+en\s+ligne|veröffentlicht|publiziert|erschienen|"
    r"publicado|pubblicato|gepubliceerd|geplaatst|opublikowano|data\s+publikacji"
)
#: Either kind of date label.
DATE_LABEL = rf"{MODIFIED_LABEL}|{PUBLISHED_LABEL}"
#: Words between a date label and its date ("Updated on", "Publié le", "Aktualisiert am", "Publicado el").
DATE_LABEL_JOINER = r"(?:\s+(?:at|on|am|um|le|el|em|il|op|dnia))?\s*:?\s*"
#: Prepositions that glue a date to a name in a byline ("Jane Doe on 6 September", "Max Muster am 6. September").
DATE_PREPOSITIONS = r"on|am|le|el|il|op"

# --- bylines ----------------------------------------------------------------------------------------------

#: Verbs of a byline before "by": "Posted by", "Written by", "Words by".
BYLINE_VERBS = r"posted|written|reported|report|words|text|story|published|compiled|edited|submitted"
#: Prepositions that open a byline, in en, de, fr, es/pt, it, nl, pl ("By", "Von", "Par", "Por", "Door").
BYLINE_PREPOSITIONS = r"by|von|par|por|di|door|przez"
#: Prepositions that open a byline but also everyday text ("from", "da", "de", sv/da "av", "af"): stripped only
#: from a line already known to be a byline.
BYLINE_PREPOSITIONS_LOOSE = r"from|da|de|av|af"
#: Nouns that label a byline ("Autor:", "Author:", "Autorka:").
AUTHOR_NOUNS = r"autor(?:in|ka|es)?|author(?:s)?|auteur|autore"
#: Nouns that label the text's writer ("Text:", "Texto:"), also everyday words: only in a known byline.
TEXT_NOUNS = r"text|texto|tekst"
#: Words that join names and labels in a byline line ("By A and B", "Posted by A & B").
BYLINE_JOINING_WORDS = frozenset(
    {"by", "and", "&", ",", "with", "posted", "written", "reported", "words", "text", "story"}
)
#: Conjunctions that join two names in a byline, in en, de, fr, es, pt/it, ca ("A and B", "A und B", "A y B").
NAME_CONJUNCTIONS = r"and|und|et|y|e|i|sowie"
#: Class names of the elements that hold a byline.
BYLINE_CLASS_NAMES = (
    r"byline|by-line|author|authors|author-name|entry-author|post-author|posted-by|meta-author|writer|reporter|"
    r"vcard|fn"
)
#: Words that are never a person's name on their own: generic accounts and byline labels.
NOT_NAMES = (
    r"admin|administrator|staff|editor|guest|unknown|anonymous|none|null|by|posted by|written by|"
    r"reported by|words by|submitted by|von|par|por|di|da|de|door|av|af|przez|author|authors|autor|auteur"
)

# --- roles ------------------------------------------------------------------------------------------------

#: Words of a job title after a name ("Jane Doe, Political Correspondent"), in en, de, fr, es, it, pl.
ROLE_WORDS = (
    r"reporter|correspondent|editor|writer|journalist|contributor|columnist|staff|senior|chief|deputy|"
    r"political|foreign|business|economics|news|sports|health|science|tech(?:nology)?|digital|managing|"
    r"associate|special|european|eu|brussels|analyst|producer|freelance|guest|author|redakteur(?:in)?|"
    r"korrespondent(?:in)?|journaliste|correspondant(?:e)?|periodista|redattore|dziennikarz"
)
#: The nouns a job title ends with: "Political Correspondent", "Europe editor", "Bureau Chief", "staff writer".
ROLE_NOUNS = (
    r"correspondents?|editors?|reporters?|writers?|journalists?|columnists?|contributors?|analysts?|chief|"
    r"producers?|photographers?|commentators?|presenters?|redakteur(?:in)?|korrespondent(?:in)?|journaliste|"
    r"correspondant(?:e)?|periodista|redattore|dziennikarz"
)
#: Words that qualify a role noun in a title ("Diplomatic Editor", "Central Europe Correspondent"), besides
#: the role words above.
TITLE_MODIFIERS = (
    r"bureau|diplomatic|central|eastern|western|northern|southern|europe|world|international|national|regional|"
    r"local|city|home|affairs|economy|energy|environment(?:al)?|climate|defen[cs]e|security|legal|data|culture|"
    r"arts?|education|politics|parliamentary|lobby|markets?|financial|finance|features?|opinion|video|photo|"
    r"picture|contributing|executive|assistant|acting|lead|principal|investigations?|investigative|night|"
    r"weekend|africa|asia|americas|middle|east|west|north|south|of|the|for|and|&"
)

# --- titles -----------------------------------------------------------------------------------------------

#: Characters that join a headline and the site's name in a <title>: "Headline - Site", "Site | Headline".
TITLE_SEPARATOR_CHARS = "-|–—:·•»"
#: The separators among them that need no spaces around them ("Headline|Site").
TIGHT_TITLE_SEPARATOR_CHARS = "|–—·•»"
#: A separator between a headline and a site name, as a regex alternation.
TITLE_SEPARATOR = rf"\s+[{TITLE_SEPARATOR_CHARS}]\s+|\s*[{TIGHT_TITLE_SEPARATOR_CHARS}]\s*"

# --- paywalls ---------------------------------------------------------------------------------------------

#: Class and id names of a paywall box ("paywall", "premium-wall", "subscriber-only", Piano's "tp-modal"), lower-case
#: with "-" for "_": a name holding one of these names a paywall box.
PAYWALL_NAMES = (
    *("paywall", "pay-wall", "regwall", "reg-wall", "premiumwall", "premium-wall", "premium-gate", "premium-barrier"),
    *("premium-teaser", "subscriptionwall", "subscription-wall", "subscription-gate", "subscription-required"),
    *("subscriber-only", "subscribers-only", "subscriber-wall", "metered-wall", "piano-offer", "piano-paywall"),
    *("piano-template", "tp-modal", "tp-container", "article-locked", "locked-content", "article-gate", "abowall"),
    *("abo-wall", "abo-hinweis", "abo-teaser", "abo-angebot", "plus-wall", "plus-teaser"),
)
#: Words every paywall note below holds one of (lower-case, without accents, which pages may write as entities): a
#: text or page holding none of them holds no paywall note.
PAYWALL_PHRASE_WORDS = (
    *("continue reading", "keep reading", "for subscribers", "to subscribers", "our subscribers", "subscribers only"),
    *("subscriber only", "paying subscribers", "for members", "to members", "our members", "paying members"),
    *("to read the full", "to read full", "to read the whole", "to read the rest", "to unlock", "to access the full"),
    *("to read whole", "to access full", "already a subscriber", "already subscribed", "free articles"),
    *("already have an account",),
    *("free stories", "weiterlesen", "abonn", "lire la suite", "leyendo", "suscriptor", "para socios", "abonados"),
    *("leggere", "abbona", "continuar a ler", "continuar ler", "continuar lendo", "continuar a lendo", "assin"),
    *("lees verder", "prenumerator", "subskrybent", "abonent"),
    "wykup",
)
#: What a paywall box says, in en, de, fr, es, it, pt, nl and pl: subscribe (or log in) to continue reading, this
#: article is for subscribers, already a subscriber?
PAYWALL_PHRASES = (
    # en
    r"(?:subscribe|sign up|register|log ?in|sign in)(?: now)? to (?:continue|keep) reading|"
    r"to (?:continue|keep) reading(?: this (?:article|story))?,? (?:please )?(?:subscribe|log ?in|sign in|register|"
    r"become a (?:member|subscriber))|"
    r"(?:this|the rest of this) (?:article|story|content) is (?:only )?(?:available|reserved|exclusive)(?: only)? "
    r"(?:to|for) (?:our )?(?:paying )?(?:subscribers|members)|"
    r"(?:subscribe|sign up|register)(?: now)? to (?:read|unlock|access) (?:the )?(?:full|whole|rest of the) "
    r"(?:article|story)|"
    r"already (?:a subscriber|subscribed|have an account)\?|subscribers? only|exclusive(?:ly)? for subscribers|"
    r"you have (?:reached|used)(?: all)? your (?:limit of )?(?:\d+ )?free (?:articles|stories)|"
    # de
    r"(?:jetzt )?weiterlesen mit (?:\w+ ?)?(?:abo|plus|premium)|mit (?:einem |dem )?abo weiterlesen|"
    r"(?:dieser|der) (?:artikel|beitrag|inhalt) ist (?:nur |exklusiv )?für (?:abonnenten|abonnentinnen|"
    r"abonnierende|abonnent\*innen)|(?:nur|exklusiv) für abonnenten|sie sind bereits abonnent|"
    # fr
    r"(?:cet article|la suite de cet article|cet contenu) est réservée? aux abonnés|réservée? aux abonnés|"
    r"(?:pour )?lire la suite,? (?:abonnez-vous|connectez-vous)|abonnez-vous pour (?:lire|continuer)|déjà abonné ?\?|"
    # es
    r"(?:para )?(?:seguir|continuar) leyendo,? (?:suscríbete|hazte suscriptor|regístrate|inicia sesión)|"
    r"suscríbete para (?:seguir|continuar) leyendo|(?:contenido|artículo|noticia) (?:exclusivo|reservado) para "
    r"(?:suscriptores|socios|abonados)|ya eres suscriptor|"
    # it
    r"(?:per )?continuare a leggere,? (?:abbonati|accedi)|abbonati per (?:leggere|continuare)|"
    r"(?:questo )?(?:articolo|contenuto) (?:è )?riservato agli abbonati|sei già abbonato|"
    # pt
    r"(?:para )?continuar (?:a )?(?:ler|lendo),? (?:assine|faça login|cadastre-se)|assine para (?:continuar|ler)|"
    r"(?:conteúdo|artigo|matéria|reportagem) exclusiv[oa] para assinantes|já é assinante|"
    # nl
    r"(?:dit|het) artikel is (?:alleen|exclusief) (?:beschikbaar )?voor abonnees|lees verder met (?:een )?"
    r"(?:abonnement|plus|premium)|al (?:een )?abonnee\?|"
    # pl
    r"(?:artykuł|treść|tekst) (?:jest )?(?:dostępn[yae] )?(?:tylko |wyłącznie )?dla (?:prenumeratorów|"
    r"subskrybentów|abonentów)|wykup (?:dostęp|subskrypcję|prenumeratę),? (?:aby|by) czytać dalej"
)
