"""Build the labelled personal-data corpus in data/pii-corpus/ (see its SOURCE.md).

Real citizen prose (SP+ Pôle emploi experiences, Grand Débat MEL Decidim comments) with one or
two GENERATED sentences inserted at a sentence boundary. Each generated sentence carries
personal data (ground truth: character spans per kind) and look-alikes that must be kept
(services, national numbers, amounts, delays, event dates, places, job titles, capitalised
common words). Two independent banks of templates, names and streets: TUNE (rules may be
checked against it) and HELDOUT (written before the detector was tuned, never used to add
rules). Base texts are split too: even rows feed TUNE, odd rows HELDOUT.

Run: .venv/bin/python -m bench.pii_corpus   (deterministic, seeded)
"""

from __future__ import annotations

import csv
import json
import random
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "pii-corpus"
SP_PLUS = ROOT / "data" / "sp-plus" / "experiences-pole-emploi-normalisees.csv"
DECIDIM = Path("/work/shared/data/consultation-decidim-mel/commentaires_debats.csv")
COMMUNES = ROOT / "data" / "territoires" / "communes-geo" / "communes.csv"

Segment = tuple[str, str | None]  # (text, label): label = kind, "keep:<what>" or None

# ---------------------------------------------------------------- HELDOUT bank (written first)
HELDOUT = {
    "first": [
        "Aurélie",
        "Thibault",
        "Guillaume",
        "Nadia",
        "Yasmina",
        "Mamadou",
        "Aïssatou",
        "Kevin",
        "Maëlys",
        "Bérénice",
        "Gaëtan",
        "Hervé",
        "Josiane",
        "Ginette",
        "Loïc",
        "Ophélie",
        "Rachid",
        "Samira",
        "Dimitri",
        "Svetlana",
        "Tuan",
        "Mei",
        "Fatoumata",
        "Ibrahima",
        "Abdelkader",
        "Zoé",
        "Clémence",
        "Timothée",
        "Anne-Sophie",
        "Marie-Claude",
        "Jean-Baptiste",
        "Pierre-Yves",
        "Noémie",
        "Gwenaëlle",
        "Yannick",
        "Soraya",
        "Kader",
        "Océane",
        "Enzo",
        "Lucette",
    ],
    "last": [
        "Lefèvre",
        "Garnier",
        "Chevalier",
        "Mercier",
        "Boyer",
        "Blanchard",
        "Guérin",
        "Lemaire",
        "Perrin",
        "Morel",
        "Benali",
        "Haddad",
        "Traoré",
        "Diallo",
        "Keita",
        "Nguyen",
        "Tran",
        "Da Silva",
        "Pereira",
        "Ferreira",
        "Kowalski",
        "Yilmaz",
        "Öztürk",
        "de Villiers",
        "Le Bihan",
        "Kerjean",
        "Le Gall",
        "Ould Ahmed",
        "Van den Berghe",
        "Delacroix-Martel",
        "Aït Ouali",
        "Ben Youssef",
        "El Idrissi",
        "Saint-Aubin",
        "Hoarau",
        "Payet",
        "Riviere",
        "Tessier",
        "Bouvier",
        "Carpentier",
    ],
    "streets": [
        "des Tilleuls",
        "Jean Jaurès",
        "du Général Leclerc",
        "de la Gare",
        "Pasteur",
        "des Acacias",
        "du 8 Mai 1945",
        "Émile Zola",
        "de la Libération",
        "des Frères Lumière",
        "Saint-Exupéry",
        "du Moulin",
        "des Coquelicots",
        "Georges Brassens",
        "de Verdun",
    ],
    "types": [
        "rue",
        "avenue",
        "impasse",
        "allée",
        "boulevard",
        "chemin",
        "place",
        "quai",
        "route",
        "résidence",
    ],
    "lieux": ["Les Granges", "La Croix Blanche", "Le Bois Joli", "Les Essarts"],
    "templates": [
        "Je suis allée à {svc} et {civ} {last} m'a dit que mon dossier était perdu.",
        "Bonjour, je suis {full}, {dob_kw} {dob}, et j'attends ma réponse depuis {delay}.",
        "[[Mon conseiller]] s'appelle {full} et il ne répond jamais au {phone}.",
        "Vous pouvez m'écrire à {email} ou au {addr}.",
        "J'ai envoyé mon RIB ({iban}) deux fois à {svc}, toujours rien.",
        "Mon numéro de sécurité sociale est le {nir}, merci de vérifier.",
        "Mon numéro allocataire est {caf} et on me demande {amount}.",
        "Identifiant {ft_kw} : {ft}. J'ai appelé le {svcnum} sans succès.",
        "Numéro fiscal {fisc}, le centre des impôts de [[{town}]] ne répond pas.",
        "Concernant le dossier n° {dossier}, déposé [[{evdate}]], aucune nouvelle.",
        "Ma voiture immatriculée {plate} a été verbalisée alors que j'étais à [[{town}]].",
        "Bien cordialement,\n{initial}",
        "Merci d'avance. {full}",
        "{civ_long} {first_l} {last_l} de [[l'agence]] de [[{town}]] a été très aimable.",
        "Le {evdate}, j'ai reçu un courrier adressé à {full}, {addr}.",
        "J'habite {addr} et [[l'agent d'accueil]] m'a renvoyée vers {svc}.",
        "Mon fils {first} est né le {dob}, la demande porte la référence {ref}.",
        "Pour info ma date de naissance : {dob}, mon n° de demande {demande}.",
        "Je m'appelle {first} {last} et je vis {street} à [[{town}]].",
        "Adresse de correspondance : {bp}.",
        "Le conseiller, {civ} {last}, m'a promis [[{amount}]] sous [[{delay}]].",
        "[[Depuis]] {delay} j'appelle le {svcnum}, [[ma conseillère]] {first} ne rappelle pas.",
        "Lieu-dit {lieu}, {cp} {commune} : le facteur ne passe plus.",
        "Véhicule {oldplate}, carte grise refaite à [[la préfecture de {dep_name}]].",
        "n° secu {secu_bad} (je ne suis pas sûr des derniers chiffres)",
        "Signé : {fullrev}",
        "J'ai vu {full} à [[la mairie de {town}]] [[le {evdate}]].",
        "Mail : {email} / tél : {phone}",
        "Mon conjoint {first_l} a eu le même souci avec {svc}.",
        "Réf. dossier {dossier} — [[{amount}]] retenus sans explication.",
    ],
    "svc": [
        "la CAF",
        "la CPAM",
        "France Travail",
        "Pôle emploi",
        "la MSA",
        "l'URSSAF",
        "la CARSAT",
        "la Mission locale",
        "le centre des impôts",
        "l'ANTS",
    ],
    "svcnum": ["3949", "39 49", "3646", "3230", "3939", "36 46"],
    "amount": ["450 €", "1 200 euros", "87,50 €", "300 euros", "2 450,00 €", "15 €"],
    "delay": ["3 semaines", "deux mois", "48 heures", "six mois", "15 jours", "un an"],
    "evdate": ["12 mars", "03/02/2024", "15 janvier 2023", "1er septembre", "28/11/2023"],
    "dob_kw": ["née le", "né le", "date de naissance"],
    "ft_kw": ["France Travail", "Pôle emploi", "pole emploi"],
    "civ": ["Mme", "M.", "Madame", "Monsieur", "Mlle"],
    "civ_long": ["Madame", "Monsieur", "madame", "monsieur"],
}

# ---------------------------------------------------------------- TUNE bank (written second)
TUNE = {
    "first": [
        "Jean",
        "Marie",
        "Sophie",
        "Nicolas",
        "Julien",
        "Isabelle",
        "Nathalie",
        "Mohamed",
        "Fatima",
        "Karim",
        "Leïla",
        "Thomas",
        "Camille",
        "Léa",
        "Hugo",
        "Christophe",
        "Sandrine",
        "Patrick",
        "Sylvie",
        "Youssef",
        "Amadou",
        "Awa",
        "Jean-Pierre",
        "Marie-Thérèse",
        "Paul",
        "Françoise",
        "Céline",
        "Stéphane",
        "Anaïs",
        "Malik",
        "Chantal",
        "Bernadette",
        "Lucas",
        "Inès",
        "Xavier",
        "Delphine",
        "Hamid",
        "Aminata",
    ],
    "last": [
        "Dupont",
        "Martin",
        "Durand",
        "Bernard",
        "Petit",
        "Moreau",
        "Laurent",
        "Simon",
        "Lefebvre",
        "Leroy",
        "Roux",
        "Bertrand",
        "Fournier",
        "Girard",
        "Bonnet",
        "Dubois",
        "Lambert",
        "Faure",
        "André",
        "Mathieu",
        "Benzaïd",
        "Mansouri",
        "Cissé",
        "Diop",
        "Santos",
        "Oliveira",
        "Nowak",
        "Le Goff",
        "de La Tour",
        "Le Roux",
        "N'Diaye",
        "Ben Ahmed",
        "El Amrani",
        "Duval-Morin",
        "Grosjean",
        "Marchand",
        "Colin",
        "Vidal",
    ],
    "streets": [
        "de la Paix",
        "Victor Hugo",
        "de la République",
        "des Lilas",
        "Gambetta",
        "du Maréchal Foch",
        "de Paris",
        "des Écoles",
        "de l'Église",
        "Charles de Gaulle",
        "des Roses",
        "du Stade",
        "Louis Pasteur",
        "de la Mairie",
        "Voltaire",
    ],
    "types": [
        "rue",
        "avenue",
        "bd",
        "impasse",
        "allée",
        "chemin",
        "place",
        "square",
        "lotissement",
        "cours",
    ],
    "lieux": ["Le Pré Vert", "La Madeleine", "Les Fontaines", "Le Haut Village"],
    "templates": [
        "{civ} {last} de {svc} ne m'a jamais rappelé.",
        "Je m'appelle {full}, j'habite au {addr}.",
        "[[Ma conseillère]] {first} {last} est en arrêt depuis {delay}.",
        "Cordialement, {initial}",
        "Contact : {email}, {phone}.",
        "Voici mon IBAN : {iban}",
        "NIR : {nir}",
        "numéro allocataire {caf}, {svc} me réclame [[{amount}]].",
        "n° CAF : {caf}",
        "Mon identifiant {ft_kw} est {ft}.",
        "Mon numéro fiscal est le {fisc}.",
        "Numéro de dossier : {dossier}.",
        "Immatriculation {plate}.",
        "Ma plaque {oldplate} n'est pas reconnue sur le site.",
        "Numéro de demande {demande}, j'ai appelé le {svcnum}.",
        "Référence : {ref}.",
        "{dob_kw} {dob}.",
        "Je suis né le {dob} à [[{town}]].",
        "Bien à vous, {full}",
        "{civ_long} {first_l} {last_l} m'a raccroché au nez.",
        "Adresse : {addr}",
        "Mon adresse est {street}, {cp} {commune}.",
        "Écrire à {bp}.",
        "[[Hier]], {full} de [[l'agence de {town}]] m'a reçu [[le {evdate}]].",
        "[[L'agent d'accueil]] m'a dit d'appeler le {svcnum}.",
        "Mon numéro de sécu c'est {secu_bad}.",
        "mon conseiller {first_l} m'a dit que c'était normal",
        "J'ai payé [[{amount}]] et attendu [[{delay}]] pour rien.",
        "Mon mari {first} {last} a reçu la même lettre.",
        "lieu-dit {lieu} {cp} {commune}",
    ],
    "svc": [
        "la CAF",
        "la CPAM",
        "France Travail",
        "Pôle emploi",
        "la MSA",
        "l'URSSAF",
        "la préfecture",
        "la mairie",
        "Cap emploi",
        "la CNAV",
    ],
    "svcnum": ["3949", "3646", "3230", "39 49", "3939", "32 30"],
    "amount": ["450 €", "1 200 euros", "650€", "90 euros", "1 034,20 €"],
    "delay": ["2 semaines", "trois mois", "24 heures", "10 jours", "un mois"],
    "evdate": ["12 mars", "03/02/2024", "5 avril 2022", "14/06/2023", "2 octobre"],
    "dob_kw": ["Date de naissance :", "né le", "née le", "DDN"],
    "ft_kw": ["France Travail", "Pôle emploi", "PE"],
    "civ": ["Mme", "M.", "Madame", "Monsieur", "Mr"],
    "civ_long": ["Madame", "Monsieur", "madame", "monsieur"],
}

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _fold(char: str) -> str:
    return unicodedata.normalize("NFD", char)[0]


def style_spplus(text: str) -> str:
    """The SP+ export's normalisation, length-preserving: lower case, no accents, no punctuation."""
    out = "".join(" " if not (c.isalnum() or c.isspace()) else _fold(c).lower() for c in text)
    return out.replace("\n", " ")


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def _luhn_like_digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def nir(rng: random.Random, spaced: bool) -> str:
    body = (
        f"{rng.choice('12')}{rng.randrange(100):02d}{rng.randrange(1, 13):02d}"
        f"{rng.randrange(1, 96):02d}{rng.randrange(1, 999):03d}{rng.randrange(1, 999):03d}"
    )
    value = f"{body}{97 - int(body) % 97:02d}"
    if spaced:
        parts = [value[0], value[1:3], value[3:5], value[5:7], value[7:10], value[10:13]]
        return " ".join([*parts, value[13:]])
    return value


def iban(rng: random.Random, spaced: bool) -> str:
    from stdnum import iban as stdnum_iban

    account = _luhn_like_digits(rng, 23)
    value = f"FR{stdnum_iban.calc_check_digits('FR00' + account)}{account}"
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if spaced else value


def phone(rng: random.Random) -> str:
    digits = f"0{rng.choice('1234567')}" + _luhn_like_digits(rng, 8)
    if digits[1] in "67":
        digits = digits[:2] + str(rng.randrange(10, 99)) + digits[4:]
    fmt = rng.randrange(5)
    pairs = [digits[i : i + 2] for i in range(0, 10, 2)]
    if fmt == 0:
        return " ".join(pairs)
    if fmt == 1:
        return ".".join(pairs)
    if fmt == 2:
        return digits
    if fmt == 3:
        return "+33 " + digits[1] + " " + " ".join(pairs[1:])
    return "-".join(pairs)


class Filler:
    def __init__(self, bank: dict, rng: random.Random, communes: list[tuple[str, str, str]]):
        self.bank, self.rng, self.communes = bank, rng, communes
        self.commune_row = rng.choice(communes)

    def pick(self, key: str) -> str:
        return str(self.rng.choice(self.bank[key]))

    def name_part(self, key: str, lower: bool = False) -> str:
        value = self.pick(key)
        if self.rng.random() < 0.12:
            value = typo(value, self.rng)
        return value.lower() if lower else value

    def address(self, with_number: bool = True, with_cp: bool = True) -> str:
        rng = self.rng
        number = ""
        if with_number:
            number = str(rng.choice([rng.randrange(1, 30), rng.randrange(1, 300)]))
            number += rng.choice(["", "", "", " bis", " ter", "B"])
            number += " "
        street = f"{self.pick('types')} {self.pick('streets')}"
        commune, cp, _dep = self.commune_row
        tail = f"{rng.choice([', ', ' '])}{cp} {commune}" if with_cp else ""
        return f"{number}{street}{tail}"

    def dob(self) -> str:
        rng = self.rng
        day, month, year = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(1940, 2006)
        fmt = rng.randrange(5)
        if fmt == 0:
            return f"{day:02d}/{month:02d}/{year}"
        if fmt == 1:
            return f"{day} {MONTHS[month - 1]} {year}"
        if fmt == 2:
            return f"{day:02d}-{month:02d}-{year}"
        if fmt == 3:
            return f"{day:02d}.{month:02d}.{year % 100:02d}"
        return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"

    def slot(self, name: str) -> list[Segment]:  # noqa: C901, PLR0911, PLR0912 - a dispatch table
        rng = self.rng
        commune, cp, dep = self.commune_row
        simple: dict[str, Callable[[], list[Segment]]] = {
            "first": lambda: [(self.name_part("first"), "name")],
            "last": lambda: [(self.name_part("last"), "name")],
            "first_l": lambda: [(self.name_part("first", lower=True), "name")],
            "last_l": lambda: [(self.name_part("last", lower=True), "name")],
            "full": lambda: [(f"{self.name_part('first')} {self.name_part('last')}", "name")],
            "fullrev": lambda: [
                (f"{self.name_part('last').upper()} {self.name_part('first')}", "name")
            ],
            "initial": lambda: [(f"{self.name_part('first')} {self.pick('last')[0]}.", "name")],
            "email": lambda: [(self.email(), "email")],
            "phone": lambda: [(phone(rng), "phone")],
            "nir": lambda: [(nir(rng, rng.random() < 0.5), "nir")],
            "iban": lambda: [(iban(rng, rng.random() < 0.6), "iban")],
            "addr": lambda: [(self.address(with_cp=rng.random() < 0.7), "address")],
            "street": lambda: [(self.address(with_number=False, with_cp=False), "address")],
            "bp": lambda: [(f"BP {rng.randrange(10, 9999)}, {cp} {commune}", "address")],
            "lieu": lambda: [(self.pick("lieux"), "address")],
            "cp": lambda: [(cp, "address")],
            "commune": lambda: [(commune, "address")],
            "town": lambda: [(commune, None)],
            "dep_name": lambda: [(dep, None)],
            "dob": lambda: [(self.dob(), "birth_date")],
            "caf": lambda: [(_luhn_like_digits(rng, 7), "file_number")],
            "ft": lambda: [(_luhn_like_digits(rng, 7) + rng.choice("ABCDEFGHJK"), "file_number")],
            "fisc": lambda: [(rng.choice("0123") + _luhn_like_digits(rng, 12), "file_number")],
            "dossier": lambda: [
                (
                    rng.choice(
                        [
                            f"{rng.randrange(2019, 2026)}-{rng.randrange(1, 99999):05d}",
                            _luhn_like_digits(rng, 8),
                            f"D{_luhn_like_digits(rng, 6)}",
                        ]
                    ),
                    "file_number",
                )
            ],
            "plate": lambda: [(self.plate(), "file_number")],
            "oldplate": lambda: [
                (
                    f"{rng.randrange(1, 9999)} {self.letters(2)} {rng.randrange(1, 96):02d}",
                    "file_number",
                )
            ],
            "demande": lambda: [(_luhn_like_digits(rng, 9), "file_number")],
            "ref": lambda: [
                (
                    rng.choice(
                        [
                            f"REF-{rng.randrange(2019, 2026)}-{_luhn_like_digits(rng, 5)}",
                            f"{self.letters(3)}{_luhn_like_digits(rng, 6)}",
                        ]
                    ),
                    "file_number",
                )
            ],
            "secu_bad": lambda: [(self.secu_bad(), "file_number")],
        }
        if name in simple:
            return simple[name]()
        if name in ("svc", "svcnum", "amount", "delay", "evdate"):
            return [(self.pick(name), f"keep:{name}")]
        return [(self.pick(name), None)]

    def letters(self, n: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(n))

    def plate(self) -> str:
        sep = self.rng.choice(["-", " ", "-"])
        return f"{self.letters(2)}{sep}{self.rng.randrange(1, 999):03d}{sep}{self.letters(2)}"

    def secu_bad(self) -> str:
        digits = nir(self.rng, spaced=False)[: self.rng.choice([13, 14])]
        if self.rng.random() < 0.5:
            return " ".join(
                [digits[0], digits[1:3], digits[3:5], digits[5:7], digits[7:10], digits[10:]]
            )
        return digits

    def email(self) -> str:
        first = unicodedata.normalize("NFD", self.pick("first").lower())
        first = "".join(c for c in first if c.isascii() and c.isalpha())
        last = unicodedata.normalize("NFD", self.pick("last").lower())
        last = "".join(c for c in last if c.isascii() and c.isalpha())
        domain = self.rng.choice(
            ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "yahoo.fr", "sfr.fr"]
        )
        sep = self.rng.choice([".", "_", "", "-"])
        return (
            f"{first}{sep}{last}{self.rng.choice(['', '', str(self.rng.randrange(99))])}@{domain}"
        )


_TOKEN = re.compile(r"\{(\w+)\}|\[\[(.+?)\]\]")


def render(template: str, filler: Filler) -> list[Segment]:
    segments: list[Segment] = []
    last = 0
    for match in _TOKEN.finditer(template):
        segments.append((template[last : match.start()], None))
        if match.group(1):
            segments.extend(filler.slot(match.group(1)))
        else:
            inner = render(match.group(2), filler)
            segments.append(("".join(text for text, _label in inner), "keep:literal"))
        last = match.end()
    segments.append((template[last:], None))
    return segments


def load_communes() -> list[tuple[str, str, str]]:
    rows = []
    with COMMUNES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["commune_type"] == "COM" and row["code_postal"]:
                rows.append((row["commune"], row["code_postal"], row["insee_dep"]))
    departements = {}
    dep_file = ROOT / "data" / "territoires" / "cog-insee" / "departements.csv"
    with dep_file.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            departements[row["DEP"]] = row["LIBELLE"]
    return [(name, cp, departements.get(dep, dep)) for name, cp, dep in rows]


def load_bases() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Real texts, (origin, text): SP+ (lower case, no accents) and Decidim MEL comments."""
    sp = []
    with SP_PLUS.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle, delimiter=";"), start=2):
            text = row["Description"].strip()  # double spaces = the export's sentence ends
            if text:
                sp.append((f"sp-plus:line {i}", text))
    decidim = []
    with DECIDIM.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            text = row["body"].strip()
            if 40 <= len(text) <= 1500:
                decidim.append((f"decidim-mel:comment {row['id']}", text))
    return sp, decidim


def build_set(
    bank: dict,
    bases: list[tuple[str, str]],
    count: int,
    seed: int,
    communes: list[tuple[str, str, str]],
    name: str,
) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for n in range(count):
        origin, base = bases[n % len(bases)]
        spplus = origin.startswith("sp-plus")
        sentences = re.split(r"(?<=[.!?])\s+", base) if not spplus else re.split(r"\s{2,}", base)
        inserted = []
        for _ in range(rng.choice([1, 1, 2])):
            filler = Filler(bank, rng, communes)
            segments = render(rng.choice(bank["templates"]), filler)
            style = "typed"
            roll = rng.random()
            if spplus and roll < 0.6:
                style = "spplus"
            elif roll < 0.15:
                style = "lower"
            inserted.append((segments, style))
        pieces: list[Segment] = []
        positions = sorted(rng.randrange(len(sentences) + 1) for _ in inserted)
        cursor = 0
        for (segments, style), pos in zip(inserted, positions, strict=True):
            before = " ".join(sentences[cursor:pos])
            if before:
                pieces.append((before + " ", None))
            for text, label in segments:
                if style == "spplus":
                    text = style_spplus(text)
                elif style == "lower":
                    text = text.lower()
                pieces.append((text, label))
            pieces.append((" ", None))
            cursor = pos
        rest = " ".join(sentences[cursor:])
        pieces.append((rest, None))
        text, entities, keep, offset = "", [], [], 0
        for piece, label in pieces:
            if label and piece.strip():
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece.rstrip())
                span = {"start": offset + lead, "end": offset + trail}
                if label.startswith("keep:"):
                    keep.append({**span, "what": label[5:]})
                else:
                    entities.append({**span, "kind": label})
            text += piece
            offset += len(piece)
        entities = _merge_adjacent(entities, text)
        records.append(
            {
                "id": f"{name}-{n:04d}",
                "base": origin,
                "text": text.strip() and text,
                "entities": entities,
                "keep": keep,
            }
        )
    return records


def _merge_adjacent(entities: list[dict], text: str) -> list[dict]:
    """'{cp} {commune}' after a lieu-dit, or first + last name: one entity when only spaces or
    a comma separate two entities of the same kind."""
    merged: list[dict] = []
    for entity in sorted(entities, key=lambda e: e["start"]):
        if (
            merged
            and merged[-1]["kind"] == entity["kind"]
            and text[merged[-1]["end"] : entity["start"]].strip(" ,") == ""
        ):
            merged[-1]["end"] = entity["end"]
        else:
            merged.append(dict(entity))
    return merged


def main() -> None:
    communes = load_communes()
    sp, decidim = load_bases()
    rng = random.Random(7)
    rng.shuffle(sp)
    rng.shuffle(decidim)

    def interleave(items_a: list, items_b: list) -> list:
        return [item for pair in zip(items_a, items_b, strict=False) for item in pair]

    tune_bases = interleave(sp[0::2], decidim[0::2])
    heldout_bases = interleave(sp[1::2], decidim[1::2])
    OUT.mkdir(parents=True, exist_ok=True)
    for name, bank, bases, count, seed in (
        ("tune", TUNE, tune_bases, 600, 1),
        ("heldout", HELDOUT, heldout_bases, 500, 2),
    ):
        records = build_set(bank, bases, count, seed, communes, name)
        path = OUT / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        kinds: dict[str, int] = {}
        for record in records:
            for entity in record["entities"]:
                kinds[entity["kind"]] = kinds.get(entity["kind"], 0) + 1
        keeps = sum(len(r["keep"]) for r in records)
        print(f"{path.relative_to(ROOT)}: {len(records)} texts, entities {kinds}, keep {keeps}")


if __name__ == "__main__":
    main()
