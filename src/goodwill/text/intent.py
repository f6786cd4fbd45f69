"""Intent of an inbound message: complaint, question, praise or other.

Rules, first match wins (a complaint is anything a customer-care team must act on, so it comes
before a question):

1. **complaint** — the sentiment is negative with ``score ≤ −0.25``, or the text has a care cue
   (a service failure such as *cancelled*, *delayed*, *refund*, *still waiting*, *not working*,
   *never arrived*, *charged twice*, *lost*, *broken*) and the sentiment is not positive.
2. **question** — the text has a ``?`` or ``¿``, or starts with a question word or an auxiliary
   verb (*how*, *what*, *can you*, *is there*, …), or asks for help (*help me*, *please advise*).
3. **praise** — the sentiment is positive with ``score ≥ 0.25``, or the text thanks or loves
   (*thank*, *thx*, *love*, *awesome*, ❤️, 🙌) and the sentiment is not negative.
4. **other** — everything else.

The cues exist in English (written on airline tweets) and in Spanish, French, German, Italian
and Portuguese (:data:`CARE_CUES`, :data:`QUESTION_STARTS`, :data:`PRAISE_CUES`: written from
general knowledge of how customers complain, not from any evaluation sample; accents
optional, as customers often leave them out). All cues are tried on every text, so a text
needs no detected language; words that are also common English words with another meaning
(French *retard* alone, Spanish *rota*, French *sale*, German *mist*) are left out or only
taken in a phrase (*en retard*). Measured out of domain in ``benchmarks/care_twcs.py``
(complaint precision / recall, fast model ``fast-lexicon@4``): the 48 inbound Spanish,
French, German, Italian and Portuguese TWCS tweets labelled by hand 94.1 / 61.5 with the
``ngram-LL`` sentiment models, 89.5 / 65.4 with the USE + n-gram blend (83.3 / 19.2 with the
English cues alone); 1,153 answered English TWCS thread openers against
the brands' apologies 34.9 / 79.7; airline tweets (negative with a reason) 89.2 / 76.2.
"""

from __future__ import annotations

import re

from goodwill.text.labels import Label

__all__ = ["CARE_CUES", "PRAISE_CUES", "QUESTION_STARTS", "intent_of"]

_ENGLISH_CARE = (
    r"cancel+ed|cancel+ation|delay(?:ed|s)?|late|refund\w*|still waiting|waiting for|"
    r"on hold|not working|doesn'?t work|didn'?t work|won'?t work|isn'?t working|broken|broke|"
    r"never (?:arrived|received|got)|hasn'?t arrived|not (?:arrived|received|delivered)|"
    r"charged|overcharg\w*|lost|missing|damaged|stuck|stranded|error|fail\w*|crash\w*|"
    r"worst|terrible|awful|horrible|unacceptable|ridiculous|disappoint\w*|rude|complain\w*|"
    r"no one|nobody|no response|no reply|fix|issue|problem|wrong|can'?t (?:get|log|access)|"
    r"unable to|outage|down again"
)
CARE_CUES: dict[str, str] = {
    "es": (
        r"cancelad[oa]s?|retras\w*|demora\w*|reembols\w*|devoluci[oó]n|no (?:me )?funciona\w*|"
        r"no sirve|no (?:me )?(?:ha|han) llegado|no (?:me )?llega\w*|no (?:he|hemos) recibido|"
        r"sin respuesta|nadie (?:me )?responde|"
        r"cobr\w* (?:de m[aá]s|dos veces)|doble cobro|estafa\w*|rob(?:o|ando|aron|ado)\w*|"
        r"p[eé]sim[oa]s?|horrible|terrible|verg[uü]enza|queja\w*|reclam(?:o|aci[oó]n)\w*|"
        r"problema\w*|fall[oa]s?|averiad[oa]|rot[oa]s|dañad[oa]s?|perdid[oa]s?|"
        r"bloquead[oa]s?|no puedo|no me deja|rechaza\w*|peor|mal servicio|decepci[oó]n\w*|"
        r"decepcionad[oa]|indignad[oa]|hart[oa]|esperando"
    ),
    "fr": (
        r"annul[ée]+s?|en retard|retard[ée]+s?|rembours\w*|ne (?:marche|fonctionne) (?:pas|plus)|"
        r"marche pas|fonctionne pas|pas (?:re[çc]u|livr[ée]+|arriv[ée]+)|"
        r"jamais (?:re[çc]u|arriv[ée]+)|"
        r"toujours (?:pas|rien|en attente)|factur\w* deux fois|arnaque\w*|vol[ée]+|honteu\w*|"
        r"inadmissible|inacceptable|scandal\w*|d[ée][çc]u\w*|plainte|r[ée]clamation|"
        r"probl[èe]me\w*|pb|erreur|bug\w*|panne|cass[ée]+|endommag\w*|perdu\w*|bloqu[ée]+|"
        r"impossible|n'?arrive pas|pire|aucune r[ée]ponse"
    ),
    "de": (
        r"storniert|abgesagt|annulliert|versp[äa]t\w*|erstatt\w*|r[üu]ckerstattung|geld zur[üu]ck|"
        r"funktioniert (?:immer noch )?nicht|geht nicht|klappt nicht|"
        r"nicht (?:angekommen|erhalten|geliefert|zugestellt|m[öo]glich)|nie angekommen|"
        r"immer noch nicht|doppelt (?:abgebucht|berechnet)|betrug|abzocke|"
        r"schlecht\w*|katastroph\w*|unversch[äa]mt\w*|entt[äa]usch\w*|beschwerde|reklamation|"
        r"problem\w*|fehler\w*|kaputt|defekt|besch[äa]digt|verloren|gesperrt|unm[öo]glich|"
        r"keine antwort|[äa]rger\w*"
    ),
    "it": (
        r"cancellat[oia]|ritard\w*|rimbors\w*|non funziona\w*|non va|"
        r"non (?:[èe] )?(?:arrivat[oa]|ricevut[oa]|consegnat[oa])|mai arrivat[oa]|"
        r"ancora (?:niente|nulla|in attesa)|addebit\w* due volte|truffa\w*|vergogn\w*|"
        r"pessim[oiae]|schifo|orribile|terribile|delus[oa]|delusione|reclamo|lamentela|"
        r"problem[ai]|errore|guast[oa]|rott[oa]|danneggiat[oa]|bloccat[oa]|impossibile|"
        r"non riesco|nessuna risposta|peggio\w*"
    ),
    "pt": (
        r"cancelad[oa]s?|atras\w*|reembols\w*|estorno|n[ãa]o funciona\w*|"
        r"n[ãa]o (?:chegou|recebi|foi poss[íi]vel|consigo)|nunca (?:chegou|recebi)|"
        r"ainda n[ãa]o|cobr\w* (?:em dobro|duas vezes)|cobran[çc]a indevida|golpe|"
        r"roub\w*|p[ée]ssim[oa]s?|horr[íi]vel|vergonha|absurdo|decepcionad[oa]|decep[çc][ãa]o|"
        r"reclama[çc][ãa]o|problema\w*|erro|defeito|quebrad[oa]|danificad[oa]|bloquead[oa]|"
        r"sem resposta|pior"
    ),
}
"""Service-failure and dissatisfaction cues per language (regular expressions, matched as
whole words, case ignored)."""
QUESTION_STARTS: dict[str, str] = {
    "es": r"c[oó]mo|qu[eé]|cu[aá]ndo|d[oó]nde|por qu[eé]|puedo|pueden|podr[ií]an|hay",
    "fr": r"comment|pourquoi|quand|o[uù]|est-ce|puis-je|pouvez|quel\w*|combien",
    "de": r"wie|warum|wann|wo|wieso|weshalb|kann|k[öo]nnen|k[öo]nnten|gibt es|ist|habt",
    "it": r"come|perch[ée]|quando|dove|posso|potete|c'[èe]|qual[ei]",
    "pt": r"como|quando|onde|por que|posso|podem|poderiam|existe",
}
"""Question words and auxiliaries that open a question (after any @handles)."""
PRAISE_CUES: dict[str, str] = {
    "es": r"gracias|excelente|genial|buen[ií]sim[oa]|me encanta\w*|incre[ií]ble",
    "fr": r"merci|excellent|g[ée]nial|super|parfait|bravo|j'adore",
    "de": r"danke|vielen dank|super|toll|klasse|perfekt|gro[ßs]artig",
    "it": r"grazie|ottim[oa]|perfett[oa]|fantastic[oa]|bravissim[oi]",
    "pt": r"obrigad[oa]|valeu|[óo]tim[oa]|excelente|perfeito|maravilhos[oa]|adorei",
}
"""Thanks and praise per language."""


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


_CARE = _words(_ENGLISH_CARE, *CARE_CUES.values())
_QUESTION_START = re.compile(
    r"^\s*(?:(?:@\w+\s+)*)(?:how|what|when|where|why|who|which|can|could|is|are|do|does|did|"
    r"will|would|should|any|anyone|has|have|" + "|".join(QUESTION_STARTS.values()) + r")\b",
    re.IGNORECASE,
)
_HELP = re.compile(
    r"\b(?:help me|please advise|pls advise|need help|dm me|let me know|"
    r"me (?:pueden|puede|podr[ií]an) ayudar|necesito ayuda|ay[uú]d[ae]nme|aidez-moi|"
    r"besoin d'aide|brauche hilfe|helft mir|ho bisogno di aiuto|aiutatemi|"
    r"preciso de ajuda|me ajud[ae]m?)\b",
    re.I,
)
_PRAISE = re.compile(
    r"\b(?:thank\w*|thx|ty|love\w*|awesome|amazing|great|excellent|best|kudos|shout ?out|"
    r"appreciate\w*|" + "|".join(PRAISE_CUES.values()) + r")\b|[❤♥🙌👏😍🥰💯]",
    re.IGNORECASE,
)


def intent_of(text: str, label: Label) -> str:
    """The intent of ``text`` given its sentiment ``label`` (rules in the module docstring)."""
    text = text or ""
    if label.sentiment == "negative" and label.score <= -0.25:
        return "complaint"
    if label.sentiment != "positive" and _CARE.search(text):
        return "complaint"
    if "?" in text or "¿" in text or _QUESTION_START.search(text) or _HELP.search(text):
        return "question"
    if label.sentiment == "positive" and label.score >= 0.25:
        return "praise"
    if label.sentiment != "negative" and _PRAISE.search(text):
        return "praise"
    return "other"
