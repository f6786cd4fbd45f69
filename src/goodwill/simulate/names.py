"""Deterministic names, handles and e-mail addresses for the simulated people.

Names come from the built-in lists below (varied origins, some non-ASCII: "Zoë", "José",
"Łukasz"), so full-name collisions happen as they do in real customer lists. Handles are derived
from the name but not always identically across platforms (``zoe_k``, ``zoekramer``,
``zk.coffee``), which is what makes identity resolution a real problem. Mastodon handles carry
their instance (``zoe_k@fosstodon.org``), Bluesky handles a domain (``zoekramer.bsky.social``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

__all__ = ["FIRST_NAMES", "LAST_NAMES", "NameBook", "ascii_fold", "make_names"]

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Zoë", "José", "Łukasz", "Renée", "Søren", "Björn", "Chloé", "Inês", "Jürgen", "Małgorzata",
    "Siobhán", "Zoltán", "Amélie", "François", "Héctor", "Ana", "María", "Lucía", "Mateo", "Diego",
    "Sofia", "Emma", "Olivia", "Liam", "Noah", "Ava", "Mia", "Ethan", "Lucas", "Amara", "Kwame",
    "Chinedu", "Ngozi", "Oluwaseun", "Fatima", "Omar", "Leila", "Yusuf", "Aisha", "Dmitri", "Olga",
    "Sven", "Ingrid", "Aoife", "Niamh", "Ciarán", "Seán", "Wei", "Mei", "Hiroshi", "Yuki",
    "Haruto", "Sakura", "Aarav", "Priya", "Ananya", "Rohan", "Ji-woo", "Min-jun", "Thanh", "Linh",
    "Kai", "Maya", "Elena", "Marco", "Giulia", "Luca", "Chiara", "Hannah", "Felix", "Lena",
    "Jonas", "Clara", "Paul", "Julia", "Max", "Anna", "Tom", "Sarah", "James", "Emily", "Jack",
    "Grace", "Daniel", "Ruth", "Samuel", "Nora", "Oscar", "Ida", "Elias", "Freya", "Leo", "Alice",
    "Hugo", "Camille", "Louis", "Manon", "Théo", "Inès", "Pedro", "Beatriz", "João", "Rafael",
    "Carmen", "Pablo", "Javier", "Valentina", "Andrés", "Gabriel", "Isabel", "Tomás", "Agnieszka",
    "Piotr", "Katarzyna", "Wojciech", "Zofia", "Jakub", "Tereza", "Ondřej", "Dorota", "Mihai",
    "Ioana", "Nikos", "Eleni", "Ahmet", "Elif", "Mehmet", "Zeynep", "Sam", "Alex", "Jordan",
    "Robin", "Charlie", "Riley", "Taylor", "Morgan", "Jamie", "Casey", "Quinn", "Avery", "Rowan",
    "Sage", "Marisol", "Dolores", "Esperanza", "Kofi", "Abena", "Tariq", "Nadia", "Sana", "Imran",
    "Arjun",
)
# fmt: on

# fmt: off
LAST_NAMES: tuple[str, ...] = (
    "Kramer", "García", "Müller", "Nowak", "Kowalski", "Łuczak", "Smith", "Johnson", "Okafor",
    "O'Brien", "Nguyen", "Tanaka", "Sato", "Kim", "Park", "Chen", "Wang", "Singh", "Patel",
    "Rossi", "Bianchi", "Dubois", "Lefèvre", "Ødegaard", "Jensen", "Andersson", "Novák", "Horváth",
    "Silva", "Santos", "Fernández", "González", "Martínez", "Hernández", "Rodríguez", "López",
    "Pérez", "Sánchez", "Ramírez", "Cruz", "Mendoza", "Ivanova", "Petrov", "Schmidt", "Schneider",
    "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein",
    "Wolf", "Schröder", "Neumann", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas",
    "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green",
    "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Turner", "Hill", "Scott",
    "Cooper", "Morris", "Ward", "Moore", "King", "Watson", "Baker", "Harrison", "Morgan", "Young",
    "Allen", "Mitchell", "Bell", "Murphy", "Kelly", "Byrne", "Ryan", "Walsh", "McCarthy",
    "van der Berg", "de Jong", "Jansen", "Bakker", "Visser", "Mulder", "Haddad", "Khalil",
    "Mensah", "Boateng", "Adeyemi", "Mwangi", "Otieno", "Yamamoto", "Suzuki", "Takahashi",
    "Watanabe", "Lee", "Choi", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Kumar", "Sharma", "Gupta",
    "Iyer", "Reddy", "Costa", "Oliveira", "Pereira", "Almeida", "Ferreira", "Carvalho", "Ribeiro",
    "Nielsen", "Hansen", "Larsen", "Eriksson", "Lindqvist", "Virtanen", "Mäkinen", "Kovač",
    "Popescu", "Ionescu", "Papadopoulos", "Yılmaz", "Kaya", "Çelik", "Şahin", "D'Angelo",
    "St. Clair", "Abara",
)
# fmt: on

_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ı": "i",
        "đ": "d",
        "œ": "oe",
    }
)
HOME_INSTANCE_SHARES = (
    ("mastodon.social", 0.5),
    ("fosstodon.org", 0.15),
    ("hachyderm.io", 0.12),
    ("mstdn.social", 0.13),
    ("mas.to", 0.1),
)
EMAIL_DOMAINS = ("mail.example", "inbox.example", "postbox.example.org", "example.net")
_DECOR = (" ☕", " 🌱", " ✨", " 🫘", "")


def ascii_fold(text: str) -> str:
    """``"Łukasz Ødegaard"`` -> ``"Lukasz Odegaard"``: for handles and e-mail local parts."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _token(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())


@dataclass(frozen=True, kw_only=True)
class NameBook:
    """Names and identifiers of the people, index-aligned."""

    real_names: list[str]
    """The name as a CRM would hold it."""
    social_names: list[tuple[str, str, str]]
    """Display name on mastodon, x, bluesky (variants of the real name)."""
    handles: list[tuple[str, str, str]]
    """Canonical (lowercase) handle on mastodon, x, bluesky; all exist, use only if present."""
    emails: list[str]
    referral_codes: list[str]


def _handle_base(rng: np.random.Generator, first: str, last: str) -> str:
    f, last_tok = _token(first), _token(last)
    pattern = int(rng.integers(0, 9))
    n = int(rng.integers(1, 99))
    options = (
        f"{f}_{last_tok[:1]}",
        f"{f}{last_tok}",
        f"{f[:1]}{last_tok[:1]}.coffee",
        f"{f}.{last_tok}",
        f"{f}{last_tok[:3]}{n}",
        f"{f}_{last_tok}",
        f"the{f}",
        f"{last_tok}{f[:1]}",
        f"{f}{n}",
    )
    return options[pattern]


def _unique(base: str, taken: set[str], rng: np.random.Generator) -> str:
    cand = base
    while cand in taken:
        cand = f"{base}{int(rng.integers(2, 999))}"
    taken.add(cand)
    return cand


def _social_name(rng: np.random.Generator, first: str, last: str) -> str:
    kind = int(rng.integers(0, 12))
    decor = _DECOR[int(rng.integers(0, len(_DECOR)))]
    if kind <= 4:
        return f"{first} {last}"
    if kind == 5:
        return f"{first} {last[:1]}.{decor}"
    if kind == 6:
        return f"{first.lower()}{decor}"
    if kind == 7:
        return f"{last}, {first}"
    if kind == 8:
        return f'{first} "beans" {last}'
    if kind == 9:
        return f"{first} {last} ☕ coffee nerd"
    if kind == 10:
        return f"{ascii_fold(first)} {ascii_fold(last)}"
    return f"{first}{decor}"


def make_names(rng: np.random.Generator, n: int) -> NameBook:
    """``n`` people's names, social display names, handles, e-mails and referral codes."""
    firsts = rng.integers(0, len(FIRST_NAMES), n)
    lasts = rng.integers(0, len(LAST_NAMES), n)
    taken: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    taken_emails: set[str] = set()
    taken_codes: set[str] = set()
    instances = [name for name, _ in HOME_INSTANCE_SHARES]
    inst_p = np.array([w for _, w in HOME_INSTANCE_SHARES])
    real, social, handles, emails, codes = [], [], [], [], []
    for i in range(n):
        first, last = FIRST_NAMES[int(firsts[i])], LAST_NAMES[int(lasts[i])]
        real.append(f"{first} {last}")
        social.append(tuple(_social_name(rng, first, last) for _ in range(3)))
        base = _handle_base(rng, first, last)
        per: list[str] = []
        for k in range(3):
            h = base if rng.random() < 0.6 else _handle_base(rng, first, last)
            if k == 0:
                inst = instances[int(rng.choice(len(instances), p=inst_p))]
                per.append(_unique(h.replace(".coffee", "_coffee"), taken[0], rng) + f"@{inst}")
            elif k == 1:
                x = h.replace(".", "_")[:15]
                per.append(_unique(x, taken[1], rng))
            else:
                bs = h.replace("_", "-").replace(".coffee", "-coffee")
                per.append(_unique(bs, taken[2], rng) + ".bsky.social")
        handles.append((per[0], per[1], per[2]))
        f_tok, l_tok = _token(first), _token(last)
        style = int(rng.integers(0, 4))
        local = (
            f"{f_tok}.{l_tok}",
            f"{f_tok}{l_tok}",
            f"{f_tok[:1]}.{l_tok}",
            f"{f_tok}_{l_tok[:1]}",
        )[style]
        domain = EMAIL_DOMAINS[int(rng.integers(0, len(EMAIL_DOMAINS)))]
        email = f"{local}@{domain}"
        while email in taken_emails:
            email = f"{local}{int(rng.integers(2, 999))}@{domain}"
        taken_emails.add(email)
        emails.append(email)
        code = f"REF-{ascii_fold(first).upper()[:6]}{int(rng.integers(10, 99))}"
        code = "".join(ch for ch in code if ch.isalnum() or ch == "-")
        while code in taken_codes:
            code = f"{code[:-2]}{int(rng.integers(10, 99))}"
        taken_codes.add(code)
        codes.append(code)
    return NameBook(
        real_names=real,
        social_names=[(s[0], s[1], s[2]) for s in social],
        handles=handles,
        emails=emails,
        referral_codes=codes,
    )
